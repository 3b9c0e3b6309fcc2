package main

import (
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// privatePostgres is a PostgreSQL server of the test's own, which it may stop and start: the
// machine's shared server on 5432 serves other work and must stay up. It runs from the same
// installation (initdb, pg_ctl and postgres on the PATH or in /usr/local/bin); as root it runs as
// the user postgres, since PostgreSQL refuses to run as root.
type privatePostgres struct {
	t       *testing.T
	dir     string
	addr    string
	port    int
	asUser  string // "" when the test itself may run the server
	started bool
}

// startPrivatePostgres creates a cluster in a folder of its own and starts it on a free port,
// without fsync: its data is thrown away after the test.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	initdb, err := pgTool("initdb")
	if err != nil {
		t.Skip("no PostgreSQL installation to start a server of the test's own: " + err.Error())
	}
	p := &privatePostgres{t: t, port: freeTCPPort(t)}
	p.addr = "127.0.0.1:" + strconv.Itoa(p.port)
	p.dir, err = os.MkdirTemp("", "samverkan-pg-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(p.dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no user postgres to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chmod(p.dir, 0o755))
		require.NoError(t, os.Chown(p.dir, uid, gid))
		p.asUser = "postgres"
	}
	out, err := p.command(initdb, "-D", filepath.Join(p.dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput()
	require.NoError(t, err, "initdb:\n%s", out)
	p.start()
	t.Cleanup(func() {
		if p.started {
			p.stop()
		}
	})
	return p
}

// start starts the server and waits until it answers.
func (p *privatePostgres) start() {
	p.t.Helper()
	pgCtl, err := pgTool("pg_ctl")
	require.NoError(p.t, err)
	out, err := p.command(pgCtl, "-D", filepath.Join(p.dir, "data"), "-l", filepath.Join(p.dir, "log"), "-w",
		"-o", "-p "+strconv.Itoa(p.port)+" -k "+p.dir+" -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
		"start").CombinedOutput()
	require.NoError(p.t, err, "pg_ctl start:\n%s", out)
	p.started = true
	require.Eventually(p.t, func() bool {
		conn, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err == nil {
			conn.Close()
		}
		return err == nil
	}, 30*time.Second, 100*time.Millisecond)
}

// stop stops the server at once, as a crash or a pulled cable would: no checkpoint, every
// connection cut.
func (p *privatePostgres) stop() {
	p.t.Helper()
	pgCtl, err := pgTool("pg_ctl")
	require.NoError(p.t, err)
	out, err := p.command(pgCtl, "-D", filepath.Join(p.dir, "data"), "-m", "immediate", "-w", "stop").CombinedOutput()
	require.NoError(p.t, err, "pg_ctl stop:\n%s", out)
	p.started = false
}

func (p *privatePostgres) command(tool string, args ...string) *exec.Cmd {
	if p.asUser == "" {
		return exec.Command(tool, args...)
	}
	return exec.Command("runuser", append([]string{"-u", p.asUser, "--", tool}, args...)...)
}

// pgTool finds one of PostgreSQL's programs: on the PATH, or where Debian's packages put them.
func pgTool(name string) (string, error) {
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", exec.ErrNotFound
}
