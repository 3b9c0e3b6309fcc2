package config

import "testing"

func TestTelemetrySettings(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != MetricsOnHTTPAddr || c.OTLPEndpoint != "" {
		t.Errorf("defaults: metrics %q, OTLP %q; want /metrics beside the API and no tracing", c.MetricsAddr, c.OTLPEndpoint)
	}
	for _, ok := range []map[string]string{
		{"SAMVERKAN_METRICS_ADDR": "off"},
		{"SAMVERKAN_METRICS_ADDR": "0.0.0.0:9090"},
		{"SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4317"},
		{"SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT": "https://otlp.example.org"},
	} {
		if _, err := load(ok); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
	for _, bad := range []map[string]string{
		{"SAMVERKAN_METRICS_ADDR": "9090"},
		{"SAMVERKAN_METRICS_ADDR": "yes"},
		{"SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT": "otel-collector:4317"},
		{"SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT": "grpc://otel-collector:4317"},
	} {
		if _, err := load(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
