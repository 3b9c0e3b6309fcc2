package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
)

// cors lets the caseworkers' front end call the API from a browser: the exact origins in
// CORSOrigins, never a wildcard. The token travels in the Authorization header, not in a cookie, so
// no credentials are allowed and none are needed. It runs before the address limit and before
// authentication, so that a browser can read a 401 or a 429 with its Retry-After too; a preflight
// carries no token and is answered here, outside every rate limit.
//
// The codec endpoint has CORS of its own for the Temporal Web UI (codec.go), left to it.
func (s *Server) cors(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/v1/codec/") {
		c.Next()
		return
	}
	origin := c.GetHeader("Origin")
	allowed := origin != "" && slices.Contains(s.CORSOrigins, origin)
	if len(s.CORSOrigins) > 0 {
		c.Header("Vary", "Origin")
	}
	if allowed {
		c.Header("Access-Control-Allow-Origin", origin)
		c.Header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Location")
	}
	if !isPreflight(c) {
		c.Next()
		return
	}
	if !allowed {
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "ursprunget får inte anropa API:t"))
		return
	}
	c.Header("Access-Control-Allow-Methods", "GET, POST, PUT")
	c.Header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
	c.Header("Access-Control-Max-Age", "600")
	c.AbortWithStatus(http.StatusNoContent)
}
