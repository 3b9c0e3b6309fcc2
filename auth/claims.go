package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
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

// tokenClaims is the wire form. It is kept apart from Claims so the jwt library's types do not
// leak into the api package.
type tokenClaims struct {
	jwt.RegisteredClaims
	Name string `json:"name,omitempty"`
	Role string `json:"role"`
	Unit string `json:"unit"`
}

func (tc *tokenClaims) claims() Claims {
	c := Claims{
		User:     tc.Subject,
		Name:     tc.Name,
		Role:     tc.Role,
		Unit:     tc.Unit,
		Issuer:   tc.Issuer,
		Audience: []string(tc.Audience),
	}
	if tc.IssuedAt != nil {
		c.IssuedAt = tc.IssuedAt.Time
	}
	if tc.ExpiresAt != nil {
		c.ExpiresAt = tc.ExpiresAt.Time
	}
	return c
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
