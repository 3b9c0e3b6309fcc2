// Package dbtest gives tests a database of their own: SQLite in t.TempDir() by default, or, when
// SAMVERKAN_TEST_DATABASE_URL names a PostgreSQL database, a fresh schema in it that is dropped
// when the test ends. Every call gets a new database, so parallel tests and reruns never collide.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/samverkan/samverkan/db"
)

// EnvURL names the environment variable with the PostgreSQL URL to test against, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvURL = "SAMVERKAN_TEST_DATABASE_URL"

// Open returns a migrated, empty database, closed (and on PostgreSQL dropped) when the test ends.
func Open(t testing.TB) *db.DB {
	t.Helper()
	d := OpenEmpty(t)
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return d
}

// OpenEmpty returns an unmigrated database, for tests of the migrations themselves.
func OpenEmpty(t testing.TB) *db.DB {
	t.Helper()
	return OpenWith(t, Fresh(t))
}

// OpenWith opens the database opts names, closed when the test ends. Together with Fresh it gives a
// second handle on the same database, as a second process would have.
func OpenWith(t testing.TB, opts db.Options) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close test database: %v", err)
		}
	})
	return d
}

// Fresh creates a new, empty database and returns the options that open it. It is removed when the
// test ends, after the handles opened on it are closed (cleanups run last-registered first).
func Fresh(t testing.TB) db.Options {
	t.Helper()
	opts := db.Options{Logger: Logger(t)}
	base := os.Getenv(EnvURL)
	if base == "" {
		opts.SQLitePath = filepath.Join(t.TempDir(), "samverkan.db")
		return opts
	}
	opts.URL = freshSchema(t, base)
	return opts
}

// IsPostgres reports whether the tests run against PostgreSQL.
func IsPostgres() bool { return os.Getenv(EnvURL) != "" }

// freshSchema creates a schema with a random name in base's database and returns base with the
// schema as its search_path (pgx sends unknown URL parameters as run-time settings).
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	admin, err := db.Open(ctx, db.Options{URL: base, Logger: Logger(t)})
	if err != nil {
		t.Fatalf("open %s: %v", EnvURL, err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b) // letters and digits only, safe to quote as is
	if err := admin.Gorm().WithContext(ctx).Exec(`CREATE SCHEMA "` + schema + `"`).Error; err != nil {
		_ = admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if err := admin.Gorm().Exec(`DROP SCHEMA "` + schema + `" CASCADE`).Error; err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Logger writes warnings and errors to the test's log, shown when the test fails or runs with -v.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
