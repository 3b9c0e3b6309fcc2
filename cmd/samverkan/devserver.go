package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/common/primitives/timestamp"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// devTemporal is the in-process Temporal server (and its Web UI) that `samverkan dev` runs, so a laptop
// needs nothing but this binary. Its history lives in one SQLite file: cases survive a restart.
type devTemporal struct {
	server temporal.Server
	ui     *uiserver.Server
	// stopping quiets the server's own warnings once Stop has begun (see slogTemporalLogger).
	stopping *atomic.Bool
}

type devTemporalOptions struct {
	IP           string
	FrontendPort int
	UIPort       int // 0: no UI
	DatabaseFile string
	Namespace    string
	// SearchAttributes are registered when the namespace is created; existing data files get them
	// through the operator API at start (see registerSearchAttributes).
	SearchAttributes map[string]enumspb.IndexedValueType
	Logger           *slog.Logger
	// CodecEndpoint is the API's codec endpoint (api/codec.go), through which the UI would decrypt
	// payloads; "" leaves the UI without one.
	CodecEndpoint string
}

const devClusterName = "active"

// devHistoryCacheSize is the embedded server's cache of cases, as many as the worker's default
// sticky cache holds: a case the worker has in memory is the one likely to wake next.
const devHistoryCacheSize = 2000

// startDevTemporal starts the server and, unless UIPort is 0, its UI. When ctx ends the process is
// stopping: from then on the server's warnings, and its errors that only say it is going away, are
// logged at debug (slogTemporalLogger), since our worker's stop already makes it say some.
func startDevTemporal(ctx context.Context, opts devTemporalOptions) (*devTemporal, error) {
	if err := os.MkdirAll(filepath.Dir(opts.DatabaseFile), 0o700); err != nil {
		return nil, fmt.Errorf("create temporal data dir: %w", err)
	}
	httpPort, err := freePort(opts.IP)
	if err != nil {
		return nil, err
	}
	sqlConf, err := devSQLConfig(opts)
	if err != nil {
		return nil, err
	}
	conf, err := devServerConfig(opts, httpPort, sqlConf)
	if err != nil {
		return nil, err
	}
	logger := slogTemporalLogger{log: opts.Logger.With("component", "temporal"), stopping: new(atomic.Bool)}
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("temporal authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("temporal claim mapper: %w", err)
	}
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range conf.Services {
		hosts[primitives.ServiceName(name)] = static.SingleLocalHost(net.JoinHostPort(opts.IP, strconv.Itoa(svc.RPC.GRPCPort)))
	}
	dyn := dynamicconfig.StaticClient{
		// The Web UI's workflow lists query visibility often; the default rate would throttle them.
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// Open cases whose mutable state the history service keeps in memory; the others are read
		// from the file when they wake. Bounded so that sleeping cases cost disk, not memory: with
		// the worker's sticky cache (config.WorkerTuning) it sets the process's size, whatever the
		// number of open cases (docs/capacity.md).
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): devHistoryCacheSize,
	}
	server, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("build temporal server: %w", err)
	}
	if err := server.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	d := &devTemporal{server: server, stopping: logger.stopping}
	context.AfterFunc(ctx, func() { d.stopping.Store(true) })
	if opts.UIPort != 0 {
		d.ui = uiserver.NewServer(uiserveroptions.WithConfigProvider(&uiconfig.Config{
			Host:                opts.IP,
			Port:                opts.UIPort,
			TemporalGRPCAddress: net.JoinHostPort(opts.IP, strconv.Itoa(opts.FrontendPort)),
			EnableUI:            true,
			CORS:                uiconfig.CORS{CookieInsecure: true},
			HideLogs:            true,
			DisableNewsFetch:    true,
			Codec:               devUICodec(opts.CodecEndpoint),
		}))
		go func() {
			// The UI's Start blocks until Stop; a failure here leaves the system usable without the UI.
			if err := d.ui.Start(); err != nil && !errors.Is(err, context.Canceled) {
				opts.Logger.Error("temporal web ui stopped", "error", err)
			}
		}()
	}
	return d, nil
}

// devUICodec points the UI at the codec endpoint and asks it to pass the user's access token, the
// only way the endpoint lets anyone decrypt. The UI sends that token only to an https:// endpoint
// and only after its own OIDC login, neither of which dev has: there the UI shows payloads
// encrypted, with the message below (README.md, "Encryption in Temporal").
func devUICodec(endpoint string) uiconfig.Codec {
	if endpoint == "" {
		return uiconfig.Codec{}
	}
	return uiconfig.Codec{
		Endpoint:        endpoint,
		PassAccessToken: true,
		DefaultErrorMessage: "Payloads are encrypted. Only a supervisor's token may decode them, and this UI sends " +
			"tokens only to an https codec endpoint after an OIDC login: see samverkan's README, Encryption in Temporal.",
	}
}

// Stop stops the UI and then the server. The caller has stopped the worker and closed its clients
// before, so nothing of ours polls any more.
func (d *devTemporal) Stop() {
	d.stopping.Store(true)
	if d.ui != nil {
		d.ui.Stop()
	}
	if err := d.server.Stop(); err != nil {
		slog.Default().Warn("temporal server stop", "error", err)
	}
}

func devSQLConfig(opts devTemporalOptions) (*config.SQL, error) {
	conf := &config.SQL{
		PluginName:        sqliteplugin.PluginName,
		DatabaseName:      opts.DatabaseFile,
		ConnectAttributes: devSQLiteAttributes(),
	}
	if _, err := os.Stat(opts.DatabaseFile); errors.Is(err, os.ErrNotExist) {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			return nil, fmt.Errorf("set up temporal schema in %s: %w", opts.DatabaseFile, err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(devClusterName, opts.Namespace, false, opts.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("temporal namespace config: %w", err)
	}
	// Retention only matters for closed workflows; a closed case's history stays readable for a month.
	ns.Detail.Config.Retention = timestamp.DurationFromDays(30)
	if err := sqliteschema.CreateNamespaces(conf, ns); err != nil {
		return nil, fmt.Errorf("create temporal namespace: %w", err)
	}
	return conf, nil
}

func devServerConfig(opts devTemporalOptions, httpPort int, sqlConf *config.SQL) (*config.Config, error) {
	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = opts.IP
	conf.Persistence.DefaultStore = "sqlite"
	conf.Persistence.VisibilityStore = "sqlite"
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite": {SQL: sqlConf}}
	frontend := net.JoinHostPort(opts.IP, strconv.Itoa(opts.FrontendPort))
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        devClusterName,
		CurrentClusterName:       devClusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			devClusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
				HTTPAddress:            net.JoinHostPort(opts.IP, strconv.Itoa(httpPort)),
				ClusterID:              "samverkan-dev",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		var svc config.Service
		svc.RPC.BindOnIP = opts.IP
		if name == "frontend" {
			svc.RPC.GRPCPort = opts.FrontendPort
			svc.RPC.HTTPPort = httpPort
		} else {
			p, err := freePort(opts.IP)
			if err != nil {
				return nil, err
			}
			svc.RPC.GRPCPort = p
		}
		conf.Services[name] = svc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend
	return &conf, nil
}

// freePort finds a port nobody listens on; the internal services need one each. The port is free
// when found, but the server binds it a moment later: a port the kernel picks itself is from its
// ephemeral range, where any outgoing connection may take it meanwhile ("address already in use",
// seen on a busy machine). So it tries ports below that range first, which only an explicit bind
// takes, and lets the kernel choose only where the range cannot be read.
//
// A port once handed out is never handed out again by this process: it is closed until its server
// binds it, so a second pick of the same random port would look free and then collide.
//
// Internal services pick from servicePortsFrom up; the end-to-end tests pick their systems' ports
// below it (freePortBelow), so that a dev process one test starts never takes a port another test
// has picked for its own system and not yet bound – the two are different processes, and each
// knows only its own picks.
func freePort(ip string) (int, error) { return freePortIn(ip, servicePortsFrom, 0) }

// freePortBelow is freePort under a limit: the tests' ports, beside the internal services' above.
func freePortBelow(ip string, limit int) (int, error) { return freePortIn(ip, lowestPickedPort, limit) }

// servicePortsFrom splits the range below the ephemeral one: tests' picks below, dev's above.
const servicePortsFrom = 26000

func freePortIn(ip string, from, below int) (int, error) {
	handedOut.Lock()
	defer handedOut.Unlock()
	low := ephemeralPortsFrom()
	if below > 0 && (low == 0 || below < low) {
		low = below
	}
	if low > from+1000 {
		for range 100 {
			p := from + rand.IntN(low-from)
			if handedOut.ports[p] {
				continue
			}
			if l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p))); err == nil {
				_ = l.Close()
				handedOut.ports[p] = true
				return p, nil
			}
		}
	}
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	p := l.Addr().(*net.TCPAddr).Port
	handedOut.ports[p] = true
	return p, nil
}

// handedOut are the ports freePort has returned.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// lowestPickedPort keeps freePort clear of the well-known and commonly configured ports.
const lowestPickedPort = 20000

// ephemeralPortsFrom is the first port of the kernel's range for outgoing connections, 0 if unknown.
func ephemeralPortsFrom() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0
	}
	low, _ := strconv.Atoi(fields[0])
	return low
}

// slogTemporalLogger sends the embedded server's logs into our JSON log, at warn and above only:
// its info chatter would drown the application's own lines.
//
// Once the process is stopping its warnings go to debug. The server's worker service (1.32)
// starts SDK workers for its system task queues – the parent-close-policy processor, the history
// and task-queue scanners – that its Stop never stops; they go on polling until the frontend
// closes under them, and each poller then warns "Failed to poll for task", followed by dial errors
// of the server's internal clients: about a dozen to two dozen lines on every clean Ctrl-C. Our own
// worker's stop adds one more when it cancels its poll of a case's sticky queue (history: "Fail to
// process task", context canceled; the task goes to the case's normal queue). An error goes to debug too when all
// it says is that the server is stopping (a service of it answers Unavailable, a task queue is
// closed, a context is cancelled): history handing matching a task for a case whose activity just
// finished, say, which the next start delivers. Any other error stays an error.
type slogTemporalLogger struct {
	log      *slog.Logger
	stopping *atomic.Bool
}

func (l slogTemporalLogger) attrs(tags []tag.Tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, slog.Any(t.Key(), t.Value()))
	}
	return out
}

func (l slogTemporalLogger) Debug(string, ...tag.Tag) {}
func (l slogTemporalLogger) Info(string, ...tag.Tag)  {}
func (l slogTemporalLogger) Warn(msg string, tags ...tag.Tag) {
	if l.stopping != nil && l.stopping.Load() {
		l.log.Debug(msg, l.attrs(tags)...)
		return
	}
	l.log.Warn(msg, l.attrs(tags)...)
}
func (l slogTemporalLogger) Error(msg string, tags ...tag.Tag) {
	if l.stopping != nil && l.stopping.Load() && saysStopping(tags) {
		l.log.Debug(msg, l.attrs(tags)...)
		return
	}
	l.log.Error(msg, l.attrs(tags)...)
}

// saysStopping: the error tags of a log line say no more than that the server is going away.
func saysStopping(tags []tag.Tag) bool {
	for _, t := range tags {
		v := fmt.Sprint(t.Value())
		switch t.Key() {
		case "grpc_code":
			if v == "Unavailable" || v == "Canceled" {
				return true
			}
		case "error":
			for _, s := range stoppingErrors {
				if strings.Contains(v, s) {
					return true
				}
			}
		}
	}
	return false
}

var stoppingErrors = []string{"context canceled", "task queue closed", "the client connection is closing", "connection refused"}

func (l slogTemporalLogger) DPanic(msg string, tags ...tag.Tag) {
	l.log.Error(msg, l.attrs(tags)...)
}
func (l slogTemporalLogger) Panic(msg string, tags ...tag.Tag) {
	l.log.Error(msg, l.attrs(tags)...)
	panic(msg)
}
func (l slogTemporalLogger) Fatal(msg string, tags ...tag.Tag) {
	l.log.Error(msg, l.attrs(tags)...)
	os.Exit(1)
}

var _ log.Logger = slogTemporalLogger{}

// devSQLiteAttributes are the embedded Temporal's SQLite settings. The plugin passes every attribute
// but a few URI parameters (mode, cache, …) to SQLite as a pragma under its own name: until issue 16
// they were spelt "_journal_mode" and "_synchronous", which SQLite ignores, so the history ran in
// rollback-journal mode with a sync to disk on every commit – the ceiling of every figure measured
// before (docs/capacity.md). WAL lets readers go on while one writes and appends instead of
// rewriting pages; synchronous=normal syncs the log at checkpoints, not at every commit: a killed
// process loses nothing, a power failure may lose the last commits but never corrupts the file.
// (The application's own SQLite has run so since it was added: db/db.go.) busy_timeout makes a
// writer wait for another instead of failing with "database is locked".
func devSQLiteAttributes() map[string]string {
	return map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "normal", "busy_timeout": "10000"}
}
