package api

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// A token is signed by the region's identity provider, but the directory decides who works where
// (README, "Tokens"): the user a token names must be in the directory, and hold the role it names
// in the unit it names. A token that says otherwise – a user who has left, an assignment given up
// or never held – is refused (401 with a detail saying which), and the refusal is an alert row in
// the access log (action token_not_in_directory), since a valid signature on claims the directory
// does not know is what a misissued or forged token looks like. A token also lives no longer than
// TokenMaxLifetime (default 12 h), whatever its exp says.

const (
	actionTokenNotInDirectory = "token_not_in_directory"
	// DefaultTokenMaxLifetime is SAMVERKAN_TOKEN_MAX_LIFETIME's default: a working day and then some.
	DefaultTokenMaxLifetime = 12 * time.Hour
	// tokenLeeway matches the verifier's allowance for clock skew.
	tokenLeeway = 30 * time.Second
	// directoryCacheFor is how long a directory answer is reused: an assignment taken away stops
	// working within it, and a busy user costs one look-up per period, not one per request.
	directoryCacheFor = 30 * time.Second
	maxDirectoryCache = 10_000
)

// checkLifetime refuses a token whose lifetime – from iat, or from now when it has none – is longer
// than the cap.
func (s *Server) checkLifetime(claims auth.Claims) error {
	limit := s.TokenMaxLifetime
	if limit <= 0 {
		limit = DefaultTokenMaxLifetime
	}
	from := claims.IssuedAt
	if from.IsZero() || from.After(s.Now()) {
		from = s.Now()
	}
	if claims.ExpiresAt.Sub(from) > limit+tokenLeeway {
		return httpkit.Status(http.StatusUnauthorized, fmt.Sprintf("token är giltig längre än %s: begär en ny med kortare livslängd", limit))
	}
	return nil
}

// checkDirectory refuses a token whose user or assignment the directory does not know.
func (s *Server) checkDirectory(c *gin.Context, claims auth.Claims) error {
	if !s.RequireDirectory {
		return nil
	}
	known, err := s.directory.known(c, s.DB, claims, s.Now())
	if err != nil {
		return err
	}
	if known == "" {
		return nil
	}
	s.Logger.Warn("security alert: token names what the directory does not know", "requestId", httpkit.RequestID(c),
		"user", claims.User, "role", claims.Role, "unit", claims.Unit, "reason", known)
	if err := s.auditLog().RecordCase(c, "", actionTokenNotInDirectory, http.StatusUnauthorized); err != nil {
		return err
	}
	return httpkit.Status(http.StatusUnauthorized, known)
}

// directoryCache remembers, per user, role and unit, what the directory said.
type directoryCache struct {
	mu      sync.Mutex
	answers map[string]directoryAnswer
}

type directoryAnswer struct {
	problem string // "" when the directory knows the user and the assignment
	until   time.Time
}

// known is "" when the directory holds the user with the role in the unit, or the problem to tell.
func (d *directoryCache) known(c *gin.Context, store *db.DB, claims auth.Claims, now time.Time) (string, error) {
	key := claims.User + "\x00" + claims.Role + "\x00" + claims.Unit
	d.mu.Lock()
	a, ok := d.answers[key]
	d.mu.Unlock()
	if ok && now.Before(a.until) {
		return a.problem, nil
	}
	user, err := store.User(c.Request.Context(), claims.User)
	problem := ""
	switch {
	case errors.Is(err, db.ErrNotFound):
		problem = "användaren finns inte i katalogen: logga in på nytt, eller be administratören lägga upp användaren"
	case err != nil:
		return "", fmt.Errorf("directory look-up of the token's user: %w", err)
	case !user.HasRole(claims.Unit, casework.Role(claims.Role)):
		problem = "uppdraget finns inte i katalogen: användaren har inte rollen i enheten som token anger"
	}
	d.mu.Lock()
	if d.answers == nil || len(d.answers) >= maxDirectoryCache {
		d.answers = map[string]directoryAnswer{}
	}
	d.answers[key] = directoryAnswer{problem: problem, until: now.Add(directoryCacheFor)}
	d.mu.Unlock()
	return problem, nil
}
