package httpkit

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/auth"
)

// What the router's middleware learns of a request and every handler reads: its ID, the server's
// logger, and who acts.

const (
	requestIDKey = "requestId"
	loggerKey    = "logger"
	userKey      = "user"
	claimsKey    = "claims"
)

// StartRequest gives the request its ID and the server's logger.
func StartRequest(c *gin.Context, id string, logger *slog.Logger) {
	c.Set(requestIDKey, id)
	c.Set(loggerKey, logger)
}

// RequestID is the request's ID, as its answer's X-Request-Id and the logs name it.
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// Logger is the server's logger, so that errors are written as its JSON lines; slog's default
// where a handler runs without the server (unit tests of a handler).
func Logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		if logger, ok := l.(*slog.Logger); ok && logger != nil {
			return logger
		}
	}
	return slog.Default()
}

// SetCaller records who acts, once their token is verified.
func SetCaller(c *gin.Context, claims auth.Claims) {
	c.Set(userKey, claims.User)
	c.Set(claimsKey, claims)
}

// Caller is who acts in this request; the zero Claims before the token is verified.
func Caller(c *gin.Context) auth.Claims {
	v, _ := c.Get(claimsKey)
	claims, _ := v.(auth.Claims)
	return claims
}
