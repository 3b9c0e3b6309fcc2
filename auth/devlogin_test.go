package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/samverkan/samverkan/auth"
)

// devProvider serves a DevLogin as `samverkan dev` does, with its issuer named by its own URL so
// that go-oidc's discovery accepts it, and a client whose redirect URI is on the same host.
type devProvider struct {
	srv    *httptest.Server
	login  *auth.DevLogin
	client *oauth2.Config
	clock  time.Time
}

func newDevProvider(t *testing.T) *devProvider {
	t.Helper()
	p := &devProvider{clock: time.Now()}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	issuer, err := auth.LoadOrCreateIssuer(filepath.Join(t.TempDir(), "issuer.pem"), p.srv.URL)
	require.NoError(t, err)
	p.login = &auth.DevLogin{Issuer: issuer, ClientID: "samverkan-web", Audience: "samverkan", TokenTTL: time.Hour,
		Now: func() time.Time { return p.clock },
		Users: func(context.Context) ([]auth.DevUser, error) {
			return []auth.DevUser{{ID: "david.chef", Name: "David Chef", Title: "Verksamhetschef", Assignments: []auth.DevAssignment{
				{Role: "supervisor", RoleLabel: "chef", Unit: "norrkoping-forskola-1", UnitName: "Förskola 1"},
				{Role: "supervisor", RoleLabel: "chef", Unit: "norrkoping-skola-1", UnitName: "Skola 1"},
			}}}, nil
		}}
	mux.HandleFunc(auth.DevAuthorizePath, p.login.Authorize)
	mux.HandleFunc(auth.DevTokenPath, p.login.Token)
	mux.HandleFunc(auth.DevJWKSPath, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(issuer.JWKS()) })
	mux.HandleFunc(auth.DevDiscoveryPath, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(p.login.Discovery(p.srv.URL))
	})
	provider, err := oidc.NewProvider(t.Context(), p.srv.URL)
	require.NoError(t, err, "go-oidc discovers the dev login")
	p.client = &oauth2.Config{ClientID: "samverkan-web", Endpoint: provider.Endpoint(),
		RedirectURL: p.srv.URL + "/logga-in/klar", Scopes: []string{oidc.ScopeOpenID, "profile"}}
	return p
}

// authorize walks the browser's part: the page, then the pick; it returns the code sent back.
func (p *devProvider) authorize(t *testing.T, verifier, assignment string) string {
	t.Helper()
	authURL := p.client.AuthCodeURL("the-state", oauth2.S256ChallengeOption(verifier), oidc.Nonce("the-nonce"))
	res, err := http.Get(authURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "%s", page)
	require.Contains(t, string(page), "David Chef: chef, Skola 1")
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("assignment", assignment)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = noFollow.PostForm(p.srv.URL+auth.DevAuthorizePath, form)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/logga-in/klar", back.Path)
	require.Equal(t, "the-state", back.Query().Get("state"))
	return back.Query().Get("code")
}

func TestDevLoginIsAnAuthorizationCodeFlowWithPKCE(t *testing.T) {
	p := newDevProvider(t)
	verifier := oauth2.GenerateVerifier()

	t.Run("the picked assignment comes back in both tokens", func(t *testing.T) {
		code := p.authorize(t, verifier, "david.chef supervisor norrkoping-skola-1")
		tok, err := p.client.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
		require.NoError(t, err)
		provider, err := oidc.NewProvider(t.Context(), p.srv.URL)
		require.NoError(t, err)
		idToken, err := provider.Verifier(&oidc.Config{ClientID: "samverkan-web", SupportedSigningAlgs: []string{"EdDSA"}}).
			Verify(t.Context(), tok.Extra("id_token").(string))
		require.NoError(t, err)
		require.Equal(t, "the-nonce", idToken.Nonce)
		var claims struct{ Name, Role, Unit string }
		require.NoError(t, idToken.Claims(&claims))
		require.Equal(t, "norrkoping-skola-1", claims.Unit)
		api := auth.NewVerifier(p.srv.URL, "samverkan", p.login.Issuer.KeySet())
		got, err := api.Verify(t.Context(), tok.AccessToken)
		require.NoError(t, err, "the access token is the API's")
		require.Equal(t, auth.Claims{User: "david.chef", Name: "David Chef", Role: "supervisor", Unit: "norrkoping-skola-1"},
			auth.Claims{User: got.User, Name: got.Name, Role: got.Role, Unit: got.Unit})

		_, err = p.client.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
		require.ErrorContains(t, err, "invalid_grant", "a code is single-use")
	})
	t.Run("a wrong verifier gets nothing and spends the code", func(t *testing.T) {
		code := p.authorize(t, verifier, "david.chef supervisor norrkoping-skola-1")
		_, err := p.client.Exchange(t.Context(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		require.ErrorContains(t, err, "invalid_grant")
		_, err = p.client.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
		require.ErrorContains(t, err, "invalid_grant")
	})
	t.Run("a code older than a minute is refused", func(t *testing.T) {
		code := p.authorize(t, verifier, "david.chef supervisor norrkoping-skola-1")
		p.clock = p.clock.Add(61 * time.Second)
		_, err := p.client.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
		require.ErrorContains(t, err, "invalid_grant")
	})
}

func TestDevLoginRefusesWhatItDidNotOffer(t *testing.T) {
	p := newDevProvider(t)
	verifier := oauth2.GenerateVerifier()
	authURL, _ := url.Parse(p.client.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n")))

	t.Run("an assignment the user does not hold", func(t *testing.T) {
		form := authURL.Query()
		form.Set("assignment", "david.chef named_person norrkoping-skola-1")
		res, err := http.PostForm(p.srv.URL+auth.DevAuthorizePath, form)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusBadRequest, res.StatusCode)
	})
	for name, change := range map[string]func(url.Values){
		"a redirect to another site":  func(q url.Values) { q.Set("redirect_uri", "https://elsewhere.example/logga-in/klar") },
		"another client":              func(q url.Values) { q.Set("client_id", "someone-else") },
		"no PKCE":                     func(q url.Values) { q.Del("code_challenge") },
		"the plain PKCE method":       func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"an implicit-flow request":    func(q url.Values) { q.Set("response_type", "token") },
		"a request without any nonce": func(q url.Values) { q.Del("nonce") },
	} {
		t.Run(name, func(t *testing.T) {
			q := authURL.Query()
			change(q)
			res, err := http.Get(p.srv.URL + auth.DevAuthorizePath + "?" + q.Encode())
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			require.Equal(t, http.StatusBadRequest, res.StatusCode)
			require.True(t, strings.Contains(string(body), "Inloggningen kunde inte göras"), "%s", body)
		})
	}
}
