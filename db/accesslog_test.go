package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// access is a read of a case by user at a time; the child's pseudonym is the case ID's first part.
func access(user, caseID string, at time.Time) db.AccessEntry {
	return db.AccessEntry{At: at, User: user, Role: "named_person", Unit: "norrkoping-skola-1", CaseID: caseID,
		ChildRef: "child-of-" + caseID, Action: "read_case", Outcome: db.OutcomeAllowed, Status: 200,
		ClientAddr: "192.0.2.10", RequestID: "req-" + caseID}
}

func appendAll(t *testing.T, d *db.DB, entries ...db.AccessEntry) []db.AccessRecord {
	t.Helper()
	out := make([]db.AccessRecord, len(entries))
	for i, e := range entries {
		rec, _, err := d.AppendAccess(context.Background(), e, 0)
		require.NoError(t, err)
		out[i] = rec
	}
	return out
}

func TestAccessLogChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 26, 9, 30, 0, 123456789, time.UTC)

	t.Run("appended rows are chained, read back exactly and verify", func(t *testing.T) {
		d := dbtest.Open(t)
		recs := appendAll(t, d, access("bertil.rektor", "c1", base), access("erik.bvc", "c1", base.Add(time.Second)),
			access("bertil.rektor", "c2", base.Add(2*time.Second)))
		for i, r := range recs {
			assert.Equal(t, int64(i+1), r.Seq)
			if i > 0 {
				assert.Equal(t, recs[i-1].Hash, r.PrevHash)
			}
		}
		assert.Equal(t, base.Truncate(time.Microsecond), recs[0].At, "stored in UTC to the microsecond")

		rows, err := d.AccessLog(ctx, db.AccessFilter{CaseID: "c1"})
		require.NoError(t, err)
		require.Len(t, rows, 2)
		assert.Equal(t, recs[:2], rows, "a row reads back as it was hashed")
		rows, err = d.AccessLog(ctx, db.AccessFilter{ChildRef: "child-of-c2"})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		rows, err = d.AccessLog(ctx, db.AccessFilter{From: base.Add(time.Second), To: base.Add(2 * time.Second)})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, "erik.bvc", rows[0].User)

		rep, err := d.VerifyChain(ctx, 0, 0)
		require.NoError(t, err)
		assert.True(t, rep.OK(), "%+v", rep.Breaks)
		assert.Equal(t, int64(3), rep.Checked)
	})

	t.Run("an entry without who or what is refused", func(t *testing.T) {
		d := dbtest.Open(t)
		e := access("", "c1", base)
		_, _, err := d.AppendAccess(ctx, e, 0)
		assert.Error(t, err)
	})

	t.Run("a row changed with SQL is reported, and only that row", func(t *testing.T) {
		d := dbtest.Open(t)
		for i := range 6 {
			appendAll(t, d, access("bertil.rektor", fmt.Sprintf("c%d", i), base.Add(time.Duration(i)*time.Second)))
		}
		require.NoError(t, d.Gorm().Exec("UPDATE access_log SET user_id = ? WHERE seq = ?", "mallory", 4).Error)
		rep, err := d.VerifyChain(ctx, 0, 0)
		require.NoError(t, err)
		require.NotNil(t, rep.FirstBroken())
		assert.Equal(t, []db.ChainBreak{{Seq: 4, Reason: "the row's content does not match its hash"}}, rep.Breaks)
		assert.Equal(t, int64(6), rep.Checked)

		rep, err = d.VerifyChain(ctx, 5, 0)
		require.NoError(t, err)
		assert.True(t, rep.OK(), "the rows after it still chain to its stored hash")
	})

	t.Run("a row rewritten with a fresh hash breaks the link to the next row", func(t *testing.T) {
		d := dbtest.Open(t)
		recs := appendAll(t, d, access("a", "c1", base), access("a", "c2", base), access("a", "c3", base))
		forged := recs[1]
		forged.User = "mallory"
		forged.Hash = forged.ComputeHash()
		require.NoError(t, d.Gorm().Exec("UPDATE access_log SET user_id = ?, hash = ? WHERE seq = 2", forged.User, forged.Hash).Error)
		rep, err := d.VerifyChain(ctx, 0, 0)
		require.NoError(t, err)
		assert.Equal(t, []db.ChainBreak{{Seq: 3, Reason: "prev_hash does not match the hash of the row before"}}, rep.Breaks)
	})

	t.Run("a deleted row is reported as missing", func(t *testing.T) {
		d := dbtest.Open(t)
		appendAll(t, d, access("a", "c1", base), access("a", "c2", base), access("a", "c3", base), access("a", "c4", base))
		require.NoError(t, d.Gorm().Exec("DELETE FROM access_log WHERE seq = 2").Error)
		rep, err := d.VerifyChain(ctx, 0, 0)
		require.NoError(t, err)
		assert.Equal(t, []db.ChainBreak{{Seq: 2, Reason: "rows 2 to 2 are missing"}}, rep.Breaks)

		require.NoError(t, d.Gorm().Exec("DELETE FROM access_log WHERE seq = 4").Error)
		rep, err = d.VerifyChain(ctx, 4, 0)
		require.NoError(t, err)
		assert.Equal(t, []db.ChainBreak{{Seq: 4, Reason: "rows at the end are missing"}}, rep.Breaks,
			"the head still names row 4")
	})
}

func TestAccessLogConcurrentAppendsStayOneChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := dbtest.Fresh(t)
	first := dbtest.OpenWith(t, opts)
	_, err := first.Migrate(ctx)
	require.NoError(t, err)

	const processes, goroutines, each = 3, 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, processes*goroutines*each)
	for p := range processes {
		d := dbtest.OpenWith(t, opts) // a pool of its own, as another API process has
		for g := range goroutines {
			wg.Go(func() {
				for i := range each {
					e := access(fmt.Sprintf("user-%d-%d", p, g), fmt.Sprintf("c%d", i), time.Now())
					if _, _, err := d.AppendAccess(ctx, e, 5); err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	rep, err := first.VerifyChain(ctx, 0, 0)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%+v", rep.Breaks)
	assert.Equal(t, int64(processes*goroutines*each), rep.Checked)

	var alerts int64
	require.NoError(t, first.Gorm().Raw("SELECT COUNT(*) FROM access_alerts").Scan(&alerts).Error)
	assert.Equal(t, int64(processes*goroutines), alerts, "each user went over 5 cases once, and got one alert")
}

func TestAccessAlerts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	const limit = 3
	read := func(user, caseID string, at time.Time) *db.AccessAlert {
		t.Helper()
		_, alert, err := d.AppendAccess(ctx, access(user, caseID, at), limit)
		require.NoError(t, err)
		return alert
	}

	assert.Nil(t, read("olle", "c1", base))
	assert.Nil(t, read("olle", "c1", base.Add(time.Minute)), "the same case again is not another case")
	assert.Nil(t, read("olle", "c2", base.Add(2*time.Minute)))
	assert.Nil(t, read("olle", "c3", base.Add(3*time.Minute)), "at the limit is allowed")
	assert.Nil(t, read("stina", "c4", base.Add(4*time.Minute)), "another user's reads are hers")

	alert := read("olle", "c4", base.Add(5*time.Minute))
	require.NotNil(t, alert, "the fourth distinct case within the hour goes over the limit")
	assert.Equal(t, 4, alert.DistinctCases)
	assert.Equal(t, limit, alert.LimitPerHour)
	assert.Equal(t, "olle", alert.User)
	assert.Equal(t, int64(6), alert.TriggerSeq)

	assert.Nil(t, read("olle", "c5", base.Add(6*time.Minute)), "one alert per user per hour")
	assert.Nil(t, read("olle", "c6", base.Add(65*time.Minute)), "an hour later, c1–c4 have left the window")
	assert.Nil(t, read("olle", "c7", base.Add(66*time.Minute)))
	assert.Nil(t, read("olle", "c8", base.Add(67*time.Minute)))
	assert.NotNil(t, read("olle", "c9", base.Add(68*time.Minute)), "a new burst is a new alert")

	all, err := d.AccessAlerts(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, base.Add(68*time.Minute), all[0].At, "newest first")
	mine, err := d.AccessAlerts(ctx, "norrkoping-skola-1", 0)
	require.NoError(t, err)
	assert.Len(t, mine, 2)
	other, err := d.AccessAlerts(ctx, "lulea-bvc-1", 0)
	require.NoError(t, err)
	assert.Empty(t, other)
}

func TestAccessLogPurgeKeepsTheChainVerifiable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	now := time.Date(2032, 3, 1, 12, 0, 0, 0, time.UTC)
	sixYears, justOverFive, recent := now.AddDate(-6, 0, 0), now.AddDate(-5, 0, -10), now.AddDate(-1, 0, 0)
	appendAll(t, d, access("a", "c1", sixYears), access("a", "c2", sixYears), access("a", "c3", sixYears),
		access("a", "c4", justOverFive), access("a", "c5", recent))

	purged, err := d.PurgeAccessLog(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, int64(3), purged, "rows 5 years and 10 days old are inside the margin and kept")
	rep, err := d.VerifyChain(ctx, 0, 0)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%+v", rep.Breaks)
	assert.Equal(t, int64(4), rep.From)
	assert.Equal(t, int64(2), rep.Checked)

	appendAll(t, d, access("a", "c6", now))
	rep, err = d.VerifyChain(ctx, 0, 0)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%+v", rep.Breaks)
	assert.Equal(t, int64(3), rep.Checked)

	purged, err = d.PurgeAccessLog(ctx, now)
	require.NoError(t, err)
	assert.Zero(t, purged, "nothing more is old enough")

	t.Run("a row older than the cutoff after a younger one is kept, so the chain has no hole", func(t *testing.T) {
		d := dbtest.Open(t)
		appendAll(t, d, access("a", "c1", sixYears), access("a", "c2", recent), access("a", "c3", sixYears))
		purged, err := d.PurgeAccessLog(ctx, now)
		require.NoError(t, err)
		assert.Equal(t, int64(1), purged)
		rep, err := d.VerifyChain(ctx, 0, 0)
		require.NoError(t, err)
		assert.True(t, rep.OK(), "%+v", rep.Breaks)
	})
}
