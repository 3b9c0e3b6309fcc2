package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// These tests sit inside the package to reach trustedKeys and the fetch timeout directly.

var b64 = base64.RawURLEncoding

// key is one JWK as an identity provider might publish it, written by hand so that the test does
// not share the code under test.
type key struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	K   string `json:"k,omitempty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
}

func jwks(keys ...key) []byte { return must(json.Marshal(map[string][]key{"keys": keys})) }

func TestTrustedKeysSkipsKeysItCannotTrust(t *testing.T) {
	edX := b64.EncodeToString(bytes.Repeat([]byte{7}, 32))
	coord := b64.EncodeToString(bytes.Repeat([]byte{1}, 32))
	rsa1024 := must(rsa.GenerateKey(rand.Reader, 1024))
	rsa2048 := must(rsa.GenerateKey(rand.Reader, 2048))
	rsaKey := func(k *rsa.PrivateKey, alg string) key {
		return key{Kty: "RSA", N: b64.EncodeToString(k.N.Bytes()), E: "AQAB", Alg: alg, Kid: "x"}
	}
	good := key{Kty: "OKP", Crv: "Ed25519", X: edX, Kid: "good"}

	tests := []struct {
		name string
		key  key
		// reason is part of the error when the odd key is the only one in the set
		reason string
	}{
		{"a symmetric key is never accepted", key{Kty: "oct", K: "c2VjcmV0", Kid: "x"}, "not an asymmetric key"},
		{"an encryption key is not used for signatures", key{Kty: "OKP", Crv: "Ed25519", X: edX, Use: "enc", Kid: "x"}, "is not sig"},
		{"a key pinned to another algorithm is skipped", rsaKey(rsa2048, "RS512"), "unsupported alg"},
		{"an EC point off the curve is rejected", key{Kty: "EC", Crv: "P-256", X: coord, Y: coord, Kid: "x"}, "no usable signing key"},
		{"a P-384 key is not supported", key{Kty: "EC", Crv: "P-384", X: coord, Y: coord, Kid: "x"}, "no usable signing key"},
		{"a short Ed25519 key is rejected", key{Kty: "OKP", Crv: "Ed25519", X: "AAAA", Kid: "x"}, "no usable signing key"},
		{"an X25519 key is not a signing key", key{Kty: "OKP", Crv: "X25519", X: edX, Kid: "x"}, "unsupported key type"},
		{"a 1024-bit RSA key is too short", rsaKey(rsa1024, ""), "shorter than 2048"},
		{"padded base64 is rejected", key{Kty: "OKP", Crv: "Ed25519", X: edX + "=", Kid: "x"}, "no usable signing key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := trustedKeys(jwks(tt.key))
			require.ErrorContains(t, err, tt.reason)
			require.ErrorContains(t, err, "no usable signing key")

			keys, err := trustedKeys(jwks(tt.key, good))
			require.NoError(t, err, "one odd key must not spoil the set")
			require.Len(t, keys, 1)
			require.Equal(t, "good", keys[0].KeyID)
			require.Equal(t, ed25519.PublicKey(bytes.Repeat([]byte{7}, 32)), keys[0].Key)
			require.Equal(t, "EdDSA", keys[0].Algorithm, "a trusted key is pinned to its one algorithm")
		})
	}

	t.Run("a well-formed 2048-bit RSA key is accepted", func(t *testing.T) {
		keys, err := trustedKeys(jwks(rsaKey(rsa2048, "RS256")))
		require.NoError(t, err)
		require.Equal(t, 65537, keys[0].Key.(*rsa.PublicKey).E)
	})
}

func TestRemoteKeySetGivesUpOnASlowProvider(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select { // hang until the client gives up (or the test ends)
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	keys := NewRemoteKeySet(srv.URL, srv.Client())
	keys.fetcher.timeout = 50 * time.Millisecond // 5 s in production; shortened so the test is quick
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	token := must(jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{"iss": "i", "aud": "a", "sub": "s"}).SignedString(priv))

	_, err = NewVerifier("i", "a", keys).Verify(t.Context(), token)

	var aerr *Error
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, KindUnavailable, aerr.Kind, "error: %v", err)
	require.ErrorContains(t, err, "context deadline exceeded")
}

func TestKeyIDIsTheRFC8037Thumbprint(t *testing.T) {
	// RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
	x, err := b64.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	require.NoError(t, err)
	require.Equal(t, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", must(keyID(ed25519.PublicKey(x))))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
