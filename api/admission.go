package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/samverkan/samverkan/api/httpkit"
)

// Admission bounds the requests that wait on Temporal, so that beyond capacity the API sheds at
// once instead of queueing (issue 16, "beyond capacity"). Without it every request was admitted,
// queued in Temporal and ended, after httpkit.CommandWait, in a 503 – the work done for it wasted –
// and at twice the capacity fewer requests completed than at the capacity itself (concerns on 2
// cores: 10/s offered, 10/s done; 30/s offered, 4.3/s done). With a bound, what is admitted is
// answered within its time and the rest gets 503 with Retry-After before anything reaches
// Temporal: nothing is half-applied, and a retry under the same Idempotency-Key is an ordinary
// first attempt.
//
// Two classes, each with slots of its own, so that a storm of commands does not starve the reads
// of cases (or the other way round):
//   - writes: POST /concerns (an update-with-start) and every command on a case (an update);
//   - reads: what queries a case's workflow or reads its history (GET /cases/{caseId}, its
//     timeline and access log, the auditor's extract per child).
//
// Reads of the read model (lists, the inbox, notifications, reports) never touch Temporal and are
// not bounded here, nor are /healthz, /readyz, the OpenAPI document and its assets (outside
// /api/v1's door). The per-user rate limit (ratelimit.go) still applies first: it is about one
// user's share, this about the whole system's.
//
// The defaults (config: SAMVERKAN_API_MAX_INFLIGHT_WRITES 8 and _READS 32,
// SAMVERKAN_API_ADMISSION_WAIT 250ms) and the measurements they rest on are in docs/architecture.md
// §14. In short, by Little's law the requests in flight at the capacity are throughput × latency
// (concerns on 2 cores: about 10/s × 0.15–0.35 s, so 2–4); the bound lets about twice that in, so
// the capacity is reached and a burst absorbed, while an admitted request waits behind at most a
// bound's worth of others (under a second there) instead of queueing until CommandWait. A bigger
// deployment raises it with its capacity. A fixed bound was enough: what it sheds it sheds within
// the admission wait, and the throughput stayed at the limit, so nothing adaptive was added.
type Admission struct {
	// Writes and Reads are the requests of each class that may be in flight at once; 0: no bound.
	Writes, Reads int
	// Wait is how long a request waits for a slot before it is refused (0: none, refused at once). A
	// short wait smooths the gaps between requests finishing without making anyone wait for long.
	Wait time.Duration
}

// admissionClass is what a request waits on, and so which slots it takes.
type admissionClass string

const (
	notBounded   admissionClass = ""
	classWrites  admissionClass = "writes"
	classReads   admissionClass = "reads"
	caseRoute                   = "/api/v1/cases/:caseId"
	concernRoute                = "/api/v1/concerns"
)

// boundedReads are the reads that ask Temporal: a case's live state (a query) or its history.
var boundedReads = map[string]bool{
	caseRoute:                     true,
	caseRoute + "/timeline":       true,
	caseRoute + "/access-log":     true, // the named person's unit, from the case's state
	"/api/v1/audit/child-extract": true, // the child's open case, if any
}

// writesFree are the writes under a case that only the database takes.
var writesFree = map[string]bool{caseRoute + "/legal-hold": true}

// classOf says which slots a request takes, by its route pattern: every command on a case is a
// write (commandRoutes in api/cases), so a new command is bounded without being listed here.
func classOf(method, route string) admissionClass {
	switch {
	case method == http.MethodGet || method == http.MethodHead:
		if boundedReads[route] {
			return classReads
		}
	case route == concernRoute, strings.HasPrefix(route, caseRoute+"/") && !writesFree[route]:
		return classWrites
	}
	return notBounded
}

// slots is one class's bound: a counting semaphore.
type slots chan struct{}

func newSlots(n int) slots {
	if n <= 0 {
		return nil
	}
	return make(slots, n)
}

// take takes a slot, waiting at most wait (or until ctx ends) for one to come free.
func (s slots) take(ctx context.Context, wait time.Duration) bool {
	select {
	case s <- struct{}{}:
		return true
	default:
	}
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (s slots) give() { <-s }

// admission is the Server's state of its Admission.
type admission struct {
	wait   time.Duration
	byName map[admissionClass]slots
	shed   *prometheus.CounterVec // nil without metrics
}

func newAdmission(a Admission) admission {
	return admission{wait: a.Wait, byName: map[admissionClass]slots{
		classWrites: newSlots(a.Writes), classReads: newSlots(a.Reads),
	}}
}

// admit takes the request's slot, if its class is bounded; release gives it back once the request
// is answered. false: the request was answered 503 and must not go on.
func (s *Server) admit(c *gin.Context) (release func(), ok bool) {
	class := classOf(c.Request.Method, c.FullPath())
	sl := s.admission.byName[class]
	if sl == nil {
		return func() {}, true
	}
	if sl.take(c.Request.Context(), s.admission.wait) {
		return sl.give, true
	}
	if s.admission.shed != nil {
		s.admission.shed.WithLabelValues(string(class)).Inc()
	}
	// Debug, not warn: under a storm there is one line per refused request, and the counter is
	// what an operator watches. The route pattern and the user only, as in the request log.
	httpkit.Logger(c).Debug("request shed", "requestId", httpkit.RequestID(c), "class", string(class), "route", c.FullPath())
	httpkit.WriteError(c, httpkit.ErrOverloaded)
	return nil, false
}

// newShedCounter registers the counter of shed requests.
// Both classes' series exist from the start, at zero: a dashboard or an alert on the rate of sheds
// then has a series to read before the first shed, and a scrape shows the counter is there.
func newShedCounter(reg prometheus.Registerer) (*prometheus.CounterVec, error) {
	shed, err := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "samverkan_http_requests_shed_total",
		Help: "API requests refused with 503 at once because their class (writes, reads) had every slot in flight (api/admission.go).",
	}, []string{"class"}))
	if err != nil {
		return nil, err
	}
	for _, class := range []admissionClass{classWrites, classReads} {
		shed.WithLabelValues(string(class))
	}
	return shed, nil
}
