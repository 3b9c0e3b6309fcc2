package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The dev login's paths beside the API, where an identity provider would serve them.
const (
	DevAuthorizePath = "/dev-idp/authorize"
	DevTokenPath     = "/dev-idp/token"
	DevJWKSPath      = "/.well-known/jwks.json"
	DevDiscoveryPath = "/.well-known/openid-configuration"
)

// devCodeTTL bounds how long an authorization code may wait for its exchange: the browser comes
// straight back, so a minute is plenty (RFC 6749 §4.1.2 recommends at most ten).
const devCodeTTL = time.Minute

// DevLogin is the authorization server of the dev issuer: OpenID Connect's authorization code
// flow with PKCE (RFC 7636, S256 only), so that the web front end logs in against `samverkan dev`
// exactly as it logs in against the region's identity provider. Its authorize page lets anyone
// pick any demo user and any of the user's assignments – it is for demos only, like Issuer.
//
// Codes are single-use (deleted at their first exchange, successful or not), live a minute, and
// are bound to the client, the redirect URI and the PKCE challenge they were issued for.
type DevLogin struct {
	Issuer *Issuer
	// ClientID is the one client it serves: the web front end, a public client (PKCE, no secret).
	ClientID string
	// Audience is the "aud" of the access tokens it hands out: the API's.
	Audience string
	// TokenTTL is how long its access and ID tokens are valid.
	TokenTTL time.Duration
	// Users lists who may log in, with the assignments each may act in (the directory's).
	Users func(ctx context.Context) ([]DevUser, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	codes map[string]devCode
}

// DevUser is a demo user on the authorize page.
type DevUser struct {
	ID          string
	Name        string
	Title       string
	Assignments []DevAssignment
}

// DevAssignment is one role in one unit a user may act in, with the words the page shows.
type DevAssignment struct {
	Role      string
	RoleLabel string
	Unit      string
	UnitName  string
}

type devCode struct {
	request   authorizeRequest
	claims    Claims
	expiresAt time.Time
}

// authorizeRequest is what an authorization request asks for; the page carries it to its POST.
type authorizeRequest struct {
	ClientID, RedirectURI, State, Nonce, Challenge, Scope string
}

func (d *DevLogin) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Discovery is the OpenID Provider metadata (OpenID Connect Discovery 1.0 §3) for a provider
// reached at base (scheme and host, as the caller reached us).
func (d *DevLogin) Discovery(base string) []byte {
	doc, _ := json.Marshal(map[string]any{
		"issuer":                                d.Issuer.Issuer(),
		"authorization_endpoint":                base + DevAuthorizePath,
		"token_endpoint":                        base + DevTokenPath,
		"jwks_uri":                              base + DevJWKSPath,
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"EdDSA"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"scopes_supported":                      []string{"openid", "profile"},
		"claims_supported":                      []string{"sub", "name", "role", "unit"},
	})
	return doc
}

// readAuthorizeRequest checks an authorization request. Its errors are shown on the page, never
// sent to the redirect URI, since that URI may be the thing that is wrong.
func (d *DevLogin) readAuthorizeRequest(r *http.Request, form url.Values) (authorizeRequest, error) {
	req := authorizeRequest{ClientID: form.Get("client_id"), RedirectURI: form.Get("redirect_uri"),
		State: form.Get("state"), Nonce: form.Get("nonce"), Challenge: form.Get("code_challenge"), Scope: form.Get("scope")}
	switch {
	case form.Get("response_type") != "code":
		return req, errors.New("response_type ska vara code")
	case req.ClientID == "" || req.ClientID != d.ClientID:
		return req, errors.New("okänd klient (client_id)")
	case !redirectOnSameHost(req.RedirectURI, r.Host):
		return req, errors.New("redirect_uri ska vara en adress på samma värd som inloggningen")
	case req.State == "" || req.Nonce == "":
		return req, errors.New("state och nonce krävs")
	case form.Get("code_challenge_method") != "S256" || len(req.Challenge) < 43:
		return req, errors.New("PKCE krävs: code_challenge med code_challenge_method S256")
	case !strings.Contains(" "+req.Scope+" ", " openid "):
		return req, errors.New("scope ska innehålla openid")
	}
	return req, nil
}

// redirectOnSameHost keeps the dev login from sending a code to another site: the front end is
// served beside it in dev.
func redirectOnSameHost(raw, host string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host == host && u.Fragment == ""
}

// issueCode stores a code for claims and returns it.
func (d *DevLogin) issueCode(req authorizeRequest, claims Claims) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	code := base64.RawURLEncoding.EncodeToString(b)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.codes == nil {
		d.codes = map[string]devCode{}
	}
	now := d.now()
	for c, v := range d.codes { // a handful at most: drop the stale ones
		if now.After(v.expiresAt) {
			delete(d.codes, c)
		}
	}
	d.codes[code] = devCode{request: req, claims: claims, expiresAt: now.Add(devCodeTTL)}
	return code
}

// takeCode removes the code and returns what it was issued for: a code is spent by its first
// exchange, whatever the outcome, so a stolen or replayed code is worth nothing.
func (d *DevLogin) takeCode(code string) (devCode, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.codes[code]
	delete(d.codes, code)
	if !ok || d.now().After(c.expiresAt) {
		return devCode{}, false
	}
	return c, true
}

// Token is the token endpoint (RFC 6749 §4.1.3 with RFC 7636 §4.6): a code and its verifier for an
// access token to the API and an ID token to the client.
func (d *DevLogin) Token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	form := r.PostForm
	code, ok := d.takeCode(form.Get("code"))
	clientID := form.Get("client_id")
	if id, _, basic := r.BasicAuth(); basic {
		clientID = id
	}
	if !ok || clientID != code.request.ClientID || form.Get("redirect_uri") != code.request.RedirectURI ||
		!pkceMatches(form.Get("code_verifier"), code.request.Challenge) {
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := d.now()
	access, err := d.Issuer.Sign(code.claims, d.Audience, d.TokenTTL, now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error")
		return
	}
	id, err := d.Issuer.SignIDToken(code.claims, code.request.ClientID, code.request.Nonce, d.TokenTTL, now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "token_type": "Bearer",
		"expires_in": int(d.TokenTTL.Seconds()), "id_token": id, "scope": code.request.Scope})
}

// pkceMatches is RFC 7636's S256 check, in constant time.
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}
