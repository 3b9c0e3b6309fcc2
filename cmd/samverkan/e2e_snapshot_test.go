package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
)

// TestCaseReadFromItsSnapshot (issue 16: reads during a storm): a case is read from the snapshot the
// projection keeps, so it is answered whatever the worker is doing. A command's effect is in the
// next read even while its projection cannot land (the case's row refuses updates): the API stored
// the state it answered the command with. And with the whole of Temporal gone – no worker, no
// server – the case and its timeline read as they did while it ran, from the database alone.
func TestCaseReadFromItsSnapshot(t *testing.T) {
	s := newSystem(t)
	s.command("seed", "--demo")
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	birth := time.Date(2014, 9, 2, 0, 0, 0, 0, casework.Stockholm)
	created := s.concernCase(anna, concern(syntheticPersonalNumber(birth, 761), "2014-09-02", "norrkoping-skola-1", time.Now().Add(-time.Hour).Truncate(time.Second)))
	caseID := created.CaseID
	d := s.openDB()
	ctx := context.Background()
	seqs := func() (row, snapshot int64) {
		r, err := d.Case(ctx, caseID)
		require.NoError(t, err)
		sn, err := d.CaseSnapshot(ctx, caseID)
		if err != nil {
			return r.StateSeq, 0
		}
		return r.StateSeq, sn.StateSeq
	}
	require.Eventually(t, func() bool {
		row, snap := seqs()
		return row > 0 && snap == row
	}, 30*time.Second, 100*time.Millisecond, "the projection stored no snapshot")

	// The projection is held: the case's row refuses every update, so the projection's transaction,
	// and with it its snapshot, fails until the hold is lifted (the activity retries).
	hold(t, d)
	status, _, p := s.act(bertil, "POST", caseID, "acknowledgement", map[string]any{})
	require.Equal(t, http.StatusOK, status, "%+v", p)
	read := s.sendRaw("GET", "/api/v1/cases/"+caseID, bertil, nil, nil)
	require.Equal(t, http.StatusOK, read.status)
	require.Contains(t, string(read.body), `"phase":"kartlägga"`, "the next read does not show the command's effect")
	row, snap := seqs()
	require.Less(t, row, snap, "the projection landed: the read proves nothing")
	release(t, d)
	require.Eventually(t, func() bool { row, snap := seqs(); return row == snap }, 60*time.Second, 200*time.Millisecond,
		"the held projection never landed")

	paths := []string{"/api/v1/cases/" + caseID, "/api/v1/cases/" + caseID + "/timeline"}
	running := map[string]string{}
	for _, path := range paths {
		a := s.sendRaw("GET", path, bertil, nil, nil)
		require.Equal(t, http.StatusOK, a.status, path)
		running[path] = string(a.body)
	}
	s.stop()

	// Nothing of Temporal answers now: the API over the system's database and codec, and a Temporal
	// client whose server is gone.
	h := apiWithoutTemporal(t, s, auth.Claims{User: "bertil.rektor", Name: "Bertil Rektor", Role: string(casework.RoleNamedPerson), Unit: "norrkoping-skola-1"})
	for _, path := range paths {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer bertil")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
		require.JSONEq(t, running[path], rec.Body.String(), "%s reads otherwise from the snapshot", path)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/cases/"+caseID+"/acknowledgement", nil)
	req.Header.Set("Authorization", "Bearer bertil")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, "a command is checked against the live state")
}

// hold makes the cases table refuse updates; release lifts it.
func hold(t *testing.T, d *db.DB) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER hold_projection BEFORE UPDATE ON cases BEGIN SELECT RAISE(ABORT, 'projection held'); END`}
	if d.Dialect() == db.DialectPostgres {
		stmts = []string{
			`CREATE FUNCTION hold_projection() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'projection held'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER hold_projection BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION hold_projection()`,
		}
	}
	for _, q := range stmts {
		require.NoError(t, d.Gorm().Exec(q).Error)
	}
}

func release(t *testing.T, d *db.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER hold_projection`}
	if d.Dialect() == db.DialectPostgres {
		stmts = []string{`DROP TRIGGER hold_projection ON cases`, `DROP FUNCTION hold_projection()`}
	}
	for _, q := range stmts {
		require.NoError(t, d.Gorm().Exec(q).Error)
	}
}

// apiWithoutTemporal is the API of the system's database and codec key, as serve wires it, with a
// Temporal client whose server does not answer; the token "bertil" is who.
func apiWithoutTemporal(t *testing.T, s *system, who auth.Claims) http.Handler {
	t.Helper()
	cfg, err := config.Load(newFlagSet(), nil, s.getenv)
	require.NoError(t, err)
	pc, err := payloadCodec(cfg, true)
	require.NoError(t, err)
	key, err := pseudonymKey(cfg, true)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := ln.Addr().String()
	require.NoError(t, ln.Close())
	tc, err := client.NewLazyClient(client.Options{HostPort: dead, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	server := &api.Server{Temporal: tc, DB: s.openDB(), TaskQueue: cfg.TemporalTaskQueue, PseudonymKey: key, Codec: pc,
		Logger: slog.New(slog.DiscardHandler), Tokens: apitest.Tokens{"bertil": who}}
	return server.Handler()
}
