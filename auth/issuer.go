package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Issuer is the token issuer built into `samverkan dev`, so a demo runs without an identity
// provider. It is for demos only: anyone who can run it can mint a token for any role. In
// production the tokens come from the region's identity provider and only Verifier is used.
type Issuer struct {
	url    string
	pub    ed25519.PublicKey
	kid    string
	signer jose.Signer
	jwks   []byte
}

// LoadOrCreateIssuer loads the Ed25519 signing key kept as PKCS#8 PEM in keyFile, creating it
// (mode 0600, in a directory created 0700) on first use, so tokens survive restarts of the demo.
// A key file that exists but cannot be read or parsed is an error, never replaced: replacing it
// would silently invalidate every token handed out.
func LoadOrCreateIssuer(keyFile, issuerURL string) (*Issuer, error) {
	if issuerURL == "" {
		return nil, errors.New("issuer url is empty")
	}
	key, err := loadKey(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(keyFile)
	}
	if err != nil {
		return nil, err
	}
	return newIssuer(key, issuerURL)
}

func newIssuer(key ed25519.PrivateKey, issuerURL string) (*Issuer, error) {
	pub := key.Public().(ed25519.PublicKey)
	kid, err := keyID(pub)
	if err != nil {
		return nil, err
	}
	// Signing through a JSONWebKey puts its key ID into every token's "kid" header.
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("issuer signer: %w", err)
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: pub, KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"},
	}})
	if err != nil {
		return nil, fmt.Errorf("encode jwks: %w", err)
	}
	return &Issuer{url: issuerURL, pub: pub, kid: kid, signer: signer, jwks: jwks}, nil
}

func loadKey(keyFile string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("read issuer key %s: %w", keyFile, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("issuer key %s: no PKCS#8 PEM block", keyFile)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("issuer key %s: %w", keyFile, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("issuer key %s: %T is not an Ed25519 key", keyFile, parsed)
	}
	return key, nil
}

func createKey(keyFile string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate issuer key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode issuer key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
		return nil, fmt.Errorf("create issuer key directory for %s: %w", keyFile, err)
	}
	// O_EXCL: if another process created the file since we looked, use its key instead of
	// overwriting it.
	f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadKey(keyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("create issuer key %s: %w", keyFile, err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		// A half-written file would be refused on the next start; remove it so that start
		// creates a fresh key instead.
		_ = os.Remove(keyFile)
		return nil, fmt.Errorf("write issuer key %s: %w", keyFile, werr)
	}
	return key, nil
}

// Sign mints a token for c.User acting as c.Role in c.Unit (c.Name is optional), valid for
// audience from now until now+ttl. c.Issuer, c.Audience and the times in c are ignored.
func (i *Issuer) Sign(c Claims, audience string, ttl time.Duration, now time.Time) (string, error) {
	tc := tokenClaims{
		Claims: jwt.Claims{
			Issuer:    i.url,
			Subject:   c.User,
			Audience:  jwt.Audience{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			Expiry:    jwt.NewNumericDate(now.Add(ttl)),
		},
		Name: c.Name,
		Role: c.Role,
		Unit: c.Unit,
	}
	// Refuse to mint what every verifier would reject, so the mistake shows where it was made.
	if claim := tc.missing(); claim != "" {
		return "", fmt.Errorf("sign token: claim %s is empty", claim)
	}
	if audience == "" || ttl <= 0 {
		return "", errors.New("sign token: audience must be set and ttl positive")
	}
	s, err := jwt.Signed(i.signer).Claims(tc).Serialize()
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// SignIDToken mints the OpenID Connect ID token of a login (OpenID Connect Core §2): for the client
// that asked, with the nonce it sent, and with the same identity claims as the access token, so
// the client knows who logged in and in which assignment without reading the access token.
func (i *Issuer) SignIDToken(c Claims, clientID, nonce string, ttl time.Duration, now time.Time) (string, error) {
	if clientID == "" || nonce == "" || ttl <= 0 {
		return "", errors.New("sign id token: client, nonce and a positive ttl are required")
	}
	tc := idTokenClaims{
		tokenClaims: tokenClaims{
			Claims: jwt.Claims{Issuer: i.url, Subject: c.User, Audience: jwt.Audience{clientID},
				IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(ttl))},
			Name: c.Name, Role: c.Role, Unit: c.Unit,
		},
		Nonce: nonce,
	}
	if claim := tc.missing(); claim != "" {
		return "", fmt.Errorf("sign id token: claim %s is empty", claim)
	}
	s, err := jwt.Signed(i.signer).Claims(tc).Serialize()
	if err != nil {
		return "", fmt.Errorf("sign id token: %w", err)
	}
	return s, nil
}

type idTokenClaims struct {
	tokenClaims
	Nonce string `json:"nonce"`
}

// Issuer is the "iss" this issuer puts in its tokens.
func (i *Issuer) Issuer() string { return i.url }

// KeyID is the "kid" this issuer puts in its tokens: the RFC 7638 thumbprint of its public key.
func (i *Issuer) KeyID() string { return i.kid }

// JWKS is the issuer's public key as a JSON Web Key Set, to serve at the URL verifiers fetch.
func (i *Issuer) JWKS() []byte { return append([]byte(nil), i.jwks...) }

// KeySet lets a Verifier in the same process check this issuer's tokens without HTTP.
func (i *Issuer) KeySet() KeySet { return NewStaticKeySet(i.pub) }
