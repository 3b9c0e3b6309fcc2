package loadgen

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Window is how long a slice of the run is in the report: long enough for a p99 at tens of
// requests a second, short enough to show a backlog that grows during the run.
const Window = 10 * time.Second

// Result is what a run measured. Latencies are from sending a request to its answer.
type Result struct {
	Plan          Plan
	Began         time.Time
	SendingTook   time.Duration // from the first arrival to the last
	Took          time.Duration // from the first arrival to the last answer
	InFlightAtEnd int           // outstanding when the last arrival was sent

	mu          sync.Mutex
	arrivals    int
	refused     int
	maxInFlight int64
	lateness    []time.Duration
	answers     []answer
}

type answer struct {
	sentAt  time.Duration // since Began
	latency time.Duration
	status  int // 0: no answer
}

// Snapshot is the run so far, for a progress line.
type Snapshot struct {
	Elapsed  time.Duration
	Sent     int
	Answered int
	InFlight int64
	Refused  int
	Statuses map[string]int
}

func newResult(plan Plan) *Result { return &Result{Plan: plan} }

func (r *Result) noteLateness(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arrivals++
	r.lateness = append(r.lateness, max(d, 0))
}

func (r *Result) refuse() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused++
}

func (r *Result) noteInFlight(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maxInFlight = max(r.maxInFlight, n)
}

func (r *Result) record(sentAt, latency time.Duration, status int, err error) {
	if err != nil {
		status = 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answers = append(r.answers, answer{sentAt: sentAt, latency: latency, status: status})
}

func (r *Result) snapshot(inFlight int64) Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Snapshot{Elapsed: time.Since(r.Began), Sent: r.arrivals - r.refused, Answered: len(r.answers),
		InFlight: inFlight, Refused: r.refused, Statuses: statusCounts(r.answers)}
}

// String is a progress line.
func (s Snapshot) String() string {
	return fmt.Sprintf("%5.0f s: %d sent, %d answered (%s), %d in flight, %d refused by the in-flight bound",
		s.Elapsed.Seconds(), s.Sent, s.Answered, formatCounts(s.Statuses), s.InFlight, s.Refused)
}

// Arrivals is how many requests the plan offered; Sent of them were sent, the rest refused by the
// in-flight bound.
func (r *Result) Arrivals() int { return r.arrivals }

// Sent is how many requests went out.
func (r *Result) Sent() int { return r.arrivals - r.refused }

// Refused is how many arrivals found MaxInFlight requests outstanding and were not sent.
func (r *Result) Refused() int { return r.refused }

// MaxInFlight is the most requests outstanding at once.
func (r *Result) MaxInFlight() int { return int(r.maxInFlight) }

// Statuses counts the answers by HTTP status; "none" is a request that got no answer.
func (r *Result) Statuses() map[string]int { return statusCounts(r.answers) }

// Succeeded counts the 2xx answers.
func (r *Result) Succeeded() int {
	n := 0
	for _, a := range r.answers {
		if a.status >= 200 && a.status < 300 {
			n++
		}
	}
	return n
}

// OfferedRate is the rate requests were offered at, as measured: arrivals over the sending time,
// which ends one interval after the last arrival.
func (r *Result) OfferedRate() float64 {
	span := r.SendingTook
	if r.Plan.Rate > 0 {
		span += time.Duration(float64(time.Second) / r.Plan.Rate)
	}
	if span <= 0 {
		return 0
	}
	return float64(r.arrivals) / span.Seconds()
}

// CompletedRate is the 2xx answers a second, from the first arrival to the last answer: at or
// near the offered rate when the system keeps up.
func (r *Result) CompletedRate() float64 {
	if r.Took <= 0 {
		return 0
	}
	return float64(r.Succeeded()) / r.Took.Seconds()
}

// Latencies are the latencies of the answers with a status for which keep says true.
func (r *Result) Latencies(keep func(status int) bool) []time.Duration {
	var ds []time.Duration
	for _, a := range r.answers {
		if keep(a.status) {
			ds = append(ds, a.latency)
		}
	}
	return ds
}

// Percentile is the p-th (0..1) of ds by the nearest-rank method; 0 for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Spread formats p50/p90/p99/max of ds.
func Spread(ds []time.Duration) string {
	if len(ds) == 0 {
		return "none"
	}
	return fmt.Sprintf("p50 %s, p90 %s, p99 %s, max %s (n=%d)", ms(Percentile(ds, .5)), ms(Percentile(ds, .9)),
		ms(Percentile(ds, .99)), ms(Percentile(ds, 1)), len(ds))
}

// Report writes the figures: offered against completed, statuses, latencies, and the run in windows
// of Window by the time each request was sent, so that a backlog growing shows as a p99 that grows
// from window to window.
func (r *Result) Report(w io.Writer) {
	ok := func(s int) bool { return s >= 200 && s < 300 }
	answered := func(s int) bool { return s != 0 }
	fmt.Fprintf(w, "offered %.1f/s (planned %.1f/s for %s): %d arrivals, %d sent, %d refused by the in-flight bound of %d\n",
		r.OfferedRate(), r.Plan.Rate, r.Plan.Duration, r.arrivals, r.Sent(), r.refused, r.Plan.MaxInFlight)
	fmt.Fprintf(w, "completed %.1f/s: %d answered 2xx in %s; statuses %s\n",
		r.CompletedRate(), r.Succeeded(), r.Took.Round(time.Millisecond), formatCounts(r.Statuses()))
	fmt.Fprintf(w, "latency of the 2xx answers: %s\n", Spread(r.Latencies(ok)))
	fmt.Fprintf(w, "latency of all answers:     %s\n", Spread(r.Latencies(answered)))
	fmt.Fprintf(w, "in flight: at most %d, %d when the last arrival was sent; generator lateness %s\n",
		r.maxInFlight, r.InFlightAtEnd, Spread(r.lateness))
	for _, win := range r.windows() {
		fmt.Fprintf(w, "  sent %4.0f–%4.0f s: %5d sent, 2xx %s; others %s\n", win.from.Seconds(), (win.from + Window).Seconds(),
			len(win.answers), Spread(latenciesOf(win.answers, ok)), formatCounts(statusCounts(notOK(win.answers))))
	}
}

type window struct {
	from    time.Duration
	answers []answer
}

func (r *Result) windows() []window {
	var ws []window
	for _, a := range r.answers {
		i := int(a.sentAt / Window)
		for len(ws) <= i {
			ws = append(ws, window{from: time.Duration(len(ws)) * Window})
		}
		ws[i].answers = append(ws[i].answers, a)
	}
	return ws
}

func latenciesOf(as []answer, keep func(int) bool) []time.Duration {
	var ds []time.Duration
	for _, a := range as {
		if keep(a.status) {
			ds = append(ds, a.latency)
		}
	}
	return ds
}

func notOK(as []answer) []answer {
	var out []answer
	for _, a := range as {
		if a.status < 200 || a.status >= 300 {
			out = append(out, a)
		}
	}
	return out
}

func statusCounts(as []answer) map[string]int {
	m := map[string]int{}
	for _, a := range as {
		key := "none"
		if a.status != 0 {
			key = fmt.Sprint(a.status)
		}
		m[key]++
	}
	return m
}

func formatCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
