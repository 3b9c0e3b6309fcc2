package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("SQLite creates the file and its folder and turns on what every connection needs", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nested", "folder", "samverkan.db")
		d := dbtest.OpenWith(t, db.Options{SQLitePath: path, Logger: dbtest.Logger(t)})
		assert.Equal(t, db.DialectSQLite, d.Dialect())
		assert.FileExists(t, path)

		// Several connections at once: the pragmas must hold on each, not only on the first.
		sqlDB, err := d.Gorm().DB()
		require.NoError(t, err)
		conns := make([]interface{ Close() error }, 0, 3)
		for range 3 {
			c, err := sqlDB.Conn(ctx)
			require.NoError(t, err)
			conns = append(conns, c)
			var fk int
			var mode string
			var timeout int
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout))
			assert.Equal(t, 1, fk, "foreign_keys")
			assert.Equal(t, "wal", mode, "journal_mode")
			assert.Equal(t, 5000, timeout, "busy_timeout")
		}
		for _, c := range conns {
			require.NoError(t, c.Close())
		}
	})

	t.Run("sqlite:PATH in the URL names the file when no path is given", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "from-url.db")
		d := dbtest.OpenWith(t, db.Options{URL: "sqlite:" + path, Logger: dbtest.Logger(t)})
		assert.Equal(t, db.DialectSQLite, d.Dialect())
		assert.FileExists(t, path)
	})

	t.Run("an unreachable PostgreSQL is an error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := db.Open(ctx, db.Options{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable", Logger: dbtest.Logger(t)})
		assert.Error(t, err)
	})

	t.Run("no URL and no path is an error", func(t *testing.T) {
		_, err := db.Open(ctx, db.Options{})
		assert.Error(t, err)
	})

	t.Run("the test database answers a ping", func(t *testing.T) {
		d := dbtest.Open(t)
		require.NoError(t, d.Ping(ctx))
		if dbtest.IsPostgres() {
			assert.Equal(t, db.DialectPostgres, d.Dialect())
		}
	})
}

func TestForeignKeysAreEnforced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	t.Run("a role in a unit that does not exist is refused", func(t *testing.T) {
		err := d.Gorm().WithContext(ctx).Exec(
			"INSERT INTO user_roles (user_id, unit_id, role) VALUES (?, ?, ?)",
			"anna.larare", "no-such-unit", "reporter").Error
		assert.Error(t, err)
	})

	t.Run("a case in a municipality that does not exist is refused", func(t *testing.T) {
		row := aCase("c-fk-1", 1)
		row.MunicipalityID = "atlantis"
		assert.Error(t, d.UpsertCase(ctx, row))
	})

	t.Run("a case on a policy version that is not stored is refused", func(t *testing.T) {
		row := aCase("c-fk-2", 1)
		row.Policy.Version = 99
		assert.Error(t, d.UpsertCase(ctx, row))
	})

	t.Run("a unit with cases cannot be deleted", func(t *testing.T) {
		require.NoError(t, d.UpsertCase(ctx, aCase("c-fk-3", 1)))
		require.NoError(t, d.Gorm().WithContext(ctx).Exec("DELETE FROM user_roles WHERE unit_id = ?", "norrkoping-skola-1").Error)
		err := d.Gorm().WithContext(ctx).Exec("DELETE FROM units WHERE id = ?", "norrkoping-skola-1").Error
		assert.Error(t, err)
		_, err = d.Unit(ctx, "norrkoping-skola-1")
		assert.NoError(t, err)
	})
}

func TestTimesRoundTripAsTheSameInstantInUTC(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)

	// Summer time in Stockholm and nanoseconds that PostgreSQL cannot keep.
	opened := time.Date(2026, 6, 17, 9, 30, 15, 123456789, stockholm)
	deadline := time.Date(2026, 6, 19, 23, 59, 59, 999999000, stockholm)
	row := aCase("c-time", 1)
	row.OpenedAt = opened
	row.NextDeadlineKind, row.NextDeadlineAt = casework.DeadlineAcknowledge, &deadline
	require.NoError(t, d.UpsertCase(ctx, row))

	got, err := d.Case(ctx, "c-time")
	require.NoError(t, err)
	assert.True(t, got.OpenedAt.Equal(opened.Truncate(time.Microsecond)), "opened %v, want %v", got.OpenedAt, opened)
	assert.Equal(t, time.UTC, got.OpenedAt.Location())
	require.NotNil(t, got.NextDeadlineAt)
	assert.True(t, got.NextDeadlineAt.Equal(deadline), "deadline %v, want %v", got.NextDeadlineAt, deadline)
	assert.Equal(t, time.UTC, got.NextDeadlineAt.Location())
	assert.WithinDuration(t, time.Now(), got.UpdatedAt, time.Minute)

	if d.Dialect() == db.DialectSQLite {
		// The text SQLite holds: UTC in one format, so text order is time order.
		var text string
		require.NoError(t, d.Gorm().WithContext(ctx).Raw(
			"SELECT CAST(opened_at AS TEXT) FROM cases WHERE case_id = ?", "c-time").Scan(&text).Error)
		assert.Equal(t, "2026-06-17 07:30:15.123456+00:00", text)
	}

	t.Run("the database compares stored times in time order", func(t *testing.T) {
		// Written from different zones, compared as instants: on SQLite this holds because every
		// time is stored as UTC text of one format.
		base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		tokyo := time.FixedZone("JST", 9*3600)
		for i, at := range []time.Time{
			base.Add(2 * time.Hour).In(tokyo),
			base.Add(500 * time.Millisecond).In(stockholm),
			base,
		} {
			r := aCase("c-order-"+string(rune('a'+i)), 1)
			r.NextDeadlineKind, r.NextDeadlineAt = casework.DeadlineSummons, &at
			require.NoError(t, d.UpsertCase(ctx, r))
		}
		// A time given as a parameter must be UTC too: PostgreSQL's TIMESTAMP keeps the wall clock
		// of whatever zone pgx is handed.
		var ids []string
		require.NoError(t, d.Gorm().WithContext(ctx).Raw(
			"SELECT case_id FROM cases WHERE case_id LIKE 'c-order-%' AND next_deadline_at > ? ORDER BY next_deadline_at",
			base.Add(-time.Second).UTC()).Scan(&ids).Error)
		assert.Equal(t, []string{"c-order-c", "c-order-b", "c-order-a"}, ids)
	})
}

// aCase is a valid projection of a case in Norrköping at sequence seq.
func aCase(id string, seq int64) db.CaseRow {
	return db.CaseRow{
		CaseID:            id,
		WorkflowID:        "case-" + id,
		MunicipalityID:    "norrkoping",
		Phase:             "upptäcka",
		NamedPersonUnitID: "norrkoping-skola-1",
		Policy:            casework.PolicyRef{ID: "norrkoping", Version: 1},
		OpenedAt:          time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC),
		StateSeq:          seq,
	}
}

func isNotFound(err error) bool { return errors.Is(err, db.ErrNotFound) }
