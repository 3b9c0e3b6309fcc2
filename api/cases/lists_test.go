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

const (
	school = "norrkoping-skola-1"
	soc    = "norrkoping-socialtjanst"
	bup    = "norrkoping-bup"
)

func TestListEndpoints(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	due := time.Date(2026, 11, 4, 22, 59, 59, 0, time.UTC)
	row := db.CaseRow{CaseID: "c1", WorkflowID: "case-c1", MunicipalityID: "norrkoping", Phase: "upptäcka",
		NamedPersonUnitID: school, Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
		OpenedAt: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), NextDeadlineKind: casework.DeadlineAcknowledge,
		NextDeadlineAt: &due, Overdue: true, StateSeq: 1}
	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: row,
		Tasks:  []db.CaseTask{{Kind: "acknowledge", Title: "Ta emot ärendet", DueAt: &due, Overdue: true, Assignee: casework.Assignee{UnitID: school, Role: casework.RoleNamedPerson}}},
		Access: []db.CaseAccess{{Relation: casework.AccessNamedPersonUnit, UnitID: school}}}))
	s := &api.Server{DB: d, Logger: slog.New(slog.DiscardHandler), Tokens: apitest.Tokens{
		"bertil": {User: "bertil.rektor", Role: "named_person", Unit: school},
		"anna":   {User: "anna.larare", Role: "reporter", Unit: school},
	}}
	h := s.Handler()
	get := func(token, path string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	t.Run("a list item has the documented shape, times in Stockholm", func(t *testing.T) {
		status, body := get("bertil", "/api/v1/cases?scope=unit&phase=upptäcka&overdue=true&municipality=norrkoping&limit=10")
		require.Equal(t, http.StatusOK, status, body)
		require.JSONEq(t, `{"items":[{"caseId":"c1","phase":"upptäcka","municipality":"norrkoping",
			"namedPersonUnit":{"id":"norrkoping-skola-1","name":"Lärkängsskolan"},
			"nextDeadline":{"kind":"acknowledge","dueAt":"2026-11-04T23:59:59+01:00"},"overdue":true,
			"openedAt":"2026-11-02T09:00:00+01:00","relations":["named_person"]}],"nextCursor":null}`, body)
	})
	t.Run("a task has the documented shape", func(t *testing.T) {
		status, body := get("bertil", "/api/v1/me/tasks")
		require.Equal(t, http.StatusOK, status, body)
		require.JSONEq(t, `{"items":[{"caseId":"c1","kind":"acknowledge","title":"Ta emot ärendet",
			"dueAt":"2026-11-04T23:59:59+01:00","overdue":true}],"nextCursor":null}`, body)
	})
	t.Run("a reporter's lists are empty, not an error", func(t *testing.T) {
		for _, path := range []string{"/api/v1/cases", "/api/v1/cases?scope=unit", "/api/v1/me/tasks"} {
			status, body := get("anna", path)
			require.Equal(t, http.StatusOK, status, body)
			require.JSONEq(t, `{"items":[],"nextCursor":null}`, body, path)
		}
	})
	t.Run("bad parameters are a 400 naming each", func(t *testing.T) {
		for path, fields := range map[string][]string{
			"/api/v1/cases?scope=all":                   {"scope"},
			"/api/v1/cases?phase=done&overdue=yes":      {"phase", "overdue"},
			"/api/v1/cases?limit=0":                     {"limit"},
			"/api/v1/cases?limit=201":                   {"limit"},
			"/api/v1/cases?limit=x&sort=name":           {"limit", "sort"},
			"/api/v1/cases?scope=mine&scope=unit":       {"scope"},
			"/api/v1/cases?cursor=bm90LWpzb24":          {"cursor"},
			"/api/v1/me/tasks?cursor=%25%25":            {"cursor"},
			"/api/v1/me/tasks?limit=-1&phase=kartlägga": {"limit", "phase"},
		} {
			status, body := get("bertil", path)
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
	t.Run("without a token there is no list", func(t *testing.T) {
		status, _ := get("nobody", "/api/v1/me/tasks")
		require.Equal(t, http.StatusUnauthorized, status)
	})
}
