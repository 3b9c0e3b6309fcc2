package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/db"
)

// The production shape on one machine without containers (issue 15 §1, deploy/README.md "Without
// containers"): the Temporal server built from the pinned go.temporal.io/server module and run as a
// process of its own on PostgreSQL, its schema set up by the module's SQL tool as
// deploy/temporal/schema.sh does in the image, then `samverkan migrate`, one `serve`, two `worker`s
// and a mail catcher. Nothing of Temporal runs inside the test: the server is a separate binary.

// clusterEnv switches the cluster tests on; TestCluster also needs PostgreSQL on clusterPostgres,
// the outage tests start one of their own.
const (
	clusterEnv      = "SAMVERKAN_CLUSTER"
	clusterPostgres = "127.0.0.1:5432"
	clusterNS       = "samverkan"
)

// clusterBinaries are samverkan, the Temporal server and its SQL tool, built once per test binary.
var clusterBinaries struct {
	once                     sync.Once
	dir                      string
	samverkan, server, sqlDB string
	err                      error
}

// buildBinaries builds samverkan, and the Temporal server and schema tool of the version go.mod
// pins (go.mod's tool directives keep their dependencies in go.sum). The folder outlives the test,
// and go build leaves a binary that is up to date as it is: a rerun only links what changed.
func buildBinaries(t testing.TB) (samverkan, server, sqlTool string) {
	t.Helper()
	b := &clusterBinaries
	b.once.Do(func() {
		// One folder per checkout: another checkout's samverkan is other code.
		wd, _ := os.Getwd()
		sum := sha256.Sum256([]byte(wd))
		b.dir = filepath.Join(os.TempDir(), "samverkan-cluster-bin-"+hex.EncodeToString(sum[:6]))
		began := time.Now()
		cmd := exec.Command("go", "build", "-o", b.dir+string(filepath.Separator), "github.com/samverkan/samverkan/cmd/samverkan",
			"go.temporal.io/server/cmd/server", "go.temporal.io/server/cmd/tools/sql")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		b.samverkan, b.server, b.sqlDB = filepath.Join(b.dir, "samverkan"), filepath.Join(b.dir, "server"), filepath.Join(b.dir, "sql")
		t.Logf("samverkan, the temporal server and its sql tool built in %s", time.Since(began).Round(time.Second))
	})
	require.NoError(t, b.err)
	return b.samverkan, b.server, b.sqlDB
}

// requireCluster skips unless the cluster tests are switched on.
func requireCluster(t testing.TB) {
	t.Helper()
	if os.Getenv(clusterEnv) != "1" {
		t.Skip(clusterEnv + "=1 runs it")
	}
}

// requireSharedPostgres skips unless PostgreSQL answers on clusterPostgres.
func requireSharedPostgres(t testing.TB) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", clusterPostgres, 2*time.Second)
	if err != nil {
		t.Skip("PostgreSQL does not answer on " + clusterPostgres)
	}
	conn.Close()
}

// prodShape is one production shape under test, on the PostgreSQL server at pg.
type prodShape struct {
	*system  // the API of serve; tokens and the database through the e2e helpers
	t        testing.TB
	pg       string // host:port of PostgreSQL, user postgres without password
	dir      string
	suffix   string
	temporal string // the frontend's host:port
	binary   string // samverkan
	sqlTool  string
	server   string
	// workers is how many worker processes startApp starts (worker-1, worker-2, …): two unless set.
	workers int
	// shards is the Temporal server's numHistoryShards: four unless set.
	shards int
	// metrics, set before start, has the Temporal server and each worker serve Prometheus metrics;
	// metricsAddr then holds each one's host:port by process name (cluster_metrics_test.go).
	metrics     bool
	metricsAddr map[string]string
	procEnv     map[string][]string // settings of one process beyond env, kept for its restart
	admin       *db.DB              // the server's postgres database, for pg_stat_database

	mu    sync.Mutex
	procs map[string]*exec.Cmd
	ended map[string]chan struct{} // closed when the process has ended
	logs  map[string]*bytes.Buffer
	mail  *devMail
}

// newCluster makes the databases and settings of a cluster on pg; start runs it.
func newProdShape(t testing.TB, pg string) *prodShape {
	t.Helper()
	binary, server, sqlTool := buildBinaries(t)
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	c := &prodShape{t: t, pg: pg, dir: t.TempDir(), suffix: hex.EncodeToString(b), binary: binary, server: server, sqlTool: sqlTool,
		procs: map[string]*exec.Cmd{}, ended: map[string]chan struct{}{}, logs: map[string]*bytes.Buffer{},
		metricsAddr: map[string]string{}, procEnv: map[string][]string{}}
	t.Cleanup(c.dropDatabases)
	return c
}

func (c *prodShape) database(kind string) string { return "cluster_" + c.suffix + "_" + kind }

func (c *prodShape) databaseURL(name string) string {
	return "postgres://postgres@" + c.pg + "/" + name + "?sslmode=disable"
}

// dropDatabases drops every database the cluster created, after its processes are gone.
func (c *prodShape) dropDatabases() {
	c.stopAll()
	d, err := db.Open(context.Background(), db.Options{URL: c.databaseURL("postgres"), Logger: discardLogger()})
	if err != nil {
		c.t.Logf("drop the cluster's databases: %v", err)
		return
	}
	defer d.Close()
	for _, kind := range []string{"temporal", "visibility", "app"} {
		if err := d.Gorm().Exec("DROP DATABASE IF EXISTS " + c.database(kind) + " WITH (FORCE)").Error; err != nil {
			c.t.Logf("drop %s: %v", c.database(kind), err)
		}
	}
}

// setUpTemporalSchema is deploy/temporal/schema.sh with the module's own tool: the database, then
// the version tables, then every schema version embedded in the tool.
func (c *prodShape) setUpTemporalSchema() {
	c.t.Helper()
	host, port, _ := net.SplitHostPort(c.pg)
	for _, s := range []struct{ kind, schema string }{{"temporal", "temporal"}, {"visibility", "visibility"}} {
		name := c.database(s.kind)
		for _, args := range [][]string{
			{"create-database"},
			{"setup-schema", "-v", "0.0"},
			{"update-schema", "--schema-name", "postgresql/v12/" + s.schema},
		} {
			cmd := exec.Command(c.sqlTool, append([]string{"--db", name}, args...)...)
			cmd.Env = append(os.Environ(), "SQL_PLUGIN=postgres12", "SQL_HOST="+host, "SQL_PORT="+port, "SQL_USER=postgres", "SQL_PASSWORD=")
			out, err := cmd.CombinedOutput()
			require.NoError(c.t, err, "temporal-sql-tool --db %s %v:\n%s", name, args, out)
		}
	}
}

// serverConfig is the module's config/development-postgres12.yaml with this cluster's databases
// and ports, without archival and pprof; with Prometheus metrics when Metrics is an address.
var serverConfig = template.Must(template.New("temporal.yaml").Parse(`log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: {{.Shards}}
  datastores:
    default:
      sql:
        pluginName: postgres12
        databaseName: {{.DB}}
        connectAddr: "{{.PG}}"
        connectProtocol: tcp
        user: postgres
        password: ""
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
    visibility:
      sql:
        pluginName: postgres12
        databaseName: {{.VisibilityDB}}
        connectAddr: "{{.PG}}"
        connectProtocol: tcp
        user: postgres
        password: ""
        maxConns: 4
        maxIdleConns: 4
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
{{- if .Metrics}}
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "{{.Metrics}}"
{{- end}}
services:
{{- range .Services}}
  {{.Name}}:
    rpc:
      grpcPort: {{.GRPC}}
      membershipPort: {{.Membership}}
      bindOnLocalHost: true
      {{- if .HTTP}}
      httpPort: {{.HTTP}}
      {{- end}}
{{- end}}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "{{.Frontend}}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "{{.DynamicConfig}}"
  pollInterval: 10s
`))

// startTemporal writes the server's configuration and starts it, then creates the namespace and
// the search attributes as deploy/temporal/setup.sh does with the temporal CLI.
func (c *prodShape) startTemporal() {
	c.t.Helper()
	type service struct {
		Name                   string
		GRPC, Membership, HTTP int
	}
	var services []service
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		s := service{Name: name, GRPC: freeTCPPort(c.t), Membership: freeTCPPort(c.t)}
		if name == "frontend" {
			s.HTTP = freeTCPPort(c.t)
			c.temporal = "127.0.0.1:" + strconv.Itoa(s.GRPC)
		}
		services = append(services, s)
	}
	if c.metrics {
		c.metricsAddr["temporal"] = "127.0.0.1:" + strconv.Itoa(freeTCPPort(c.t))
	}
	dynamic := filepath.Join(c.dir, "dynamicconfig.yaml")
	require.NoError(c.t, os.WriteFile(dynamic, []byte("# Temporal's defaults\n"), 0o600))
	var conf bytes.Buffer
	require.NoError(c.t, serverConfig.Execute(&conf, map[string]any{
		"DB": c.database("temporal"), "VisibilityDB": c.database("visibility"), "PG": c.pg,
		"Services": services, "Frontend": c.temporal, "DynamicConfig": dynamic, "Metrics": c.metricsAddr["temporal"],
		"Shards": cmp.Or(c.shards, 4),
	}))
	confFile := filepath.Join(c.dir, "temporal.yaml")
	require.NoError(c.t, os.WriteFile(confFile, conf.Bytes(), 0o600))
	c.startTemporalServer()
	c.setUpNamespace()
}

// startTemporalServer starts the server on the configuration startTemporal wrote: its databases and
// ports, so a restart is the same server again.
func (c *prodShape) startTemporalServer() {
	c.t.Helper()
	confFile := filepath.Join(c.dir, "temporal.yaml")
	c.startProcess("temporal", exec.Command(c.server, "--config-file", confFile, "--allow-no-auth", "start"))
}

// setUpNamespace registers the namespace and the case workflow's search attributes, waiting for the
// frontend (its port opens before the services behind it are ready) and for the new namespace to
// reach it.
func (c *prodShape) setUpNamespace() {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var tc client.Client
	require.Eventually(c.t, func() bool {
		var err error
		tc, err = client.DialContext(ctx, client.Options{HostPort: c.temporal, Namespace: clusterNS, Logger: quietSDKLogger{}})
		return err == nil
	}, time.Minute, 500*time.Millisecond, "the Temporal frontend never answered:\n%s", c.output("temporal"))
	defer tc.Close()
	require.Eventually(c.t, func() bool {
		_, err := tc.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace: clusterNS, WorkflowExecutionRetentionPeriod: durationpb.New(30 * 24 * time.Hour)})
		return err == nil || strings.Contains(err.Error(), "already exists")
	}, time.Minute, time.Second, "namespace not registered")
	require.Eventually(c.t, func() bool {
		_, err := tc.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: clusterNS, SearchAttributes: caseSearchAttributes})
		if err != nil {
			return false
		}
		res, err := tc.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: clusterNS})
		return err == nil && len(res.CustomAttributes) >= len(caseSearchAttributes) &&
			res.CustomAttributes["SamverkanPhase"] == enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}, time.Minute, time.Second, "search attributes not registered")
}

// startApp migrates the application's database, loads the demo directory and starts serve, the
// workers (two unless c.workers says otherwise) and the mail catcher, with tokens from the dev issuer whose keys a JWKS endpoint serves.
func (c *prodShape) startApp() {
	c.t.Helper()
	mail, err := startDevMail(devMailOptions{IP: "127.0.0.1", Dir: filepath.Join(c.dir, "mail"), Logger: discardLogger()})
	require.NoError(c.t, err)
	c.mail = mail
	c.t.Cleanup(mail.Stop)
	issuer, err := auth.LoadOrCreateIssuer(filepath.Join(c.dir, "dev-issuer.pem"), "samverkan-cluster")
	require.NoError(c.t, err)
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(issuer.JWKS())
	}))
	c.t.Cleanup(jwks.Close)
	secret := func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	apiPort := freeTCPPort(c.t)
	c.system = &system{t: c.t, dataDir: c.dir, apiURL: "http://127.0.0.1:" + strconv.Itoa(apiPort), env: []string{
		"SAMVERKAN_DATA_DIR=" + c.dir,
		"SAMVERKAN_DATABASE_URL=" + c.databaseURL(c.database("app")),
		"SAMVERKAN_TEMPORAL_ADDRESS=" + c.temporal,
		"SAMVERKAN_TEMPORAL_NAMESPACE=" + clusterNS,
		"SAMVERKAN_CODEC_KEYS=k1:" + secret(),
		"SAMVERKAN_PSEUDONYM_KEY=" + secret(),
		"SAMVERKAN_OIDC_ISSUER=samverkan-cluster",
		"SAMVERKAN_OIDC_JWKS_URL=" + jwks.URL,
		"SAMVERKAN_SMTP_ADDR=" + mail.smtpAddr,
		"SAMVERKAN_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(apiPort),
		"SAMVERKAN_METRICS_ADDR=off",
		"SAMVERKAN_RATE_PER_USER=off",
		"SAMVERKAN_LOG_LEVEL=warn",
	}}
	admin, err := db.Open(context.Background(), db.Options{URL: c.databaseURL("postgres"), Logger: discardLogger()})
	require.NoError(c.t, err)
	require.NoError(c.t, admin.Gorm().Exec("CREATE DATABASE "+c.database("app")).Error)
	admin.Close()
	c.runOnce("migrate")
	c.runOnce("seed", "--demo")
	workers := c.workers
	if workers == 0 {
		workers = 2
	}
	for i := 1; i <= workers; i++ {
		name := "worker-" + strconv.Itoa(i)
		if c.metrics {
			c.metricsAddr[name] = "127.0.0.1:" + strconv.Itoa(freeTCPPort(c.t))
			c.procEnv[name] = []string{"SAMVERKAN_METRICS_ADDR=" + c.metricsAddr[name]}
		}
		c.startSamverkan(name, "worker")
	}
	c.startSamverkan("serve", "serve")
	requireReady(c.t, c.apiURL, "serve")
}

// runOnce runs a subcommand of the samverkan binary to its end.
func (c *prodShape) runOnce(args ...string) {
	c.t.Helper()
	cmd := exec.Command(c.binary, args...)
	cmd.Env = append(os.Environ(), c.env...)
	out, err := cmd.CombinedOutput()
	require.NoError(c.t, err, "samverkan %v:\n%s", args, out)
}

// startSamverkan starts a long-running samverkan subcommand under a name of its own, with the
// settings of the shape and those of the process.
func (c *prodShape) startSamverkan(name string, args ...string) {
	cmd := exec.Command(c.binary, args...)
	cmd.Env = append(append(os.Environ(), c.env...), c.procEnv[name]...)
	c.startProcess(name, cmd)
}

func (c *prodShape) startProcess(name string, cmd *exec.Cmd) {
	c.t.Helper()
	dieWithTest(cmd) // e2e_process_linux_test.go
	log := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: log, mu: &c.mu}, &lockedWriter{w: log, mu: &c.mu}
	require.NoError(c.t, cmd.Start(), name)
	ended := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(ended)
	}()
	c.mu.Lock()
	c.procs[name], c.ended[name], c.logs[name] = cmd, ended, log
	c.mu.Unlock()
	c.t.Cleanup(func() {
		if c.t.Failed() {
			c.t.Logf("%s output:\n%s", name, c.output(name))
		}
	})
}

// kill ends a process with SIGKILL: no shutdown code runs.
func (c *prodShape) kill(name string) {
	c.t.Helper()
	c.mu.Lock()
	cmd, ended := c.procs[name], c.ended[name]
	delete(c.procs, name)
	c.mu.Unlock()
	require.NotNil(c.t, cmd, name)
	require.NoError(c.t, cmd.Process.Signal(syscall.SIGKILL))
	<-ended
}

// alive says whether a process the cluster started still runs.
func (c *prodShape) alive(name string) bool {
	c.mu.Lock()
	ended := c.ended[name]
	c.mu.Unlock()
	if ended == nil {
		return false
	}
	select {
	case <-ended:
		return false
	default:
		return true
	}
}

// stopAll kills what still runs; the cluster's state is in PostgreSQL, about to be dropped.
func (c *prodShape) stopAll() {
	c.mu.Lock()
	procs := c.procs
	c.procs = map[string]*exec.Cmd{}
	c.mu.Unlock()
	for name, cmd := range procs {
		_ = cmd.Process.Kill()
		<-c.ended[name]
	}
}

func (c *prodShape) output(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.logs[name]; l != nil {
		return l.String()
	}
	return ""
}

// lockedWriter lets a process's stdout and stderr share one buffer that the test reads meanwhile.
type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// quietSDKLogger drops the SDK's own log lines of the test's set-up client.
type quietSDKLogger struct{}

func (quietSDKLogger) Debug(string, ...any) {}
func (quietSDKLogger) Info(string, ...any)  {}
func (quietSDKLogger) Warn(string, ...any)  {}
func (quietSDKLogger) Error(string, ...any) {}
