package auth_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
)

// idpKeys are the identity provider's signing keys, made fresh for each test run.
type idpKeys struct {
	rsa, rsaNext *rsa.PrivateKey
	ec           *ecdsa.PrivateKey
}

// newIDPKeys is shared by the tests because 2048-bit RSA keys take a while to generate.
var newIDPKeys = sync.OnceValue(func() idpKeys {
	return idpKeys{
		rsa:     must(rsa.GenerateKey(rand.Reader, 2048)),
		rsaNext: must(rsa.GenerateKey(rand.Reader, 2048)),
		ec:      must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)),
	}
})

func TestRemoteKeySetVerifiesRSAAndECTokens(t *testing.T) {
	k := newIDPKeys()
	srv := newJWKSServer(t, jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey), ecJWK(t, "ec-1", &k.ec.PublicKey)))
	clock := newClock()
	v := auth.NewVerifier(testIssuer, testAudience,
		auth.NewRemoteKeySet(srv.URL, srv.Client(), auth.WithRemoteClock(clock.Now)), auth.WithClock(clock.Now))
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&k.rsa.PublicKey))})
	strangerEC := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))

	const ok = auth.Kind(0)
	tests := []struct {
		name  string
		token string
		want  auth.Kind
	}{
		{"an RS256 token verifies with the RSA key from the JWKS", mint(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", goodClaims()), ok},
		{"an ES256 token verifies with the EC key from the JWKS", mint(t, jwt.SigningMethodES256, k.ec, "ec-1", goodClaims()), ok},
		{"an HS256 token keyed with the RSA public key PEM is invalid",
			mint(t, jwt.SigningMethodHS256, rsaPEM, "rsa-1", goodClaims()), auth.KindInvalid},
		{"an RS256 token naming the EC key is invalid", mint(t, jwt.SigningMethodRS256, k.rsa, "ec-1", goodClaims()), auth.KindInvalid},
		{"an ES256 token from a key outside the JWKS is invalid",
			mint(t, jwt.SigningMethodES256, strangerEC, "ec-1", goodClaims()), auth.KindInvalid},
		{"an RS512 token is invalid even with the right key", mint(t, jwt.SigningMethodRS512, k.rsa, "rsa-1", goodClaims()), auth.KindInvalid},
		{"a token without kid is checked against every key of the JWKS",
			mint(t, jwt.SigningMethodRS256, k.rsa, "", goodClaims()), ok},
		{"a token without kid signed by a stranger is invalid",
			mint(t, jwt.SigningMethodES256, strangerEC, "", goodClaims()), auth.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(t.Context(), tt.token)
			if tt.want == ok {
				require.NoError(t, err)
				require.Equal(t, "anna.larare", got.User)
				return
			}
			var aerr *auth.Error
			require.ErrorAs(t, err, &aerr)
			require.Equal(t, tt.want, aerr.Kind, "error: %v", err)
		})
	}
	// The clock never moved, so the unknown kids above could not refetch: one fetch served all.
	require.Equal(t, int32(1), srv.fetches.Load(), "keys are cached, not fetched per token")
}

func TestRemoteKeySetRefetchesForANewKidAtMostOnceAMinute(t *testing.T) {
	k := newIDPKeys()
	srv := newJWKSServer(t, jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey)))
	clock := newClock()
	v := auth.NewVerifier(testIssuer, testAudience,
		auth.NewRemoteKeySet(srv.URL, srv.Client(), auth.WithRemoteClock(clock.Now)), auth.WithClock(clock.Now))
	oldToken := mint(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", goodClaims())
	newToken := mint(t, jwt.SigningMethodRS256, k.rsaNext, "rsa-2", goodClaims())
	forged := func(kid string) string { return mint(t, jwt.SigningMethodRS256, k.rsaNext, kid, goodClaims()) }

	steps := []struct {
		name        string
		at          time.Time
		rotate      bool // the provider now publishes rsa-2 as well
		token       string
		want        auth.Kind
		wantFetches int32
	}{
		{"the first token fetches the keys", t0, false, oldToken, 0, 1},
		{"an unknown kid ten seconds later does not refetch", t0.Add(10 * time.Second), false, newToken, auth.KindInvalid, 1},
		{"after rotation the new kid is still refused within the minute", t0.Add(59 * time.Second), true, newToken, auth.KindInvalid, 1},
		{"a minute after the last fetch the new kid refetches and verifies", t0.Add(time.Minute), true, newToken, 0, 2},
		{"the old kid still verifies from the cache", t0.Add(61 * time.Second), true, oldToken, 0, 2},
		{"a flood of forged kids causes no fetch within the minute", t0.Add(90 * time.Second), true, forged("bogus-1"), auth.KindInvalid, 2},
		{"a second forged kid within the minute causes no fetch either", t0.Add(119 * time.Second), true, forged("bogus-2"), auth.KindInvalid, 2},
		{"a forged kid a minute later causes exactly one more fetch", t0.Add(2 * time.Minute), true, forged("bogus-3"), auth.KindInvalid, 3},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			clock.Set(s.at)
			if s.rotate {
				srv.Serve(jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey), rsaJWK("rsa-2", &k.rsaNext.PublicKey)))
			}
			err := verifySettled(t, v, s.token, srv, s.wantFetches)
			if s.want == 0 {
				require.NoError(t, err)
			} else {
				var aerr *auth.Error
				require.ErrorAs(t, err, &aerr)
				require.Equal(t, s.want, aerr.Kind, "error: %v", err)
			}
			require.Equal(t, s.wantFetches, srv.fetches.Load())
		})
	}
}

func TestRemoteKeySetReportsAnUnusableProviderAsUnavailable(t *testing.T) {
	k := newIDPKeys()
	good := jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey))
	token := mint(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", goodClaims())

	tests := []struct {
		name   string
		status int
		body   []byte
		reason string
	}{
		{"a server error is unavailable", http.StatusInternalServerError, nil, "status 500"},
		{"a garbage body is unavailable", 0, []byte("<html>login</html>"), "decode jwks"},
		{"a body over 1 MiB is unavailable even if it would parse", 0, append(bytes.Repeat([]byte(" "), 1<<20), good...), "larger than 1 MiB"},
		{"a JWKS with only a symmetric key is unavailable", 0, []byte(`{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"rsa-1"}]}`), "no usable signing key"},
		{"an empty JWKS is unavailable", 0, []byte(`{"keys":[]}`), "no usable signing key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newJWKSServer(t, tt.body)
			if tt.status != 0 {
				srv.Fail(tt.status)
			}
			clock := newClock()
			v := auth.NewVerifier(testIssuer, testAudience,
				auth.NewRemoteKeySet(srv.URL, srv.Client(), auth.WithRemoteClock(clock.Now)), auth.WithClock(clock.Now))

			_, err := v.Verify(t.Context(), token)

			var aerr *auth.Error
			require.ErrorAs(t, err, &aerr)
			require.Equal(t, auth.KindUnavailable, aerr.Kind)
			require.ErrorContains(t, err, tt.reason)
			requireNoTokenIn(t, err, token)
		})
	}
}

func TestRemoteKeySetSurvivesAnOutage(t *testing.T) {
	k := newIDPKeys()
	srv := newJWKSServer(t, jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey)))
	srv.Fail(http.StatusServiceUnavailable)
	clock := newClock()
	v := auth.NewVerifier(testIssuer, testAudience,
		auth.NewRemoteKeySet(srv.URL, srv.Client(), auth.WithRemoteClock(clock.Now)), auth.WithClock(clock.Now))
	token := mint(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", goodClaims())
	unknown := mint(t, jwt.SigningMethodRS256, k.rsa, "rsa-9", goodClaims())

	steps := []struct {
		name        string
		at          time.Time
		up          bool
		token       string
		want        auth.Kind
		wantFetches int32
	}{
		{"while the provider is down at start, tokens are unavailable, not invalid", t0, false, token, auth.KindUnavailable, 1},
		{"within the minute the failure is remembered without asking again", t0.Add(30 * time.Second), true, token, auth.KindUnavailable, 1},
		{"a minute later the provider is asked again and the token verifies", t0.Add(time.Minute), true, token, 0, 2},
		{"when the provider goes down again an unknown kid is unavailable", t0.Add(3 * time.Minute), false, unknown, auth.KindUnavailable, 3},
		{"but tokens with cached keys keep verifying", t0.Add(3 * time.Minute), false, token, 0, 3},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			clock.Set(s.at)
			if s.up {
				srv.Serve(jwksOf(t, rsaJWK("rsa-1", &k.rsa.PublicKey)))
			} else {
				srv.Fail(http.StatusServiceUnavailable)
			}
			err := verifySettled(t, v, s.token, srv, s.wantFetches)
			if s.want == 0 {
				require.NoError(t, err)
			} else {
				var aerr *auth.Error
				require.ErrorAs(t, err, &aerr)
				require.Equal(t, s.want, aerr.Kind, "error: %v", err)
			}
			require.Equal(t, s.wantFetches, srv.fetches.Load())
		})
	}
}

// verifySettled verifies token and, while the provider has been asked fewer than wantFetches
// times, verifies again until it has been. go-oidc frees its in-flight fetch just after handing out
// the result, so a Verify that follows at once may share that result instead of asking: in real
// time the result is microseconds old, but the fake clock of these tests has just moved a minute
// on. Verifying again at the same fake time can never cause an extra fetch, so the counts the
// steps expect stay exact.
func verifySettled(t *testing.T, v *auth.Verifier, token string, srv *jwksServer, wantFetches int32) error {
	t.Helper()
	_, err := v.Verify(t.Context(), token)
	if srv.fetches.Load() < wantFetches {
		require.Eventually(t, func() bool {
			_, err = v.Verify(t.Context(), token)
			return srv.fetches.Load() >= wantFetches
		}, 5*time.Second, time.Millisecond, "the provider was never asked again")
	}
	return err
}
