package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCSettings say where users log in: the front end is an OpenID Connect relying party of Issuer
// (authorization code flow with PKCE), registered there as ClientID.
type OIDCSettings struct {
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone), as the dev issuer's is
	// AuthURL, TokenURL and JWKSURL, when all set, are used instead of the issuer's discovery
	// document – `samverkan dev` sets them to its issuer beside the API. AuthURL may be a path on
	// this host, which the browser resolves.
	AuthURL, TokenURL, JWKSURL string
	// HTTPClient makes the back-channel calls (discovery, keys, the token exchange); nil: a client
	// with a 10 s timeout.
	HTTPClient *http.Client
	// Algorithms the ID token may be signed with; nil: EdDSA, RS256 and ES256.
	Algorithms []string
}

// loginState is what a login under way must remember between leaving for the issuer and coming
// back: the state and nonce it sent, the PKCE verifier it kept, and where the user was going.
type loginState struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	ReturnTo string `json:"returnTo"`
	// DraftPath and Draft are a form posted after the old session ended (session.Drafts).
	DraftPath string     `json:"draftPath,omitempty"`
	Draft     url.Values `json:"draft,omitempty"`
}

// relyingParty is the front end's side of OpenID Connect, set up at the first login (the issuer
// may not answer when the front end starts) and kept.
type relyingParty struct {
	settings OIDCSettings
	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

func (rp *relyingParty) client() *http.Client {
	if rp.settings.HTTPClient != nil {
		return rp.settings.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func (rp *relyingParty) setUp(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.provider != nil {
		return rp.provider, rp.verifier, nil
	}
	s := rp.settings
	algs := s.Algorithms
	if algs == nil {
		algs = []string{oidc.EdDSA, oidc.RS256, oidc.ES256}
	}
	ctx = oidc.ClientContext(ctx, rp.client())
	var provider *oidc.Provider
	if s.AuthURL != "" && s.TokenURL != "" && s.JWKSURL != "" {
		provider = (&oidc.ProviderConfig{IssuerURL: s.Issuer, AuthURL: s.AuthURL, TokenURL: s.TokenURL,
			JWKSURL: s.JWKSURL, Algorithms: algs}).NewProvider(ctx)
	} else {
		var err error
		if provider, err = oidc.NewProvider(ctx, s.Issuer); err != nil {
			return nil, nil, fmt.Errorf("discover the identity provider %s: %w", s.Issuer, err)
		}
	}
	// The key set fetches with the client of the context it was made with, for as long as it lives.
	rp.provider = provider
	rp.verifier = provider.Verifier(&oidc.Config{ClientID: s.ClientID, SupportedSigningAlgs: algs})
	return rp.provider, rp.verifier, nil
}

func (rp *relyingParty) oauth2Config(provider *oidc.Provider, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: rp.settings.ClientID, ClientSecret: rp.settings.ClientSecret,
		Endpoint: provider.Endpoint(), RedirectURL: redirectURL, Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

// authCodeURL starts a login: where to send the browser, with a fresh state, nonce and PKCE
// challenge whose secrets go into st.
func (rp *relyingParty) authCodeURL(ctx context.Context, redirectURL string, st *loginState) (string, error) {
	provider, _, err := rp.setUp(ctx)
	if err != nil {
		return "", err
	}
	st.State, st.Nonce, st.Verifier = randomToken(), randomToken(), oauth2.GenerateVerifier()
	return rp.oauth2Config(provider, redirectURL).AuthCodeURL(st.State, oauth2.S256ChallengeOption(st.Verifier),
		oidc.Nonce(st.Nonce)), nil
}

// identity is who logged in, in which assignment, with the token that acts for them.
type identity struct {
	User, Name, Role, Unit string
	AccessToken            string
	Expiry                 time.Time
}

var errLoginRefused = errors.New("the identity provider's answer does not complete this login")

// finish completes a login: the code is exchanged with the PKCE verifier, and the ID token must be
// the issuer's, for this client, with the nonce of this login.
func (rp *relyingParty) finish(ctx context.Context, redirectURL string, st *loginState, query url.Values) (identity, error) {
	if query.Get("error") != "" || query.Get("state") == "" || query.Get("state") != st.State {
		return identity{}, errLoginRefused
	}
	provider, verifier, err := rp.setUp(ctx)
	if err != nil {
		return identity{}, err
	}
	ctx = oidc.ClientContext(ctx, rp.client())
	tok, err := rp.oauth2Config(provider, redirectURL).Exchange(ctx, query.Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return identity{}, fmt.Errorf("exchange the code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idToken, err := verifier.Verify(ctx, raw)
	if err != nil {
		return identity{}, fmt.Errorf("verify the id token: %w", err)
	}
	if idToken.Nonce != st.Nonce {
		return identity{}, errLoginRefused
	}
	var claims struct{ Name, Role, Unit string }
	if err := idToken.Claims(&claims); err != nil {
		return identity{}, fmt.Errorf("read the id token: %w", err)
	}
	if claims.Role == "" || claims.Unit == "" {
		// The API reads the role and unit from the access token; an issuer that puts them only there
		// is read there too – for display only, the API verifies the token on every call.
		claims.Role, claims.Unit = accessTokenAssignment(tok.AccessToken)
	}
	expiry := tok.Expiry
	if expiry.IsZero() || idToken.Expiry.Before(expiry) {
		expiry = idToken.Expiry
	}
	return identity{User: idToken.Subject, Name: claims.Name, Role: claims.Role, Unit: claims.Unit,
		AccessToken: tok.AccessToken, Expiry: expiry}, nil
}

// accessTokenAssignment reads role and unit from a JWT access token's payload without verifying
// it: only to show them; whatever the token really says is what the API acts on.
func accessTokenAssignment(token string) (role, unit string) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", ""
	}
	var c struct{ Role, Unit string }
	_ = json.Unmarshal(payload, &c)
	return c.Role, c.Unit
}
