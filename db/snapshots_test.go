package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// withSnapshot is the projection of aCase(id, seq) carrying the sealed state body.
func withSnapshot(id string, seq int64, body string) db.CaseProjection {
	return db.CaseProjection{Case: aCase(id, seq), Snapshot: &db.CaseSnapshot{CaseID: id, StateSeq: seq, State: []byte(body)}}
}

func TestCaseSnapshotFollowsTheStateSequence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	read := func(id string) (int64, string) {
		t.Helper()
		s, err := d.CaseSnapshot(ctx, id)
		require.NoError(t, err)
		return s.StateSeq, string(s.State)
	}
	requireState := func(id string, seq int64, body string) {
		t.Helper()
		gotSeq, gotBody := read(id)
		require.Equal(t, seq, gotSeq)
		require.Equal(t, body, gotBody)
	}

	t.Run("a case never projected with its state has none", func(t *testing.T) {
		_, err := d.CaseSnapshot(ctx, "s-none")
		require.ErrorIs(t, err, db.ErrNotFound)
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("s-none", 1)}))
		_, err = d.CaseSnapshot(ctx, "s-none")
		require.ErrorIs(t, err, db.ErrNotFound)
	})
	t.Run("the projection writes it with the row, and a newer one replaces it", func(t *testing.T) {
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 1, "one")))
		requireState("s1", 1, "one")
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 2, "two")))
		requireState("s1", 2, "two")
	})
	t.Run("a stale or repeated projection changes nothing", func(t *testing.T) {
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 1, "one again")))
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 2, "two again")))
		requireState("s1", 2, "two")
	})
	t.Run("a rewrite takes the same state sequence, never an older one", func(t *testing.T) {
		p := withSnapshot("s1", 2, "two rewritten")
		p.Rewrite = true
		require.NoError(t, d.ProjectCase(ctx, p))
		requireState("s1", 2, "two rewritten")
		p = withSnapshot("s1", 1, "one rewritten")
		p.Rewrite = true
		require.NoError(t, d.ProjectCase(ctx, p))
		requireState("s1", 2, "two rewritten")
	})
	t.Run("the state a command left is read before its projection arrives, which keeps it", func(t *testing.T) {
		require.NoError(t, d.StoreCaseSnapshot(ctx, db.CaseSnapshot{CaseID: "s1", StateSeq: 3, State: []byte("three by the api")}))
		requireState("s1", 3, "three by the api")
		require.NoError(t, d.StoreCaseSnapshot(ctx, db.CaseSnapshot{CaseID: "s1", StateSeq: 2, State: []byte("two by the api")}))
		requireState("s1", 3, "three by the api")
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 3, "three projected")))
		requireState("s1", 3, "three by the api")
		row, err := d.Case(ctx, "s1")
		require.NoError(t, err)
		require.EqualValues(t, 3, row.StateSeq, "the row follows whatever the snapshot")
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 4, "four")))
		requireState("s1", 4, "four")
	})
	t.Run("a row projected past the snapshot without one leaves it unread", func(t *testing.T) {
		// A release before snapshots (a rollback) projects rows without them.
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("s1", 5)}))
		_, err := d.CaseSnapshot(ctx, "s1")
		require.ErrorIs(t, err, db.ErrNotFound)
		require.NoError(t, d.ProjectCase(ctx, withSnapshot("s1", 6, "six")))
		requireState("s1", 6, "six")
	})
	t.Run("a snapshot of another state than the row's is refused and nothing is written", func(t *testing.T) {
		p := withSnapshot("s1", 7, "seven")
		p.Snapshot.StateSeq = 8
		require.Error(t, d.ProjectCase(ctx, p))
		p = withSnapshot("s1", 7, "seven")
		p.Snapshot.CaseID = "s2"
		require.Error(t, d.ProjectCase(ctx, p))
		require.Error(t, d.ProjectCase(ctx, withSnapshot("s1", 7, "")))
		require.Error(t, d.StoreCaseSnapshot(ctx, db.CaseSnapshot{CaseID: "s1", StateSeq: 0, State: []byte("zero")}))
		requireState("s1", 6, "six")
		row, err := d.Case(ctx, "s1")
		require.NoError(t, err)
		require.EqualValues(t, 6, row.StateSeq)
	})
	t.Run("projections racing in any order leave the newest", func(t *testing.T) {
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for _, i := range rand.Perm(n) {
			wg.Go(func() {
				seq := int64(i + 1)
				if i%3 == 0 {
					errs[i] = d.StoreCaseSnapshot(ctx, db.CaseSnapshot{CaseID: "s-race", StateSeq: seq, State: fmt.Appendf(nil, "state %02d", seq)})
					return
				}
				errs[i] = d.ProjectCase(ctx, withSnapshot("s-race", seq, fmt.Sprintf("state %02d", seq)))
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		requireState("s-race", n, fmt.Sprintf("state %02d", n))
	})
}

func TestCaseSnapshotGoesWithTheArchiveAndTheErasure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	closed := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	archived := func(id string) db.ArchivedCase {
		return db.ArchivedCase{CaseID: id, WorkflowID: "case-" + id, MunicipalityID: "norrkoping", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
			OpenedAt: closed.Add(-time.Hour), ClosedAt: closed, ArchivedAt: closed, EraseAfter: closed.Add(time.Hour), Content: []byte("sealed")}
	}
	for _, id := range []string{"s-archived", "s-live"} {
		require.NoError(t, d.ProjectCase(ctx, withSnapshot(id, 1, "state of "+id)))
	}
	created, err := d.ArchiveCase(ctx, archived("s-archived"))
	require.NoError(t, err)
	require.True(t, created)
	_, err = d.CaseSnapshot(ctx, "s-archived")
	require.ErrorIs(t, err, db.ErrNotFound, "the archive holds the final state; the snapshot goes")

	// One written after the archive (the API's, of a command answered just before the case closed)
	// goes with the erasure.
	require.NoError(t, d.StoreCaseSnapshot(ctx, db.CaseSnapshot{CaseID: "s-archived", StateSeq: 2, State: []byte("late")}))
	erased, err := d.EraseCase(ctx, archived("s-archived"), closed.Add(2*time.Hour), nil)
	require.NoError(t, err)
	require.True(t, erased)
	var left int64
	require.NoError(t, d.Gorm().Raw("SELECT COUNT(*) FROM case_snapshots WHERE case_id = ?", "s-archived").Scan(&left).Error)
	require.Zero(t, left)
	kept, err := d.CaseSnapshot(ctx, "s-live")
	require.NoError(t, err)
	require.Equal(t, "state of s-live", string(kept.State))
}
