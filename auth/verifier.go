package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	algEdDSA = "EdDSA"
	algRS256 = "RS256"
	algES256 = "ES256"

	// leeway absorbs clock skew between the identity provider and us.
	leeway = 30 * time.Second

	// maxTokenBytes bounds the work one request can cause before its signature is checked.
	// Real tokens, even from identity providers that add group lists, stay far below it.
	maxTokenBytes = 16 << 10
)

// Only asymmetric algorithms: "none" would accept unsigned tokens, and HS* would let anyone who
// knows the public key (everyone) forge tokens by using it as the HMAC secret.
var allowedAlgs = []string{algEdDSA, algRS256, algES256}

// Verifier checks bearer tokens for one issuer and one audience. It is safe for concurrent use.
type Verifier struct {
	issuer   string
	audience string
	keys     KeySet
	now      func() time.Time
	parser   *jwt.Parser
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
	v := &Verifier{issuer: issuer, audience: audience, keys: keys, now: time.Now}
	for _, o := range opts {
		o(v)
	}
	// The claims are checked by checkClaims, not by the library, so that every check has one
	// exact reason and "expired" is only said of a token that is otherwise good.
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(allowedAlgs),
		jwt.WithStrictDecoding(),
		jwt.WithoutClaimsValidation(),
	)
	return v
}

// Verify checks token and returns who it says acts. Every failure is an *Error.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	if v.issuer == "" || v.audience == "" || v.keys == nil {
		return Claims{}, &Error{Kind: KindUnavailable, Reason: "verifier has no issuer, audience or keys"}
	}
	if token == "" {
		return Claims{}, invalid("no token", nil)
	}
	if len(token) > maxTokenBytes {
		return Claims{}, invalid("token too long", nil)
	}
	var tc tokenClaims
	var keyErr error // kept apart so a key-set failure is not mistaken for a bad token
	_, err := v.parser.ParseWithClaims(token, &tc, func(t *jwt.Token) (any, error) {
		key, err := v.key(ctx, t)
		keyErr = err
		return key, err
	})
	switch {
	case keyErr != nil && !errors.Is(keyErr, ErrUnknownKey) && !errors.Is(keyErr, errKeyMismatch):
		return Claims{}, &Error{Kind: KindUnavailable, Reason: "signing keys unavailable", Err: keyErr}
	case keyErr != nil:
		return Claims{}, invalid("no matching key", keyErr)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return Claims{}, invalid("bad signature or algorithm", err)
	case err != nil:
		return Claims{}, invalid("malformed token", err)
	}
	if err := v.checkClaims(&tc); err != nil {
		return Claims{}, err
	}
	return tc.claims(), nil
}

var errKeyMismatch = errors.New("kid header is not a string, or key does not fit alg")

// key looks up the token's key and checks that it is of the kind its alg needs. The library
// would also refuse a mismatched key, but checking here keeps the rule in one visible place.
func (v *Verifier) key(ctx context.Context, t *jwt.Token) (crypto.PublicKey, error) {
	kid := ""
	if raw, ok := t.Header["kid"]; ok {
		s, isString := raw.(string)
		if !isString {
			return nil, errKeyMismatch
		}
		kid = s
	}
	key, err := v.keys.Key(ctx, kid)
	if err != nil {
		return nil, err
	}
	if !keyFits(t.Method.Alg(), key) {
		return nil, errKeyMismatch
	}
	return key, nil
}

func keyFits(alg string, key crypto.PublicKey) bool {
	switch k := key.(type) {
	case ed25519.PublicKey:
		return alg == algEdDSA
	case *rsa.PublicKey:
		return alg == algRS256
	case *ecdsa.PublicKey:
		return alg == algES256 && k.Curve == elliptic.P256()
	}
	return false
}

// checkClaims runs after the signature is known to be good. Expiry is checked last so that
// KindExpired tells the client that a fresh token of the same kind will work.
func (v *Verifier) checkClaims(tc *tokenClaims) error {
	now := v.now()
	switch {
	case tc.Issuer != v.issuer:
		return invalid("wrong issuer", nil)
	case !slices.Contains(tc.Audience, v.audience):
		return invalid("wrong audience", nil)
	case tc.missing() != "":
		return invalid("missing claim "+tc.missing(), nil)
	case tc.ExpiresAt == nil:
		return invalid("missing claim exp", nil)
	case tc.NotBefore != nil && now.Add(leeway).Before(tc.NotBefore.Time):
		return invalid("token not valid yet", nil)
	case !now.Add(-leeway).Before(tc.ExpiresAt.Time):
		return &Error{Kind: KindExpired, Reason: "token expired"}
	}
	return nil
}
