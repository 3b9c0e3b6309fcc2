package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// dirOptions keep the flag set, whose first argument is the folder (`samverkan backup DIR`).
type dirOptions struct{ fs *flag.FlagSet }

func dirFlags(fs *flag.FlagSet) any { return &dirOptions{fs: fs} }

func (o *dirOptions) dir(usage string) (string, error) {
	if o.fs.NArg() != 1 {
		return "", fmt.Errorf("name one folder: %s", usage)
	}
	return o.fs.Arg(0), nil
}

// temporalDBFile and appDBFile are the SQLite files `dev` keeps in its data folder.
const (
	temporalDBFile = "temporal.db"
	appDBFile      = "samverkan.db"
)

// runBackup copies what `samverkan dev` keeps into a new folder while it runs (issue 15): each
// SQLite database as one consistent snapshot (VACUUM INTO, a read transaction that writers do not
// disturb), and the keys without which the copy is useless – the pseudonym key, the payload codec's
// keys, the dev issuer's key. Temporal's database is copied first: a change that lands between the
// two snapshots is then in the application's copy and not in Temporal's, and what Temporal redoes
// after a restore finds its outbox row sent and its projection applied, so it mails nobody twice;
// the other order could lose the record of a mail Temporal believes was handled.
func runBackup(ctx context.Context, env *environment, extra any) error {
	dir, err := extra.(*dirOptions).dir("samverkan backup DIR")
	if err != nil {
		return err
	}
	if err := emptyFolder(dir); err != nil {
		return err
	}
	src := env.cfg.DataDir
	copies := []struct{ from, to string }{{filepath.Join(src, temporalDBFile), filepath.Join(dir, temporalDBFile)}}
	if env.cfg.IsPostgres() {
		fmt.Fprintln(env.stderr, "the application database is PostgreSQL: back it up with pg_dump or PITR (README, \"Backup and restore\"); copying Temporal's database and the keys")
	} else {
		copies = append(copies, struct{ from, to string }{env.cfg.SQLitePath(), filepath.Join(dir, appDBFile)})
	}
	for _, c := range copies {
		if err := vacuumInto(ctx, c.from, c.to); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "copied %s\n", filepath.Base(c.to))
	}
	keys, err := os.ReadDir(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	for _, k := range keys {
		if !k.Type().IsRegular() || isDatabaseFile(k.Name()) {
			continue
		}
		if err := copyFile(filepath.Join(src, k.Name()), filepath.Join(dir, k.Name())); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "copied %s\n", k.Name())
	}
	fmt.Fprintf(env.stdout, "backup complete in %s\n", dir)
	return nil
}

// runRestore puts a backup into the data folder, which must be empty or new: a restore never
// mixes with what a folder holds. Then `samverkan dev` on it goes on from the backup.
func runRestore(_ context.Context, env *environment, extra any) error {
	from, err := extra.(*dirOptions).dir("samverkan restore BACKUP-DIR (into SAMVERKAN_DATA_DIR)")
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(from, temporalDBFile)); err != nil {
		return fmt.Errorf("%s holds no backup: %w", from, err)
	}
	to := env.cfg.DataDir
	if err := emptyFolder(to); err != nil {
		return err
	}
	files, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, f := range files {
		if !f.Type().IsRegular() {
			continue
		}
		dst := filepath.Join(to, f.Name())
		if f.Name() == appDBFile && !env.cfg.IsPostgres() {
			dst = env.cfg.SQLitePath()
		}
		if err := copyFile(filepath.Join(from, f.Name()), dst); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.stdout, "restored %s into %s\n", from, to)
	return nil
}

func isDatabaseFile(name string) bool {
	for _, suffix := range []string{".db", ".db-wal", ".db-shm", ".db-journal"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// emptyFolder makes dir, or accepts it when it exists and is empty.
func emptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// vacuumInto writes a consistent copy of the SQLite database at src to dst, while others write.
func vacuumInto(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("back up %s: %w", src, err)
	}
	dsn := "file:" + src + "?_pragma=busy_timeout(30000)"
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}
