package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The cluster benchmarks' figures come from Prometheus pages read by scrape: a counter's growth by
// label, and a histogram's quantile as histogram_quantile computes it.
func TestPromSeriesReadsCountersAndHistograms(t *testing.T) {
	page := func(body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
		t.Cleanup(srv.Close)
		return strings.TrimPrefix(srv.URL, "http://")
	}
	before := scrape(t, page(`# TYPE persistence_requests counter
persistence_requests{operation="UpdateWorkflowExecution",service_name="history"} 10
persistence_requests{operation="GetTasks",service_name="matching"} 5
`))
	after := scrape(t, page(`persistence_requests{operation="UpdateWorkflowExecution",service_name="history"} 25
persistence_requests{operation="GetTasks",service_name="matching"} 6
persistence_latency_bucket{operation="UpdateWorkflowExecution",le="0.01"} 50
persistence_latency_bucket{operation="UpdateWorkflowExecution",le="0.02"} 90
persistence_latency_bucket{operation="UpdateWorkflowExecution",le="+Inf"} 100
`))
	d := after.minus(before)
	require.Equal(t, 16.0, d.sum("persistence_requests"))
	require.Equal(t, 15.0, d.sum("persistence_requests", `operation="UpdateWorkflowExecution"`))
	require.Equal(t, map[string]float64{"UpdateWorkflowExecution": 15, "GetTasks": 1}, d.byLabel("persistence_requests", "operation"))
	require.InDelta(t, 0.005, d.quantile("persistence_latency", .25), 1e-9, "a quarter lies halfway into the first bucket")
	require.InDelta(t, 0.015, d.quantile("persistence_latency", .7), 1e-9, "70 % lies halfway into the second bucket")
	require.InDelta(t, 0.02, d.quantile("persistence_latency", .99), 1e-9, "beyond the last finite bound: that bound")
}
