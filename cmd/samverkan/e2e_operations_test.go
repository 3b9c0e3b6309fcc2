package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/grpc"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// TestMetricsAndTracesAfterAFlow runs `samverkan dev` with tracing to a collector of the test's
// own: three fresh concerns and one registered three weeks after it was seen, whose acknowledgement
// deadline is missed at once (a deviation for the supervisor, a missed-deadline mail). Then
// /metrics counts them – cases by phase, the overdue case and step, the deviation waiting, the
// missed-deadline notification, the requests by route, Temporal's task latencies – and the
// collector holds one trace from the POST through the workflow into its activities.
func TestMetricsAndTracesAfterAFlow(t *testing.T) {
	collector := startOTLPCollector(t)
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_OTEL_EXPORTER_OTLP_ENDPOINT=http://"+collector.addr)
	s.start()
	anna := s.token("anna.larare")
	birth := time.Date(2013, 5, 20, 0, 0, 0, 0, casework.Stockholm)
	now := time.Now().Add(-time.Hour).Truncate(time.Second)
	var caseIDs []string
	for serial := 940; serial < 943; serial++ {
		c := s.concernCase(anna, concern(syntheticPersonalNumber(birth, serial), "2013-05-20", "norrkoping-skola-1", now))
		caseIDs = append(caseIDs, c.CaseID)
	}
	const traceID = "5b8efff798038103d269b633813fc60c"
	late := concern(syntheticPersonalNumber(birth, 943), "2013-05-20", "norrkoping-skola-1", now.AddDate(0, 0, -21))
	body, err := json.Marshal(late)
	require.NoError(t, err)
	a := s.sendRaw("POST", "/api/v1/concerns", anna, http.Header{"Traceparent": {"00-" + traceID + "-eee19b7ec3c1b174-01"}}, body)
	require.Equal(t, http.StatusAccepted, a.status, "%s", a.body)

	var m metricsPage
	require.Eventually(t, func() bool {
		m = s.scrape()
		// Every case projected, the late one with its missed deadline: the new cases' messages to
		// their named persons share the worker with the projections, which may come a moment later.
		return m.value("samverkan_notifications_total", "kind", "deadline_missed") == 1 &&
			m.value("samverkan_tasks_open", "task", "handle_deviation") == 1 && m.value("samverkan_cases", "phase", "upptäcka") == 4
	}, 90*time.Second, 500*time.Millisecond, "the missed deadline never reached /metrics")

	t.Run("the read model's figures are the flow's", func(t *testing.T) {
		norrkoping := []string{"municipality", "norrkoping"}
		assert.Equal(t, 4.0, m.value("samverkan_cases", append(norrkoping, "phase", "upptäcka")...))
		assert.Equal(t, 4.0, m.value("samverkan_cases", "phase", "upptäcka"))
		assert.Equal(t, 0.0, m.value("samverkan_cases", "phase", "kartlägga"))
		assert.True(t, m.has("samverkan_cases", "municipality", "lulea", "phase", "upptäcka"), "a municipality without cases says 0")
		assert.Equal(t, 1.0, m.value("samverkan_cases_overdue", append(norrkoping, "phase", "upptäcka")...))
		assert.Equal(t, 4.0, m.value("samverkan_tasks_open", append(norrkoping, "task", "acknowledge")...))
		assert.Equal(t, 1.0, m.value("samverkan_tasks_overdue", append(norrkoping, "task", "acknowledge")...))
		assert.Equal(t, 1.0, m.value("samverkan_tasks_open", append(norrkoping, "task", "handle_deviation")...))
		assert.Equal(t, 1.0, m.value("samverkan_notifications_total", "kind", "deadline_missed", "deadline_kind", "acknowledge"))
		assert.Equal(t, 1.0, m.value("samverkan_read_model_up"))
	})
	t.Run("requests are counted by route template and status", func(t *testing.T) {
		assert.Equal(t, 4.0, m.value("samverkan_http_request_duration_seconds_count", "route", "/api/v1/concerns", "method", "POST", "status", "202"))
		for _, id := range caseIDs {
			assert.NotContains(t, m.raw, id, "no case ID in any series")
			assert.NotContains(t, m.raw, id[:26], "no pseudonym in any series")
		}
		for _, secret := range []string{"Testbarn", "Påhittad", "2013-05-20", "20130520"} {
			assert.NotContains(t, m.raw, secret)
		}
	})
	t.Run("the Temporal client and worker report through the SDK's metrics", func(t *testing.T) {
		queue := []string{"task_queue", "samverkan-cases"}
		assert.Positive(t, m.value("temporal_workflow_task_schedule_to_start_latency_seconds_count", queue...))
		assert.Positive(t, m.value("temporal_workflow_task_execution_latency_seconds_count", append(queue, "workflow_type", "Case")...))
		// Routing is a local activity (workflows: route-locally). The notices are activities too, but
		// one may still be under way when the read model already counts it, so they are not counted here.
		assert.GreaterOrEqual(t, m.value("temporal_local_activity_execution_latency_seconds_count", "activity_type", "RouteConcern"), 4.0)
		// POST /concerns is an update-with-start: an ExecuteMultiOperation call, a long request since
		// it waits for the update's answer.
		assert.GreaterOrEqual(t, m.value("temporal_long_request_total", "operation", "ExecuteMultiOperation"), 4.0)
	})
	t.Run("every series the Grafana dashboard queries is exported", func(t *testing.T) {
		raw, err := os.ReadFile("../../deploy/grafana/samverkan-dashboard.json")
		require.NoError(t, err)
		notInThisFlow := map[string]bool{
			// Counters of failures appear with the first failure; this flow has none.
			"temporal_request_failure_total": true, "temporal_activity_execution_failed_total": true,
			"temporal_workflow_task_execution_failed_total": true,
			// Recorded when a worker polls an activity task; here every activity is handed to the
			// worker eagerly with its workflow task's answer, as in a cluster while workers keep up.
			"temporal_activity_schedule_to_start_latency_seconds_bucket": true,
		}
		names := regexp.MustCompile(`\b(?:samverkan|temporal)_[a-z0-9_]+`).FindAllString(string(raw), -1)
		require.NotEmpty(t, names)
		for _, name := range names {
			family := strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count")
			if !notInThisFlow[name] {
				assert.NotEmpty(t, m.families[family].GetMetric(), "the dashboard queries %s, which /metrics does not have", name)
			}
		}
	})
	t.Run("a scrape needs no token, is not rate limited and is no access to a case", func(t *testing.T) {
		before := s.accessLogRows()
		for range 150 { // beyond the per-address burst of 100
			res, err := http.Get(s.apiURL + "/metrics")
			require.NoError(t, err)
			res.Body.Close()
			require.Equal(t, http.StatusOK, res.StatusCode)
		}
		assert.Equal(t, before, s.accessLogRows())
	})
	t.Run("one trace runs from the request through the workflow into its activities", func(t *testing.T) {
		var names []string
		require.Eventually(t, func() bool {
			names = collector.spanNames(traceID)
			return containsPrefix(names, "RunActivity:"+"RouteConcern") && containsPrefix(names, "RunActivity:ProjectCase")
		}, 60*time.Second, 250*time.Millisecond, "spans of the trace: %v", names)
		// The workflow's own span (RunWorkflow:Case) ends with the run – years later, or at its
		// continue-as-new – so the update's handler stands for it here.
		for _, want := range []string{"POST /api/v1/concerns", "UpdateWithStartWorkflow:RegisterConcern", "HandleUpdate:RegisterConcern",
			"StartActivity:RouteConcern", "StartActivity:ProjectCase"} {
			assert.True(t, containsPrefix(names, want), "no span %q in %v", want, names)
		}
	})
}

// TestReminderSentShowsInMetrics: a case whose two reminders fall due seconds after it starts – the
// morning reminder of its follow-up and the lead reminder of its cost distribution, planned in the
// carried state the way continue-as-new carries them, with reminder hours round the clock – sends
// both, and /metrics counts them by deadline kind. Reminders go out on Swedish working days only, so
// on a day off the test is skipped.
func TestReminderSentShowsInMetrics(t *testing.T) {
	policy := casework.Norrkoping()
	policy.ReminderHours = &casework.HourWindow{From: 0, To: 24}
	now := time.Now().In(casework.Stockholm)
	if !policy.Reminders().IsWorkingDay(now) {
		t.Skipf("reminders go out on working days only, and %s is none in Sweden", now.Format("Monday 2006-01-02"))
	}
	s := newSystem(t)
	s.command("seed", "--demo")
	s.start()
	defer s.stop()
	c := s.decryptingClient()
	assert.Equal(t, 0.0, s.scrape().value("samverkan_notifications_total", "kind", "reminder"))

	followUp := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, casework.Stockholm).Add(-time.Nanosecond)
	pseudonym := benchPseudonym("metrics", 1)
	state := benchCaseWithReminders(pseudonym, policy, now.AddDate(0, -1, 0), followUp,
		policy.Reminders().EndOfWorkingDay(now, 2), time.Now().Add(5*time.Second))
	_, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: workflows.CaseWorkflowID(pseudonym), TaskQueue: workflows.DefaultTaskQueue},
		workflows.CaseWorkflowName, workflows.CaseStart{CaseID: state.CaseID, Municipality: state.Municipality, Carried: &state})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		m := s.scrape()
		return m.value("samverkan_notifications_total", "kind", "reminder", "deadline_kind", "follow_up") == 1 &&
			m.value("samverkan_notifications_total", "kind", "reminder", "deadline_kind", "cost_distribution") == 1
	}, 90*time.Second, time.Second, "the two reminders never reached /metrics")
}

// metricsPage is one scrape of /metrics, parsed.
type metricsPage struct {
	raw      string
	families map[string]*dto.MetricFamily
}

func (s *system) scrape() metricsPage {
	s.t.Helper()
	res, err := http.Get(s.apiURL + "/metrics")
	require.NoError(s.t, err)
	defer res.Body.Close()
	require.Equal(s.t, http.StatusOK, res.StatusCode)
	var raw strings.Builder
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(io.TeeReader(res.Body, &raw))
	require.NoError(s.t, err)
	return metricsPage{raw: raw.String(), families: families}
}

// value sums the series of name whose labels include the given pairs; 0 when there is none.
func (m metricsPage) value(name string, labels ...string) float64 {
	sum := 0.0
	for _, metric := range m.matching(name, labels) {
		switch {
		case metric.Gauge != nil:
			sum += metric.Gauge.GetValue()
		case metric.Counter != nil:
			sum += metric.Counter.GetValue()
		case metric.Untyped != nil:
			sum += metric.Untyped.GetValue()
		}
	}
	if base, ok := strings.CutSuffix(name, "_count"); ok && len(m.families[name].GetMetric()) == 0 {
		for _, metric := range m.matching(base, labels) {
			sum += float64(metric.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

func (m metricsPage) has(name string, labels ...string) bool {
	return len(m.matching(name, labels)) > 0
}

func (m metricsPage) matching(name string, labels []string) []*dto.Metric {
	var out []*dto.Metric
	for _, metric := range m.families[name].GetMetric() {
		have := map[string]string{}
		for _, l := range metric.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		ok := true
		for i := 0; i+1 < len(labels); i += 2 {
			ok = ok && have[labels[i]] == labels[i+1]
		}
		if ok {
			out = append(out, metric)
		}
	}
	return out
}

func (s *system) accessLogRows() int64 {
	s.t.Helper()
	var n int64
	require.NoError(s.t, s.openDB().Gorm().Raw("SELECT COUNT(*) FROM access_log").Scan(&n).Error)
	return n
}

func containsPrefix(names []string, prefix string) bool {
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

// otlpCollector is an OTLP/gRPC trace receiver that keeps the names of the spans it gets, by trace.
type otlpCollector struct {
	coltracepb.UnimplementedTraceServiceServer
	addr  string
	mu    sync.Mutex
	spans map[string][]string
}

func startOTLPCollector(t *testing.T) *otlpCollector {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := &otlpCollector{addr: ln.Addr().String(), spans: map[string][]string{}}
	srv := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(srv, c)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return c
}

func (c *otlpCollector) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				id := hex.EncodeToString(sp.GetTraceId())
				c.spans[id] = append(c.spans[id], sp.GetName())
			}
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func (c *otlpCollector) spanNames(traceID string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.spans[traceID]...)
}
