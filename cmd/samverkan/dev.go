package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/worker"
	"github.com/samverkan/samverkan/workflows"
)

const devHost = "127.0.0.1"

// caseSearchAttributes are registered in the embedded namespace; deploy/README.md lists them for a
// cluster.
var caseSearchAttributes = map[string]enumspb.IndexedValueType{
	workflows.SearchAttrPhase:           enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	workflows.SearchAttrMunicipality:    enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	workflows.SearchAttrNamedPersonUnit: enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	workflows.SearchAttrNextDeadline:    enumspb.INDEXED_VALUE_TYPE_DATETIME,
	workflows.SearchAttrOverdue:         enumspb.INDEXED_VALUE_TYPE_BOOL,
	workflows.SearchAttrPhaseSince:      enumspb.INDEXED_VALUE_TYPE_DATETIME,
}

// runDev runs the whole system in one process on a fresh machine: everything persists under the
// data folder, so cases, their timers and the demo directory survive a restart.
func runDev(ctx context.Context, env *environment, _ any) error {
	cfg := env.cfg
	logger := newLogger(env)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("SAMVERKAN_DATA_DIR: %w", err)
	}
	key, err := pseudonymKey(cfg, true)
	if err != nil {
		return err
	}
	pc, err := payloadCodec(cfg, true)
	if err != nil {
		return err
	}
	database, err := migrateAndSeed(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer database.Close()

	// Notification mails go to the configured server or, by default, to the embedded catcher. It
	// takes its ports before the Temporal server asks the kernel for ports for its internal
	// services, which could otherwise be handed the catcher's.
	mailAddr, mailInbox := cfg.SMTPAddr, ""
	if mailAddr == "" {
		catcher, err := startDevMail(devMailOptions{IP: devHost, SMTPPort: cfg.DevMailPort, UIPort: cfg.DevMailUIPort,
			Dir: filepath.Join(cfg.DataDir, "mail"), Logger: logger})
		if err != nil {
			return err
		}
		defer catcher.Stop()
		mailAddr, mailInbox = catcher.smtpAddr, catcher.uiURL
	}
	// Before the server: its system workers would fix the process's sticky cache at the SDK's size.
	worker.SizeStickyCache(cfg.Worker)
	temporalServer, err := startDevTemporal(ctx, devTemporalOptions{
		IP: devHost, FrontendPort: cfg.DevTemporalPort, UIPort: cfg.DevUIPort,
		DatabaseFile: filepath.Join(cfg.DataDir, "temporal.db"), Namespace: cfg.TemporalNamespace,
		SearchAttributes: caseSearchAttributes, Logger: logger, CodecEndpoint: devCodecEndpoint(cfg),
	})
	if err != nil {
		return err
	}
	defer temporalServer.Stop()
	cfg.TemporalAddress = net.JoinHostPort(devHost, strconv.Itoa(cfg.DevTemporalPort))
	obs, err := startObservability(ctx, cfg, logger, "dev")
	if err != nil {
		return err
	}
	defer obs.close()
	temporalClient, err := dialTemporal(ctx, cfg, logger, pc, obs.temporalClientOptions)
	if err != nil {
		return err
	}
	defer temporalClient.Close()

	issuer, err := auth.LoadOrCreateIssuer(filepath.Join(cfg.DataDir, "dev-issuer.pem"), devIssuer(cfg))
	if err != nil {
		return err
	}
	mail := mailSettings(cfg, mailAddr)
	defer closeMailer(mail) // after the worker stopped: its last sends may use the connections
	w := worker.New(temporalClient, cfg.TemporalTaskQueue,
		caseActivities(cfg, database, logger, mail, temporalClient, pc), cfg.ShutdownTimeout, cfg.Worker)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	if err := ensureRetentionSchedule(ctx, temporalClient, cfg.TemporalTaskQueue); err != nil {
		return err
	}
	if err := ensureMailOutboxSweep(ctx, temporalClient, cfg.TemporalTaskQueue, logger); err != nil {
		return err
	}

	server := &api.Server{
		Temporal: temporalClient, DB: database, TaskQueue: cfg.TemporalTaskQueue, PseudonymKey: key, Logger: logger,
		Tokens: auth.NewVerifier(devIssuer(cfg), cfg.OIDCAudience, issuer.KeySet()),
		Codec:  pc, CodecOrigins: slices.Concat(cfg.CodecCORSOrigins, devUIOrigins(cfg)),
		AccessAlertPerHour: cfg.AccessAlertPerHour,
	}
	applyRequestSettings(server, cfg)
	if err := obs.instrumentAPI(server, database); err != nil {
		return err
	}
	stopMetrics, err := obs.startMetricsListener(false)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopPprof, err := startPprof(cfg.PprofAddr, logger)
	if err != nil {
		return err
	}
	defer stopPprof()
	// One router: its rate limits and metrics are the same whether a request came from outside or
	// from the front end in process.
	apiHandler := server.Handler()
	login := devLogin(cfg, issuer, database)
	front, err := webFrontEnd(cfg, logger, database, apiHandler,
		devWebOIDC(cfg, withDevIssuer(http.NotFoundHandler(), issuer, login)), "")
	if err != nil {
		return err
	}
	root := withDevIssuer(withWeb(apiHandler, front), issuer, login)
	return serveHTTP(ctx, cfg, logger, obs.withMetrics(root), func(addr string) {
		printDevBanner(ctx, env.stdout, cfg, addr, database, mailInbox)
	})
}

// devCodecEndpoint is where the embedded Web UI finds the codec endpoint: the API's own address as
// a browser on this machine reaches it.
func devCodecEndpoint(cfg config.Config) string {
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil || port == "0" {
		return "" // not known before the API listens; the UI then shows payloads encrypted
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = devHost
	}
	return "http://" + net.JoinHostPort(host, port) + "/api/v1/codec"
}

// devUIOrigins are the origins the embedded Web UI is opened from, which may call the codec
// endpoint.
func devUIOrigins(cfg config.Config) []string {
	if cfg.DevUIPort == 0 {
		return nil
	}
	port := strconv.Itoa(cfg.DevUIPort)
	return []string{"http://" + net.JoinHostPort(devHost, port), "http://" + net.JoinHostPort("localhost", port)}
}

// withDevIssuer serves the built-in issuer beside the API and the front end, where an identity
// provider would: its public key and discovery document, so that `samverkan serve` can be pointed
// at a running dev (SAMVERKAN_OIDC_ISSUER=samverkan-dev,
// SAMVERKAN_OIDC_JWKS_URL=http://127.0.0.1:8080/.well-known/jwks.json), and the login's authorize
// and token endpoints, which the front end logs in through exactly as it does at the region's
// identity provider. Every other path goes to next as it is.
func withDevIssuer(next http.Handler, issuer *auth.Issuer, login *auth.DevLogin) http.Handler {
	jwks := issuer.JWKS()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		contentType := "application/json"
		switch r.URL.Path {
		case auth.DevAuthorizePath:
			login.Authorize(w, r)
			return
		case auth.DevTokenPath:
			login.Token(w, r)
			return
		case devJWKSPath:
			body, contentType = jwks, "application/jwk-set+json"
		case auth.DevDiscoveryPath:
			// The Host header says how the caller reached us; in dev that is this machine.
			body = login.Discovery("http://" + r.Host)
		default:
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "max-age=60")
		_, _ = w.Write(body)
	})
}

const devJWKSPath = auth.DevJWKSPath

// devIssuer names the built-in issuer of dev tokens unless another is configured.
func devIssuer(cfg config.Config) string {
	if cfg.OIDCIssuer != "" {
		return cfg.OIDCIssuer
	}
	return "samverkan-dev"
}

// printDevBanner says where everything is. mailInbox is the catcher's web inbox, "" when mail goes
// to a configured server or the inbox is off.
func printDevBanner(ctx context.Context, w io.Writer, cfg config.Config, apiAddr string, database *db.DB, mailInbox string) {
	fmt.Fprintf(w, "\nsamverkan dev is running (Ctrl-C stops it)\n")
	fmt.Fprintf(w, "  Web front end    http://%s/   (open it in a browser: log in as Anna Lärare and choose Anmäl oro)\n", apiAddr)
	fmt.Fprintf(w, "  API              http://%s/api/v1   (health: /healthz, /readyz)\n", apiAddr)
	if cfg.DevUIPort != 0 {
		fmt.Fprintf(w, "  Temporal Web UI  http://%s\n", net.JoinHostPort(devHost, strconv.Itoa(cfg.DevUIPort)))
	}
	if mailInbox != "" {
		fmt.Fprintf(w, "  Mail inbox       %s   (every notification mail; SMTP on port %d)\n", mailInbox, cfg.DevMailPort)
	}
	switch cfg.MetricsAddr {
	case config.MetricsOff:
	case config.MetricsOnHTTPAddr:
		fmt.Fprintf(w, "  Metrics          http://%s/metrics   (Prometheus, no token)\n", apiAddr)
	default:
		fmt.Fprintf(w, "  Metrics          http://%s/metrics   (Prometheus, no token)\n", cfg.MetricsAddr)
	}
	fmt.Fprintf(w, "  Token keys       http://%s%s   (issuer %s)\n", apiAddr, devJWKSPath, devIssuer(cfg))
	fmt.Fprintf(w, "  Temporal         %s, namespace %s\n", cfg.TemporalAddress, cfg.TemporalNamespace)
	fmt.Fprintf(w, "  Data             %s\n", cfg.DataDir)
	users, err := database.ListUsers(ctx)
	if err == nil && len(users) > 0 {
		fmt.Fprintf(w, "  Demo users (token: samverkan token --user NAME [--assignment ROLE@UNIT]; * the default):\n")
		for _, u := range users {
			roles := ""
			for _, r := range u.Roles {
				mark := ""
				if isDefaultAssignment(u, r) {
					mark = "*"
				}
				roles += fmt.Sprintf(" %s%s@%s", mark, r.Role, r.UnitID)
			}
			fmt.Fprintf(w, "    %-28s%s\n", u.ID, roles)
		}
	}
	fmt.Fprintln(w)
}
