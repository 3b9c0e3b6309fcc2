package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
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
	t.Run("a NUL in a JSON body is refused", func(t *testing.T) {
		var dst struct{ To string }
		err := decodeJSON(jsonContext(`{"to":"anna.larare\u0000"}`), &dst)
		var v *casework.ValidationError
		require.ErrorAs(t, err, &v)
		require.Equal(t, errNUL, v.Fields[0].Reason)
		require.NoError(t, decodeJSON(jsonContext(`{"to":"anna.larare"}`), &dst), "the same without it is fine")
	})
	t.Run("a time that cannot be written back in Swedish time is refused", func(t *testing.T) {
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		for value, ok := range map[string]bool{
			"0000-01-01T00:00:00+14:00": false, // year -1 in Stockholm, written "-0001-12-31T11:12:12+01:12"
			"1899-12-31T23:59:59+01:00": false, // local mean time, +01:12:12
			"1900-01-01T00:00:00+01:00": true,
			"2026-11-26T09:30:00+01:00": true,
		} {
			v := &casework.ValidationError{}
			parseTime(v, "reportedAt", value, now, true)
			require.Equal(t, ok, v.Err() == nil, value)
		}
		v := &casework.ValidationError{}
		(&summonsRequest{MeetingAt: "9999-12-31T23:59:59-23:59", Place: "Skolan", Agencies: []string{"x"}}).validate(v, now)
		require.Error(t, v.Err(), "a meeting in year 10000 of Swedish time")
		b, err := json.Marshal(localTime(latestWritable.Add(-time.Second)))
		require.NoError(t, err)
		require.Equal(t, `"9999-12-31T23:59:59+01:00"`, string(b), "the last time that can be written")
	})
}

func jsonContext(body string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/", strings.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	return c
}
