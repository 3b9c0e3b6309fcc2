package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
)

// childEnv marks a run of this test binary as the samverkan process itself, so the end-to-end tests
// can start, kill and restart the real binary's wiring without a separate build.
const childEnv = "SAMVERKAN_E2E_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// system is one `samverkan dev` process under test.
type system struct {
	t       testing.TB // a test, or the benchmark of bench_test.go
	env     []string
	dataDir string
	apiURL  string
	uiURL   string
	cmd     *exec.Cmd
	log     *bytes.Buffer
	finder  *caseFinder // cases()
}

func newSystem(t testing.TB) *system {
	t.Helper()
	dir := t.TempDir()
	apiPort, temporalPort, uiPort := freeTCPPort(t), freeTCPPort(t), freeTCPPort(t)
	mailPort, mailUIPort := freeTCPPort(t), freeTCPPort(t)
	s := &system{
		t:       t,
		dataDir: dir,
		apiURL:  "http://127.0.0.1:" + strconv.Itoa(apiPort),
		uiURL:   "http://127.0.0.1:" + strconv.Itoa(uiPort),
		env: []string{
			"SAMVERKAN_DATA_DIR=" + dir,
			"SAMVERKAN_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(apiPort),
			"SAMVERKAN_DEV_TEMPORAL_PORT=" + strconv.Itoa(temporalPort),
			"SAMVERKAN_DEV_UI_PORT=" + strconv.Itoa(uiPort),
			"SAMVERKAN_DEV_MAIL_PORT=" + strconv.Itoa(mailPort),
			"SAMVERKAN_DEV_MAIL_UI_PORT=" + strconv.Itoa(mailUIPort),
			"SAMVERKAN_DATABASE_URL=" + testDatabaseURL(t),
			"SAMVERKAN_LOG_LEVEL=warn",
		},
	}
	return s
}

// getenv is the system's environment, for running subcommands in this process.
func (s *system) getenv(key string) string {
	for _, kv := range s.env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// command runs a subcommand (seed, token, …) in this process against the system's data.
func (s *system) command(args ...string) string {
	s.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, s.getenv, &out, &errOut)
	require.Equal(s.t, 0, code, "samverkan %v: %s", args, errOut.String())
	return strings.TrimSpace(out.String())
}

func (s *system) openDB() *db.DB {
	s.t.Helper()
	cfg, err := config.Load(newFlagSet(), nil, s.getenv)
	require.NoError(s.t, err)
	d, err := openDB(context.Background(), cfg, discardLogger())
	require.NoError(s.t, err)
	s.t.Cleanup(func() { _ = d.Close() })
	return d
}

// start runs `samverkan dev` and waits until /readyz answers 200.
func (s *system) start() time.Duration {
	s.t.Helper()
	s.log = &bytes.Buffer{}
	cmd := exec.Command(os.Args[0], "dev")
	dieWithTest(cmd) // e2e_process_linux_test.go
	cmd.Env = append(append(os.Environ(), childEnv+"=1"), s.env...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	began := time.Now()
	require.NoError(s.t, cmd.Start())
	s.cmd = cmd
	s.t.Cleanup(func() {
		if s.cmd != nil && s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			_, _ = s.cmd.Process.Wait()
		}
		if s.t.Failed() {
			s.t.Logf("samverkan dev output:\n%s", s.log.String())
		}
	})
	require.Eventually(s.t, func() bool {
		res, err := http.Get(s.apiURL + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 90*time.Second, 100*time.Millisecond, "readyz never answered 200")
	return time.Since(began)
}

// kill stops the process the hard way: no shutdown code runs.
func (s *system) kill() {
	s.t.Helper()
	require.NoError(s.t, s.cmd.Process.Signal(syscall.SIGKILL))
	_, _ = s.cmd.Process.Wait()
}

// stop stops the process as Ctrl-C does and expects a clean exit.
func (s *system) stop() {
	s.t.Helper()
	require.NoError(s.t, s.cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(s.t, err, "samverkan dev did not exit cleanly")
	case <-time.After(60 * time.Second):
		s.t.Fatal("samverkan dev did not stop within 60 s of Ctrl-C")
	}
}

func (s *system) token(user string) string { return s.command("token", "--user", user) }

// call sends a JSON request and decodes the JSON answer into out (if not nil).
func (s *system) call(method, path, token string, body any, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.apiURL+path, rd)
	require.NoError(s.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	s.checkAnswer(req, res, raw) // e2e_openapi_test.go: the answer is as api/openapi.yaml says
	if out != nil {
		require.NoError(s.t, json.Unmarshal(raw, out), "body: %s", raw)
	}
	return res.StatusCode
}

// freeTCPPort is a port for a test system to listen on, chosen as the embedded server chooses its
// internal ones (freePort): outside the range outgoing connections take ports from, since the
// system binds it seconds later, and again after a restart.
func freeTCPPort(t testing.TB) int {
	t.Helper()
	p, err := freePortBelow("127.0.0.1", servicePortsFrom)
	require.NoError(t, err)
	return p
}

// testDatabaseURL is "" (SQLite in the data folder) unless SAMVERKAN_TEST_DATABASE_URL names a
// PostgreSQL server; then a fresh schema of its own, dropped afterwards, so runs never collide.
func testDatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("SAMVERKAN_TEST_DATABASE_URL")
	if base == "" {
		return ""
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "e2e_" + hex.EncodeToString(b)
	d, err := db.Open(context.Background(), db.Options{URL: base, Logger: discardLogger()})
	require.NoError(t, err)
	require.NoError(t, d.Gorm().Exec("CREATE SCHEMA "+schema).Error)
	t.Cleanup(func() {
		_ = d.Gorm().Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_ = d.Close()
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func newFlagSet() *flag.FlagSet { return flag.NewFlagSet("test", flag.ContinueOnError) }

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// syntheticPersonalNumber invents a personal number for a test child: the birth date, a serial
// and the check digit that makes it valid. No real person is meant.
func syntheticPersonalNumber(birth time.Time, serial int) string {
	ten := fmt.Sprintf("%s%03d", birth.Format("060102"), serial)
	return fmt.Sprintf("%s-%03d%d", birth.Format("20060102"), serial, luhnCheckDigit(ten))
}

func decodeJSONBody(res *http.Response, out any) error { return json.NewDecoder(res.Body).Decode(out) }
