package auth_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
)

func TestVerify(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	_, otherPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ecPriv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rsaPriv := newIDPKeys().rsa
	keys := auth.NewStaticKeySet(pub)

	good := mint(t, jwt.SigningMethodEdDSA, priv, "k1", goodClaims())
	with := func(edit func(jwt.MapClaims)) string {
		c := goodClaims()
		edit(c)
		return mint(t, jwt.SigningMethodEdDSA, priv, "k1", c)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(pub))})
	numericKid := jwt.NewWithClaims(jwt.SigningMethodEdDSA, goodClaims())
	numericKid.Header["kid"] = 1

	expiry := t0.Add(10 * time.Minute)
	const ok = auth.Kind(0)
	tests := []struct {
		name   string
		token  string
		at     time.Time
		want   auth.Kind
		reason string // part of the logged message, to show the token failed for this reason
	}{
		{"a well-signed token names the user, role and unit", good, t0, ok, ""},
		{"a token without kid is checked against the keys of the set", mint(t, jwt.SigningMethodEdDSA, priv, "", goodClaims()), t0, ok, ""},
		{"a static key set does not look the kid up: the signature decides", mint(t, jwt.SigningMethodEdDSA, priv, "k9", goodClaims()), t0, ok, ""},
		{"an audience given as a single string is accepted", with(func(c jwt.MapClaims) { c["aud"] = testAudience }), t0, ok, ""},
		{"an audience list that includes ours is accepted", with(func(c jwt.MapClaims) { c["aud"] = []string{"other", testAudience} }), t0, ok, ""},
		{"a token for another audience is invalid", with(func(c jwt.MapClaims) { c["aud"] = []string{"other-api"} }), t0, auth.KindInvalid, "expected audience"},
		{"a token without audience is invalid", with(func(c jwt.MapClaims) { delete(c, "aud") }), t0, auth.KindInvalid, "expected audience"},
		{"a token from another issuer is invalid", with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.test" }), t0, auth.KindInvalid, "different provider"},
		{"a token whose issuer only differs by a trailing slash is invalid", with(func(c jwt.MapClaims) { c["iss"] = testIssuer + "/" }), t0, auth.KindInvalid, "different provider"},
		{"a token without sub is invalid", with(func(c jwt.MapClaims) { delete(c, "sub") }), t0, auth.KindInvalid, "missing claim sub"},
		{"a token without role is invalid", with(func(c jwt.MapClaims) { delete(c, "role") }), t0, auth.KindInvalid, "missing claim role"},
		{"a token with an empty unit is invalid", with(func(c jwt.MapClaims) { c["unit"] = "" }), t0, auth.KindInvalid, "missing claim unit"},
		{"a token with a numeric role is invalid", with(func(c jwt.MapClaims) { c["role"] = 7 }), t0, auth.KindInvalid, "malformed claims"},
		{"a token without exp is invalid", with(func(c jwt.MapClaims) { delete(c, "exp") }), t0, auth.KindInvalid, "missing claim exp"},
		{"a token 29 s past exp is still inside the leeway", good, expiry.Add(29 * time.Second), ok, ""},
		{"a token 30 s past exp is expired", good, expiry.Add(30 * time.Second), auth.KindExpired, "token expired"},
		{"an expired token for another audience is invalid, not expired",
			with(func(c jwt.MapClaims) { c["aud"] = "other-api" }), expiry.Add(time.Hour), auth.KindInvalid, "expected audience"},
		{"an expired token with a bad signature is invalid, not expired", tamper(t, good), expiry.Add(time.Hour), auth.KindInvalid, "bad signature"},
		{"a token 30 s before nbf is inside the leeway", good, t0.Add(-30 * time.Second), ok, ""},
		{"a token 31 s before nbf is not valid yet", good, t0.Add(-31 * time.Second), auth.KindInvalid, "not valid yet"},
		{"a tampered payload fails the signature check", tamper(t, good), t0, auth.KindInvalid, "bad signature"},
		{"an alg none token is invalid",
			mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", goodClaims()), t0, auth.KindInvalid, "algorithm not allowed"},
		{"an HS256 token keyed with the raw public key is invalid",
			mint(t, jwt.SigningMethodHS256, []byte(pub), "k1", goodClaims()), t0, auth.KindInvalid, "algorithm not allowed"},
		{"an HS256 token keyed with the public key PEM is invalid",
			mint(t, jwt.SigningMethodHS256, pubPEM, "k1", goodClaims()), t0, auth.KindInvalid, "algorithm not allowed"},
		{"an RS512 token is invalid", mint(t, jwt.SigningMethodRS512, rsaPriv, "k1", goodClaims()), t0, auth.KindInvalid, "algorithm not allowed"},
		{"an ES256 token checked against an Ed25519 key is invalid",
			mint(t, jwt.SigningMethodES256, ecPriv, "k1", goodClaims()), t0, auth.KindInvalid, "bad signature"},
		{"a token with a numeric kid is invalid", must(numericKid.SignedString(priv)), t0, auth.KindInvalid, "malformed token"},
		{"a token signed by another key under the right kid is invalid",
			mint(t, jwt.SigningMethodEdDSA, otherPriv, "k1", goodClaims()), t0, auth.KindInvalid, "bad signature"},
		{"an empty token is invalid", "", t0, auth.KindInvalid, "no token"},
		{"a token that is not a JWT is invalid", "not-a.jwt", t0, auth.KindInvalid, "malformed token"},
		{"a JWS in JSON serialization is not a bearer token", jsonSerialized(t, good), t0, auth.KindInvalid, "malformed token"},
		{"an oversized token is invalid", good + strings.Repeat("A", 16<<10), t0, auth.KindInvalid, "token too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			clock.Set(tt.at)
			v := auth.NewVerifier(testIssuer, testAudience, keys, auth.WithClock(clock.Now))

			got, err := v.Verify(t.Context(), tt.token)

			if tt.want == ok {
				require.NoError(t, err)
				require.Equal(t, "anna.larare", got.User)
				require.Equal(t, "Anna Lärare", got.Name)
				require.Equal(t, "teacher", got.Role)
				require.Equal(t, "skola-norrby", got.Unit)
				require.Equal(t, testIssuer, got.Issuer)
				require.Equal(t, expiry, got.ExpiresAt.UTC())
				return
			}
			var aerr *auth.Error
			require.True(t, errors.As(err, &aerr), "want *auth.Error, got %v", err)
			require.Equal(t, tt.want, aerr.Kind, "error: %v", err)
			require.ErrorContains(t, err, tt.reason)
			requireNoTokenIn(t, err, tt.token)
		})
	}
}

func TestVerifyWithoutConfigurationRejectsEverything(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	c := goodClaims()
	c["iss"], c["aud"] = "", ""
	token := mint(t, jwt.SigningMethodEdDSA, priv, "k1", c)
	clock := newClock()

	tests := []struct {
		name string
		v    *auth.Verifier
	}{
		{"a verifier without issuer accepts nothing", auth.NewVerifier("", testAudience, auth.NewStaticKeySet(pub), auth.WithClock(clock.Now))},
		{"a verifier without audience accepts nothing", auth.NewVerifier(testIssuer, "", auth.NewStaticKeySet(pub), auth.WithClock(clock.Now))},
		{"a verifier without keys accepts nothing", auth.NewVerifier(testIssuer, testAudience, nil, auth.WithClock(clock.Now))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.v.Verify(t.Context(), token)
			var aerr *auth.Error
			require.ErrorAs(t, err, &aerr)
			require.Equal(t, auth.KindUnavailable, aerr.Kind)
		})
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   string
		wantOK bool
	}{
		{"a bearer header yields its token", "Bearer abc.def.ghi", "abc.def.ghi", true},
		{"the scheme is case-insensitive", "bEaReR abc.def.ghi", "abc.def.ghi", true},
		{"surrounding spaces are trimmed", "  Bearer    abc.def.ghi  ", "abc.def.ghi", true},
		{"an empty header has no token", "", "", false},
		{"a bare scheme has no token", "Bearer", "", false},
		{"a scheme with only spaces has no token", "Bearer    ", "", false},
		{"basic auth is not a bearer token", "Basic YW5uYTpzZWNyZXQ=", "", false},
		{"a scheme glued to the token is not a bearer token", "Bearerabc.def.ghi", "", false},
		{"two tokens are refused", "Bearer abc def", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := auth.BearerToken(tt.header)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

// tamper promotes the token's user to another role without re-signing.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload, err := b64.DecodeString(parts[1])
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(payload, &c))
	c["role"] = "admin"
	parts[1] = b64.EncodeToString(must(json.Marshal(c)))
	return strings.Join(parts, ".")
}

// jsonSerialized rewrites a compact JWS in the JWS JSON serialization (RFC 7515 §7.2.2), which
// go-jose would parse too.
func jsonSerialized(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	return string(must(json.Marshal(map[string]string{"protected": parts[0], "payload": parts[1], "signature": parts[2]})))
}

// requireNoTokenIn checks that an error message, which ends up in logs, holds no part of the token.
func requireNoTokenIn(t *testing.T, err error, token string) {
	t.Helper()
	for _, part := range strings.Split(token, ".") {
		if len(part) >= 8 {
			require.NotContains(t, err.Error(), part)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
