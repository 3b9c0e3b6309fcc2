package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func factsOf(opened time.Time, closed *time.Time, pending bool, json string) *db.CaseFacts {
	return &db.CaseFacts{OpenedAt: opened, ClosedAt: closed, PendingDeviations: pending, JSON: []byte(json)}
}

func factsByID(rows []db.FactsRow) map[string]db.FactsRow {
	out := map[string]db.FactsRow{}
	for _, r := range rows {
		out[r.CaseID] = r
	}
	return out
}

func TestCaseFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	day := func(y int, m time.Month, dd int) time.Time {
		return time.Date(y, m, dd, 9, 0, 0, 0, casework.Stockholm)
	}
	year := func(y int) (time.Time, time.Time) {
		return time.Date(y, 1, 1, 0, 0, 0, 0, casework.Stockholm), time.Date(y+1, 1, 1, 0, 0, 0, 0, casework.Stockholm)
	}
	project := func(id string, seq int64, f *db.CaseFacts, access ...db.CaseAccess) {
		t.Helper()
		row := aCase(id, seq)
		if f != nil {
			row.OpenedAt = f.OpenedAt
		}
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: row, Facts: f, Access: access}))
	}
	inYear := func(y int, municipalities ...string) map[string]db.FactsRow {
		t.Helper()
		from, to := year(y)
		rows, err := d.FactsInPeriod(ctx, from, to, municipalities)
		require.NoError(t, err)
		return factsByID(rows)
	}

	t.Run("the facts are stored with the row and replaced by a newer projection", func(t *testing.T) {
		project("f1", 1, factsOf(day(2025, 3, 3), nil, false, `{"ageBand":"6-9"}`))
		project("f1", 2, factsOf(day(2025, 3, 3), nil, false, `{"ageBand":"10-12"}`))
		got := inYear(2025)["f1"]
		assert.JSONEq(t, `{"ageBand":"10-12"}`, string(got.JSON))
		assert.Equal(t, "norrkoping", got.MunicipalityID)
		assert.Equal(t, "upptäcka", got.Phase)
		assert.True(t, day(2025, 3, 3).Equal(got.OpenedAt))
	})
	t.Run("a stale or repeated projection leaves the newer facts", func(t *testing.T) {
		project("f1", 1, factsOf(day(2025, 3, 3), nil, false, `{"ageBand":"0-5"}`))
		project("f1", 2, factsOf(day(2025, 3, 3), nil, false, `{"ageBand":"0-5"}`))
		assert.JSONEq(t, `{"ageBand":"10-12"}`, string(inYear(2025)["f1"].JSON))
	})
	t.Run("a newer projection without facts removes them with the rest of the old projection", func(t *testing.T) {
		project("f1", 3, nil)
		assert.NotContains(t, inYear(2025), "f1")
		project("f1", 4, factsOf(day(2025, 3, 3), nil, false, `{"ageBand":"13-15"}`))
		assert.Contains(t, inYear(2025), "f1")
	})
	t.Run("a year holds the cases open at some time in it", func(t *testing.T) {
		closedIn := func(y int, m time.Month, dd int) *time.Time { c := day(y, m, dd); return &c }
		project("before", 1, factsOf(day(2024, 5, 1), closedIn(2024, 12, 30), false, `{}`))
		project("across", 1, factsOf(day(2024, 11, 1), closedIn(2025, 1, 8), false, `{}`))
		project("still", 1, factsOf(day(2024, 2, 1), nil, false, `{}`))
		project("after", 1, factsOf(day(2026, 1, 2), nil, false, `{}`))
		project("newyear", 1, factsOf(time.Date(2025, 12, 31, 23, 30, 0, 0, casework.Stockholm), nil, false, `{}`))
		got := inYear(2025)
		for _, id := range []string{"across", "still", "newyear", "f1"} {
			assert.Contains(t, got, id)
		}
		for _, id := range []string{"before", "after"} {
			assert.NotContains(t, got, id)
		}
		require.NotNil(t, got["across"].ClosedAt)
		assert.True(t, day(2025, 1, 8).Equal(*got["across"].ClosedAt))
		assert.Empty(t, inYear(2025, "lulea"), "another municipality's year")
		assert.Len(t, inYear(2025, "norrkoping", "lulea"), 4)
	})
	t.Run("the oversight lists the viewers' open cases and every case with a pending deviation", func(t *testing.T) {
		school := db.CaseAccess{Relation: casework.AccessNamedPersonUnit, UnitID: "norrkoping-skola-1"}
		project("o-open", 1, factsOf(day(2026, 1, 12), nil, false, `{}`), school)
		closed := aCase("o-closed", 1)
		closed.Phase = string(casework.PhaseClosed)
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: closed, Access: []db.CaseAccess{school},
			Facts: factsOf(closed.OpenedAt, &closed.OpenedAt, false, `{}`)}))
		pending := aCase("o-pending", 1)
		pending.Phase = string(casework.PhaseClosed)
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: pending,
			Facts: factsOf(pending.OpenedAt, &pending.OpenedAt, true, `{"deviations":[]}`)}))
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("o-nofacts", 1), Access: []db.CaseAccess{school}}))

		rows, err := d.OversightFacts(ctx, []db.Viewer{david, {User: "david.chef", Role: casework.RoleSupervisor, Unit: "norrkoping-kaa"}})
		require.NoError(t, err)
		got := factsByID(rows)
		assert.True(t, got["o-open"].Visible)
		assert.NotContains(t, got, "o-closed", "a closed case without pending deviations")
		assert.Contains(t, got, "o-pending")
		assert.False(t, got["o-pending"].Visible, "no access: listed for its deviation only")
		require.Contains(t, got, "o-nofacts")
		assert.Nil(t, got["o-nofacts"].JSON)
		assert.False(t, got["o-nofacts"].OpenedAt.IsZero())

		rows, err = d.OversightFacts(ctx, []db.Viewer{lars})
		require.NoError(t, err)
		assert.Equal(t, []string{"o-pending"}, idsOfFacts(rows), "lars's unit has no part in any of them")
	})
}

func idsOfFacts(rows []db.FactsRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.CaseID)
	}
	return out
}
