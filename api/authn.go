package api

import (
	"cmp"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
)

// authenticate lets no request under /api/v1 through without a valid bearer token that names a
// user, a known role and a unit, within that user's rate limit and the system's bound on requests
// waiting on Temporal.
func (s *Server) authenticate(c *gin.Context) {
	token, ok := auth.BearerToken(c.GetHeader("Authorization"))
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="samverkan"`)
		httpkit.WriteError(c, httpkit.ErrUnauthorized)
		return
	}
	claims, err := s.verify(c, token)
	var authErr *auth.Error
	if errors.As(err, &authErr) && authErr.Kind == auth.KindUnavailable {
		// The issuer's keys could not be fetched: the token may be fine, so do not send the user
		// to log in again.
		s.Logger.Warn("token keys unavailable", "requestId", httpkit.RequestID(c), "error", err)
		httpkit.WriteError(c, httpkit.Status(http.StatusServiceUnavailable, "inloggningstjänsten svarar inte just nu"))
		return
	}
	if err != nil || !casework.Role(claims.Role).Valid() {
		s.Logger.Info("token rejected", "requestId", httpkit.RequestID(c), "reason", errReason(err))
		c.Header("WWW-Authenticate", `Bearer realm="samverkan", error="invalid_token"`)
		httpkit.WriteError(c, httpkit.ErrUnauthorized)
		return
	}
	httpkit.SetCaller(c, claims)
	if err := cmp.Or(s.checkLifetime(claims), s.checkDirectory(c, claims)); err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="samverkan", error="invalid_token"`)
		httpkit.WriteError(c, err)
		httpkit.SetCaller(c, auth.Claims{}) // not authenticated: the address's budget pays
		return
	}
	// Per user only now that the user is known; limitAddress saw the request before the token.
	if !s.limitUser(c, claims.User) {
		return
	}
	// Then the whole system's bound on the work waiting on Temporal (admission.go), before the
	// route's handler has read or written anything.
	release, ok := s.admit(c)
	if !ok {
		return
	}
	defer release()
	c.Next()
}

// verify checks the token, or takes the claims limitAddress has already verified.
func (s *Server) verify(c *gin.Context, token string) (auth.Claims, error) {
	if v, ok := c.Get(verifiedClaimsKey); ok {
		return v.(auth.Claims), nil
	}
	return s.Tokens.Verify(c.Request.Context(), token)
}

func errReason(err error) string {
	if err == nil {
		return "unknown role"
	}
	return err.Error()
}
