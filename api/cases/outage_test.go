package cases_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/db/dbtest"
)

// outageServer is the API over a seeded database and a Temporal client whose server does not
// answer: nothing listens on its port.
func outageServer(t *testing.T) (*api.Server, http.Handler) {
	t.Helper()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(context.Background()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := ln.Addr().String()
	require.NoError(t, ln.Close())
	tc, err := client.NewLazyClient(client.Options{HostPort: dead, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	s := &api.Server{DB: d, Temporal: tc, TaskQueue: "samverkan-cases", PseudonymKey: []byte("0123456789abcdef0123456789abcdef"),
		Logger: slog.New(slog.DiscardHandler), Tokens: apitest.Tokens{
			"anna":   {User: "anna.larare", Role: "reporter", Unit: school},
			"bertil": {User: "bertil.rektor", Role: "named_person", Unit: school},
		}}
	return s, s.Handler()
}

func call(h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "outage-1")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// requireUnavailable: 503, Retry-After, and a problem body – never a 500 (issue 15).
func requireUnavailable(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var p httpkit.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, http.StatusServiceUnavailable, p.Status)
	require.NotEmpty(t, p.Detail)
}

const outageConcern = `{"child":{"personalNumber":"20120315-9817","name":"Melwin Påhittad","birthDate":"2012-03-15",
	"municipality":"norrkoping","schooling":{"status":"school","unitId":"norrkoping-skola-1","grade":"7"}},
	"areas":["lärande"],"observation":"Nästan ingen närvaro.","suspectsHarm":false,"occurredAt":"2026-11-26T09:30:00+01:00"}`

// TestTemporalUnreachable: commands answer 503 within the API's bound, and what the read model
// serves – lists, tasks, notifications – still answers.
func TestTemporalUnreachable(t *testing.T) {
	s, h := outageServer(t)
	s.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
	began := time.Now()
	requireUnavailable(t, call(h, http.MethodPost, "/api/v1/concerns", "anna", outageConcern))
	took := time.Since(began)
	require.Less(t, took, httpkit.CommandWait+5*time.Second, "a command waits at most its bound")
	t.Logf("POST /concerns answered 503 after %.1f s", took.Seconds())

	began = time.Now()
	requireUnavailable(t, call(h, http.MethodGet, "/api/v1/cases/lru26rjx6g7xdul45au2mbaqn2-h4f65sc4", "bertil", ""))
	require.Less(t, time.Since(began), httpkit.QueryWait+5*time.Second)

	for _, path := range []string{"/api/v1/cases?scope=unit", "/api/v1/me/tasks", "/api/v1/me/notifications"} {
		rec := call(h, http.MethodGet, path, "bertil", "")
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
	}
}

// TestDatabaseGoneAnswers503: the database goes away under the API (closed, as a connection pool
// is after a failover or a shutdown): every request answers 503 with Retry-After, never 500.
func TestDatabaseGoneAnswers503(t *testing.T) {
	s, h := outageServer(t)
	require.NoError(t, s.DB.Close())
	for _, path := range []string{"/api/v1/cases?scope=unit", "/api/v1/me/tasks", "/api/v1/me/notifications", "/api/v1/units?municipality=norrkoping"} {
		requireUnavailable(t, call(h, http.MethodGet, path, "bertil", ""))
	}
	requireUnavailable(t, call(h, http.MethodPost, "/api/v1/concerns", "anna", outageConcern))
}
