package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

const (
	// refetchInterval is the least time between two fetches of the JWKS. An identity provider
	// that rotates keys publishes the new key before using it, so a token with an unknown kid
	// triggers a refetch – but at most this often, so a flood of forged kids cannot turn us
	// into a tool for hammering the provider.
	refetchInterval = time.Minute
	fetchTimeout    = 5 * time.Second
	maxJWKSBytes    = 1 << 20
)

// RemoteKeySet is the KeySet of an identity provider that publishes its signing keys as a JWKS at
// a URL: go-oidc's RemoteKeySet, which caches the keys and fetches them again when a token names
// one it does not know. It is safe for concurrent use.
//
// go-oidc fetches again after every signature that does not verify, without limit, and quotes
// the provider's answer in its errors. So its fetches go through jwksFetcher instead of straight
// to the network: at most one a minute, each bounded in time and size, and only a set that holds
// keys samverkan trusts reaches go-oidc.
type RemoteKeySet struct {
	keys    *oidc.RemoteKeySet
	fetcher *jwksFetcher
}

// RemoteOption configures a RemoteKeySet.
type RemoteOption func(*RemoteKeySet)

// WithRemoteClock replaces time.Now for the refetch limit, so tests need not wait a minute.
func WithRemoteClock(now func() time.Time) RemoteOption {
	return func(r *RemoteKeySet) { r.fetcher.now = now }
}

// NewRemoteKeySet returns a KeySet reading jwksURL with client (http.DefaultClient if nil).
// Each fetch is bounded to 5 s and 1 MiB whatever the client's own settings.
func NewRemoteKeySet(jwksURL string, client *http.Client, opts ...RemoteOption) *RemoteKeySet {
	if client == nil {
		client = http.DefaultClient
	}
	r := &RemoteKeySet{fetcher: &jwksFetcher{url: jwksURL, client: client, now: time.Now, timeout: fetchTimeout}}
	for _, o := range opts {
		o(r)
	}
	// go-oidc takes its HTTP client from the context it is made with; it ignores its cancellation.
	ctx := oidc.ClientContext(context.Background(), &http.Client{Transport: r.fetcher})
	r.keys = oidc.NewRemoteKeySet(ctx, jwksURL)
	return r
}

// VerifySignature checks jwt's signature with the provider's keys. While the provider cannot be
// reached, a token whose key is not cached fails with an error wrapping *fetchError, which the
// Verifier reports as KindUnavailable instead of blaming the caller's token.
func (r *RemoteKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	return r.keys.VerifySignature(ctx, jwt)
}

// fetchError says the provider's keys could not be had: unreachable, a bad answer, or no key in
// it that samverkan trusts.
type fetchError struct {
	url string
	err error
}

func (e *fetchError) Error() string { return "fetch jwks " + e.url + ": " + e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// jwksFetcher is the http.RoundTripper of go-oidc's RemoteKeySet. Whatever go-oidc asks for, it
// fetches the JWKS at most once per refetchInterval and otherwise answers with the outcome of the
// last fetch: the trusted keys, or the error.
type jwksFetcher struct {
	url     string
	client  *http.Client
	now     func() time.Time
	timeout time.Duration

	mu          sync.Mutex // one fetch at a time; guards the fields below
	attempted   bool
	attemptedAt time.Time
	body        []byte // the trusted keys of the last good fetch, as a JWKS
	err         error  // the last fetch's error, if it failed
}

func (f *jwksFetcher) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := f.now(); !f.attempted || now.Sub(f.attemptedAt) >= refetchInterval {
		f.attempted, f.attemptedAt = true, now
		body, err := f.fetch(req.Context())
		if err != nil {
			// go-oidc keeps the keys it had: tokens signed with them stay good while the
			// provider is down.
			f.err = &fetchError{url: f.url, err: err}
		} else {
			f.body, f.err = body, nil
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(f.body)),
		ContentLength: int64(len(f.body)),
		Request:       req,
	}, nil
}

func (f *jwksFetcher) fetch(ctx context.Context) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxJWKSBytes {
		return nil, errors.New("body larger than 1 MiB")
	}
	keys, err := trustedKeys(body)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jose.JSONWebKeySet{Keys: keys})
}

// trustedKeys are the public signing keys of a JWKS that samverkan accepts, each parsed by
// go-jose. Keys that are not for signatures, of a type, curve, size or algorithm the verifier
// does not accept, or malformed are skipped rather than failing the whole set: identity providers
// also publish encryption keys and other algorithms, and one odd key must not lock every user
// out. Symmetric ("oct") keys are never accepted – a public document cannot hold a secret. A set
// with no trusted key is an error.
func trustedKeys(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("decode jwks: %w", err)
	}
	var keys []jose.JSONWebKey
	var firstSkip error
	for i, raw := range set.Keys {
		k, err := trustedKey(raw)
		if err != nil {
			if firstSkip == nil {
				firstSkip = fmt.Errorf("key %d (kid %.64q): %w", i, k.KeyID, err)
			}
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		if firstSkip != nil {
			return nil, fmt.Errorf("jwks has no usable signing key; %w", firstSkip)
		}
		return nil, errors.New("jwks has no usable signing key")
	}
	return keys, nil
}

// trustedKey parses one key and returns its public half, or why it is not trusted (with the key
// ID when it could be read).
func trustedKey(raw json.RawMessage) (jose.JSONWebKey, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		var meta struct {
			Kid string `json:"kid"`
		}
		_ = json.Unmarshal(raw, &meta)
		return jose.JSONWebKey{KeyID: meta.Kid}, err
	}
	id := jose.JSONWebKey{KeyID: k.KeyID}
	if k.Use != "" && k.Use != "sig" {
		return id, fmt.Errorf("use %.16q is not sig", k.Use)
	}
	pub := k.Public()
	if !pub.Valid() || !pub.IsPublic() {
		return id, errors.New("not an asymmetric key")
	}
	alg, err := algFor(pub.Key)
	if err != nil {
		return id, err
	}
	if k.Algorithm != "" && k.Algorithm != string(alg) {
		return id, fmt.Errorf("unsupported alg %.16q for this key", k.Algorithm)
	}
	return jose.JSONWebKey{Key: pub.Key, KeyID: k.KeyID, Algorithm: string(alg), Use: "sig"}, nil
}
