package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db/dbtest"
	"github.com/samverkan/samverkan/report"
)

// TestProjectCaseFacts: the facts go to the read model with the row and under its StateSeq rule.
func TestProjectCaseFacts(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	a := &Activities{DB: d, Logger: dbtest.Logger(t)}
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, casework.Stockholm)
	projection := func(seq int64, f *CaseFacts) CaseProjection {
		return CaseProjection{CaseID: "case-f", WorkflowID: "case-x", Municipality: "norrkoping", Phase: casework.PhaseUpptacka,
			NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1}, OpenedAt: opened,
			StateSeq: seq, Facts: f}
	}
	stored := func() string {
		rows, err := d.FactsInPeriod(ctx, opened.AddDate(0, -1, 0), opened.AddDate(0, 1, 0), nil)
		require.NoError(t, err)
		if len(rows) == 0 {
			return ""
		}
		return string(rows[0].JSON)
	}

	require.NoError(t, a.ProjectCase(ctx, projection(1, &CaseFacts{AgeBand: "13-15", OpenedAt: opened,
		Deviations: []DeviationFact{{ID: "avv-1", Kind: "reported", UnitID: "norrkoping-skola-1", OccurredAt: opened}}})))
	require.Contains(t, stored(), `"ageBand":"13-15"`)
	rows, err := d.OversightFacts(ctx, nil)
	require.NoError(t, err)
	require.Len(t, rows, 1, "an unhandled deviation marks the case as pending")

	require.NoError(t, a.ProjectCase(ctx, projection(2, &CaseFacts{AgeBand: "16-17", OpenedAt: opened,
		Deviations: []DeviationFact{{ID: "avv-1", Kind: "reported", UnitID: "norrkoping-skola-1", OccurredAt: opened, Handled: true}}})))
	require.NoError(t, a.ProjectCase(ctx, projection(1, &CaseFacts{AgeBand: "0-5", OpenedAt: opened})))
	require.Contains(t, stored(), `"ageBand":"16-17"`, "a retried older projection leaves the newer facts")
	rows, err = d.OversightFacts(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, rows, "the handled deviation no longer waits")

	require.NoError(t, a.ProjectCase(ctx, projection(3, &CaseFacts{AgeBand: "16-17"})))
	require.Contains(t, stored(), `"ageBand":"16-17"`, "facts without an opening time take the case's")
	require.NoError(t, a.ProjectCase(ctx, projection(4, nil)))
	require.Empty(t, stored(), "a projection without facts removes them, as it does tasks and access")
}

// TestFactsReadAsReportsReadThem: the reports read the facts' JSON with types of their own
// (report.Facts: api may not import activities). Every field of the contract, set, must be read
// back as it was written – a field added here and not there fails this test.
func TestFactsReadAsReportsReadThem(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, casework.Stockholm)
	two := 2
	full := CaseFacts{AgeBand: "13-15", Areas: []casework.WheelArea{casework.AreaHalsa}, NamedPersonUnitKind: casework.UnitSchool,
		AgencyKinds: []casework.UnitKind{casework.UnitBUP}, OpenedAt: at, ClosedAt: &at, CloseReason: "needs_met",
		Deadlines:      []DeadlineFact{{Kind: casework.DeadlineSummons, StartedAt: at, DueAt: at, DoneAt: &at, Status: "met", WorkingDays: &two}},
		ConsentRefused: true, ConsentRevoked: true, PlansEstablished: 2, FirstPlanAt: &at,
		Deviations: []DeviationFact{{ID: "avv-1", Kind: "missed_deadline", DeadlineKind: casework.DeadlineSummons, UnitID: "u",
			OccurredAt: at, Handled: true, Withdrawn: true}},
		Escalations: []EscalationFact{{Disagreement: "oen-1", Step: 1, Level: "delregion", StartedAt: at, Decided: true, Open: true}},
		Placement:   "acute", HandedOver: 1, Reopened: 1}
	written, err := json.Marshal(full)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(written))
	dec.DisallowUnknownFields()
	var read report.Facts
	require.NoError(t, dec.Decode(&read), "a field the reports do not read")
	again, err := json.Marshal(read)
	require.NoError(t, err)
	require.JSONEq(t, string(written), string(again), "a field the reports read differently")
	parsed, err := report.ParseFacts(written)
	require.NoError(t, err)
	require.Equal(t, read, parsed)
}
