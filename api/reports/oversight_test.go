package reports_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
	"github.com/samverkan/samverkan/report"
)

// TestOversight projects a handful of cases through the ProjectCase activity to a real database and
// reads GET /api/v1/oversight as supervisors: each sees their units' open cases and nothing else,
// deadlines falling due over Christmas, what is overdue, the cases not taken, open escalations, and
// the deviations of their units with the command that handles them.
func TestOversight(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	a := &activities.Activities{DB: d, Logger: dbtest.Logger(t)}
	// Thursday 18 December 2025: the fifth working day after is Tuesday 30 December.
	now := time.Date(2025, 12, 18, 10, 0, 0, 0, casework.Stockholm)
	day := func(m time.Month, dd int) time.Time { return time.Date(2025, m, dd, 23, 59, 59, 0, casework.Stockholm) }
	opened := time.Date(2025, 11, 3, 9, 0, 0, 0, casework.Stockholm)
	const (
		school = "norrkoping-skola-1"
		bup    = "norrkoping-bup"
	)
	project := func(id, unit string, phase casework.Phase, f *report.Facts, access ...activities.ProjectedAccess) {
		t.Helper()
		require.NoError(t, a.ProjectCase(ctx, activities.CaseProjection{CaseID: id, WorkflowID: "case-" + id, Municipality: "norrkoping",
			Phase: phase, NamedPersonUnitID: unit, Policy: casework.Norrkoping().PolicyRef, OpenedAt: opened, StateSeq: 1,
			Facts: f, Access: access}))
	}
	npUnit := func(unit string) activities.ProjectedAccess {
		return activities.ProjectedAccess{Relation: casework.AccessNamedPersonUnit, UnitID: unit}
	}
	project("fresh", school, casework.PhaseUpptacka, &report.Facts{AgeBand: "6-9", OpenedAt: opened,
		Deadlines: []report.DeadlineFact{{Kind: casework.DeadlineAcknowledge, StartedAt: now, DueAt: day(12, 22), Status: "open"}}},
		npUnit(school))
	project("busy", school, casework.PhaseSamarbeta, &report.Facts{AgeBand: "13-15", OpenedAt: opened,
		Deadlines: []report.DeadlineFact{
			{Kind: casework.DeadlineSummons, StartedAt: opened, DueAt: day(12, 10), Status: "missed"},
			{Kind: casework.DeadlineMeeting, StartedAt: opened, DueAt: day(12, 30), Status: "open"},
			{Kind: casework.DeadlineFollowUp, StartedAt: opened, DueAt: day(12, 31), Status: "open"}},
		Deviations: []report.DeviationFact{{ID: "avv-1", Kind: "missed_deadline", DeadlineKind: casework.DeadlineSummons,
			UnitID: school, OccurredAt: day(12, 10).Add(time.Second)}},
		Escalations: []report.EscalationFact{{Disagreement: "oen-1", Step: 0, Level: "Barnsamverket", StartedAt: opened, Open: true}}},
		npUnit(school), activities.ProjectedAccess{Relation: casework.AccessParticipantUnit, UnitID: bup})
	project("elsewhere", "lulea-skola-1", casework.PhaseUpptacka, &report.Facts{OpenedAt: opened,
		Deadlines: []report.DeadlineFact{{Kind: casework.DeadlineAcknowledge, StartedAt: now, DueAt: day(12, 22), Status: "open"}}},
		npUnit("lulea-skola-1"))
	closed := day(12, 1)
	project("closed", "norrkoping-skola-2", casework.PhaseClosed, &report.Facts{OpenedAt: opened, ClosedAt: &closed,
		Deviations: []report.DeviationFact{{ID: "avv-2", Kind: "reported", UnitID: school, OccurredAt: opened.AddDate(0, 0, 7)},
			{ID: "avv-1", Kind: "reported", UnitID: school, OccurredAt: opened, Handled: true}}},
		npUnit("norrkoping-skola-2"))
	project("old", school, casework.PhaseUpptacka, nil, npUnit(school))

	s := reportServer(t, d)
	s.Now = func() time.Time { return now }
	h := s.Handler()
	doc := apitest.Document(t)
	// link is a command as the oversight links it.
	type link struct {
		Method string `json:"method"`
		Path   string `json:"path"`
	}
	type item struct {
		CaseID   string  `json:"caseId"`
		Case     *string `json:"case"`
		Kind     string  `json:"kind"`
		DueAt    *string `json:"dueAt"`
		Handling link    `json:"handling"`
	}
	type answer struct {
		Units     []httpkit.UnitRef `json:"units"`
		OpenCases struct {
			Total int `json:"total"`
		} `json:"openCases"`
		DueSoon, Overdue, NotAcknowledged, Deviations []item
		Escalations                                   struct {
			Items []struct {
				DisagreementID string `json:"disagreementId"`
			} `json:"items"`
		} `json:"escalations"`
	}
	get := func(token, query string, status int) answer {
		t.Helper()
		req, rec := reportGet(h, token, "/api/v1/oversight"+query, "")
		require.Equal(t, status, rec.Code, rec.Body.String())
		apitest.RequireDocumentedAnswer(t, doc, req, rec)
		var out answer
		if status == http.StatusOK {
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		}
		return out
	}
	cases := func(items []item) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.CaseID+":"+string(it.Kind))
		}
		return out
	}

	t.Run("the supervisor of the school sees its cases", func(t *testing.T) {
		o := get("david", "", http.StatusOK)
		require.Len(t, o.Units, 1)
		assert.Equal(t, school, o.Units[0].ID)
		assert.Equal(t, 3, o.OpenCases.Total)
		assert.Equal(t, []string{"fresh:acknowledge", "busy:meeting"}, cases(o.DueSoon), "the follow-up on nyårsafton is beyond the fifth working day")
		assert.Equal(t, []string{"busy:summons"}, cases(o.Overdue))
		assert.Equal(t, []string{"old:acknowledge", "fresh:acknowledge"}, cases(o.NotAcknowledged), "a case without facts yet, in upptäcka, too")
		assert.Nil(t, o.NotAcknowledged[0].DueAt)
		assert.Equal(t, "/api/v1/cases/busy", *o.Overdue[0].Case)
		require.Len(t, o.Deviations, 2)
		assert.Equal(t, "closed", o.Deviations[0].CaseID, "oldest first")
		assert.Nil(t, o.Deviations[0].Case, "the school has no part in that case, only the deviation")
		assert.Equal(t, link{Method: "POST", Path: "/api/v1/cases/closed/deviations/avv-2/handling"}, o.Deviations[0].Handling)
		require.NotNil(t, o.Deviations[1].Case)
		assert.Equal(t, "/api/v1/cases/busy", *o.Deviations[1].Case)
		require.Len(t, o.Escalations.Items, 1)
		assert.Equal(t, "oen-1", o.Escalations.Items[0].DisagreementID)
	})
	t.Run("all of a supervisor's units in a municipality", func(t *testing.T) {
		o := get("david", "?municipality=norrkoping", http.StatusOK)
		assert.Len(t, o.Units, 4, "förskola, gymnasium, KAA and the school")
		assert.Equal(t, 3, o.OpenCases.Total)
		o = get("karin", "?municipality=norrkoping", http.StatusOK)
		assert.Equal(t, 1, o.OpenCases.Total, "BUP takes part in one case")
		assert.Empty(t, o.Deviations, "none of the deviations is BUP's or BVC's")
	})
	t.Run("a unit of theirs with nothing open", func(t *testing.T) {
		o := get("david", "?unit=norrkoping-kaa", http.StatusOK)
		assert.Zero(t, o.OpenCases.Total)
		assert.Empty(t, o.Deviations)
	})
	t.Run("who may not, and what is not asked right", func(t *testing.T) {
		get("david", "?unit=norrkoping-bup", http.StatusForbidden)
		get("david", "?municipality=lulea", http.StatusForbidden)
		get("david", "?municipality=atlantis", http.StatusBadRequest)
		get("david", "?unit=norrkoping-kaa&municipality=norrkoping", http.StatusBadRequest)
		for _, token := range []string{"anna", "stina", "adam", "lars"} {
			get(token, "", http.StatusForbidden)
		}
	})
	t.Run("each read is in the access log", func(t *testing.T) {
		rows, err := d.AccessLog(ctx, db.AccessFilter{})
		require.NoError(t, err)
		n := 0
		for _, r := range rows {
			if r.Action == accesslog.Oversight {
				n++
			}
		}
		assert.GreaterOrEqual(t, n, 5)
	})
}
