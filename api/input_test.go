package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInputThatCannotBeStored: input the API could take but not store or write back is refused
// with a 400 naming it – found by FuzzCommandBodies (cmd/samverkan), where it was a 500 on
// PostgreSQL, or a time written back as no RFC 3339 time.
func TestInputThatCannotBeStored(t *testing.T) {
	t.Run("a NUL in the path or the query is refused before anything reads it", func(t *testing.T) {
		h := (&Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
		for _, target := range []string{"/api/v1/units?municipality=%00", "/api/v1/cases/abc%00/access-log",
			"/api/v1/audit/reviews/x%00/sign-off", "/api/v1/cases?municipality=a%00b"} {
			res := httptest.NewRecorder()
			h.ServeHTTP(res, httptest.NewRequest("GET", target, nil))
			require.Equal(t, http.StatusBadRequest, res.Code, target)
			require.Equal(t, "application/problem+json", res.Header().Get("Content-Type"), target)
		}
	})
}
