package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
)

func newLogger(env *environment) *slog.Logger {
	return slog.New(slog.NewJSONHandler(env.stderr, &slog.HandlerOptions{Level: env.cfg.LogLevel}))
}

func openDB(ctx context.Context, cfg config.Config, logger *slog.Logger) (*db.DB, error) {
	opts := db.Options{SQLitePath: cfg.SQLitePath(), Logger: logger}
	if cfg.IsPostgres() {
		opts.URL = cfg.DatabaseURL
	}
	d, err := db.Open(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return d, nil
}

// requireMigrated refuses to serve on a schema older than the code: `samverkan migrate` first.
func requireMigrated(ctx context.Context, d *db.DB) error {
	pending, err := d.PendingMigrations(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if len(pending) > 0 {
		return fmt.Errorf("the database lacks migrations %s: run `samverkan migrate` first", strings.Join(pending, ", "))
	}
	return nil
}

// dialTemporal connects to the Temporal frontend, waiting up to a minute for it: in compose or
// Kubernetes the cluster may come up after us. Every payload the client and its workers send is
// encrypted by pc, and so are failures' messages and stack traces (EncodeCommonAttributes), since
// an error message may quote what a caseworker wrote. The API and the worker must use the same
// keys, which is why every Temporal client of the binary is made here. extra adds to the options,
// such as the process's metrics and tracing (observability.temporalClientOptions).
func dialTemporal(ctx context.Context, cfg config.Config, logger *slog.Logger, pc *codec.Codec, extra ...func(*client.Options) error) (client.Client, error) {
	opts := client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.TemporalNamespace,
		Logger:    sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
	}
	opts.DataConverter, opts.FailureConverter = temporalConverters(pc)
	for _, set := range extra {
		if err := set(&opts); err != nil {
			return nil, err
		}
	}
	tlsConf, err := temporalTLS(cfg)
	if err != nil {
		return nil, err
	}
	opts.ConnectionOptions.TLS = tlsConf
	deadline := time.Now().Add(time.Minute)
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
		}
		logger.Warn("temporal not reachable yet, retrying", "address", cfg.TemporalAddress, "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

// temporalConverters encrypt payloads with pc, and move failures' messages and stack traces into an
// encrypted payload too.
func temporalConverters(pc *codec.Codec) (converter.DataConverter, converter.FailureConverter) {
	dc := codec.DataConverter(pc)
	return dc, failureConverter{FailureConverter: newFailureConverter(dc), dc: dc}
}

func newFailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{DataConverter: dc, EncodeCommonAttributes: true})
}

// failureConverter is the SDK's default one, made again with the data converter of the workflow
// a failure belongs to: the default one passes no serialization context to its data converter, and
// the codec needs it to name the failure's case (codec.MetadataWorkflowID).
type failureConverter struct {
	converter.FailureConverter
	dc converter.DataConverter
}

func (f failureConverter) WithSerializationContext(ctx converter.SerializationContext) converter.FailureConverter {
	return newFailureConverter(converter.WithDataConverterSerializationContext(f.dc, ctx))
}

func temporalTLS(cfg config.Config) (*tls.Config, error) {
	if cfg.TemporalTLSCA == "" && cfg.TemporalTLSCert == "" && cfg.TemporalServerName == "" {
		return nil, nil
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: cfg.TemporalServerName}
	if cfg.TemporalTLSCA != "" {
		pem, err := os.ReadFile(cfg.TemporalTLSCA)
		if err != nil {
			return nil, fmt.Errorf("SAMVERKAN_TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("SAMVERKAN_TEMPORAL_TLS_CA: no PEM certificate in the file")
		}
		conf.RootCAs = pool
	}
	if cfg.TemporalTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TemporalTLSCert, cfg.TemporalTLSKey)
		if err != nil {
			return nil, fmt.Errorf("SAMVERKAN_TEMPORAL_TLS_CERT/KEY: %w", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	return conf, nil
}

// pseudonymKey is the configured key, or in dev the one kept in the data folder (made on first start).
func pseudonymKey(cfg config.Config, dev bool) ([]byte, error) {
	if cfg.PseudonymKey != nil {
		return cfg.PseudonymKey, nil
	}
	if !dev {
		return nil, errors.New("SAMVERKAN_PSEUDONYM_KEY: required (hex or base64, at least 32 bytes)")
	}
	path := filepath.Join(cfg.DataDir, "pseudonym.key")
	if b, err := os.ReadFile(path); err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("%s is damaged: restore it, or remove the data folder to start over", path)
		}
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return key, nil
}

// payloadCodec encrypts what Temporal stores, with the configured keys, or in dev with the key
// kept in the data folder (made on first start) so that even a laptop's history holds no readable
// personal data. serve and worker have no fallback: a missing key must stop them, not let them
// write in clear.
func payloadCodec(cfg config.Config, dev bool) (*codec.Codec, error) {
	keys := cfg.CodecKeys
	if keys == nil {
		if !dev {
			return nil, errors.New("SAMVERKAN_CODEC_KEYS: required, so that Temporal stores no readable personal data (ID:SECRET, e.g. k1:$(openssl rand -hex 32))")
		}
		var err error
		if keys, err = devCodecKeys(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	ring := make([]codec.Key, len(keys))
	for i, k := range keys {
		ring[i] = codec.Key{ID: k.ID, Secret: k.Secret}
	}
	kr, err := codec.NewKeyring(ring...)
	if err != nil {
		return nil, fmt.Errorf("SAMVERKAN_CODEC_KEYS: %w", err)
	}
	return codec.New(kr), nil
}

// devCodecKeys reads the dev key file of the data folder, in the form of SAMVERKAN_CODEC_KEYS, or
// makes it. Losing it makes every case in the folder's Temporal history unreadable.
func devCodecKeys(dataDir string) ([]config.CodecKey, error) {
	path := filepath.Join(dataDir, "codec.keys")
	if b, err := os.ReadFile(path); err == nil {
		keys, err := config.ParseCodecKeys(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s is damaged (%v): restore it, or remove the data folder to start over", path, err)
		}
		return keys, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	secret := make([]byte, codec.KeySize)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte("dev1:"+hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return []config.CodecKey{{ID: "dev1", Secret: secret}}, nil
}

// openProductionBackends opens the migrated database and the Temporal client that serve and worker
// both need; close releases them in reverse order. extra goes to dialTemporal.
func openProductionBackends(ctx context.Context, cfg config.Config, logger *slog.Logger, pc *codec.Codec, extra ...func(*client.Options) error) (*db.DB, client.Client, func(), error) {
	database, err := openDB(ctx, cfg, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := requireMigrated(ctx, database); err != nil {
		database.Close()
		return nil, nil, nil, err
	}
	temporalClient, err := dialTemporal(ctx, cfg, logger, pc, extra...)
	if err != nil {
		database.Close()
		return nil, nil, nil, err
	}
	return database, temporalClient, func() { temporalClient.Close(); database.Close() }, nil
}

// mailSettings are how the worker's Notify activity mails: through the SMTP server at addr, or –
// addr empty – not at all (notifications in the app, mails pending in the outbox).
func mailSettings(cfg config.Config, addr string) activities.MailSettings {
	s := activities.MailSettings{From: cfg.SMTPFrom, PublicURL: cfg.PublicURL}
	if addr != "" {
		s.Mailer = &activities.SMTPMailer{Addr: addr, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword}
	}
	return s
}

// closeMailer says goodbye to the mail server on the connections the mailer keeps open.
func closeMailer(s activities.MailSettings) {
	if c, ok := s.Mailer.(io.Closer); ok {
		_ = c.Close()
	}
}

// migrateAndSeed brings a database to the current schema and loads the demo directory: dev does it
// on every start, `seed --demo` on demand. Both steps are idempotent.
func migrateAndSeed(ctx context.Context, cfg config.Config, logger *slog.Logger) (*db.DB, error) {
	database, err := openDB(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	if _, err := database.Migrate(ctx); err != nil {
		database.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := database.SeedDemo(ctx); err != nil {
		database.Close()
		return nil, fmt.Errorf("seed demo directory: %w", err)
	}
	return database, nil
}
