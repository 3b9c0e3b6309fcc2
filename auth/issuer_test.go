package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
)

var anna = auth.Claims{User: "anna.larare", Name: "Anna Lärare", Role: "teacher", Unit: "skola-norrby"}

func TestIssuerRoundTrip(t *testing.T) {
	iss, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "issuer.pem"), testIssuer)
	require.NoError(t, err)
	token, err := iss.Sign(anna, testAudience, 15*time.Minute, t0)
	require.NoError(t, err)
	clock := newClock()

	tests := []struct {
		name string
		keys auth.KeySet
	}{
		{"a signed token verifies against the issuer's own key set", iss.KeySet()},
		{"a signed token verifies against the issuer's JWKS fetched over HTTP",
			auth.NewRemoteKeySet(newJWKSServer(t, iss.JWKS()).URL, nil, auth.WithRemoteClock(clock.Now))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := auth.NewVerifier(testIssuer, testAudience, tt.keys, auth.WithClock(clock.Now))
			got, err := v.Verify(t.Context(), token)
			require.NoError(t, err)
			require.Equal(t, auth.Claims{
				User: "anna.larare", Name: "Anna Lärare", Role: "teacher", Unit: "skola-norrby",
				Issuer: testIssuer, Audience: []string{testAudience},
				IssuedAt: t0, ExpiresAt: t0.Add(15 * time.Minute),
			}, utc(got))
		})
	}
}

func TestIssuerJWKSPublishesTheEd25519Key(t *testing.T) {
	iss, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "issuer.pem"), testIssuer)
	require.NoError(t, err)
	var set struct{ Keys []map[string]string }
	require.NoError(t, json.Unmarshal(iss.JWKS(), &set))
	require.Len(t, set.Keys, 1)
	k := set.Keys[0]
	require.Equal(t, "OKP", k["kty"])
	require.Equal(t, "Ed25519", k["crv"])
	require.Equal(t, "EdDSA", k["alg"])
	require.Equal(t, "sig", k["use"])
	require.Equal(t, iss.KeyID(), k["kid"])
	x, err := b64.DecodeString(k["x"])
	require.NoError(t, err)
	require.Len(t, x, 32)
	require.NotContains(t, k, "d", "the private key must never be published")
}

func TestIssuerRefusesToSignIncompleteClaims(t *testing.T) {
	iss, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "issuer.pem"), testIssuer)
	require.NoError(t, err)
	tests := []struct {
		name     string
		edit     func(c *auth.Claims)
		audience string
		ttl      time.Duration
	}{
		{"a token without user is refused", func(c *auth.Claims) { c.User = "" }, testAudience, time.Minute},
		{"a token without role is refused", func(c *auth.Claims) { c.Role = "" }, testAudience, time.Minute},
		{"a token without unit is refused", func(c *auth.Claims) { c.Unit = "" }, testAudience, time.Minute},
		{"a token without audience is refused", func(*auth.Claims) {}, "", time.Minute},
		{"a token with no lifetime is refused", func(*auth.Claims) {}, testAudience, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := anna
			tt.edit(&c)
			_, err := iss.Sign(c, tt.audience, tt.ttl, t0)
			require.Error(t, err)
		})
	}
}

func TestLoadOrCreateIssuer(t *testing.T) {
	t.Run("a new key file is created 0600 in a 0700 directory and reloads to the same key", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "state", "auth")
		keyFile := filepath.Join(dir, "issuer.pem")
		first, err := auth.LoadOrCreateIssuer(keyFile, testIssuer)
		require.NoError(t, err)

		fi, err := os.Stat(keyFile)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		di, err := os.Stat(dir)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o700), di.Mode().Perm())

		second, err := auth.LoadOrCreateIssuer(keyFile, testIssuer)
		require.NoError(t, err)
		require.Equal(t, first.KeyID(), second.KeyID())
		require.Equal(t, first.JWKS(), second.JWKS())

		// A token from before the restart still verifies after it.
		token, err := first.Sign(anna, testAudience, time.Minute, t0)
		require.NoError(t, err)
		clock := newClock()
		_, err = auth.NewVerifier(testIssuer, testAudience, second.KeySet(), auth.WithClock(clock.Now)).Verify(t.Context(), token)
		require.NoError(t, err)
	})

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(ecKey))})
	bad := []struct {
		name    string
		content []byte
	}{
		{"a key file that is not PEM is an error and is left as it was", []byte("not a key\n")},
		{"a key file with a truncated PEM body is an error and is left as it was",
			[]byte("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw\n-----END PRIVATE KEY-----\n")},
		{"a key file holding an EC key is an error and is left as it was", ecPEM},
		{"an empty key file is an error and is left as it was", []byte{}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			keyFile := filepath.Join(t.TempDir(), "issuer.pem")
			require.NoError(t, os.WriteFile(keyFile, tt.content, 0o600))

			_, err := auth.LoadOrCreateIssuer(keyFile, testIssuer)

			require.ErrorContains(t, err, keyFile)
			after, err := os.ReadFile(keyFile)
			require.NoError(t, err)
			require.Equal(t, tt.content, after)
		})
	}

	t.Run("a directory where the key file should be is an error naming it", func(t *testing.T) {
		keyFile := filepath.Join(t.TempDir(), "issuer.pem")
		require.NoError(t, os.Mkdir(keyFile, 0o700))
		_, err := auth.LoadOrCreateIssuer(keyFile, testIssuer)
		require.ErrorContains(t, err, keyFile)
	})

	t.Run("an empty issuer URL is an error", func(t *testing.T) {
		_, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "issuer.pem"), "")
		require.Error(t, err)
	})
}

// utc normalises the times Verify returns (local time zone) so whole structs can be compared.
func utc(c auth.Claims) auth.Claims {
	c.IssuedAt, c.ExpiresAt = c.IssuedAt.UTC(), c.ExpiresAt.UTC()
	return c
}
