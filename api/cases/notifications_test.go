package cases_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestNotificationEndpoints(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	created := time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)
	due := time.Date(2026, 11, 30, 22, 59, 59, 0, time.UTC)
	record := func(key, user string, at time.Time, dueAt *time.Time) db.Notification {
		n := db.Notification{Key: key, UserID: user, CaseID: "c1", Kind: "reminder", Subject: "Påminnelse: ärende c1",
			Text: "Tidsgränsen går ut 2026-11-30 23:59.", CreatedAt: at}
		if dueAt != nil {
			n.DeadlineKind, n.DueAt = casework.DeadlineAcknowledge, dueAt
		}
		stored, _, err := d.RecordNotification(ctx, n)
		require.NoError(t, err)
		return stored
	}
	older := record("k1", "bertil.rektor", created, &due)
	newer := record("k2", "bertil.rektor", created.Add(time.Hour), nil)
	annas := record("k1", "anna.larare", created, &due)

	readAt := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s := &api.Server{DB: d, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return readAt }, Tokens: apitest.Tokens{
		// bertil's notifications are his in any role he acts in.
		"bertil":       {User: "bertil.rektor", Role: "named_person", Unit: school},
		"bertil-other": {User: "bertil.rektor", Role: "reporter", Unit: "norrkoping-skola-2"},
		"anna":         {User: "anna.larare", Role: "reporter", Unit: school},
	}}
	h := s.Handler()
	call := func(method, token, path string) (int, string) {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	t.Run("a notification has the documented shape, newest first, times in Stockholm", func(t *testing.T) {
		status, body := call(http.MethodGet, "bertil", "/api/v1/me/notifications")
		require.Equal(t, http.StatusOK, status, body)
		require.JSONEq(t, `{"items":[
			{"id":"`+newer.ID+`","caseId":"c1","kind":"reminder","deadlineKind":null,"dueAt":null,
			 "subject":"Påminnelse: ärende c1","text":"Tidsgränsen går ut 2026-11-30 23:59.",
			 "createdAt":"2026-11-26T09:00:00+01:00","readAt":null},
			{"id":"`+older.ID+`","caseId":"c1","kind":"reminder","deadlineKind":"acknowledge","dueAt":"2026-11-30T23:59:59+01:00",
			 "subject":"Påminnelse: ärende c1","text":"Tidsgränsen går ut 2026-11-30 23:59.",
			 "createdAt":"2026-11-26T08:00:00+01:00","readAt":null}],
			"nextCursor":null,"unread":2}`, body)
		_, other := call(http.MethodGet, "bertil-other", "/api/v1/me/notifications")
		require.JSONEq(t, body, other, "the same whatever role the token acts in")
	})
	t.Run("pages follow the cursor", func(t *testing.T) {
		var page notificationPage
		status, body := call(http.MethodGet, "bertil", "/api/v1/me/notifications?limit=1")
		require.Equal(t, http.StatusOK, status, body)
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		require.Len(t, page.Items, 1)
		require.NotNil(t, page.NextCursor)
		status, body = call(http.MethodGet, "bertil", "/api/v1/me/notifications?limit=1&cursor="+*page.NextCursor)
		require.Equal(t, http.StatusOK, status, body)
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		require.Equal(t, older.ID, page.Items[0].ID)
		require.Nil(t, page.NextCursor)
	})
	t.Run("only the owner marks it read; again keeps the first time; unread leaves it out", func(t *testing.T) {
		status, _ := call(http.MethodPost, "anna", "/api/v1/me/notifications/"+older.ID+"/read")
		require.Equal(t, http.StatusNotFound, status, "another user's is not found")
		status, _ = call(http.MethodPost, "bertil", "/api/v1/me/notifications/"+annas.ID+"/read")
		require.Equal(t, http.StatusNotFound, status)
		for _, id := range []string{"nope", "00000000000000000000000000000000"} {
			status, _ = call(http.MethodPost, "bertil", "/api/v1/me/notifications/"+id+"/read")
			require.Equal(t, http.StatusNotFound, status, id)
		}

		status, body := call(http.MethodPost, "bertil", "/api/v1/me/notifications/"+older.ID+"/read")
		require.Equal(t, http.StatusOK, status, body)
		var n struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &n))
		require.Equal(t, older.ID, n.ID)
		require.Contains(t, body, `"readAt":"2026-11-26T13:00:00+01:00"`)
		readAt = readAt.Add(time.Hour)
		_, again := call(http.MethodPost, "bertil", "/api/v1/me/notifications/"+older.ID+"/read")
		require.JSONEq(t, body, again)

		status, body = call(http.MethodGet, "bertil", "/api/v1/me/notifications?unread=true")
		require.Equal(t, http.StatusOK, status, body)
		var page notificationPage
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		require.Len(t, page.Items, 1)
		require.Equal(t, newer.ID, page.Items[0].ID)
		require.EqualValues(t, 1, page.Unread)
		_, body = call(http.MethodGet, "anna", "/api/v1/me/notifications?unread=true")
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		require.Len(t, page.Items, 1, "anna's stays unread")
	})
	t.Run("bad parameters are a 400 naming each", func(t *testing.T) {
		for path, fields := range map[string][]string{
			"/api/v1/me/notifications?unread=yes":            {"unread"},
			"/api/v1/me/notifications?limit=0&cursor=%25%25": {"limit"},
			"/api/v1/me/notifications?cursor=bm90LWpzb24":    {"cursor"},
			"/api/v1/me/notifications?user=anna.larare":      {"user"},
		} {
			status, body := call(http.MethodGet, "bertil", path)
			require.Equal(t, http.StatusBadRequest, status, path)
			var p httpkit.Problem
			require.NoError(t, json.Unmarshal([]byte(body), &p))
			var got []string
			for _, f := range p.Fields {
				got = append(got, f.Field)
			}
			require.ElementsMatch(t, fields, got, path)
		}
	})
	t.Run("without a token there are none", func(t *testing.T) {
		status, _ := call(http.MethodGet, "nobody", "/api/v1/me/notifications")
		require.Equal(t, http.StatusUnauthorized, status)
		status, _ = call(http.MethodPost, "nobody", "/api/v1/me/notifications/"+older.ID+"/read")
		require.Equal(t, http.StatusUnauthorized, status)
	})
}

// notificationPage is the part of a page these tests read back.
type notificationPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextCursor *string `json:"nextCursor"`
	Unread     int64   `json:"unread"`
}
