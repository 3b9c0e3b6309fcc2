package auth

import (
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims is who acts in a request, as read from a verified token. Role and Unit are plain
// strings here: the api package checks them against the roles and units it knows.
type Claims struct {
	User string // JWT "sub": the user's stable login ID, e.g. "anna.larare"
	Name string // JWT "name": display name for the audit trail and the UI; may be empty
	Role string // JWT "role"
	Unit string // JWT "unit": the school, health centre or social services unit acted for

	// Set by Verify from the token; Sign ignores them and sets its own.
	Issuer    string    // JWT "iss"
	Audience  []string  // JWT "aud"
	IssuedAt  time.Time // JWT "iat"; zero if the token has none
	ExpiresAt time.Time // JWT "exp"
}

// tokenClaims is the wire form, written by Issuer.Sign and read by Verify. It is kept apart from
// Claims so the JOSE library's types do not leak into the api package.
type tokenClaims struct {
	jwt.Claims
	Name string `json:"name,omitempty"`
	Role string `json:"role"`
	Unit string `json:"unit"`
}

// missing names the first required identity claim that is empty, or "".
func (tc *tokenClaims) missing() string {
	switch {
	case tc.Subject == "":
		return "sub"
	case tc.Role == "":
		return "role"
	case tc.Unit == "":
		return "unit"
	}
	return ""
}
