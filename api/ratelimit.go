package api

import (
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
)

// RateLimit is a token bucket: PerSecond requests a second on average and Burst at once. The zero
// RateLimit is no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Two limits, one on each side of the door (docs/architecture.md §6: overload → 429):
//
//   - per client address, for requests that do not authenticate – no token, a forged or expired
//     one, an unknown path. It is charged only once the request has failed to authenticate, so
//     that a whole office behind one NAT address does not share one budget for its ordinary work.
//     While an address is over its budget, a request from it without a token is turned away at
//     once, and one with a token only when the token is not valid: an anonymous flood from the
//     office's address must not lock out its logged-in users, whose requests only their own
//     budgets limit (issue 17). Verifying a token costs a signature check, so a flood of guessed
//     tokens costs the server that much each, and still gets 429;
//   - per user, for requests that do authenticate, charged as soon as the token is verified.
//
// /healthz and /readyz are exempt (load balancers and orchestrators poll them), and so are CORS
// preflights.

const (
	// maxBuckets bounds the memory of one limit (about 200 bytes a bucket): a flood from many
	// addresses cannot grow it further.
	maxBuckets = 100_000
	// sweepEvery is how often buckets that have filled up again are dropped; a full bucket is the
	// same as none, so dropping it changes no answer.
	sweepEvery = time.Minute
	// minSweepGap keeps a full table from being swept on every request of a flood.
	minSweepGap = time.Second
)

// buckets holds one token bucket per key (a user, an address). It is safe for concurrent use.
type buckets struct {
	limit rate.Limit
	burst int
	max   int

	mu    sync.Mutex
	byKey map[string]*rate.Limiter
	swept time.Time
}

// newBuckets returns nil for the zero RateLimit: no limit.
func newBuckets(l RateLimit, maxKeys int) *buckets {
	if l.PerSecond <= 0 || l.Burst < 1 {
		return nil
	}
	return &buckets{limit: rate.Limit(l.PerSecond), burst: l.Burst, max: maxKeys, byKey: map[string]*rate.Limiter{}}
}

// allow takes a token from key's bucket at now, or says how long until there is one.
func (b *buckets) allow(key string, now time.Time) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	lim, ok := b.byKey[key]
	if !ok {
		b.makeRoom(now)
		lim = rate.NewLimiter(b.limit, b.burst)
		b.byKey[key] = lim
	}
	if lim.AllowN(now, 1) {
		return true, 0
	}
	return false, b.waitFor(lim, now)
}

// wait says how long until key's bucket holds a token, without taking one: 0 if it holds one now.
func (b *buckets) wait(key string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	lim, ok := b.byKey[key]
	if !ok || lim.TokensAt(now) >= 1 {
		return 0
	}
	return b.waitFor(lim, now)
}

func (b *buckets) waitFor(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	return time.Duration(missing / float64(b.limit) * float64(time.Second))
}

// makeRoom drops the buckets that have filled up again, at most once a minute unless the table is
// full; if it is still full, an arbitrary bucket goes (Go's map order is random), which only
// forgets how much that key had spent.
func (b *buckets) makeRoom(now time.Time) {
	full := len(b.byKey) >= b.max
	if since := now.Sub(b.swept); since >= sweepEvery || full && since >= minSweepGap {
		for k, lim := range b.byKey {
			if lim.TokensAt(now) >= float64(b.burst) {
				delete(b.byKey, k)
			}
		}
		b.swept = now
	}
	for k := range b.byKey {
		if len(b.byKey) < b.max {
			break
		}
		delete(b.byKey, k)
	}
}

// len is the number of buckets held, for tests.
func (b *buckets) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.byKey)
}

// rateExempt are the requests no limit applies to: health checks, and browsers' CORS preflights,
// which carry no token, are answered from memory and would otherwise spend an office's budget on
// every new URL its front end calls.
func rateExempt(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == "/healthz" || p == "/readyz" || isPreflight(c)
}

// isPreflight is a browser's CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
func isPreflight(c *gin.Context) bool {
	return c.Request.Method == http.MethodOptions && c.GetHeader("Origin") != "" &&
		c.GetHeader("Access-Control-Request-Method") != ""
}

// limitAddress turns away a client address that has used up its budget of unauthenticated
// requests, and charges the budget for each request that ends without an authenticated user.
func (s *Server) limitAddress(c *gin.Context) {
	if s.addressBuckets == nil || rateExempt(c) {
		c.Next()
		return
	}
	key := addressKey(c.ClientIP())
	if wait := s.addressBuckets.wait(key, s.Now()); wait > 0 && !s.validTokenIn(c) {
		httpkit.WriteError(c, &httpkit.RateLimited{RetryAfter: wait})
		return
	}
	c.Next()
	if httpkit.Caller(c).User == "" {
		s.addressBuckets.allow(key, s.Now())
	}
}

// validTokenIn says whether the request carries a valid token, and keeps its claims for
// authenticate, which then does not verify it again.
func (s *Server) validTokenIn(c *gin.Context) bool {
	token, ok := auth.BearerToken(c.GetHeader("Authorization"))
	if !ok {
		return false
	}
	claims, err := s.Tokens.Verify(c.Request.Context(), token)
	if err != nil {
		return false
	}
	c.Set(verifiedClaimsKey, claims)
	return true
}

const verifiedClaimsKey = "verifiedClaims"

// limitUser charges the authenticated user's budget; false means the request was answered 429.
func (s *Server) limitUser(c *gin.Context, user string) bool {
	if s.userBuckets == nil {
		return true
	}
	ok, wait := s.userBuckets.allow(user, s.Now())
	if !ok {
		httpkit.WriteError(c, &httpkit.RateLimited{RetryAfter: wait})
	}
	return ok
}

// addressKey is the bucket of a client address: an IPv4 address, or the /64 network of an IPv6
// one, since a single IPv6 client commonly holds a whole /64 and could otherwise step around its
// limit.
func addressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}
