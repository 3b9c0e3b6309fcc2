package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// These tests sit inside the package to reach parseJWKS and the fetch timeout directly.

func TestParseJWKSSkipsKeysItCannotTrust(t *testing.T) {
	edX := b64.EncodeToString(bytes.Repeat([]byte{7}, 32))
	coord := b64.EncodeToString(bytes.Repeat([]byte{1}, 32))
	n1024 := b64.EncodeToString(append([]byte{0x80}, make([]byte, 127)...))
	n2048 := b64.EncodeToString(append([]byte{0xc1}, bytes.Repeat([]byte{3}, 255)...))
	good := jwk{Kty: "OKP", Crv: "Ed25519", X: edX, Kid: "good"}

	tests := []struct {
		name string
		key  jwk
		// reason is part of the error when the odd key is the only one in the set
		reason string
	}{
		{"a symmetric key is never accepted", jwk{Kty: "oct", Kid: "x"}, "unsupported key type"},
		{"an encryption key is not used for signatures", jwk{Kty: "OKP", Crv: "Ed25519", X: edX, Use: "enc", Kid: "x"}, "no usable signing key"},
		{"a key pinned to another algorithm is skipped", jwk{Kty: "RSA", N: n2048, E: "AQAB", Alg: "RS512", Kid: "x"}, "unsupported alg"},
		{"an EC point off the curve is rejected", jwk{Kty: "EC", Crv: "P-256", X: coord, Y: coord, Kid: "x"}, "bad P-256 point"},
		{"a P-384 key is not supported", jwk{Kty: "EC", Crv: "P-384", X: coord, Y: coord, Kid: "x"}, "unsupported EC curve"},
		{"a short Ed25519 key is rejected", jwk{Kty: "OKP", Crv: "Ed25519", X: "AAAA", Kid: "x"}, "bad Ed25519 x"},
		{"an X25519 key is not a signing key", jwk{Kty: "OKP", Crv: "X25519", X: edX, Kid: "x"}, "unsupported OKP curve"},
		{"a 1024-bit RSA key is too short", jwk{Kty: "RSA", N: n1024, E: "AQAB", Kid: "x"}, "shorter than 2048"},
		{"an even RSA exponent is rejected", jwk{Kty: "RSA", N: n2048, E: "AAI", Kid: "x"}, "bad RSA exponent"},
		{"padded base64 is rejected", jwk{Kty: "OKP", Crv: "Ed25519", X: edX + "=", Kid: "x"}, "bad Ed25519 x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseJWKS(must(json.Marshal(jwkSet{Keys: []jwk{tt.key}})))
			require.ErrorContains(t, err, tt.reason)

			keys, err := parseJWKS(must(json.Marshal(jwkSet{Keys: []jwk{tt.key, good}})))
			require.NoError(t, err, "one odd key must not spoil the set")
			require.Equal(t, StaticKeySet{"good": ed25519.PublicKey(bytes.Repeat([]byte{7}, 32))}, keys)
		})
	}

	t.Run("a well-formed 2048-bit RSA key is accepted", func(t *testing.T) {
		keys, err := parseJWKS(must(json.Marshal(jwkSet{Keys: []jwk{{Kty: "RSA", N: n2048, E: "AQAB", Kid: "r"}}})))
		require.NoError(t, err)
		require.Equal(t, 65537, keys["r"].(*rsa.PublicKey).E)
	})

	t.Run("the first of two keys with one kid wins", func(t *testing.T) {
		other := good
		other.X = b64.EncodeToString(bytes.Repeat([]byte{9}, 32))
		keys, err := parseJWKS(must(json.Marshal(jwkSet{Keys: []jwk{good, other}})))
		require.NoError(t, err)
		require.Equal(t, ed25519.PublicKey(bytes.Repeat([]byte{7}, 32)), keys["good"])
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
	r := NewRemoteKeySet(srv.URL, srv.Client())
	r.timeout = 50 * time.Millisecond // 5 s in production; shortened so the test is quick

	_, err := r.Key(t.Context(), "any")

	require.ErrorContains(t, err, "context deadline exceeded")
	require.NotErrorIs(t, err, ErrUnknownKey)
}

func TestThumbprintMatchesRFC8037(t *testing.T) {
	// RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
	x, err := b64.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	require.NoError(t, err)
	require.Equal(t, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", thumbprint(ed25519.PublicKey(x)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
