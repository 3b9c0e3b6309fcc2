package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The probe found answers without nosniff, HTML pages that any site could frame, and answers with
// personal data that caches were free to keep. Every answer of the API carries the headers.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	h, _ := limitedServer(RateLimit{}, RateLimit{})
	for _, tc := range []struct {
		path, token string
		html        bool
	}{
		{path: "/healthz"},
		{path: "/api/v1/docs", html: true},
		{path: "/api/v1/openapi.json"},
		{path: "/api/v1/cases"}, // 401
		{path: "/api/v1/units?kind=bogus", token: "anna"},
		{path: "/nowhere"},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		hdr := rec.Header()
		require.Equal(t, "nosniff", hdr.Get("X-Content-Type-Options"), tc.path)
		require.Equal(t, "no-referrer", hdr.Get("Referrer-Policy"), tc.path)
		require.Contains(t, hdr.Get("Content-Security-Policy"), "frame-ancestors 'none'", tc.path)
		if tc.html {
			require.True(t, strings.HasPrefix(hdr.Get("Content-Type"), "text/html"), tc.path)
		}
		if strings.HasPrefix(tc.path, "/api/v1/") && tc.path != "/api/v1/docs" && tc.path != "/api/v1/openapi.json" {
			require.Equal(t, "no-store", hdr.Get("Cache-Control"), tc.path)
		}
	}
}
