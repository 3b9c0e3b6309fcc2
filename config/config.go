// Package config reads samverkan's settings from the environment and from flags of the same meaning.
// It is the one list of every setting: `samverkan --help` prints it and the deploy test checks the
// compose file against it, so a variable that is not here is not read by anything.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of every subcommand; each subcommand reads the part it needs.
type Config struct {
	HTTPAddr        string
	DataDir         string
	DatabaseURL     string
	LogLevel        slog.Level
	ShutdownTimeout time.Duration

	TemporalAddress    string
	TemporalNamespace  string
	TemporalTaskQueue  string
	TemporalTLSCA      string
	TemporalTLSCert    string
	TemporalTLSKey     string
	TemporalServerName string

	DevTemporalPort int
	DevUIPort       int
	// DevMailPort and DevMailUIPort are the SMTP port and the web inbox of dev's mail catcher.
	DevMailPort   int
	DevMailUIPort int

	OIDCIssuer   string
	OIDCAudience string
	OIDCJWKSURL  string

	// PseudonymKey keys the pseudonym that stands for a child in workflow IDs; `samverkan dev` makes
	// one under the data directory when none is given.
	PseudonymKey []byte

	// CodecKeys encrypt the payloads of workflow histories (package codec): the first encrypts, all
	// decrypt. `samverkan dev` makes one under the data directory when none is given; serve and
	// worker require them.
	CodecKeys []CodecKey
	// CodecCORSOrigins are the browser origins allowed to call the codec endpoint: the Temporal Web
	// UI's. In dev the embedded UI's origin is added.
	CodecCORSOrigins []string

	// AccessAlertPerHour is how many distinct cases one user may open within an hour before the
	// access log writes an alert (api/audit.go).
	AccessAlertPerHour int

	// RatePerUser limits the requests of one authenticated user; RatePerAddress those from one
	// client address that do not authenticate (api/ratelimit.go). The zero Rate is no limit.
	RatePerUser    Rate
	RatePerAddress Rate
	// Admission bounds the API's requests waiting on Temporal (api/admission.go).
	Admission Admission
	// TrustedProxies are the addresses (IPs or CIDRs) of the load balancers in front of the API,
	// whose X-Forwarded-For names the client; empty: the peer itself is the client.
	TrustedProxies []string
	// CORSOrigins are the browser origins of the caseworkers' front end that may call the API.
	CORSOrigins []string

	// SMTPAddr is the mail server of notification mails (host:port); empty: mail off in serve and
	// worker, whose notifications then wait in the outbox. SMTPFrom is the From of the mails, checked
	// as an address; SMTPUsername and SMTPPassword authenticate with PLAIN when a user name is set.
	SMTPAddr     string
	SMTPFrom     string
	SMTPUsername string
	SMTPPassword string
	// PublicURL is where users open the app: the base of the link to the case in every mail, and of
	// the web front end's login redirect in serve.
	PublicURL string

	// WebAPIURL is the API the web front end calls (scheme://host[:port]); empty: the API in the same
	// process, without a socket.
	WebAPIURL string
	// WebOIDCClientID and WebOIDCClientSecret are the front end's registration at the identity
	// provider (OIDCIssuer): authorization code flow with PKCE; no secret for a public client.
	WebOIDCClientID     string
	WebOIDCClientSecret string
	// WebSessionIdle ends a front-end session after this long without activity (after a warning).
	WebSessionIdle time.Duration
	// TokenMaxLifetime is the longest a bearer token may live (exp − iat): the API refuses longer ones.
	TokenMaxLifetime time.Duration

	// MetricsAddr is where /metrics is served: MetricsOnHTTPAddr beside the API (the worker listens
	// on the HTTP address for it alone), host:port on a listener of its own, or MetricsOff.
	MetricsAddr string
	// OTLPEndpoint is the OTLP/gRPC receiver traces are exported to (http:// plaintext or
	// https://); empty: no tracing.
	OTLPEndpoint string
	// PprofAddr is a loopback host:port where the Go profiler (net/http/pprof) answers, to find
	// where a process spends its time under load (issue 16); empty, the default: no profiler.
	PprofAddr string

	// Worker is how the Temporal worker (dev, worker) polls and how much it keeps in memory.
	Worker WorkerTuning
}

// WorkerTuning are the worker's options (issue 16). The defaults are the Go SDK's own but the
// sticky cache, which is 2,000 instead of 10,000 so that the memory of sleeping cases is bounded
// (docs/capacity.md says what each changes).
type WorkerTuning struct {
	// StickyCache is how many workflows the process keeps in memory between their tasks, so that a
	// case's next step does not replay its history; beyond it the least recently used are evicted
	// and replay when they next wake. It bounds the memory of sleeping cases.
	StickyCache int
	// Pollers is how many long polls each of the workflow and activity task queues keeps open.
	Pollers int
	// WorkflowSlots and ActivitySlots are how many workflow tasks and activities run at once.
	WorkflowSlots int
	ActivitySlots int
	// StickyTimeout is how long a case's next workflow task waits for this worker, which has the case
	// in memory, before the server gives it to any worker, which replays the case's history. A storm
	// of tasks beyond it makes the worker replay cases it had in memory (docs/capacity.md).
	StickyTimeout time.Duration
}

// The special values of MetricsAddr.
const (
	MetricsOnHTTPAddr = ""
	MetricsOff        = "off"
)

// Admission is how many requests of each class (Writes: concerns and commands; Reads: a case's
// live state or history) the API lets wait on Temporal at once, 0 for no bound, and how long a
// request waits for a free slot before 503. It converts to api.Admission.
type Admission struct {
	Writes, Reads int
	Wait          time.Duration
}

// Rate is a token bucket: PerSecond requests a second on average, Burst at once. The zero Rate
// means no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// CodecKey is one key of SAMVERKAN_CODEC_KEYS: its ID, stored in clear beside every payload it
// encrypts, and its 32-byte secret.
type CodecKey struct {
	ID     string
	Secret []byte
}

// Setting is one configuration value: its variable, its flag, its default and what it means.
type Setting struct {
	Env     string
	Flag    string
	Default string
	Help    string
	set     func(c *Config, v string) error
}

// Settings returns every setting in the order --help lists them.
func Settings() []Setting {
	return []Setting{
		{"SAMVERKAN_HTTP_ADDR", "http-addr", "127.0.0.1:8080", "address the HTTP API listens on", setHostPort(func(c *Config) *string { return &c.HTTPAddr })},
		{"SAMVERKAN_DATA_DIR", "data-dir", "./data", "folder for the embedded databases and dev keys", setString(func(c *Config) *string { return &c.DataDir })},
		{"SAMVERKAN_DATABASE_URL", "database-url", "", "application database: postgres://… for PostgreSQL, sqlite:PATH or empty for SQLite in the data folder", setDatabaseURL},
		{"SAMVERKAN_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", setLogLevel},
		{"SAMVERKAN_SHUTDOWN_TIMEOUT", "shutdown-timeout", "15s", "how long a stop waits for requests and activities in flight", setDuration(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
		{"SAMVERKAN_TEMPORAL_ADDRESS", "temporal-address", "127.0.0.1:7233", "Temporal frontend host:port (serve, worker)", setHostPort(func(c *Config) *string { return &c.TemporalAddress })},
		{"SAMVERKAN_TEMPORAL_NAMESPACE", "temporal-namespace", "default", "Temporal namespace", setString(func(c *Config) *string { return &c.TemporalNamespace })},
		{"SAMVERKAN_TEMPORAL_TASK_QUEUE", "temporal-task-queue", "samverkan-cases", "task queue of the case workflows", setString(func(c *Config) *string { return &c.TemporalTaskQueue })},
		{"SAMVERKAN_TEMPORAL_TLS_CA", "temporal-tls-ca", "", "PEM file of the CA that signed the Temporal server's certificate (enables TLS)", setString(func(c *Config) *string { return &c.TemporalTLSCA })},
		{"SAMVERKAN_TEMPORAL_TLS_CERT", "temporal-tls-cert", "", "PEM client certificate for mTLS (with the key)", setString(func(c *Config) *string { return &c.TemporalTLSCert })},
		{"SAMVERKAN_TEMPORAL_TLS_KEY", "temporal-tls-key", "", "PEM client key for mTLS (with the certificate)", setString(func(c *Config) *string { return &c.TemporalTLSKey })},
		{"SAMVERKAN_TEMPORAL_TLS_SERVER_NAME", "temporal-tls-server-name", "", "server name to verify in the Temporal certificate", setString(func(c *Config) *string { return &c.TemporalServerName })},
		{"SAMVERKAN_DEV_TEMPORAL_PORT", "dev-temporal-port", "7233", "dev: port of the embedded Temporal server", setPort(func(c *Config) *int { return &c.DevTemporalPort }, false)},
		{"SAMVERKAN_DEV_UI_PORT", "dev-ui-port", "8233", "dev: port of the embedded Temporal Web UI (0: no UI)", setPort(func(c *Config) *int { return &c.DevUIPort }, true)},
		{"SAMVERKAN_DEV_MAIL_PORT", "dev-mail-port", "1025", "dev: SMTP port of the embedded mail catcher, which gets every notification mail", setPort(func(c *Config) *int { return &c.DevMailPort }, false)},
		{"SAMVERKAN_DEV_MAIL_UI_PORT", "dev-mail-ui-port", "8025", "dev: port of the mail catcher's web inbox (0: none)", setPort(func(c *Config) *int { return &c.DevMailUIPort }, true)},
		{"SAMVERKAN_OIDC_ISSUER", "oidc-issuer", "", "issuer (iss) of accepted bearer tokens; dev: the built-in issuer", setString(func(c *Config) *string { return &c.OIDCIssuer })},
		{"SAMVERKAN_OIDC_AUDIENCE", "oidc-audience", "samverkan", "audience (aud) accepted bearer tokens must name", setString(func(c *Config) *string { return &c.OIDCAudience })},
		{"SAMVERKAN_OIDC_JWKS_URL", "oidc-jwks-url", "", "URL of the issuer's JSON Web Key Set (serve)", setString(func(c *Config) *string { return &c.OIDCJWKSURL })},
		{"SAMVERKAN_PSEUDONYM_KEY", "pseudonym-key", "", "secret (hex or base64, at least 32 bytes) that keys children's pseudonyms; dev makes one", setKey},
		{"SAMVERKAN_CODEC_KEYS", "codec-keys", "", "keys encrypting workflow histories, ID:SECRET[,ID:SECRET…] (SECRET 32 bytes, hex or base64); the first encrypts, all decrypt; serve and worker require it, dev makes one", setCodecKeys},
		{"SAMVERKAN_CODEC_CORS_ORIGINS", "codec-cors-origins", "", "comma-separated origins (https://host[:port]) of Temporal Web UIs that may call the codec endpoint; dev adds its embedded UI", setOriginList(func(c *Config) *[]string { return &c.CodecCORSOrigins }, "the Temporal Web UI's")},
		{"SAMVERKAN_ACCESS_ALERT_PER_HOUR", "access-alert-per-hour", "30", "distinct cases one user may open within an hour before the access log writes an alert", setCount(func(c *Config) *int { return &c.AccessAlertPerHour })},
		{"SAMVERKAN_RATE_PER_USER", "rate-per-user", "50/s burst 200", "requests one user may make: N/s, N/min or N/h and the burst B, as \"50/s burst 200\", or off", setRate(func(c *Config) *Rate { return &c.RatePerUser })},
		{"SAMVERKAN_RATE_PER_ADDRESS", "rate-per-address", "20/s burst 100", "requests without a valid token (none, bad, expired) one client address may make; a valid token is limited by its user's rate only: same form as the per-user rate", setRate(func(c *Config) *Rate { return &c.RatePerAddress })},
		{"SAMVERKAN_API_MAX_INFLIGHT_WRITES", "api-max-inflight-writes", "8", "concerns and case commands the API lets wait on Temporal at once; beyond them 503 with Retry-After at once, before anything is applied; or off", setBound(func(c *Config) *int { return &c.Admission.Writes })},
		{"SAMVERKAN_API_MAX_INFLIGHT_READS", "api-max-inflight-reads", "32", "reads of a case's live state or history (not lists, not the inbox) the API lets wait on Temporal at once; beyond them 503 at once; or off", setBound(func(c *Config) *int { return &c.Admission.Reads })},
		{"SAMVERKAN_API_ADMISSION_WAIT", "api-admission-wait", "250ms", "how long a request beyond those bounds waits for a free slot before its 503", setDuration(func(c *Config) *time.Duration { return &c.Admission.Wait })},
		{"SAMVERKAN_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated IPs or CIDRs of load balancers whose X-Forwarded-For names the client (for the per-address rate); empty: the peer is the client", setTrustedProxies},
		{"SAMVERKAN_CORS_ORIGINS", "cors-origins", "", "comma-separated origins (https://host[:port]) of the front end that browsers may call the API from", setOriginList(func(c *Config) *[]string { return &c.CORSOrigins }, "the front end's")},
		{"SAMVERKAN_SMTP_ADDR", "smtp-addr", "", "mail server (host:port) for notification mails, STARTTLS when offered; empty: mail off in serve and worker (mails wait in the outbox); dev uses its embedded catcher", setOptionalHostPort(func(c *Config) *string { return &c.SMTPAddr })},
		{"SAMVERKAN_SMTP_FROM", "smtp-from", "Samverkan <noreply@samverkan.example>", "From of notification mails: an address, or \"Name <address>\"", setMailAddress},
		{"SAMVERKAN_SMTP_USERNAME", "smtp-username", "", "user name for the mail server (PLAIN authentication, only over TLS or to localhost); empty: none", setString(func(c *Config) *string { return &c.SMTPUsername })},
		{"SAMVERKAN_SMTP_PASSWORD", "smtp-password", "", "password for the mail server", setString(func(c *Config) *string { return &c.SMTPPassword })},
		{"SAMVERKAN_PUBLIC_URL", "public-url", "http://127.0.0.1:8080", "where users open samverkan: the base of the link to the case in every mail", setPublicURL},
		{"SAMVERKAN_WEB_API_URL", "web-api-url", "", "the API the web front end calls, http(s)://host[:port]; empty: the API in the same process (dev, serve)", setOptionalURL(func(c *Config) *string { return &c.WebAPIURL })},
		{"SAMVERKAN_WEB_OIDC_CLIENT_ID", "web-oidc-client-id", "samverkan-web", "the web front end's client ID at the OIDC issuer (authorization code flow with PKCE)", setString(func(c *Config) *string { return &c.WebOIDCClientID })},
		{"SAMVERKAN_WEB_OIDC_CLIENT_SECRET", "web-oidc-client-secret", "", "its client secret; empty for a public client", setString(func(c *Config) *string { return &c.WebOIDCClientSecret })},
		{"SAMVERKAN_TOKEN_MAX_LIFETIME", "token-max-lifetime", "12h", "the longest lifetime (exp − iat) of a bearer token the API accepts; `samverkan token` and the dev login issue none longer", setDuration(func(c *Config) *time.Duration { return &c.TokenMaxLifetime })},
		{"SAMVERKAN_WEB_SESSION_IDLE", "web-session-idle", "30m", "a front-end session ends after this long without activity; the page warns two minutes before and lets the user extend it", setDuration(func(c *Config) *time.Duration { return &c.WebSessionIdle })},
		{"SAMVERKAN_METRICS_ADDR", "metrics-addr", "", "where Prometheus scrapes /metrics: empty on the HTTP address (beside the API; the worker listens there for it alone), host:port on a listener of its own, or off", setMetricsAddr},
		{"SAMVERKAN_WORKER_STICKY_CACHE", "worker-sticky-cache", "2000", "workflows the worker keeps in memory between their tasks; beyond it the least recently used replay when they wake (dev, worker)", setCount(func(c *Config) *int { return &c.Worker.StickyCache })},
		{"SAMVERKAN_WORKER_POLLERS", "worker-pollers", "2", "long polls the worker keeps open on each of its workflow and activity task queues (dev, worker)", setCount(func(c *Config) *int { return &c.Worker.Pollers })},
		{"SAMVERKAN_WORKER_WORKFLOW_SLOTS", "worker-workflow-slots", "1000", "workflow tasks the worker runs at once (dev, worker)", setCount(func(c *Config) *int { return &c.Worker.WorkflowSlots })},
		{"SAMVERKAN_WORKER_STICKY_TIMEOUT", "worker-sticky-timeout", "5s", "how long a case's next workflow task waits for the worker that has it in memory before any worker takes it and replays the case (dev, worker)", setDuration(func(c *Config) *time.Duration { return &c.Worker.StickyTimeout })},
		{"SAMVERKAN_WORKER_ACTIVITY_SLOTS", "worker-activity-slots", "1000", "activities the worker runs at once (dev, worker)", setCount(func(c *Config) *int { return &c.Worker.ActivitySlots })},
		{"SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT", "otel-exporter-otlp-endpoint", "", "OTLP/gRPC receiver of traces, e.g. http://otel-collector:4317 (plaintext) or https://…; empty: no tracing", setOTLPEndpoint},
		{"SAMVERKAN_PPROF_ADDR", "pprof-addr", "", "loopback host:port (127.0.0.1:6060) where the Go profiler answers at /debug/pprof/, without a token; empty: none (dev, serve, worker)", setPprofAddr},
	}
}

// Load reads the settings: defaults, then the environment, then flags. args are the subcommand's
// arguments; extra flags of the subcommand itself may be added to fs before calling.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	var c Config
	settings := Settings()
	flagValues := make(map[string]*string, len(settings))
	for _, s := range settings {
		flagValues[s.Flag] = fs.String(s.Flag, "", s.Help+" ($"+s.Env+")")
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings {
		value, source := s.Default, s.Env
		if v := getenv(s.Env); v != "" {
			value = v
		}
		if given[s.Flag] {
			value, source = *flagValues[s.Flag], "--"+s.Flag
		}
		if err := s.set(&c, value); err != nil {
			return c, fmt.Errorf("%s: %w", source, err)
		}
	}
	if (c.TemporalTLSCert == "") != (c.TemporalTLSKey == "") {
		return c, errors.New("SAMVERKAN_TEMPORAL_TLS_CERT and SAMVERKAN_TEMPORAL_TLS_KEY go together: set both or neither")
	}
	return c, nil
}

// IsPostgres reports whether the application database is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the application's SQLite file when the database is not PostgreSQL.
func (c Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok {
		return p
	}
	return filepath.Join(c.DataDir, "samverkan.db")
}

// Usage writes the settings table for --help.
func Usage(w io.Writer) {
	for _, s := range Settings() {
		def := s.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  %-36s --%-26s %s\n  %-36s   %-26s default: %s\n", s.Env, s.Flag, s.Help, "", "", def)
	}
}

func setString(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *field(c) = v; return nil }
}

func setHostPort(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			return fmt.Errorf("%q is not host:port", v)
		}
		*field(c) = v
		return nil
	}
}

// setOptionalHostPort takes host:port, or nothing.
func setOptionalHostPort(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		if v == "" {
			*field(c) = ""
			return nil
		}
		return setHostPort(field)(c, v)
	}
}

func setMailAddress(c *Config, v string) error {
	if _, err := mail.ParseAddress(v); err != nil {
		return fmt.Errorf("%q is not a mail address such as \"Samverkan <noreply@example.org>\"", v)
	}
	c.SMTPFrom = v
	return nil
}

// setPublicURL takes an http(s) URL, perhaps with a path, kept without its trailing slash.
func setPublicURL(c *Config, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not a URL such as https://samverkan.example.org", v)
	}
	c.PublicURL = strings.TrimRight(u.String(), "/")
	return nil
}

// setOptionalURL takes an http(s) URL of a host (no path), or nothing.
func setOptionalURL(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		if v == "" {
			*field(c) = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%q is not a URL such as https://api.example.org", v)
		}
		*field(c) = strings.TrimRight(u.String(), "/")
		return nil
	}
}

func setMetricsAddr(c *Config, v string) error {
	if v == MetricsOnHTTPAddr || v == MetricsOff {
		c.MetricsAddr = v
		return nil
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		return fmt.Errorf("%q is neither host:port nor off", v)
	}
	c.MetricsAddr = v
	return nil
}

// setPprofAddr takes a host:port on the loopback interface, or nothing. The profiler has no token
// and its goroutine dumps show the code's every state, so it never listens where others can reach it.
func setPprofAddr(c *Config, v string) error {
	c.PprofAddr = ""
	if v == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil || port == "" {
		return fmt.Errorf("%q is not host:port", v)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%q is not on the loopback interface (127.0.0.1 or ::1): the profiler has no token", v)
	}
	c.PprofAddr = v
	return nil
}

// setOTLPEndpoint takes the URL of an OTLP/gRPC receiver: its scheme says whether to use TLS.
func setOTLPEndpoint(c *Config, v string) error {
	c.OTLPEndpoint = ""
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not a URL such as http://otel-collector:4317", v)
	}
	c.OTLPEndpoint = v
	return nil
}

func setCount(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a whole number of 1 or more", v)
		}
		*field(c) = n
		return nil
	}
}

// setBound takes a whole number of 1 or more, or off (0: no bound).
func setBound(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		if strings.EqualFold(strings.TrimSpace(v), "off") {
			*field(c) = 0
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is neither a whole number of 1 or more nor off", v)
		}
		*field(c) = n
		return nil
	}
}

func setPort(field func(*Config) *int, zeroAllowed bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 || (p == 0 && !zeroAllowed) {
			return fmt.Errorf("%q is not a port number", v)
		}
		*field(c) = p
		return nil
	}
}

func setDuration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("%q is not a duration such as 15s", v)
		}
		*field(c) = d
		return nil
	}
}

func setLogLevel(c *Config, v string) error {
	if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
		return fmt.Errorf("%q is not one of debug, info, warn, error", v)
	}
	return nil
}

func setDatabaseURL(c *Config, v string) error {
	switch {
	case v == "", strings.HasPrefix(v, "sqlite:"), strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		c.DatabaseURL = v
		return nil
	}
	return errors.New("must be a postgres:// or postgresql:// URL, or sqlite:PATH")
}

func setKey(c *Config, v string) error {
	if v == "" {
		return nil
	}
	key, err := decodeSecret(v)
	if err != nil {
		return err
	}
	if len(key) < 32 {
		return fmt.Errorf("is %d bytes; at least 32 are needed", len(key))
	}
	c.PseudonymKey = key
	return nil
}

func setCodecKeys(c *Config, v string) error {
	if v == "" {
		return nil
	}
	keys, err := ParseCodecKeys(v)
	if err != nil {
		return err
	}
	c.CodecKeys = keys
	return nil
}

// ParseCodecKeys reads keys in the form of SAMVERKAN_CODEC_KEYS: "ID:SECRET,ID:SECRET", each
// SECRET 32 bytes in hex or base64. Errors name the entry by position and ID, never show a secret.
func ParseCodecKeys(v string) ([]CodecKey, error) {
	var keys []CodecKey
	seen := map[string]bool{}
	for i, entry := range strings.Split(v, ",") {
		id, secret, ok := strings.Cut(strings.TrimSpace(entry), ":")
		id = strings.TrimSpace(id)
		if !ok || id == "" {
			return nil, fmt.Errorf("entry %d is not ID:SECRET", i+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("key ID %q is given twice", id)
		}
		seen[id] = true
		key, err := decodeSecret(strings.TrimSpace(secret))
		if err != nil {
			return nil, fmt.Errorf("key %q: the secret %w", id, err)
		}
		if len(key) != 32 {
			return nil, fmt.Errorf("key %q: the secret is %d bytes; exactly 32 are needed (openssl rand -hex 32)", id, len(key))
		}
		keys = append(keys, CodecKey{ID: id, Secret: key})
	}
	return keys, nil
}

func decodeSecret(v string) ([]byte, error) {
	key, err := hex.DecodeString(v)
	if err != nil {
		key, err = base64.StdEncoding.DecodeString(v)
	}
	if err != nil {
		return nil, errors.New("is neither hex nor base64")
	}
	return key, nil
}

// setOriginList takes browser origins only: a scheme and a host, no path. A wildcard is refused:
// the API hands out personal data, so every origin that may read it is named.
func setOriginList(field func(*Config) *[]string, whose string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = nil
		if v == "" {
			return nil
		}
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			if o == "*" {
				return fmt.Errorf("a wildcard is not allowed: name %s origin", whose)
			}
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
				(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
				return fmt.Errorf("%q is not an origin such as https://app.example.org", o)
			}
			*field(c) = append(*field(c), u.Scheme+"://"+u.Host)
		}
		return nil
	}
}

func setRate(field func(*Config) *Rate) func(*Config, string) error {
	return func(c *Config, v string) error {
		r, err := ParseRate(v)
		if err != nil {
			return err
		}
		*field(c) = r
		return nil
	}
}

// ParseRate reads a rate in the form of SAMVERKAN_RATE_PER_USER: "N/s burst B" (or N/min, N/h),
// N a positive number and B a whole number of 1 or more, or "off".
func ParseRate(v string) (Rate, error) {
	if strings.EqualFold(strings.TrimSpace(v), "off") {
		return Rate{}, nil
	}
	bad := fmt.Errorf("%q is not a rate such as \"50/s burst 200\" (N per s, min or h, then the burst), or off", v)
	f := strings.Fields(v)
	if len(f) != 3 || f[1] != "burst" {
		return Rate{}, bad
	}
	count, unit, _ := strings.Cut(f[0], "/")
	n, err := strconv.ParseFloat(count, 64)
	seconds := map[string]float64{"s": 1, "min": 60, "h": 3600}[unit]
	if err != nil || !(n > 0) || math.IsInf(n, 0) || seconds == 0 {
		return Rate{}, bad
	}
	burst, err := strconv.Atoi(f[2])
	if err != nil || burst < 1 {
		return Rate{}, bad
	}
	return Rate{PerSecond: n / seconds, Burst: burst}, nil
}

// setTrustedProxies takes IPs and CIDRs, kept as CIDRs.
func setTrustedProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	if v == "" {
		return nil
	}
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("%q is neither an IP address nor a CIDR such as 10.0.0.0/8", p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked().String())
	}
	return nil
}
