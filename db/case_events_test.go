package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func anEvent(caseID string, seq int64, body string) db.CaseEventRow {
	at := time.Date(2026, 2, 2, 8, 0, int(seq), 0, time.UTC)
	return db.CaseEventRow{CaseID: caseID, Seq: seq, Kind: "step", OccurredAt: at, RecordedAt: at.Add(time.Minute),
		ByUser: "bertil.rektor", ByRole: "named_person", ByUnit: "norrkoping-skola-1", Body: []byte(body)}
}

func TestCaseEventsAreWrittenOnceAndInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-ev", 2), Events: []db.CaseEventRow{anEvent("c-ev", 1, "a"), anEvent("c-ev", 2, "b")}}))
	// A retried projection carries the same events again, and one more: each is written once, the
	// first write kept.
	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-ev", 2), Events: []db.CaseEventRow{anEvent("c-ev", 2, "b-again"), anEvent("c-ev", 3, "c")}}))
	// A projection whose row is older than the stored one still writes its events: an event never
	// changes once recorded, whatever the case's row.
	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-ev", 1), Events: []db.CaseEventRow{anEvent("c-ev", 4, "d")}}))

	rows, err := d.CaseEvents(ctx, "c-ev")
	require.NoError(t, err)
	require.Len(t, rows, 4)
	for i, r := range rows {
		require.Equal(t, int64(i+1), r.Seq)
	}
	require.Equal(t, anEvent("c-ev", 1, "a"), rows[0])
	require.Equal(t, "b", string(rows[1].Body))
	require.Equal(t, "d", string(rows[3].Body))

	none, err := d.CaseEvents(ctx, "c-other")
	require.NoError(t, err)
	require.Empty(t, none)

	require.Error(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-ev", 3), Events: []db.CaseEventRow{anEvent("c-ev", 0, "zero")}}),
		"events are numbered from 1")
}

func TestCaseEventsAreErasedWithTheCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-gone", 1), Events: []db.CaseEventRow{anEvent("c-gone", 1, "a")}}))
	require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("c-kept", 1), Events: []db.CaseEventRow{anEvent("c-kept", 1, "a")}}))
	closed := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := db.ArchivedCase{CaseID: "c-gone", WorkflowID: "case-c-gone", MunicipalityID: "norrkoping", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
		OpenedAt: closed.Add(-time.Hour), ClosedAt: closed, ArchivedAt: closed, EraseAfter: closed.Add(time.Hour), Content: []byte("sealed")}
	_, err := d.ArchiveCase(ctx, a)
	require.NoError(t, err)
	erased, err := d.EraseCase(ctx, a, closed.Add(2*time.Hour), nil) // no facts to strip
	require.NoError(t, err)
	require.True(t, erased)

	gone, err := d.CaseEvents(ctx, "c-gone")
	require.NoError(t, err)
	require.Empty(t, gone)
	kept, err := d.CaseEvents(ctx, "c-kept")
	require.NoError(t, err)
	require.Len(t, kept, 1)
}
