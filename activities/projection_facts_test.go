package activities

import (
	"context"
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
	projection := func(seq int64, f *report.Facts) CaseProjection {
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

	require.NoError(t, a.ProjectCase(ctx, projection(1, &report.Facts{AgeBand: "13-15", OpenedAt: opened,
		Deviations: []report.DeviationFact{{ID: "avv-1", Kind: "reported", UnitID: "norrkoping-skola-1", OccurredAt: opened}}})))
	require.Contains(t, stored(), `"ageBand":"13-15"`)
	rows, err := d.OversightFacts(ctx, nil)
	require.NoError(t, err)
	require.Len(t, rows, 1, "an unhandled deviation marks the case as pending")

	require.NoError(t, a.ProjectCase(ctx, projection(2, &report.Facts{AgeBand: "16-17", OpenedAt: opened,
		Deviations: []report.DeviationFact{{ID: "avv-1", Kind: "reported", UnitID: "norrkoping-skola-1", OccurredAt: opened, Handled: true}}})))
	require.NoError(t, a.ProjectCase(ctx, projection(1, &report.Facts{AgeBand: "0-5", OpenedAt: opened})))
	require.Contains(t, stored(), `"ageBand":"16-17"`, "a retried older projection leaves the newer facts")
	rows, err = d.OversightFacts(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, rows, "the handled deviation no longer waits")

	require.NoError(t, a.ProjectCase(ctx, projection(3, &report.Facts{AgeBand: "16-17"})))
	require.Contains(t, stored(), `"ageBand":"16-17"`, "facts without an opening time take the case's")
	require.NoError(t, a.ProjectCase(ctx, projection(4, nil)))
	require.Empty(t, stored(), "a projection without facts removes them, as it does tasks and access")
}
