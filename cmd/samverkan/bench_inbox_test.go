package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// Whose inbox and list BenchmarkInboxOnPostgres reads: the named person and the supervisor of the
// demo school.
const (
	inboxNamed      = "bertil.rektor"
	inboxSupervisor = "david.chef"
	inboxUnit       = "norrkoping-skola-1"
)

// BenchmarkInboxOnPostgres measures the "my tasks" inbox and a unit's case list with 100,000 cases
// (SAMVERKAN_BENCH_INBOX_CASES) in PostgreSQL's read model: the db functions behind them (db.MyTasks,
// db.ListCases) and the same through the API of a running `samverkan dev` (GET /api/v1/me/tasks, GET
// /api/v1/cases?scope=unit), which adds the token, the access-log row and JSON. Each asks for the
// first page (50). The rows are inserted directly – a case's row, its tasks and its access, shaped
// as the workflow projects them (workflows/tasks.go) – not through workflows, in a schema of their
// own that is dropped afterwards. It is skipped unless SAMVERKAN_TEST_DATABASE_URL names PostgreSQL.
//
//	SAMVERKAN_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench BenchmarkInboxOnPostgres -benchtime 200x
func BenchmarkInboxOnPostgres(b *testing.B) {
	if u := os.Getenv(dbtest.EnvURL); !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		b.Skipf("needs PostgreSQL: set %s to a postgres:// URL (the inbox at 100,000 cases is a PostgreSQL question)", dbtest.EnvURL)
	}
	n := benchEnvInt(b, "SAMVERKAN_BENCH_INBOX_CASES", 100000)
	s := newSystem(b).withoutUserRateLimit()
	s.command("seed", "--demo")
	database := s.openDB()
	fillInbox(b, database, n)
	s.start()
	ctx := context.Background()
	bertil := db.Viewer{User: inboxNamed, Role: casework.RoleNamedPerson, Unit: inboxUnit}
	david := db.Viewer{User: inboxSupervisor, Role: casework.RoleSupervisor, Unit: inboxUnit}
	tasks, cases := inboxSize(b, database, bertil), unitListSize(b, database, david)
	b.Logf("%s's inbox holds %d tasks; %s's unit list (%s) %d cases; load average %s", inboxNamed, tasks,
		inboxSupervisor, inboxUnit, cases, loadAverage())

	b.Run("db.MyTasks", func(b *testing.B) {
		benchPages(b, func() int {
			page, err := database.MyTasks(ctx, db.TaskQuery{Viewer: bertil})
			require.NoError(b, err)
			return len(page.Items)
		})
		b.ReportMetric(float64(tasks), "inbox-tasks")
	})
	b.Run("GET_me_tasks", func(b *testing.B) {
		benchPages(b, getItems(b, s.apiURL+"/api/v1/me/tasks", s.token(inboxNamed)))
		b.ReportMetric(float64(tasks), "inbox-tasks")
	})
	b.Run("db.ListCases_unit", func(b *testing.B) {
		benchPages(b, func() int {
			page, err := database.ListCases(ctx, db.CaseListQuery{Viewer: david, Scope: db.ScopeUnit})
			require.NoError(b, err)
			return len(page.Items)
		})
		b.ReportMetric(float64(cases), "unit-cases")
	})
	b.Run("GET_cases_scope_unit", func(b *testing.B) {
		benchPages(b, getItems(b, s.apiURL+"/api/v1/cases?scope=unit", s.tokenFor(inboxSupervisor, inboxUnit)))
		b.ReportMetric(float64(cases), "unit-cases")
	})
}

// benchPages runs page (which returns the items it got) in b.Loop and reports ms/op; every page
// must be a full first page.
func benchPages(b *testing.B, page func() int) {
	require.Equal(b, db.DefaultPageSize, page(), "the first page is not full: the benchmark would measure too little")
	for b.Loop() {
		page()
	}
	b.ReportMetric(ms(b.Elapsed())/float64(b.N), "ms/op")
}

// getItems is a GET of a list's first page through the API, returning how many items it had.
func getItems(b *testing.B, url, token string) func() int {
	client := benchHTTP()
	return func() int {
		var page struct{ Items []json.RawMessage }
		status, err := benchDo(client, "GET", url, token, "", nil, &page)
		require.NoError(b, err)
		require.Equal(b, http.StatusOK, status, url)
		return len(page.Items)
	}
}

// inboxSize walks the viewer's whole inbox page by page and counts its tasks.
func inboxSize(b *testing.B, d *db.DB, v db.Viewer) int {
	total, cursor := 0, ""
	for {
		p, err := d.MyTasks(context.Background(), db.TaskQuery{Viewer: v, Limit: db.MaxPageSize, Cursor: cursor})
		require.NoError(b, err)
		if total, cursor = total+len(p.Items), p.NextCursor; cursor == "" {
			return total
		}
	}
}

// unitListSize walks the viewer's unit list page by page and counts its cases.
func unitListSize(b *testing.B, d *db.DB, v db.Viewer) int {
	total, cursor := 0, ""
	for {
		p, err := d.ListCases(context.Background(), db.CaseListQuery{Viewer: v, Scope: db.ScopeUnit, Limit: db.MaxPageSize, Cursor: cursor})
		require.NoError(b, err)
		if total, cursor = total+len(p.Items), p.NextCursor; cursor == "" {
			return total
		}
	}
}
