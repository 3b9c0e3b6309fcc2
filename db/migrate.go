package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The migrations are part of the binary, so a release always carries the schema it expects. Files
// are named NNNN_name.sql and run in version order; a file, once released, is never edited – a
// change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the PostgreSQL advisory lock every migrating process takes, so instances
// starting together apply each migration once. Any constant works if it is the same everywhere.
const migrationLockKey int64 = 0x73616d766b6e // "samvkn"

type migration struct {
	version int
	name    string // "directory"
	file    string // "0001_directory"
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		file := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(file, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version < 1 || name == "" {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: version, name: name, file: file, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", out[i-1].file, out[i].file)
		}
	}
	return out, nil
}

// Migrate applies the pending migrations in order and returns the ones it applied ("0001_directory").
// Each runs in its own transaction together with its row in schema_migrations, so a failure leaves
// the schema at the last good version. Several processes may call it at once: each migration is
// applied under a lock (pg_advisory_xact_lock; on SQLite the write lock of BEGIN IMMEDIATE) and
// skipped when another process recorded it meanwhile.
func (d *DB) Migrate(ctx context.Context) (applied []string, err error) {
	all, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	if err := d.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	done, err := d.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, m := range all {
		known[m.version] = true
		if done[m.version] {
			continue
		}
		ran, err := d.apply(ctx, m)
		if err != nil {
			return applied, fmt.Errorf("migrate %s: %w", m.file, err)
		}
		if ran {
			applied = append(applied, m.file)
			d.log.InfoContext(ctx, "applied database migration", "migration", m.file, "dialect", d.dialect)
		}
	}
	for v := range done {
		if !known[v] {
			// A newer release migrated this database (a rolling upgrade, or a rollback). Migrations only
			// add, so this binary can still run; say so rather than refuse.
			d.log.WarnContext(ctx, "database has a migration this binary does not know", "version", v)
		}
	}
	return applied, nil
}

func (d *DB) ensureMigrationTable(ctx context.Context) error {
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := d.lock(tx); err != nil {
			return err
		}
		// Under the lock, because PostgreSQL's CREATE TABLE IF NOT EXISTS can still collide when two
		// sessions run it at the same moment.
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER   NOT NULL PRIMARY KEY,
			name       TEXT      NOT NULL,
			applied_at TIMESTAMP NOT NULL
		)`).Error
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

func (d *DB) apply(ctx context.Context, m migration) (ran bool, err error) {
	err = d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := d.lock(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil // another process applied it while this one waited for the lock
		}
		// Without arguments the whole file goes to the server as one simple-protocol batch on
		// PostgreSQL, and modernc's Exec runs every statement of it on SQLite.
		if err := tx.Exec(m.sql).Error; err != nil {
			return err
		}
		ran = true
		return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, utc(time.Now())).Error
	})
	return ran, err
}

// lock serialises migrations across processes for the rest of tx. On SQLite the transaction already
// holds the write lock from BEGIN IMMEDIATE (the DSN's _txlock), which does the same.
func (d *DB) lock(tx *gorm.DB) error {
	if d.dialect != DialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockKey).Error
}

func (d *DB) appliedVersions(ctx context.Context) (map[int]bool, error) {
	done := map[int]bool{}
	ok, err := d.hasMigrationTable(ctx)
	if err != nil || !ok {
		return done, err
	}
	var versions []int
	if err := d.gorm.WithContext(ctx).Raw("SELECT version FROM schema_migrations").Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}

func (d *DB) hasMigrationTable(ctx context.Context) (bool, error) {
	// On PostgreSQL current_schema() follows the connection's search_path, so a test's own schema
	// is asked, not public.
	q := "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	if d.dialect == DialectSQLite {
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	}
	var n int64
	if err := d.gorm.WithContext(ctx).Raw(q, "schema_migrations").Scan(&n).Error; err != nil {
		return false, fmt.Errorf("look for schema_migrations: %w", err)
	}
	return n > 0, nil
}

// SchemaVersion is the highest applied migration version, 0 for an empty database.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	done, err := d.appliedVersions(ctx)
	if err != nil {
		return 0, err
	}
	v := 0
	for version := range done {
		v = max(v, version)
	}
	return v, nil
}

// PendingMigrations lists the embedded migrations not yet applied, in the order Migrate would run them.
func (d *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	all, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	done, err := d.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var pending []string
	for _, m := range all {
		if !done[m.version] {
			pending = append(pending, m.file)
		}
	}
	return pending, nil
}
