package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestAccessReviews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := dbtest.Fresh(t)
	d := dbtest.OpenWith(t, opts)
	_, err := d.Migrate(ctx)
	require.NoError(t, err)
	week := db.ReviewPeriod{Week: "2026-W47",
		From: time.Date(2026, 11, 15, 23, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)}

	var inWeek []int64
	for i := range 30 {
		rec := appendAll(t, d, access("bertil.rektor", fmt.Sprintf("c%d", i), week.From.Add(time.Duration(i)*time.Hour)))[0]
		inWeek = append(inWeek, rec.Seq)
	}
	appendAll(t, d, access("bertil.rektor", "before", week.From.Add(-time.Second)),
		access("bertil.rektor", "after", week.To))
	other := access("erik.bvc", "c1", week.From.Add(time.Hour))
	other.Unit = "lulea-bvc-1"
	noCase := access("bertil.rektor", "", week.From.Add(time.Hour))
	noCase.Action = "list"
	appendAll(t, d, other, noCase)

	drawnAt := week.To.Add(48 * time.Hour)
	rev, err := d.DrawAccessReview(ctx, "norrkoping-skola-1", week, 20, "david.chef", drawnAt)
	require.NoError(t, err)
	assert.Equal(t, "2026-W47.norrkoping-skola-1", rev.ID)
	assert.Equal(t, 30, rev.Population, "the unit's case accesses within the week, no others")
	require.Len(t, rev.Items, 20)
	for i, it := range rev.Items {
		assert.Contains(t, inWeek, it.Seq)
		if i > 0 {
			assert.Less(t, rev.Items[i-1].Seq, it.Seq, "in chain order")
		}
	}
	assert.Nil(t, rev.SignedOffAt)
	assert.Equal(t, "david.chef", rev.DrawnBy)
	assert.Equal(t, drawnAt, rev.DrawnAt)

	t.Run("a review once drawn keeps its sample, whoever asks and from which process", func(t *testing.T) {
		var wg sync.WaitGroup
		got := make([]db.AccessReview, 3)
		errs := make([]error, 3)
		for i := range got {
			h := dbtest.OpenWith(t, opts)
			wg.Go(func() { got[i], errs[i] = h.DrawAccessReview(ctx, "norrkoping-skola-1", week, 5, "other", time.Now()) })
		}
		wg.Wait()
		for i := range got {
			require.NoError(t, errs[i])
			assert.Equal(t, rev, got[i])
		}
	})

	t.Run("two processes drawing a new review at once store one sample", func(t *testing.T) {
		next := db.ReviewPeriod{Week: "2026-W46", From: week.From.AddDate(0, 0, -7), To: week.From}
		for i := range 10 {
			appendAll(t, d, access("bertil.rektor", fmt.Sprintf("w46-%d", i), next.From.Add(time.Duration(i)*time.Hour)))
		}
		var wg sync.WaitGroup
		got := make([]db.AccessReview, 4)
		errs := make([]error, 4)
		for i := range got {
			h := dbtest.OpenWith(t, opts)
			wg.Go(func() {
				got[i], errs[i] = h.DrawAccessReview(ctx, "norrkoping-skola-1", next, 3, "david.chef", drawnAt)
			})
		}
		wg.Wait()
		for i := range got {
			require.NoError(t, errs[i])
			assert.Equal(t, got[0], got[i])
		}
		assert.Len(t, got[0].Items, 3)
	})

	t.Run("a week with fewer accesses than the sample size is reviewed whole", func(t *testing.T) {
		empty := db.ReviewPeriod{Week: "2026-W40", From: week.From.AddDate(0, 0, -49), To: week.From.AddDate(0, 0, -42)}
		r, err := d.DrawAccessReview(ctx, "norrkoping-skola-1", empty, 20, "david.chef", drawnAt)
		require.NoError(t, err)
		assert.Zero(t, r.Population)
		assert.Empty(t, r.Items)
	})

	t.Run("the supervisor signs off once, and the sign-off is recorded", func(t *testing.T) {
		at := drawnAt.Add(time.Hour)
		signed, err := d.SignOffAccessReview(ctx, rev.ID, "david.chef", "Alla slagningar hade stöd i ärendena.", at)
		require.NoError(t, err)
		require.NotNil(t, signed.SignedOffAt)
		assert.Equal(t, at, *signed.SignedOffAt)
		assert.Equal(t, "david.chef", signed.SignedOffBy)
		assert.Equal(t, "Alla slagningar hade stöd i ärendena.", signed.Note)
		assert.Equal(t, rev.Items, signed.Items)

		_, err = d.SignOffAccessReview(ctx, rev.ID, "someone.else", "again", at)
		assert.True(t, errors.Is(err, db.ErrConflict), "%v", err)
		_, err = d.SignOffAccessReview(ctx, "2026-W47.no-such-unit", "david.chef", "", at)
		assert.True(t, errors.Is(err, db.ErrNotFound), "%v", err)

		list, err := d.AccessReviews(ctx, "norrkoping-skola-1", 0)
		require.NoError(t, err)
		require.Len(t, list, 3)
		assert.Equal(t, "2026-W47", list[0].Period.Week, "newest week first")
		assert.Equal(t, "david.chef", list[0].SignedOffBy)
		none, err := d.AccessReviews(ctx, "lulea-bvc-1", 0)
		require.NoError(t, err)
		assert.Empty(t, none)
	})
}
