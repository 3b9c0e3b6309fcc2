package db_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db/dbtest"
)

var allMigrations = []string{"0001_directory", "0002_case_read_model", "0003_case_tasks_and_access", "0004_access_log", "0005_notifications", "0006_case_facts", "0007_web_sessions", "0008_idempotency_keys", "0009_case_archive", "0010_case_events", "0011_erased_case_facts", "0012_case_snapshots"}

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("an empty database is at version 0 with every migration pending", func(t *testing.T) {
		d := dbtest.OpenEmpty(t)
		v, err := d.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 0, v)
		pending, err := d.PendingMigrations(ctx)
		require.NoError(t, err)
		assert.Equal(t, allMigrations, pending)
	})

	t.Run("migrating from empty applies every migration in order and records it", func(t *testing.T) {
		d := dbtest.OpenEmpty(t)
		before := time.Now().Add(-time.Minute)
		applied, err := d.Migrate(ctx)
		require.NoError(t, err)
		assert.Equal(t, allMigrations, applied)

		v, err := d.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, latestMigration(t), v)
		pending, err := d.PendingMigrations(ctx)
		require.NoError(t, err)
		assert.Empty(t, pending)

		var rows []struct {
			Version   int
			Name      string
			AppliedAt time.Time
		}
		require.NoError(t, d.Gorm().WithContext(ctx).Raw(
			"SELECT version, name, applied_at FROM schema_migrations ORDER BY version").Scan(&rows).Error)
		require.Len(t, rows, len(allMigrations))
		assert.Equal(t, 1, rows[0].Version)
		assert.Equal(t, "directory", rows[0].Name)
		assert.Equal(t, 2, rows[1].Version)
		assert.Equal(t, "case_read_model", rows[1].Name)
		for _, r := range rows {
			assert.True(t, r.AppliedAt.After(before), "applied_at %v", r.AppliedAt)
		}

		// The tables are there and empty.
		for _, table := range []string{"principals", "municipalities", "policies", "units", "users", "user_roles", "cases",
			"case_tasks", "case_access", "access_log", "access_alerts", "access_reviews", "access_review_items",
			"notifications", "mail_outbox"} {
			var n int64
			require.NoError(t, d.Gorm().WithContext(ctx).Table(table).Count(&n).Error, table)
			assert.Zero(t, n, table)
		}
	})

	t.Run("migrating twice is a no-op", func(t *testing.T) {
		d := dbtest.Open(t)
		applied, err := d.Migrate(ctx)
		require.NoError(t, err)
		assert.Empty(t, applied)
		v, err := d.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, latestMigration(t), v)
	})

	t.Run("processes migrating at once apply each migration exactly once", func(t *testing.T) {
		opts := dbtest.Fresh(t)
		const n = 4
		var wg sync.WaitGroup
		results := make([][]string, n)
		errs := make([]error, n)
		for i := range n {
			d := dbtest.OpenWith(t, opts) // each its own pool, as separate processes would have
			wg.Go(func() { results[i], errs[i] = d.Migrate(ctx) })
		}
		wg.Wait()
		count := map[string]int{}
		for i := range n {
			require.NoError(t, errs[i])
			for _, m := range results[i] {
				count[m]++
			}
		}
		for _, m := range allMigrations {
			assert.Equal(t, 1, count[m], m)
		}
	})
}

// latestMigration is the version of the last migration; versions may leave a gap (a number taken by
// a change not yet merged), so it is not the count.
func latestMigration(t *testing.T) int {
	last := allMigrations[len(allMigrations)-1]
	v, err := strconv.Atoi(last[:4])
	require.NoError(t, err)
	return v
}
