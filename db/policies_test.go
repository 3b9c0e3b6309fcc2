package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestSavePolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	v1 := casework.Norrbus()
	require.NoError(t, d.SavePolicy(ctx, v1))

	t.Run("a stored version reads back as it was saved", func(t *testing.T) {
		got, err := d.Policy(ctx, "norrbus", 1)
		require.NoError(t, err)
		assert.Equal(t, v1, got)
	})

	t.Run("saving the same version with the same body again is a no-op", func(t *testing.T) {
		require.NoError(t, d.SavePolicy(ctx, casework.Norrbus()))
		var n int64
		require.NoError(t, d.Gorm().WithContext(ctx).Table("policies").Where("id = ?", "norrbus").Count(&n).Error)
		assert.EqualValues(t, 1, n)
	})

	t.Run("saving a different body under a stored version is a conflict", func(t *testing.T) {
		changed := casework.Norrbus()
		changed.UpperAge = 18
		err := d.SavePolicy(ctx, changed)
		assert.ErrorIs(t, err, db.ErrConflict)
		got, err := d.Policy(ctx, "norrbus", 1)
		require.NoError(t, err)
		assert.Equal(t, 20, got.UpperAge, "the stored version is unchanged")
	})

	t.Run("a new version above the newest is stored and becomes the municipality's", func(t *testing.T) {
		require.NoError(t, d.SeedDemo(ctx)) // Luleå uses norrbus
		v3 := casework.Norrbus()
		v3.Version = 3
		v3.UpperAge = 18
		require.NoError(t, d.SavePolicy(ctx, v3))
		m, err := d.Municipality(ctx, "lulea")
		require.NoError(t, err)
		assert.Equal(t, casework.PolicyRef{ID: "norrbus", Version: 3}, m.Policy.PolicyRef)
		assert.Equal(t, 18, m.Policy.UpperAge)
		old, err := d.Policy(ctx, "norrbus", 1)
		require.NoError(t, err)
		assert.Equal(t, 20, old.UpperAge, "running cases keep version 1")
	})

	t.Run("a new version not above the newest is a conflict", func(t *testing.T) {
		v2 := casework.Norrbus()
		v2.Version = 2 // below the stored 3, and never stored itself
		assert.ErrorIs(t, d.SavePolicy(ctx, v2), db.ErrConflict)
		_, err := d.Policy(ctx, "norrbus", 2)
		assert.ErrorIs(t, err, db.ErrNotFound)
	})

	t.Run("an invalid policy is refused with the fields that are wrong", func(t *testing.T) {
		bad := casework.Norrbus()
		bad.Version = 10
		delete(bad.Deadlines, casework.DeadlineAcknowledge)
		err := d.SavePolicy(ctx, bad)
		var v *casework.ValidationError
		require.True(t, errors.As(err, &v), "got %v", err)
		assert.Equal(t, "deadlines.acknowledge", v.Fields[0].Field)
	})

	t.Run("an unknown policy is not found", func(t *testing.T) {
		_, err := d.Policy(ctx, "atlantis", 1)
		assert.ErrorIs(t, err, db.ErrNotFound)
	})
}
