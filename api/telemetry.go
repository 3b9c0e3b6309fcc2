package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/httpkit"
)

// What the operators see of each request: its latency in a histogram by route template, method and
// status, and a span that the Temporal calls of the handler continue (the SDK's tracing
// interceptor carries it into the workflow and its activities). Both name the route pattern
// (/api/v1/cases/:caseId), never the path: a path carries case IDs and a query string anything.
// The span alone also names the case, as the access log does: a pseudonymous reference, which
// lets an operator go from a slow trace to the case's workflow.

// unmatchedRoute stands for every path no route matches, so scanners cannot make a series each.
const unmatchedRoute = "unmatched"

// traceContext reads and writes W3C traceparent headers: a front end or a proxy that traces may
// make our spans part of its own trace.
var traceContext = propagation.TraceContext{}

// newRequestDuration registers the request histogram.
func newRequestDuration(reg prometheus.Registerer) (*prometheus.HistogramVec, error) {
	return register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "samverkan_http_request_duration_seconds",
		Help: "Time to answer an API request, by route template, method and status.",
		// The buckets of telemetry.LatencyBuckets, which Temporal's latencies use too.
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"route", "method", "status"}))
}

// register registers c, or takes the collector an earlier Handler call of the same registry
// registered under its name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

// observe is the first middleware after the request ID: it sees every request, answered by a
// handler, a limit, a refusal or a recovered panic.
func (s *Server) observe(c *gin.Context) {
	route := c.FullPath()
	if route == "" {
		route = unmatchedRoute
	}
	var span trace.Span
	if s.Tracing != nil {
		ctx := traceContext.Extract(c.Request.Context(), propagation.HeaderCarrier(c.Request.Header))
		ctx, span = s.Tracing.Tracer("github.com/samverkan/samverkan/api").Start(ctx, c.Request.Method+" "+route,
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", c.Request.Method), attribute.String("http.route", route),
				attribute.String("samverkan.request_id", httpkit.RequestID(c))))
		c.Request = c.Request.WithContext(ctx)
	}
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	if s.requestDuration != nil {
		s.requestDuration.WithLabelValues(route, c.Request.Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
	}
	if span != nil {
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if caseID := accesslog.CaseOf(c); caseID != "" {
			span.SetAttributes(attribute.String("samverkan.case_id", caseID))
		}
		if status >= http.StatusInternalServerError {
			span.SetStatus(codes.Error, http.StatusText(status)) // never the error's message: it may quote a caseworker
		}
		span.End()
	}
}

// traceID is the request's trace, for the request log; "" when tracing is off.
func traceID(c *gin.Context) string {
	if sc := trace.SpanContextFromContext(c.Request.Context()); sc.HasTraceID() {
		return sc.TraceID().String()
	}
	return ""
}
