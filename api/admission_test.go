package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/db/dbtest"
)

// heldTemporal is a Temporal client whose queries and updates wait until the test lets one go (or
// the request ends): a request inside one holds its slot for as long as the test wants.
type heldTemporal struct {
	client.Client
	entered chan string   // the kind of each call, as it starts
	release chan struct{} // each receive lets one call return
	calls   atomic.Int32
}

func newHeldTemporal() *heldTemporal {
	return &heldTemporal{entered: make(chan string, 100), release: make(chan struct{})}
}

func (h *heldTemporal) hold(ctx context.Context, kind string) error {
	h.calls.Add(1)
	h.entered <- kind
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return serviceerror.NewNotFound("held by the test")
}

func (h *heldTemporal) QueryWorkflow(ctx context.Context, _, _, _ string, _ ...any) (converter.EncodedValue, error) {
	return nil, h.hold(ctx, "query")
}

func (h *heldTemporal) NewWithStartWorkflowOperation(client.StartWorkflowOptions, any, ...any) client.WithStartWorkflowOperation {
	return nil
}

func (h *heldTemporal) UpdateWithStartWorkflow(ctx context.Context, _ client.UpdateWithStartWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, h.hold(ctx, "update-with-start")
}

func (h *heldTemporal) CheckHealth(context.Context, *client.CheckHealthRequest) (*client.CheckHealthResponse, error) {
	return &client.CheckHealthResponse{}, nil
}

// admissionServer is the API over a seeded database and a held Temporal, with the given bounds.
func admissionServer(t *testing.T, a Admission) (http.Handler, *heldTemporal, *prometheus.CounterVec) {
	t.Helper()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(context.Background()))
	temporal := newHeldTemporal()
	reg := prometheus.NewRegistry()
	s := &Server{DB: d, Temporal: temporal, TaskQueue: "samverkan-cases", PseudonymKey: []byte("0123456789abcdef0123456789abcdef"),
		Logger: slog.New(slog.DiscardHandler), Metrics: reg, Admission: a,
		Now: func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) },
		Tokens: apitest.Tokens{
			"anna":   {User: "anna.larare", Role: "reporter", Unit: "norrkoping-skola-1"},
			"bertil": {User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1"},
		}}
	h := s.Handler()
	return h, temporal, s.admission.shed
}

// A case ID of the right form; no case has it, which the held Temporal answers once let go.
var heldCase = "/api/v1/cases/" + strings.Repeat("a", 26) + "-bcd"

const admissionConcern = `{"child":{"personalNumber":"20120315-9817","name":"Melwin Påhittad","birthDate":"2012-03-15",
	"municipality":"norrkoping","schooling":{"status":"school","unitId":"norrkoping-skola-1","grade":"7"}},
	"areas":["lärande"],"observation":"Nästan ingen närvaro.","suspectsHarm":false,"occurredAt":"2026-11-26T09:30:00+01:00"}`

type admissionRequest struct{ method, path, token, body, key string }

var (
	acknowledge = admissionRequest{method: http.MethodPost, path: heldCase + "/acknowledgement", token: "bertil", body: `{}`}
	readCase    = admissionRequest{method: http.MethodGet, path: heldCase, token: "bertil"}
	concern     = admissionRequest{method: http.MethodPost, path: "/api/v1/concerns", token: "anna", body: admissionConcern, key: "shed-1"}
)

func (r admissionRequest) send(h http.Handler) *httptest.ResponseRecorder {
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	req.Header.Set("Authorization", "Bearer "+r.token)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.key != "" {
		req.Header.Set("Idempotency-Key", r.key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// holders are requests inside Temporal, each holding a slot until the test lets it go.
type holders struct {
	t        *testing.T
	temporal *heldTemporal
	done     chan struct{} // one receive per holder that has had its answer, its slot given back
}

func newHolders(t *testing.T, temporal *heldTemporal) *holders {
	return &holders{t: t, temporal: temporal, done: make(chan struct{}, 100)}
}

// hold sends r and returns once it is inside Temporal.
func (hs *holders) hold(h http.Handler, r admissionRequest, kind string) {
	hs.t.Helper()
	go func() {
		r.send(h)
		hs.done <- struct{}{}
	}()
	require.Equal(hs.t, kind, entered(hs.t, hs.temporal))
}

// entered is the kind of the next call that reached Temporal.
func entered(t *testing.T, temporal *heldTemporal) string {
	t.Helper()
	select {
	case kind := <-temporal.entered:
		return kind
	case <-time.After(time.Minute): // only when the request was answered before Temporal
		t.Fatal("no request reached Temporal")
		return ""
	}
}

// finish lets n held requests go and waits until they have had their answers.
func (hs *holders) finish(n int) {
	hs.t.Helper()
	for range n {
		select {
		case hs.temporal.release <- struct{}{}:
		case <-time.After(time.Minute): // only when the bound let a request through that it should not have
			hs.t.Fatal("no held request to let go")
		}
	}
	for range n {
		<-hs.done
	}
}

// requireShed: 503 with Retry-After and the problem that says the system is loaded.
func requireShed(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var p httpkit.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, http.StatusServiceUnavailable, p.Status)
	require.Equal(t, httpkit.ErrOverloaded.Error(), p.Detail)
	require.NotEmpty(t, p.RequestID)
}

// shedCount is the metric of the requests of class shed so far.
func shedCount(t *testing.T, shed *prometheus.CounterVec, class admissionClass) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, shed.WithLabelValues(string(class)).Write(&m))
	return m.GetCounter().GetValue()
}

func TestAdmission(t *testing.T) {
	t.Run("a write beyond the bound is shed before it reaches Temporal, and its retry is admitted once a slot is free", func(t *testing.T) {
		h, temporal, shed := admissionServer(t, Admission{Writes: 2, Reads: 2})
		hs := newHolders(t, temporal)
		hs.hold(h, acknowledge, "query")
		hs.hold(h, acknowledge, "query")

		requireShed(t, concern.send(h))
		requireShed(t, acknowledge.send(h))
		// Answered while both slots are still held: the refusals waited for nobody, and nothing of
		// them reached Temporal.
		require.EqualValues(t, 2, temporal.calls.Load())
		require.Equal(t, 2.0, shedCount(t, shed, classWrites))

		hs.finish(1)
		// The same concern under the same Idempotency-Key: nothing was claimed by the refusal, so it
		// is an ordinary first attempt.
		hs.hold(h, concern, "update-with-start")
		requireShed(t, acknowledge.send(h))
		hs.finish(2)
	})

	t.Run("reads and writes have slots of their own", func(t *testing.T) {
		h, temporal, shed := admissionServer(t, Admission{Writes: 1, Reads: 1})
		hs := newHolders(t, temporal)
		hs.hold(h, acknowledge, "query") // every write slot taken…
		hs.hold(h, readCase, "query")    // …and still a read is admitted
		requireShed(t, readCase.send(h))
		requireShed(t, acknowledge.send(h))
		require.Equal(t, 1.0, shedCount(t, shed, classReads))
		require.Equal(t, 1.0, shedCount(t, shed, classWrites))
		hs.finish(2)
	})

	t.Run("health, documentation and the read model's lists are never shed", func(t *testing.T) {
		h, temporal, shed := admissionServer(t, Admission{Writes: 1, Reads: 1})
		hs := newHolders(t, temporal)
		hs.hold(h, acknowledge, "query")
		hs.hold(h, readCase, "query")
		for _, r := range []admissionRequest{
			{method: http.MethodGet, path: "/healthz"},
			{method: http.MethodGet, path: "/readyz"},
			{method: http.MethodGet, path: "/api/v1/openapi.json"},
			{method: http.MethodGet, path: "/api/v1/cases", token: "bertil"},
			{method: http.MethodGet, path: "/api/v1/me/tasks", token: "bertil"},
			{method: http.MethodGet, path: "/api/v1/me/notifications", token: "bertil"},
		} {
			require.Equal(t, http.StatusOK, r.send(h).Code, r.path)
		}
		require.Zero(t, shedCount(t, shed, classWrites)+shedCount(t, shed, classReads))
		hs.finish(2)
	})

	t.Run("a request waits for a slot at most the admission wait", func(t *testing.T) {
		const wait = 30 * time.Millisecond
		h, temporal, _ := admissionServer(t, Admission{Writes: 1, Wait: wait})
		hs := newHolders(t, temporal)
		hs.hold(h, acknowledge, "query")
		began := time.Now()
		requireShed(t, acknowledge.send(h))
		require.GreaterOrEqual(t, time.Since(began), wait, "it waited for a slot before it was refused")
		hs.finish(1)
	})

	t.Run("a slot freed while a request waits admits it", func(t *testing.T) {
		h, temporal, shed := admissionServer(t, Admission{Writes: 1, Wait: time.Hour})
		hs := newHolders(t, temporal)
		hs.hold(h, acknowledge, "query")
		go func() { // waits for the slot: the test never fails it by timing
			acknowledge.send(h)
			hs.done <- struct{}{}
		}()
		hs.finish(1)
		require.Equal(t, "query", entered(t, temporal), "the waiting request got the freed slot")
		hs.finish(1)
		require.Zero(t, shedCount(t, shed, classWrites)+shedCount(t, shed, classReads))
	})

	t.Run("off: no bound", func(t *testing.T) {
		h, temporal, _ := admissionServer(t, Admission{})
		hs := newHolders(t, temporal)
		for range 5 {
			hs.hold(h, acknowledge, "query")
		}
		hs.finish(5)
	})
}

// TestAdmissionClassOfEveryRoute: every route of the API is bounded as a write, a read or not at
// all – and a new route fails here until someone has decided whether it waits on Temporal.
func TestAdmissionClassOfEveryRoute(t *testing.T) {
	want := map[string]admissionClass{
		"POST /api/v1/concerns":                         classWrites,
		"GET /api/v1/cases/:caseId":                     classReads,
		"GET /api/v1/cases/:caseId/timeline":            classReads,
		"GET /api/v1/cases/:caseId/access-log":          classReads,
		"GET /api/v1/audit/child-extract":               classReads,
		"POST /api/v1/cases/:caseId/legal-hold":         notBounded,
		"GET /api/v1/units":                             notBounded,
		"GET /api/v1/cases":                             notBounded,
		"GET /api/v1/me/tasks":                          notBounded,
		"GET /api/v1/me/notifications":                  notBounded,
		"POST /api/v1/me/notifications/:id/read":        notBounded,
		"GET /api/v1/audit/access-log":                  notBounded,
		"GET /api/v1/audit/access-log/verification":     notBounded,
		"GET /api/v1/audit/alerts":                      notBounded,
		"GET /api/v1/audit/reviews":                     notBounded,
		"POST /api/v1/audit/reviews/:reviewId/sign-off": notBounded,
		"GET /api/v1/reports/yearly":                    notBounded,
		"GET /api/v1/reports/yearly/page":               notBounded,
		"GET /api/v1/oversight":                         notBounded,
		"GET /healthz":                                  notBounded,
		"GET /readyz":                                   notBounded,
		"GET /api/v1/openapi.json":                      notBounded,
		"GET /api/v1/docs":                              notBounded,
		"GET /api/v1/docs/assets/:file":                 notBounded,
	}
	s := &Server{Logger: slog.New(slog.DiscardHandler), Codec: apitest.NopCodec{}}
	var commands int
	for _, r := range s.Handler().(*gin.Engine).Routes() {
		got := classOf(r.Method, r.Path)
		key := r.Method + " " + r.Path
		if class, ok := want[key]; ok {
			require.Equal(t, class, got, key)
			continue
		}
		switch {
		case strings.HasPrefix(r.Path, "/api/v1/codec/"), strings.HasPrefix(r.Path, "/codec/"):
			require.Equal(t, notBounded, got, "%s: the codec endpoint only encrypts", key)
		case strings.HasPrefix(r.Path, caseRoute+"/") && slices.Contains([]string{http.MethodPost, http.MethodPut}, r.Method):
			require.Equal(t, classWrites, got, "%s: a command on a case is an update", key)
			commands++
		default:
			t.Errorf("%s: no admission class decided: add it to the table (does it wait on Temporal?)", key)
		}
	}
	require.Greater(t, commands, 20, "the case's commands are routes")
}
