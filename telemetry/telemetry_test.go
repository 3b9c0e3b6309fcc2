package telemetry

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

type fakeReadModel struct {
	counts db.OperationalCounts
	err    error
	calls  int
}

func (f *fakeReadModel) OperationalCounts(context.Context) (db.OperationalCounts, error) {
	f.calls++
	return f.counts, f.err
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// scrape is the registry's /metrics page as Prometheus reads it.
func scrape(t *testing.T, r *Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	require.Equal(t, 200, rec.Code, rec.Body.String())
	return rec.Body.String()
}

func TestReadModelGauges(t *testing.T) {
	src := &fakeReadModel{counts: db.OperationalCounts{
		Municipalities: []string{"lulea", "norrkoping"},
		Cases:          []db.PhaseCount{{Phase: "upptäcka", MunicipalityID: "norrkoping", Cases: 3, Overdue: 1}},
		NextDeadlines:  []db.DeadlineCount{{MunicipalityID: "norrkoping", Kind: casework.DeadlineAcknowledge, Cases: 2}},
		Tasks:          []db.TaskCount{{MunicipalityID: "norrkoping", Kind: "handle_deviation", Open: 1}},
		Notifications:  []db.NotificationCount{{Kind: "reminder", DeadlineKind: casework.DeadlineAcknowledge, Notified: 4}},
		Mails:          []db.MailCount{{Status: db.MailSent, Mails: 4}},
	}}
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r := NewRegistry(quietLogger())
	c := &readModelCollector{src: src, log: quietLogger(), now: func() time.Time { return clock }, cacheFor: ReadModelCacheFor}
	require.NoError(t, r.reg.Register(c))

	t.Run("every phase of every municipality has a series, 0 where there are no cases", func(t *testing.T) {
		body := scrape(t, r)
		for _, want := range []string{
			`samverkan_cases{municipality="norrkoping",phase="upptäcka"} 3`,
			`samverkan_cases{municipality="norrkoping",phase="kartlägga"} 0`,
			`samverkan_cases{municipality="lulea",phase="upptäcka"} 0`,
			`samverkan_cases_overdue{municipality="norrkoping",phase="upptäcka"} 1`,
			`samverkan_cases_next_deadline{deadline_kind="acknowledge",municipality="norrkoping"} 2`,
			`samverkan_tasks_open{municipality="norrkoping",task="handle_deviation"} 1`,
			`samverkan_tasks_overdue{municipality="norrkoping",task="handle_deviation"} 0`,
			`samverkan_notifications_total{deadline_kind="acknowledge",kind="reminder"} 4`,
			`samverkan_mail_outbox{status="sent"} 4`,
			`samverkan_mail_outbox{status="pending"} 0`,
			`samverkan_mail_outbox{status="no_address"} 0`,
			`samverkan_read_model_up 1`,
			`go_goroutines `,
		} {
			assert.Contains(t, body, want)
		}
		assert.Equal(t, 1, src.calls)
	})
	t.Run("scrapes within the cache time do not ask the database", func(t *testing.T) {
		clock = clock.Add(ReadModelCacheFor - time.Second)
		scrape(t, r)
		assert.Equal(t, 1, src.calls)
	})
	t.Run("a failed count serves the last figures, says so and is not retried at once", func(t *testing.T) {
		clock = clock.Add(2 * time.Second)
		src.err = errors.New("database away")
		body := scrape(t, r)
		assert.Contains(t, body, "samverkan_read_model_up 0")
		assert.Contains(t, body, `samverkan_cases{municipality="norrkoping",phase="upptäcka"} 3`)
		assert.Contains(t, body, "samverkan_read_model_count_age_seconds 16")
		scrape(t, r)
		assert.Equal(t, 2, src.calls)
	})
	t.Run("no figures before the first count succeeds", func(t *testing.T) {
		r := NewRegistry(quietLogger())
		require.NoError(t, r.RegisterReadModel(&fakeReadModel{err: errors.New("no database")}))
		body := scrape(t, r)
		assert.Contains(t, body, "samverkan_read_model_up 0")
		assert.NotContains(t, body, "samverkan_cases{")
	})
}

func TestTemporalMetricsAreNamedForPrometheus(t *testing.T) {
	r := NewRegistry(quietLogger())
	h, err := r.TemporalMetrics()
	require.NoError(t, err)
	tagged := h.WithTags(map[string]string{"task_queue": "samverkan-cases", "workflow_type": "Case"})
	tagged.Counter("temporal_request").Inc(2)
	tagged.Timer("temporal_workflow_task_schedule_to_start_latency").Record(30 * time.Millisecond)
	tagged.Gauge("temporal_worker_task_slots_available").Update(7)

	body := scrape(t, r)
	for _, want := range []string{
		`temporal_request_total{task_queue="samverkan-cases",workflow_type="Case"} 2`,
		// Seconds, in buckets made for seconds.
		`temporal_workflow_task_schedule_to_start_latency_seconds_bucket{task_queue="samverkan-cases",workflow_type="Case",le="0.025"} 0`,
		`temporal_workflow_task_schedule_to_start_latency_seconds_bucket{task_queue="samverkan-cases",workflow_type="Case",le="0.05"} 1`,
		`temporal_worker_task_slots_available{task_queue="samverkan-cases",workflow_type="Case"} 7`,
	} {
		assert.Contains(t, body, want)
	}
	assert.NotContains(t, body, "otel_scope", "no scope labels: one meter only")

	again, err := r.TemporalMetrics()
	require.NoError(t, err)
	again.WithTags(map[string]string{"task_queue": "samverkan-cases", "workflow_type": "Case"}).Counter("temporal_request").Inc(1)
	_, err = r.reg.Gather()
	require.NoError(t, err, "a second call gives the same handler, not a second exporter of the same series")
	assert.Contains(t, scrape(t, r), `temporal_request_total{task_queue="samverkan-cases",workflow_type="Case"} 3`)
}

func TestStartTracing(t *testing.T) {
	ctx := context.Background()
	off, err := StartTracing(ctx, "", "serve")
	require.NoError(t, err)
	assert.False(t, off.Enabled())
	i, err := off.TemporalTracing()
	require.NoError(t, err)
	assert.Nil(t, i, "no interceptor when tracing is off")
	require.NoError(t, off.Shutdown(ctx))

	for _, bad := range []string{"otel-collector:4317", "grpc://otel-collector:4317", "http://"} {
		_, err := StartTracing(ctx, bad, "serve")
		assert.Error(t, err, bad)
	}

	// Nothing listens there: the exporter connects lazily, so the start succeeds.
	on, err := StartTracing(ctx, "http://127.0.0.1:1", "worker")
	require.NoError(t, err)
	assert.True(t, on.Enabled())
	i, err = on.TemporalTracing()
	require.NoError(t, err)
	assert.NotNil(t, i)
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_ = on.Shutdown(sctx) // nothing to send; an error would only say the collector is not there
}

func TestNoCaseDataInLabels(t *testing.T) {
	// Every label the read model's series have: phases, municipalities and kinds, never a case.
	allowed := map[string]bool{"phase": true, "municipality": true, "deadline_kind": true, "task": true, "kind": true, "status": true}
	ch := make(chan *prometheus.Desc, 32)
	(&readModelCollector{}).Describe(ch)
	close(ch)
	n := 0
	for d := range ch {
		n++
		s := d.String() // Desc{fqName: "…", help: "…", constLabels: {}, variableLabels: {a,b}}
		_, labels, ok := strings.Cut(s, "variableLabels: {")
		require.True(t, ok, s)
		labels, _, _ = strings.Cut(labels, "}")
		for _, l := range strings.Split(labels, ",") {
			if l = strings.TrimSpace(l); l != "" {
				assert.True(t, allowed[l], "label %q in %s", l, s)
			}
		}
	}
	assert.Equal(t, 10, n) // with samverkan_mail_outbox_waiting_over_hour (issue 15)
}
