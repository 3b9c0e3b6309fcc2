package api

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/codec"
)

const frontEnd = "https://app.example.org"

func corsServer(t *testing.T) http.Handler {
	t.Helper()
	secret := make([]byte, codec.KeySize)
	_, _ = rand.Read(secret)
	ring, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: secret})
	require.NoError(t, err)
	s := &Server{
		Logger: slog.New(slog.DiscardHandler),
		Tokens: apitest.Tokens{"anna": {User: "anna.larare", Role: "reporter", Unit: "skola"}},
		Codec:  codec.New(ring), CodecOrigins: []string{uiOrigin},
		CORSOrigins:    []string{frontEnd},
		RatePerAddress: RateLimit{PerSecond: 1, Burst: 1},
	}
	return s.Handler()
}

func corsRequest(h http.Handler, method, path, origin string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = "192.0.2.10:40000"
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCORS(t *testing.T) {
	preflight := []string{"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type,idempotency-key"}

	t.Run("the front end's preflight is answered without a token", func(t *testing.T) {
		rec := corsRequest(corsServer(t), http.MethodOptions, "/api/v1/concerns", frontEnd, preflight...)
		require.Equal(t, http.StatusNoContent, rec.Code)
		h := rec.Header()
		require.Equal(t, frontEnd, h.Get("Access-Control-Allow-Origin"))
		require.Contains(t, h.Get("Access-Control-Allow-Methods"), "POST")
		for _, allowed := range []string{"Authorization", "Content-Type", "Idempotency-Key"} {
			require.Contains(t, h.Get("Access-Control-Allow-Headers"), allowed)
		}
		require.Empty(t, h.Get("Access-Control-Allow-Credentials"), "tokens travel in a header, not a cookie")
		require.Equal(t, "Origin", h.Get("Vary"))
	})
	t.Run("a preflight from another origin is refused", func(t *testing.T) {
		rec := corsRequest(corsServer(t), http.MethodOptions, "/api/v1/concerns", "https://evil.example.org", preflight...)
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	})
	t.Run("the front end can read a 401 and the headers it needs", func(t *testing.T) {
		rec := corsRequest(corsServer(t), http.MethodGet, "/api/v1/units", frontEnd)
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		require.Equal(t, frontEnd, rec.Header().Get("Access-Control-Allow-Origin"))
		exposed := rec.Header().Get("Access-Control-Expose-Headers")
		for _, h := range []string{"X-Request-Id", "Retry-After", "Location"} {
			require.Contains(t, exposed, h)
		}
	})
	t.Run("the front end can read a 429's Retry-After", func(t *testing.T) {
		h := corsServer(t)
		require.Equal(t, http.StatusUnauthorized, corsRequest(h, http.MethodGet, "/api/v1/units", frontEnd).Code)
		rec := corsRequest(h, http.MethodGet, "/api/v1/units", frontEnd)
		require.Equal(t, http.StatusTooManyRequests, rec.Code)
		require.Equal(t, frontEnd, rec.Header().Get("Access-Control-Allow-Origin"))
		require.NotEmpty(t, rec.Header().Get("Retry-After"))
	})
	t.Run("another origin gets no CORS headers on an ordinary request", func(t *testing.T) {
		rec := corsRequest(corsServer(t), http.MethodGet, "/api/v1/units?kind=bogus", "https://evil.example.org", "Authorization", "Bearer anna")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	})
	t.Run("the codec endpoint keeps its own CORS for the Temporal Web UI", func(t *testing.T) {
		h := corsServer(t)
		ui := corsRequest(h, http.MethodOptions, "/api/v1/codec/decode", uiOrigin, preflight...)
		require.Equal(t, http.StatusNoContent, ui.Code)
		require.Equal(t, uiOrigin, ui.Header().Get("Access-Control-Allow-Origin"))
		require.True(t, strings.Contains(ui.Header().Get("Access-Control-Allow-Headers"), "X-Namespace"))
		app := corsRequest(h, http.MethodOptions, "/api/v1/codec/decode", frontEnd, preflight...)
		require.Equal(t, http.StatusForbidden, app.Code, "the front end's origin is not the UI's")
		require.Empty(t, app.Header().Get("Access-Control-Allow-Origin"))
	})
	t.Run("preflights are never rate limited", func(t *testing.T) {
		h := corsServer(t)
		for range 5 {
			require.Equal(t, http.StatusNoContent, corsRequest(h, http.MethodOptions, "/api/v1/concerns", frontEnd, preflight...).Code)
			require.Equal(t, http.StatusNoContent, corsRequest(h, http.MethodOptions, "/api/v1/codec/decode", uiOrigin, preflight...).Code)
		}
	})
}
