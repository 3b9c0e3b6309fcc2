package auth_test

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

const (
	testIssuer   = "https://idp.example.test"
	testAudience = "samverkan-api"
)

// t0 is the business time every test starts from.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// fakeClock is the injectable clock: tests move it explicitly, never sleep.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// goodClaims are the claims of a valid token for the synthetic demo user anna.larare, issued at t0
// for ten minutes.
func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":  testIssuer,
		"aud":  []string{testAudience},
		"sub":  "anna.larare",
		"name": "Anna Lärare",
		"role": "teacher",
		"unit": "skola-norrby",
		"iat":  t0.Unix(),
		"nbf":  t0.Unix(),
		"exp":  t0.Add(10 * time.Minute).Unix(),
	}
}

// mint signs claims with key; an empty kid leaves the header out.
func mint(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

var b64 = base64.RawURLEncoding

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]string {
	return map[string]string{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64.EncodeToString(pub.N.Bytes()),
		"e": b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

func ecJWK(t *testing.T, kid string, pub *ecdsa.PublicKey) map[string]string {
	t.Helper()
	point, err := pub.Bytes() // 0x04 || X || Y
	require.NoError(t, err)
	return map[string]string{
		"kty": "EC", "kid": kid, "crv": "P-256",
		"x": b64.EncodeToString(point[1:33]),
		"y": b64.EncodeToString(point[33:]),
	}
}

func jwksOf(t *testing.T, keys ...map[string]string) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	return body
}

// jwksServer serves whatever body is current and counts how often it was asked.
type jwksServer struct {
	*httptest.Server
	body    atomic.Pointer[[]byte]
	status  atomic.Int32
	fetches atomic.Int32
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	t.Helper()
	s := &jwksServer{}
	s.Serve(body)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.fetches.Add(1)
		if code := s.status.Load(); code != 0 {
			w.WriteHeader(int(code))
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(*s.body.Load())
	}))
	t.Cleanup(s.Close)
	return s
}

// Serve replaces the served JWKS and clears any failure status.
func (s *jwksServer) Serve(body []byte) {
	s.body.Store(&body)
	s.status.Store(0)
}

// Fail makes the server answer every request with code.
func (s *jwksServer) Fail(code int) { s.status.Store(int32(code)) }
