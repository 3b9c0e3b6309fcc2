package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/telemetry"
)

// observability is a process's metrics and tracing (package telemetry), made from the settings
// before anything dials Temporal, so the client and its workers report from the first call.
type observability struct {
	cfg     config.Config
	log     *slog.Logger
	metrics *telemetry.Registry // nil with SAMVERKAN_METRICS_ADDR=off
	tracing *telemetry.Tracing
}

func startObservability(ctx context.Context, cfg config.Config, logger *slog.Logger, role string) (*observability, error) {
	tracing, err := telemetry.StartTracing(ctx, cfg.OTLPEndpoint, role)
	if err != nil {
		return nil, fmt.Errorf("SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
	}
	o := &observability{cfg: cfg, log: logger, tracing: tracing}
	if cfg.MetricsAddr != config.MetricsOff {
		o.metrics = telemetry.NewRegistry(logger)
	}
	return o, nil
}

// temporalClientOptions gives the Temporal client the SDK's metrics in the registry and the
// tracing interceptor, which the SDK hands on to every worker made from the client.
func (o *observability) temporalClientOptions(opts *client.Options) error {
	if o.metrics != nil {
		h, err := o.metrics.TemporalMetrics()
		if err != nil {
			return err
		}
		opts.MetricsHandler = h
	}
	i, err := o.tracing.TemporalTracing()
	if err != nil {
		return err
	}
	if i != nil {
		opts.Interceptors = append(opts.Interceptors, i)
	}
	return nil
}

// instrumentAPI hands the API its request histogram and tracer, and counts the read model for the
// business gauges. Every API replica reports the same figures: a dashboard takes their max.
func (o *observability) instrumentAPI(s *api.Server, database *db.DB) error {
	if o.tracing.Enabled() {
		s.Tracing = o.tracing
	}
	if o.metrics == nil {
		return nil
	}
	s.Metrics = o.metrics.Registerer()
	if err := o.metrics.RegisterReadModel(database); err != nil {
		return fmt.Errorf("read model metrics: %w", err)
	}
	return nil
}

// withMetrics serves /metrics beside the API when it belongs on the HTTP address. It is answered
// before the API's router sees the request: no token, no rate limit, no access log – a scrape
// every few seconds is neither a user nor an access to a case.
func (o *observability) withMetrics(h http.Handler) http.Handler {
	if o.metrics == nil || o.cfg.MetricsAddr != config.MetricsOnHTTPAddr {
		return h
	}
	metrics := o.metrics.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == metricsPath {
			metrics.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

const metricsPath = "/metrics"

// startMetricsListener serves /metrics on a listener of its own: on SAMVERKAN_METRICS_ADDR when
// one is set, and in a process without an API (alone: the worker) on the HTTP address otherwise.
// A configured address in use fails the start; the HTTP address in use only costs the worker its
// /metrics, with a warning – a worker beside `serve` on one host with the same settings must still
// run, as it did before it had metrics. stop closes the listener and waits for it.
func (o *observability) startMetricsListener(alone bool) (stop func(), err error) {
	addr, borrowed := o.cfg.MetricsAddr, false
	if alone && addr == config.MetricsOnHTTPAddr {
		addr, borrowed = o.cfg.HTTPAddr, true
	}
	if o.metrics == nil || addr == config.MetricsOnHTTPAddr {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil && borrowed {
		o.log.Warn("no /metrics: the HTTP address is taken; give the worker SAMVERKAN_METRICS_ADDR", "addr", addr, "error", err)
		return func() {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("SAMVERKAN_METRICS_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+metricsPath, o.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			o.log.Error("metrics endpoint stopped", "error", err)
		}
	}()
	o.log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

// close sends the spans still batched, waiting a few seconds at most.
func (o *observability) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.tracing.Shutdown(ctx); err != nil {
		o.log.Warn("tracing shutdown", "error", err)
	}
}
