// Package db is the application database: the directory (principals, municipalities, units, users
// and their roles, the stored policy versions) and the read model of cases. The Case workflow is the
// only writer of case state; the read model here is a projection of it, written only by activities,
// and read by the API for lists, inboxes and reports (docs/architecture.md §1).
//
// One schema runs on SQLite (the single-binary default) and on PostgreSQL. It is created by the
// embedded, ordered migrations in migrations/, never by GORM's AutoMigrate.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	// The pure-Go SQLite driver, registered as "sqlite". It is the one the embedded Temporal server
	// uses too; github.com/glebarez/sqlite would register "sqlite" a second time and panic.
	_ "modernc.org/sqlite"
)

// ErrNotFound is returned, wrapped with what was looked for, when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned, wrapped, when a write contradicts what is stored, such as a policy
// version saved again with a different body.
var ErrConflict = errors.New("conflict")

// Dialect names, as Dialect returns them.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Options say which database to open.
type Options struct {
	// URL is postgres://… or postgresql://… for PostgreSQL. Anything else means SQLite; "sqlite:PATH"
	// names the file when SQLitePath is empty.
	URL string
	// SQLitePath is the SQLite file. It and its folder are created when missing.
	SQLitePath string
	// Logger receives GORM's errors. Nil means slog.Default().
	Logger *slog.Logger
}

// DB is the application database.
type DB struct {
	gorm    *gorm.DB
	dialect string
	log     *slog.Logger
}

// Open connects and checks the connection. It does not migrate: call Migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	dialector, dialect, err := dialectorFor(opts)
	if err != nil {
		return nil, err
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		// Only errors, and without parameter values: the directory holds names and addresses, and
		// logs must not (docs/process.md §5 spirit: share only what is needed).
		Logger: logger.NewSlogLogger(log.With("component", "db"), logger.Config{
			LogLevel:                  logger.Error,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true,
		}),
		NowFunc:                func() time.Time { return utc(time.Now()) },
		SkipDefaultTransaction: true, // every multi-statement write here opens its own transaction
		// The first contact is Ping below, which honours ctx; GORM's own ping would not.
		DisableAutomaticPing: true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if dialect == DialectSQLite {
		// One writer at a time is SQLite's nature; WAL lets readers go on beside it, and
		// busy_timeout makes a second writer wait instead of failing. A few connections are enough.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	} else {
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(4)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		sqlDB.SetConnMaxLifetime(30 * time.Minute) // lets a fail-over or a pooler's restart be noticed
	}
	d := &DB{gorm: g, dialect: dialect, log: log}
	if err := d.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return d, nil
}

func dialectorFor(opts Options) (gorm.Dialector, string, error) {
	if strings.HasPrefix(opts.URL, "postgres://") || strings.HasPrefix(opts.URL, "postgresql://") {
		return postgres.New(postgres.Config{DSN: opts.URL}), DialectPostgres, nil
	}
	path := opts.SQLitePath
	if path == "" {
		path, _ = strings.CutPrefix(opts.URL, "sqlite:")
	}
	if path == "" {
		return nil, "", errors.New("open database: neither a PostgreSQL URL nor a SQLite path given")
	}
	if strings.ContainsRune(path, '?') {
		return nil, "", fmt.Errorf("open database: SQLite path %q must not contain '?'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, "", fmt.Errorf("open database: create folder for %s: %w", path, err)
	}
	return sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: sqliteDSN(path)}), DialectSQLite, nil
}

// sqliteDSN adds what every connection needs, in modernc's syntax (the pragmas run on each new
// connection, which matters for foreign_keys: SQLite keeps it per connection and off by default).
//   - secure_delete: deleted content is overwritten, so an erased case (db/archive.go) leaves no
//     readable trace in free pages.
//   - _txlock=immediate: a write transaction takes the write lock at BEGIN, so two writers queue on
//     busy_timeout instead of one failing when it upgrades a read lock (and migrations are serialised).
//   - _time_format=sqlite, _timezone=UTC: times are written as "2006-01-02 15:04:05.999999999+00:00"
//     in UTC, which sorts as text in time order and is parsed back into time.Time for TIMESTAMP columns.
func sqliteDSN(path string) string {
	return path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)&_txlock=immediate&_time_format=sqlite&_timezone=UTC"
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	sqlDB, err := d.gorm.DB()
	if err != nil {
		return fmt.Errorf("ping %s database: %w", d.dialect, err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", d.dialect, err)
	}
	return nil
}

// Close closes every connection.
func (d *DB) Close() error {
	sqlDB, err := d.gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Gorm is the underlying handle, for tests and other adapters. Writing the read model or the
// directory through it bypasses the rules here; prefer the typed functions.
func (d *DB) Gorm() *gorm.DB { return d.gorm }

// Dialect is DialectSQLite or DialectPostgres.
func (d *DB) Dialect() string { return d.dialect }

// utc is how every time is written, and every time given to a query as a parameter: in UTC and to
// the microsecond, because PostgreSQL's TIMESTAMP keeps microseconds and the wall clock as given (pgx
// drops the zone), and both databases must hold and compare the same instant.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// notFound turns GORM's not-found into ErrNotFound, wrapped with what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}
