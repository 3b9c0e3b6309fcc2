package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestRequestsAreMeasuredTracedAndLoggedByRouteNotPath(t *testing.T) {
	reg := prometheus.NewRegistry()
	spans := tracetest.NewSpanRecorder()
	var logs bytes.Buffer
	s := &Server{
		DB:      dbtest.Open(t),
		Now:     time.Now,
		Logger:  slog.New(slog.NewJSONHandler(&logs, nil)),
		Tokens:  apitest.Tokens{"chef": {User: "anna.larare", Role: "reporter", Unit: "norrkoping-skola-1"}},
		Metrics: reg,
		Tracing: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)),
	}
	h := s.Handler()
	const caseID = "abcdefghijklmnopqrstuvwxyz-2a"
	const parentTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	send := func(path string, header ...string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer chef")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}

	require.Equal(t, http.StatusNotFound, send("/api/v1/cases/"+caseID+"/access-log", "traceparent", "00-"+parentTrace+"-00f067aa0ba902b7-01"))
	require.Equal(t, http.StatusNotFound, send("/nowhere/"+caseID))
	require.Equal(t, http.StatusOK, send("/healthz"))

	t.Run("the span continues the caller's trace and names the route and the case", func(t *testing.T) {
		ended := spans.Ended()
		require.Len(t, ended, 3)
		sp := ended[0]
		assert.Equal(t, "GET /api/v1/cases/:caseId/access-log", sp.Name())
		assert.Equal(t, parentTrace, sp.SpanContext().TraceID().String())
		attrs := map[attribute.Key]attribute.Value{}
		for _, a := range sp.Attributes() {
			attrs[a.Key] = a.Value
		}
		assert.Equal(t, "/api/v1/cases/:caseId/access-log", attrs["http.route"].AsString())
		assert.Equal(t, int64(404), attrs["http.response.status_code"].AsInt64())
		assert.Equal(t, caseID, attrs["samverkan.case_id"].AsString())
		assert.Equal(t, "GET unmatched", ended[1].Name())
	})
	t.Run("the request log names the case and the trace, never the path", func(t *testing.T) {
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		require.GreaterOrEqual(t, len(lines), 3)
		first := lines[0]
		assert.Contains(t, first, `"route":"/api/v1/cases/:caseId/access-log"`)
		assert.Contains(t, first, `"caseId":"`+caseID+`"`)
		assert.Contains(t, first, `"traceId":"`+parentTrace+`"`)
		assert.NotContains(t, lines[1], caseID, "an unmatched path names no case")
	})
	t.Run("the histogram has route templates and statuses, no path", func(t *testing.T) {
		rec := httptest.NewRecorder()
		promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		body := rec.Body.String()
		for _, want := range []string{
			`samverkan_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:caseId/access-log",status="404"} 1`,
			`samverkan_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
			`samverkan_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`,
		} {
			assert.Contains(t, body, want)
		}
		assert.NotContains(t, body, caseID)
	})
	t.Run("a second router on the same registry shares the histogram", func(t *testing.T) {
		s2 := &Server{Logger: slog.New(slog.DiscardHandler), Metrics: reg}
		s2.Handler()
		require.NotNil(t, s2.requestDuration)
		assert.Same(t, s.requestDuration, s2.requestDuration)
	})
}
