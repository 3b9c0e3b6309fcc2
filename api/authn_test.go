package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// The probe: a validly signed token for sub=ghost.user read a case, and a ten-year exp was
// accepted. The token's user and assignment must be in the directory, and its lifetime within the
// configured cap.
func TestTokensAreCheckedAgainstTheDirectoryAndTheirLifetime(t *testing.T) {
	store := dbtest.Open(t)
	ctx := context.Background()
	require.NoError(t, store.SeedDemo(ctx))
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	claims := func(user, role, unit string, life time.Duration) auth.Claims {
		return auth.Claims{User: user, Role: role, Unit: unit, IssuedAt: now, ExpiresAt: now.Add(life)}
	}
	s := &Server{
		DB: store, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler), RequireDirectory: true, TokenMaxLifetime: 12 * time.Hour,
		Tokens: apitest.Tokens{
			"bertil":    claims("bertil.rektor", "named_person", "norrkoping-skola-1", 8*time.Hour),
			"ghost":     claims("ghost.user", "supervisor", "norrkoping-skola-1", 8*time.Hour),
			"promoted":  claims("bertil.rektor", "supervisor", "norrkoping-skola-1", 8*time.Hour),
			"elsewhere": claims("bertil.rektor", "named_person", "lulea-skola-1", 8*time.Hour),
			"decade":    claims("bertil.rektor", "named_person", "norrkoping-skola-1", 10*365*24*time.Hour),
		},
	}
	h := s.Handler()
	send := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/units?kind=bogus", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	require.Equal(t, http.StatusBadRequest, send("bertil").Code, "a token of the directory passes the door")
	for token, detail := range map[string]string{
		"ghost":     "användaren finns inte i katalogen",
		"promoted":  "uppdraget finns inte i katalogen",
		"elsewhere": "uppdraget finns inte i katalogen",
		"decade":    "giltig längre än",
	} {
		rec := send(token)
		require.Equal(t, http.StatusUnauthorized, rec.Code, token)
		require.Contains(t, rec.Body.String(), detail, token)
	}
	rows, err := store.AccessLog(ctx, db.AccessFilter{})
	require.NoError(t, err)
	var alerts []string
	for _, r := range rows {
		alerts = append(alerts, r.User+" "+r.Action)
	}
	require.ElementsMatch(t, []string{"ghost.user token_not_in_directory", "bertil.rektor token_not_in_directory",
		"bertil.rektor token_not_in_directory"}, alerts, "an alert row for each token the directory does not know")
}
