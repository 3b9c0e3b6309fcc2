package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
)

// TestServeAcceptsTokensOfARunningDev points a production verifier – go-oidc's remote key set, as
// `samverkan serve` builds it – at the keys `samverkan dev` publishes.
func TestServeAcceptsTokensOfARunningDev(t *testing.T) {
	issuer, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "dev-issuer.pem"), "samverkan-dev")
	require.NoError(t, err)
	api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	dev := httptest.NewServer(withDevIssuer(api, issuer, &auth.DevLogin{Issuer: issuer}))
	t.Cleanup(dev.Close)

	t.Run("the discovery document names the issuer and where its keys are", func(t *testing.T) {
		res, err := http.Get(dev.URL + "/.well-known/openid-configuration")
		require.NoError(t, err)
		defer res.Body.Close()
		var doc struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		require.NoError(t, json.NewDecoder(res.Body).Decode(&doc))
		require.Equal(t, "samverkan-dev", doc.Issuer)
		require.Equal(t, dev.URL+"/.well-known/jwks.json", doc.JWKSURI)
	})
	t.Run("a dev token verifies against the published JWKS", func(t *testing.T) {
		token, err := issuer.Sign(auth.Claims{User: "anna.larare", Role: "reporter", Unit: "norrkoping-skola-1"},
			"samverkan", time.Hour, time.Now())
		require.NoError(t, err)
		v := auth.NewVerifier("samverkan-dev", "samverkan", auth.NewRemoteKeySet(dev.URL+"/.well-known/jwks.json", dev.Client()))
		claims, err := v.Verify(t.Context(), token)
		require.NoError(t, err)
		require.Equal(t, "anna.larare", claims.User)
	})
	t.Run("every other path is the API's", func(t *testing.T) {
		res, err := http.Get(dev.URL + "/api/v1/units")
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusTeapot, res.StatusCode)
	})
	t.Run("the keys cannot be posted to", func(t *testing.T) {
		res, err := http.Post(dev.URL+"/.well-known/jwks.json", "application/json", nil)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	})
}
