package telemetry

import (
	"context"
	"fmt"
	"net/url"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Tracing is a process's OpenTelemetry tracer provider: spans batched and exported over OTLP/gRPC
// to a collector, or a provider that records nothing when no endpoint is configured.
type Tracing struct {
	trace.TracerProvider
	sdk *sdktrace.TracerProvider // nil when off
}

// StartTracing exports to endpoint, an http:// (plaintext) or https:// URL of an OTLP/gRPC
// receiver such as an OpenTelemetry Collector (http://otel-collector:4317); "" turns tracing off.
// role names the subcommand (serve, worker, dev) in the spans' resource, beside service.name
// samverkan. The exporter connects lazily: an unreachable collector costs dropped spans, never a
// failed start. Every span is kept; sample in the collector if there are too many.
func StartTracing(ctx context.Context, endpoint, role string) (*Tracing, error) {
	if endpoint == "" {
		return &Tracing{TracerProvider: noop.NewTracerProvider()}, nil
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("OTLP endpoint %q is not an http:// or https:// URL", endpoint)
	}
	exporter, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(endpoint))
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "samverkan"), attribute.String("samverkan.role", role))
	return NewTracing(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res)), nil
}

// NewTracing is tracing on an SDK provider built from opts: tests hand it a span recorder.
func NewTracing(opts ...sdktrace.TracerProviderOption) *Tracing {
	p := sdktrace.NewTracerProvider(opts...)
	return &Tracing{TracerProvider: p, sdk: p}
}

// Enabled reports whether spans go anywhere.
func (t *Tracing) Enabled() bool { return t != nil && t.sdk != nil }

// Shutdown sends the spans still batched and stops the exporter; ctx bounds how long it waits.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	if err := t.sdk.Shutdown(ctx); err != nil {
		return fmt.Errorf("shut down tracing: %w", err)
	}
	return nil
}
