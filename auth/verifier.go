package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

const (
	// leeway absorbs clock skew between the identity provider and us.
	leeway = 30 * time.Second

	// maxTokenBytes bounds the work one request can cause before its signature is checked.
	// Real tokens, even from identity providers that add group lists, stay far below it.
	maxTokenBytes = 16 << 10
)

// Verifier checks bearer tokens for one issuer and one audience. It is safe for concurrent use.
type Verifier struct {
	now  func() time.Time
	oidc *oidc.IDTokenVerifier // nil when the verifier lacks issuer, audience or keys
}

// VerifierOption configures a Verifier.
type VerifierOption func(*Verifier)

// WithClock replaces time.Now, so tests can check expiry to the second.
func WithClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) { v.now = now }
}

// NewVerifier returns a Verifier accepting tokens whose "iss" equals issuer, whose "aud"
// contains audience, that carry sub, role, unit and exp, and that are signed by a key from keys
// with EdDSA, RS256 or ES256; exp and nbf get 30 s of leeway. An empty issuer or audience or a
// nil key set makes every Verify fail with KindUnavailable rather than accept too much.
func NewVerifier(issuer, audience string, keys KeySet, opts ...VerifierOption) *Verifier {
	v := &Verifier{now: time.Now}
	for _, o := range opts {
		o(v)
	}
	if issuer == "" || audience == "" || keys == nil {
		return v
	}
	v.oidc = oidc.NewVerifier(issuer, observedKeySet{keys}, &oidc.Config{
		ClientID:             audience,
		SupportedSigningAlgs: allowedAlgs,
		// go-oidc checks expiry without leeway and nbf with five minutes; checkClaims applies our
		// 30 s to both, after issuer and audience, so that KindExpired is only said of a token
		// that a fresh one of the same kind would replace.
		SkipExpiryCheck: true,
		Now:             v.now,
	})
	return v
}

// Verify checks token and returns who it says acts. Every failure is an *Error.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	switch {
	case v.oidc == nil:
		return Claims{}, &Error{Kind: KindUnavailable, Reason: "verifier has no issuer, audience or keys"}
	case token == "":
		return Claims{}, invalid("no token", nil)
	case len(token) > maxTokenBytes:
		return Claims{}, invalid("token too long", nil)
	case strings.Count(token, ".") != 2:
		// Only the compact form is a bearer token; go-jose would also parse JWS JSON.
		return Claims{}, invalid("malformed token", nil)
	}
	var sig signatureCheck
	idToken, err := v.oidc.Verify(context.WithValue(ctx, signatureCheckKey{}, &sig), token)
	if err != nil {
		return Claims{}, classify(&sig, err)
	}
	var tc tokenClaims
	if err := idToken.Claims(&tc); err != nil {
		return Claims{}, invalid("malformed claims", err)
	}
	if err := v.checkClaims(&tc); err != nil {
		return Claims{}, err
	}
	c := Claims{
		User: tc.Subject, Name: tc.Name, Role: tc.Role, Unit: tc.Unit,
		Issuer: idToken.Issuer, Audience: idToken.Audience, ExpiresAt: idToken.Expiry,
	}
	if tc.IssuedAt != nil {
		c.IssuedAt = tc.IssuedAt.Time()
	}
	return c, nil
}

// signatureCheck records what the key set said about a token during one go-oidc Verify. go-oidc
// flattens the key set's error into text; kept here, it still tells a provider that cannot be
// reached (not the caller's fault) from a signature that does not verify, and both from a token
// that failed before or after its signature was checked.
type signatureCheck struct {
	done bool
	err  error
}

type signatureCheckKey struct{}

// observedKeySet passes signature checks on to keys and records their outcome in the context.
type observedKeySet struct{ keys KeySet }

func (o observedKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := o.keys.VerifySignature(ctx, jwt)
	if sig, ok := ctx.Value(signatureCheckKey{}).(*signatureCheck); ok {
		sig.done, sig.err = true, err
	}
	return payload, err
}

// classify turns go-oidc's error into ours. go-oidc checks, in order: the token's form and
// algorithm, the signature, then issuer and audience.
func classify(sig *signatureCheck, err error) *Error {
	var fetchErr *fetchError
	switch {
	case !sig.done:
		return invalid("malformed token or algorithm not allowed", err)
	case errors.As(sig.err, &fetchErr), errors.Is(sig.err, context.DeadlineExceeded), errors.Is(sig.err, context.Canceled):
		return &Error{Kind: KindUnavailable, Reason: "signing keys unavailable", Err: sig.err}
	case sig.err != nil:
		return invalid("bad signature or unknown key", err)
	}
	return invalid("wrong issuer or audience, or unreadable claims", err)
}

// checkClaims runs after go-oidc has checked signature, issuer and audience. Expiry is checked
// last so that KindExpired tells the client that a fresh token of the same kind will work.
func (v *Verifier) checkClaims(tc *tokenClaims) error {
	now := v.now()
	switch {
	case tc.missing() != "":
		return invalid("missing claim "+tc.missing(), nil)
	case tc.Expiry == nil:
		return invalid("missing claim exp", nil)
	case tc.NotBefore != nil && now.Add(leeway).Before(tc.NotBefore.Time()):
		return invalid("token not valid yet", nil)
	case !now.Add(-leeway).Before(tc.Expiry.Time()):
		return &Error{Kind: KindExpired, Reason: "token expired"}
	}
	return nil
}
