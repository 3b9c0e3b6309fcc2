package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// KeySet checks a token's signature against the keys of one issuer and returns the signed
// payload. It is go-oidc's KeySet: oidc.StaticKeySet and oidc.RemoteKeySet fit as they are, and
// the Verifier checks the algorithm, issuer, audience and lifetime, not the key set.
type KeySet interface {
	VerifySignature(ctx context.Context, jwt string) (payload []byte, err error)
}

var _ KeySet = oidc.KeySet(nil)

// NewStaticKeySet is a fixed set of public keys handed over in process – the built-in issuer's, or
// keys a test makes: ed25519.PublicKey, *rsa.PublicKey or *ecdsa.PublicKey. A token is accepted if
// any of them verifies its signature under the algorithm the Verifier allowed; its "kid" is not
// consulted, since there is nothing to look up.
func NewStaticKeySet(keys ...crypto.PublicKey) KeySet {
	return &oidc.StaticKeySet{PublicKeys: keys}
}

// Only asymmetric algorithms, one per kind of key: "none" would accept unsigned tokens, and HS*
// would let anyone who knows the public key (everyone) forge tokens by using it as the HMAC secret.
var allowedAlgs = []string{string(jose.EdDSA), string(jose.RS256), string(jose.ES256)}

// minRSABits follows NIST SP 800-131A: shorter RSA keys are forgeable in practice.
const minRSABits = 2048

// algFor is the one algorithm samverkan accepts a key for, or an error for a key it does not trust.
func algFor(key crypto.PublicKey) (jose.SignatureAlgorithm, error) {
	switch k := key.(type) {
	case ed25519.PublicKey:
		if len(k) == ed25519.PublicKeySize {
			return jose.EdDSA, nil
		}
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return "", fmt.Errorf("RSA key of %d bits is shorter than %d", k.N.BitLen(), minRSABits)
		}
		return jose.RS256, nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return jose.ES256, nil
		}
		return "", fmt.Errorf("unsupported EC curve %s", k.Curve.Params().Name)
	}
	return "", fmt.Errorf("unsupported key type %T", key)
}

// keyID is the RFC 7638 JWK thumbprint of a public key, used as its key ID: it is derived from the
// key alone, so a reloaded key gets the same ID and a new key a new one.
func keyID(pub crypto.PublicKey) (string, error) {
	k := jose.JSONWebKey{Key: pub}
	sum, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}
