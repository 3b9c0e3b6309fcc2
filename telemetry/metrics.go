// Package telemetry is what the people who run samverkan watch: one Prometheus registry per process
// and its /metrics handler, the Temporal SDK's client and worker metrics in that registry, gauges
// over the read model (cases by phase, overdue steps, notifications sent), and OpenTelemetry traces
// exported over OTLP. It never sees case content: its labels are phases, municipalities, kinds,
// routes and statuses – never a case ID, a name or a path.
package telemetry

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
)

// Registry is a process's metrics: the Go runtime's and the process's own, and what the binary's
// parts register in it.
type Registry struct {
	reg *prometheus.Registry
	log *slog.Logger

	temporalOnce sync.Once
	temporal     client.MetricsHandler
	temporalErr  error
}

// NewRegistry makes the registry with the runtime and process collectors in it.
func NewRegistry(logger *slog.Logger) *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Registry{reg: reg, log: logger}
}

// Registerer is where the API registers its HTTP histogram.
func (r *Registry) Registerer() prometheus.Registerer { return r.reg }

// Handler serves the registry in Prometheus' text format. A collector that fails is logged and
// left out of that scrape; the rest is still served, so a slow read model never hides Temporal's
// metrics. At most two scrapes run at once.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{
		ErrorLog:            slogPrinter{r.log},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 2,
		Timeout:             20 * time.Second,
	})
}

// LatencyBuckets are the histogram buckets of every latency samverkan reports, in seconds: from a
// quick read to a Temporal task that waited a minute for a worker.
var LatencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// slogPrinter is promhttp's error log on the process's logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	if p.log != nil {
		p.log.Error("metrics scrape", "error", fmt.Sprint(v...))
	}
}
