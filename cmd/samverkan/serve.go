package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/worker"
)

// runServe is the HTTP API of the production shape: any number of these behind a load balancer.
func runServe(ctx context.Context, env *environment, _ any) error {
	cfg := env.cfg
	logger := newLogger(env)
	if cfg.OIDCIssuer == "" || cfg.OIDCJWKSURL == "" {
		return errors.New("SAMVERKAN_OIDC_ISSUER and SAMVERKAN_OIDC_JWKS_URL: required, so that no request is anonymous")
	}
	key, err := pseudonymKey(cfg, false)
	if err != nil {
		return err
	}
	pc, err := payloadCodec(cfg, false)
	if err != nil {
		return err
	}
	obs, err := startObservability(ctx, cfg, logger, "serve")
	if err != nil {
		return err
	}
	defer obs.close()
	database, temporalClient, closeBackends, err := openProductionBackends(ctx, cfg, logger, pc, obs.temporalClientOptions)
	if err != nil {
		return err
	}
	defer closeBackends()
	keys := auth.NewRemoteKeySet(cfg.OIDCJWKSURL, &http.Client{Timeout: 5 * time.Second})
	server := &api.Server{
		Temporal: temporalClient, DB: database, TaskQueue: cfg.TemporalTaskQueue, PseudonymKey: key, Logger: logger,
		Tokens: auth.NewVerifier(cfg.OIDCIssuer, cfg.OIDCAudience, keys),
		Codec:  pc, CodecOrigins: cfg.CodecCORSOrigins,
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
	apiHandler := server.Handler()
	oidc, err := serveWebOIDC(cfg)
	if err != nil {
		return err
	}
	front, err := webFrontEnd(cfg, logger, database, apiHandler, oidc, cfg.PublicURL)
	if err != nil {
		return err
	}
	return serveHTTP(ctx, cfg, logger, obs.withMetrics(withWeb(apiHandler, front)), func(addr string) {
		logger.Info("api listening", "addr", addr)
	})
}

// runWorker runs the case workflows and their activities until stopped.
func runWorker(ctx context.Context, env *environment, _ any) error {
	cfg := env.cfg
	logger := newLogger(env)
	pc, err := payloadCodec(cfg, false)
	if err != nil {
		return err
	}
	obs, err := startObservability(ctx, cfg, logger, "worker")
	if err != nil {
		return err
	}
	defer obs.close()
	database, temporalClient, closeBackends, err := openProductionBackends(ctx, cfg, logger, pc, obs.temporalClientOptions)
	if err != nil {
		return err
	}
	defer closeBackends()
	// The worker has no API: its metrics get the HTTP address unless they have one of their own.
	stopMetrics, err := obs.startMetricsListener(true)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopPprof, err := startPprof(cfg.PprofAddr, logger)
	if err != nil {
		return err
	}
	defer stopPprof()
	mail := mailSettings(cfg, cfg.SMTPAddr)
	defer closeMailer(mail) // after the worker stopped: its last sends may use the connections
	w := worker.New(temporalClient, cfg.TemporalTaskQueue,
		caseActivities(cfg, database, logger, mail, temporalClient, pc), cfg.ShutdownTimeout, cfg.Worker)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	if err := ensureRetentionSchedule(ctx, temporalClient, cfg.TemporalTaskQueue); err != nil {
		w.Stop()
		return err
	}
	if err := ensureMailOutboxSweep(ctx, temporalClient, cfg.TemporalTaskQueue, logger); err != nil {
		w.Stop()
		return err
	}
	logger.Info("worker running", "taskQueue", cfg.TemporalTaskQueue, "mail", cfg.SMTPAddr != "")
	<-ctx.Done()
	w.Stop()
	logger.Info("worker stopped")
	return nil
}

// applyRequestSettings hands the API the settings that shape every request: rate limits, the bound
// on requests waiting on Temporal, the load balancers that name the client's address, and the
// front end's origins.
func applyRequestSettings(s *api.Server, cfg config.Config) {
	s.RatePerUser, s.RatePerAddress = api.RateLimit(cfg.RatePerUser), api.RateLimit(cfg.RatePerAddress)
	s.Admission = api.Admission(cfg.Admission)
	s.TrustedProxies, s.CORSOrigins = cfg.TrustedProxies, cfg.CORSOrigins
	// A token's user and assignment must be in the directory, and its lifetime within the cap.
	s.RequireDirectory, s.TokenMaxLifetime = true, cfg.TokenMaxLifetime
}

// serveHTTP serves until ctx ends, then lets requests in flight finish within the shutdown timeout.
func serveHTTP(ctx context.Context, cfg config.Config, logger *slog.Logger, h http.Handler, ready func(addr string)) error {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("SAMVERKAN_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	ready(ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
