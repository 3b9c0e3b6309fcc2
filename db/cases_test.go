package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestUpsertCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	t.Run("a new case is stored with NULLs for what it does not have yet", func(t *testing.T) {
		row := aCase("c-new", 1)
		row.NamedPersonUnitID = ""
		require.NoError(t, d.UpsertCase(ctx, row))
		got, err := d.Case(ctx, "c-new")
		require.NoError(t, err)
		assert.Equal(t, "", got.NamedPersonUnitID)
		assert.Equal(t, casework.DeadlineKind(""), got.NextDeadlineKind)
		assert.Nil(t, got.NextDeadlineAt)
		assert.False(t, got.Overdue)

		var nulls int64
		require.NoError(t, d.Gorm().WithContext(ctx).Table("cases").
			Where("case_id = ? AND named_person_unit_id IS NULL AND next_deadline_at IS NULL", "c-new").
			Count(&nulls).Error)
		assert.EqualValues(t, 1, nulls, "empty values are NULL in the database, not ''")
	})

	t.Run("a newer projection replaces the stored one", func(t *testing.T) {
		require.NoError(t, d.UpsertCase(ctx, aCase("c-seq", 1)))
		newer := aCase("c-seq", 5)
		newer.Phase = "kartlägga"
		newer.Overdue, newer.SuspectsHarm = true, true
		due := time.Date(2026, 2, 4, 22, 59, 59, 0, time.UTC)
		newer.NextDeadlineKind, newer.NextDeadlineAt = casework.DeadlineAcknowledge, &due
		require.NoError(t, d.UpsertCase(ctx, newer))

		got, err := d.Case(ctx, "c-seq")
		require.NoError(t, err)
		assert.EqualValues(t, 5, got.StateSeq)
		assert.Equal(t, "kartlägga", got.Phase)
		assert.True(t, got.Overdue)
		assert.True(t, got.SuspectsHarm)
		assert.Equal(t, casework.DeadlineAcknowledge, got.NextDeadlineKind)
		require.NotNil(t, got.NextDeadlineAt)
		assert.True(t, due.Equal(*got.NextDeadlineAt))
	})

	t.Run("a stale or repeated projection is ignored", func(t *testing.T) {
		for _, seq := range []int64{4, 5} {
			stale := aCase("c-seq", seq)
			stale.Phase = "upptäcka"
			require.NoError(t, d.UpsertCase(ctx, stale))
		}
		got, err := d.Case(ctx, "c-seq")
		require.NoError(t, err)
		assert.EqualValues(t, 5, got.StateSeq)
		assert.Equal(t, "kartlägga", got.Phase)
		assert.True(t, got.Overdue)
		assert.NotNil(t, got.NextDeadlineAt)
	})

	t.Run("an incomplete projection is refused", func(t *testing.T) {
		row := aCase("c-bad", 1)
		row.NextDeadlineKind = casework.DeadlineSummons // without a time
		assert.Error(t, d.UpsertCase(ctx, row))
		row = aCase("c-bad", 1)
		row.Phase = ""
		assert.Error(t, d.UpsertCase(ctx, row))
	})

	t.Run("an unknown case is not found", func(t *testing.T) {
		_, err := d.Case(ctx, "c-none")
		assert.True(t, isNotFound(err), "got %v", err)
	})
}
