package telemetry

import (
	"fmt"

	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// TemporalMetrics is the metrics handler of the process's Temporal client, and so of its workers:
// request counts and latencies of the client, workflow and activity task latencies, schedule-to-
// start, poller and slot gauges of the worker. The SDK's OpenTelemetry handler records them; an
// OpenTelemetry Prometheus exporter puts them in this registry, named as Prometheus expects
// (temporal_request_total, temporal_workflow_task_schedule_to_start_latency_seconds, …). Their
// labels are the namespace, task queue, workflow and activity type and operation: no workflow ID.
// Every call returns the same handler: a second exporter would report every series twice.
func (r *Registry) TemporalMetrics() (client.MetricsHandler, error) {
	r.temporalOnce.Do(func() { r.temporal, r.temporalErr = r.newTemporalMetrics() })
	return r.temporal, r.temporalErr
}

func (r *Registry) newTemporalMetrics() (client.MetricsHandler, error) {
	exporter, err := otelprom.New(otelprom.WithRegisterer(r.reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("temporal metrics: %w", err)
	}
	// The SDK's timers are histograms in seconds; OpenTelemetry's default buckets are for
	// milliseconds and would put every task latency in the first bucket.
	seconds := sdkmetric.NewView(
		sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Unit: "s"},
		sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: LatencyBuckets}},
	)
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter), sdkmetric.WithView(seconds))
	return temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter:                provider.Meter("go.temporal.io/sdk"),
		UseMonotonicCounters: true,
		OnError: func(err error) {
			if r.log != nil {
				r.log.Warn("temporal metric dropped", "error", err)
			}
		},
	}), nil
}

// TemporalTracing is the SDK's tracing interceptor on t's provider: a span for every workflow start,
// update, query and signal the client sends, and for every workflow and activity the worker runs,
// joined to the caller's span through the Temporal header. It is nil when tracing is off.
//
// Set on the client only: the SDK hands a client interceptor that is also a worker interceptor to
// every worker made from that client, and the same interceptor must not be set on both. Inside a
// workflow it starts spans only when the workflow is not replaying, so workflow code stays
// deterministic.
func (t *Tracing) TemporalTracing() (interceptor.ClientInterceptor, error) {
	if !t.Enabled() {
		return nil, nil
	}
	i, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: t.Tracer("go.temporal.io/sdk")})
	if err != nil {
		return nil, fmt.Errorf("temporal tracing: %w", err)
	}
	return i, nil
}
