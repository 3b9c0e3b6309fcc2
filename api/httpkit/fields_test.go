package httpkit

import (
	"encoding/json"
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
	t.Run("a NUL in a JSON body is refused", func(t *testing.T) {
		var dst struct{ To string }
		err := DecodeJSON(jsonContext(`{"to":"anna.larare\u0000"}`), &dst)
		var v *casework.ValidationError
		require.ErrorAs(t, err, &v)
		require.Equal(t, ErrNUL, v.Fields[0].Reason)
		require.NoError(t, DecodeJSON(jsonContext(`{"to":"anna.larare"}`), &dst), "the same without it is fine")
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
			ParseTime(v, "reportedAt", value, now, true)
			require.Equal(t, ok, v.Err() == nil, value)
		}
		b, err := json.Marshal(LocalTime(latestWritable.Add(-time.Second)))
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
