package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// KeySet finds the public key that should have signed a token. kid is the token's "kid" header,
// "" when it has none. An implementation returns ErrUnknownKey (possibly wrapped) when it has no
// such key; any other error means it could not look (Verify then answers KindUnavailable).
type KeySet interface {
	Key(ctx context.Context, kid string) (crypto.PublicKey, error)
}

// StaticKeySet is a fixed set of public keys by key ID: the built-in issuer's key, or keys a
// test makes. Values are ed25519.PublicKey, *rsa.PublicKey or *ecdsa.PublicKey.
type StaticKeySet map[string]crypto.PublicKey

// Key returns the key named kid. A token without kid is accepted only when the set holds a
// single key, because then there is nothing to choose between.
func (s StaticKeySet) Key(_ context.Context, kid string) (crypto.PublicKey, error) {
	if k, ok := s[kid]; ok {
		return k, nil
	}
	if kid == "" && len(s) == 1 {
		for _, k := range s {
			return k, nil
		}
	}
	return nil, ErrUnknownKey
}

// jwk is one JSON Web Key (RFC 7517/7518/8037), only the members samverkan reads or writes.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
}

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

var b64 = base64.RawURLEncoding

// parseJWKS reads the signing keys of a JWKS document. Keys that are not for signatures, of a
// type or algorithm the verifier does not accept, or malformed are skipped rather than failing
// the whole set: identity providers also publish encryption keys and other algorithms, and one
// odd key must not lock every user out. Symmetric ("oct") keys are never accepted – a public
// document cannot hold a secret. A set with no usable key is an error.
func parseJWKS(body []byte) (StaticKeySet, error) {
	var set jwkSet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("decode jwks: %w", err)
	}
	keys := StaticKeySet{}
	var firstSkip error
	for i, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			if firstSkip == nil {
				firstSkip = fmt.Errorf("key %d (kid %.64q): %w", i, k.Kid, err)
			}
			continue
		}
		if _, dup := keys[k.Kid]; !dup { // the first key with an ID wins; later ones are ambiguous
			keys[k.Kid] = pub
		}
	}
	if len(keys) == 0 {
		if firstSkip != nil {
			return nil, fmt.Errorf("jwks has no usable signing key; %w", firstSkip)
		}
		return nil, errors.New("jwks has no usable signing key")
	}
	return keys, nil
}

func (k jwk) publicKey() (crypto.PublicKey, error) {
	switch k.Kty {
	case "OKP":
		return k.ed25519Key()
	case "EC":
		return k.ecKey()
	case "RSA":
		return k.rsaKey()
	}
	return nil, fmt.Errorf("unsupported key type %.16q", k.Kty)
}

// checkAlg rejects a key pinned to an algorithm other than the one the verifier would use it with.
func (k jwk) checkAlg(want string) error {
	if k.Alg != "" && k.Alg != want {
		return fmt.Errorf("unsupported alg %.16q for kty %s", k.Alg, k.Kty)
	}
	return nil
}

func (k jwk) ed25519Key() (crypto.PublicKey, error) {
	if err := k.checkAlg(algEdDSA); err != nil {
		return nil, err
	}
	if k.Crv != "Ed25519" {
		return nil, fmt.Errorf("unsupported OKP curve %.16q", k.Crv)
	}
	x, err := b64.DecodeString(k.X)
	if err != nil || len(x) != ed25519.PublicKeySize {
		return nil, errors.New("bad Ed25519 x")
	}
	return ed25519.PublicKey(x), nil
}

func (k jwk) ecKey() (crypto.PublicKey, error) {
	if err := k.checkAlg(algES256); err != nil {
		return nil, err
	}
	if k.Crv != "P-256" {
		return nil, fmt.Errorf("unsupported EC curve %.16q", k.Crv)
	}
	x, errX := b64.DecodeString(k.X)
	y, errY := b64.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("bad P-256 coordinates")
	}
	// ParseUncompressedPublicKey checks that the point is on the curve, which guards against
	// invalid-curve attacks.
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("bad P-256 point: %w", err)
	}
	return pub, nil
}

// minRSABits follows NIST SP 800-131A: shorter RSA keys are forgeable in practice.
const minRSABits = 2048

func (k jwk) rsaKey() (crypto.PublicKey, error) {
	if err := k.checkAlg(algRS256); err != nil {
		return nil, err
	}
	n, errN := b64.DecodeString(k.N)
	e, errE := b64.DecodeString(k.E)
	if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("bad RSA n or e")
	}
	mod := new(big.Int).SetBytes(n)
	if mod.BitLen() < minRSABits {
		return nil, fmt.Errorf("RSA key of %d bits is shorter than %d", mod.BitLen(), minRSABits)
	}
	exp := int(new(big.Int).SetBytes(e).Int64())
	if exp < 3 || exp%2 == 0 {
		return nil, errors.New("bad RSA exponent")
	}
	return &rsa.PublicKey{N: mod, E: exp}, nil
}

// ed25519JWK is the public half of the built-in issuer's key as published in its JWKS.
func ed25519JWK(pub ed25519.PublicKey) jwk {
	return jwk{Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(pub), Kid: thumbprint(pub), Alg: algEdDSA, Use: "sig"}
}

// thumbprint is the RFC 7638 JWK thumbprint of an Ed25519 key, used as its key ID: it is
// derived from the key alone, so a reloaded key gets the same ID and a new key a new one.
func thumbprint(pub ed25519.PublicKey) string {
	// RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
	canonical := `{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(pub) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return b64.EncodeToString(sum[:])
}
