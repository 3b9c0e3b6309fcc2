package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
)

// testClock is the injectable clock: tests move it, never sleep.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// limitedServer has no database: GET /api/v1/units?kind=bogus is answered 400 by the handler
// without one, so any other status is the door's.
func limitedServer(perUser, perAddress RateLimit, proxies ...string) (http.Handler, *testClock) {
	clock := &testClock{now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	s := &Server{
		Logger: slog.New(slog.DiscardHandler), Now: clock.Now,
		Tokens: apitest.Tokens{
			"anna":   {User: "anna.larare", Role: "reporter", Unit: "skola"},
			"bertil": {User: "bertil.rektor", Role: "named_person", Unit: "skola"},
		},
		RatePerUser: perUser, RatePerAddress: perAddress, TrustedProxies: proxies,
	}
	return s.Handler(), clock
}

type limitedRequest struct {
	token, from, path, forwardedFor string
}

func (r limitedRequest) send(h http.Handler) *httptest.ResponseRecorder {
	path := r.path
	if path == "" {
		path = "/api/v1/units?kind=bogus"
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = r.from + ":40000"
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", r.forwardedFor)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRateLimits(t *testing.T) {
	perUser := RateLimit{PerSecond: 2, Burst: 3}
	perAddress := RateLimit{PerSecond: 1, Burst: 2}
	const office, elsewhere = "192.0.2.10", "198.51.100.7"
	anna := limitedRequest{token: "anna", from: office}
	bertil := limitedRequest{token: "bertil", from: office}
	guess := limitedRequest{token: "guessed", from: office}

	type step struct {
		advance time.Duration
		req     limitedRequest
		want    int
		retry   string // Retry-After of a 429
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a user gets the burst at once, then 429 with the seconds until the next token", []step{
			{0, anna, 400, ""}, {0, anna, 400, ""}, {0, anna, 400, ""},
			{0, anna, 429, "1"},
			{500 * time.Millisecond, anna, 400, ""},
			{0, anna, 429, "1"},
		}},
		{"one user's limit is not another's, even from the same address", []step{
			{0, anna, 400, ""}, {0, anna, 400, ""}, {0, anna, 400, ""}, {0, anna, 429, "1"},
			{0, bertil, 400, ""},
		}},
		{"guessed tokens from one address are turned away once its budget is spent", []step{
			{0, guess, 401, ""}, {0, guess, 401, ""},
			{0, guess, 429, "1"},
			{0, limitedRequest{from: office}, 429, "1"},
			{0, limitedRequest{token: "guessed", from: elsewhere}, 401, ""},
			{time.Second, guess, 401, ""},
		}},
		{"requests with a valid token do not spend the address's budget", []step{
			{0, anna, 400, ""}, {0, bertil, 400, ""}, {0, bertil, 400, ""},
			{0, guess, 401, ""}, {0, guess, 401, ""}, {0, guess, 429, "1"},
		}},
		{"an anonymous flood does not lock out a valid token at the same address (an office's NAT)", []step{
			{0, guess, 401, ""}, {0, guess, 401, ""}, {0, limitedRequest{from: office}, 429, "1"}, {0, guess, 429, "1"},
			{0, anna, 400, ""}, {0, bertil, 400, ""}, {0, anna, 400, ""},
			{0, limitedRequest{token: "anna", from: office, path: "/nowhere"}, 404, ""},
			{0, anna, 400, ""}, {0, anna, 429, "1"}, // then only anna's own budget stops her
		}},
		{"an over-budget address gets no page for a token that is not valid", []step{
			{0, guess, 401, ""}, {0, guess, 401, ""},
			{0, limitedRequest{token: "guessed", from: office, path: "/api/v1/docs"}, 429, "1"},
		}},
		{"an unknown path is charged to the address too", []step{
			{0, limitedRequest{from: office, path: "/nowhere"}, 404, ""},
			{0, limitedRequest{from: office, path: "/nowhere"}, 404, ""},
			{0, limitedRequest{from: office, path: "/nowhere"}, 429, "1"},
		}},
		{"health checks are never limited", []step{
			{0, guess, 401, ""}, {0, guess, 401, ""}, {0, guess, 429, "1"},
			{0, limitedRequest{from: office, path: "/healthz"}, 200, ""},
			{0, limitedRequest{from: office, path: "/healthz"}, 200, ""},
		}},
		{"X-Forwarded-For from a client that is not a trusted proxy is ignored", []step{
			{0, limitedRequest{token: "guessed", from: office, forwardedFor: "203.0.113.1"}, 401, ""},
			{0, limitedRequest{token: "guessed", from: office, forwardedFor: "203.0.113.2"}, 401, ""},
			{0, limitedRequest{token: "guessed", from: office, forwardedFor: "203.0.113.3"}, 429, "1"},
		}},
		{"addresses in one IPv6 /64 share a budget", []step{
			{0, limitedRequest{from: "[2001:db8:1:2::1]"}, 401, ""},
			{0, limitedRequest{from: "[2001:db8:1:2::2]"}, 401, ""},
			{0, limitedRequest{from: "[2001:db8:1:2:ffff::3]"}, 429, "1"},
			{0, limitedRequest{from: "[2001:db8:1:3::1]"}, 401, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, clock := limitedServer(perUser, perAddress)
			for i, s := range tt.steps {
				clock.Advance(s.advance)
				rec := s.req.send(h)
				require.Equal(t, s.want, rec.Code, "step %d: %s", i, rec.Body.String())
				require.Equal(t, s.retry, rec.Header().Get("Retry-After"), "step %d", i)
				if s.want == http.StatusTooManyRequests {
					requireProblem(t, rec, http.StatusTooManyRequests)
				}
			}
		})
	}

	t.Run("behind a trusted proxy each forwarded client has its own budget", func(t *testing.T) {
		h, _ := limitedServer(perUser, perAddress, "10.0.0.0/8")
		lb := "10.1.2.3"
		for _, client := range []string{"203.0.113.1", "203.0.113.2"} {
			for range 2 {
				require.Equal(t, 401, limitedRequest{token: "guessed", from: lb, forwardedFor: client}.send(h).Code)
			}
			require.Equal(t, 429, limitedRequest{token: "guessed", from: lb, forwardedFor: client}.send(h).Code)
		}
	})

	t.Run("the zero limits limit nothing", func(t *testing.T) {
		h, _ := limitedServer(RateLimit{}, RateLimit{})
		for range 50 {
			require.Equal(t, 400, anna.send(h).Code)
			require.Equal(t, 401, guess.send(h).Code)
		}
	})

	t.Run("a long wait is rounded up to whole seconds", func(t *testing.T) {
		h, _ := limitedServer(RateLimit{PerSecond: 1.0 / 60, Burst: 1}, RateLimit{})
		require.Equal(t, 400, anna.send(h).Code)
		rec := anna.send(h)
		require.Equal(t, 429, rec.Code)
		require.Equal(t, "60", rec.Header().Get("Retry-After"))
	})
}

func requireProblem(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var p httpkit.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, status, p.Status)
	require.NotEmpty(t, p.RequestID)
	require.NotEmpty(t, p.Detail)
}

func TestBucketsStayBounded(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	t.Run("buckets that have filled up again are dropped after a minute", func(t *testing.T) {
		b := newBuckets(RateLimit{PerSecond: 1, Burst: 2}, 1000)
		for i := range 100 {
			b.allow(fmt.Sprint("idle-", i), t0)
		}
		b.allow("busy", t0.Add(59*time.Second))
		b.allow("busy", t0.Add(59*time.Second))
		b.allow("new", t0.Add(time.Minute))
		require.Equal(t, 2, b.len(), "only the bucket still being refilled and the new one remain")
		ok, _ := b.allow("busy", t0.Add(time.Minute))
		require.True(t, ok, "one token has come back in the second since")
		ok, wait := b.allow("busy", t0.Add(time.Minute))
		require.False(t, ok, "a bucket that was kept remembers what it spent")
		require.Equal(t, time.Second, wait)
	})
	t.Run("a flood of new keys never holds more than the maximum", func(t *testing.T) {
		b := newBuckets(RateLimit{PerSecond: 1, Burst: 5}, 50)
		for i := range 10_000 {
			b.allow(fmt.Sprint("flood-", i), t0.Add(time.Duration(i)*time.Millisecond))
		}
		require.LessOrEqual(t, b.len(), 50)
	})
	t.Run("looking at an address without a bucket makes none", func(t *testing.T) {
		b := newBuckets(RateLimit{PerSecond: 1, Burst: 5}, 50)
		require.Zero(t, b.wait("203.0.113.9", t0))
		require.Zero(t, b.len())
	})
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ name, ip, want string }{
		{"an IPv4 address is its own key", "192.0.2.10", "192.0.2.10"},
		{"an IPv4-mapped IPv6 address is the IPv4 address", "::ffff:192.0.2.10", "192.0.2.10"},
		{"an IPv6 address is keyed by its /64", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"something that is no address is kept as it is", "unix-socket", "unix-socket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { require.Equal(t, tt.want, addressKey(tt.ip)) })
	}
}
