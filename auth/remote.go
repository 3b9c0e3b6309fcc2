package auth

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
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

// RemoteKeySet is the KeySet of an identity provider that publishes its signing keys as a
// JWKS at a URL. It fetches the keys on first use and caches them. It is safe for concurrent use.
type RemoteKeySet struct {
	url     string
	client  *http.Client
	now     func() time.Time
	timeout time.Duration

	mu   sync.RWMutex // guards keys
	keys StaticKeySet

	fetchMu     sync.Mutex // one fetch at a time; guards the fields below
	attempted   bool
	attemptedAt time.Time
	lastErr     error
}

// RemoteOption configures a RemoteKeySet.
type RemoteOption func(*RemoteKeySet)

// WithRemoteClock replaces time.Now for the refetch limit, so tests need not wait a minute.
func WithRemoteClock(now func() time.Time) RemoteOption {
	return func(r *RemoteKeySet) { r.now = now }
}

// NewRemoteKeySet returns a KeySet reading jwksURL with client (http.DefaultClient if nil).
// Each fetch is bounded to 5 s and 1 MiB whatever the client's own settings.
func NewRemoteKeySet(jwksURL string, client *http.Client, opts ...RemoteOption) *RemoteKeySet {
	if client == nil {
		client = http.DefaultClient
	}
	r := &RemoteKeySet{url: jwksURL, client: client, now: time.Now, timeout: fetchTimeout}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Key returns the key named kid, fetching the JWKS if it is not cached and the last fetch is at
// least a minute old. While the provider cannot be reached it returns an error that is not
// ErrUnknownKey, so Verify answers KindUnavailable instead of blaming the caller's token.
func (r *RemoteKeySet) Key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	if k, err := r.cached(ctx, kid); err == nil {
		return k, nil
	}
	r.fetchMu.Lock()
	defer r.fetchMu.Unlock()
	// Requests that waited for the lock are usually here for the same new key; the fetch that
	// just ended may have brought it.
	if k, err := r.cached(ctx, kid); err == nil {
		return k, nil
	}
	now := r.now()
	if r.attempted && now.Sub(r.attemptedAt) < refetchInterval {
		if r.lastErr != nil {
			return nil, r.lastErr
		}
		return nil, ErrUnknownKey
	}
	r.attempted, r.attemptedAt = true, now
	keys, err := r.fetch(ctx)
	if err != nil {
		// Keep the keys we had: tokens signed with them stay good while the provider is down.
		r.lastErr = fmt.Errorf("fetch jwks %s: %w", r.url, err)
		return nil, r.lastErr
	}
	r.lastErr = nil
	r.mu.Lock()
	r.keys = keys
	r.mu.Unlock()
	return keys.Key(ctx, kid)
}

func (r *RemoteKeySet) cached(ctx context.Context, kid string) (crypto.PublicKey, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.keys.Key(ctx, kid) // a nil StaticKeySet holds no keys
}

func (r *RemoteKeySet) fetch(ctx context.Context) (StaticKeySet, error) {
	// The fetch serves every waiting request and sets the refetch clock, so it must not be cut
	// short because the one request that started it went away; hence WithoutCancel.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := r.client.Do(req)
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
	return parseJWKS(body)
}
