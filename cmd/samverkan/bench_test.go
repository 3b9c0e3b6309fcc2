package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// The scenario of BenchmarkOpenCasesSleepingOnDeadlines. Every case's acknowledgement deadline is
// clock time (benchDeadline) from a common occurredAt, so all of them come due at one instant T.
const (
	benchDeadline = time.Hour
	benchClients  = 24 // concurrent HTTP clients registering concerns
	// benchMargin is how long after the expected end of registration T lies: the cases sleep at
	// least this long, and registration may run this much slower than assumed.
	benchMargin = 2 * time.Minute
	// benchMaxWait bounds the wait for every timer after T.
	benchMaxWait    = 20 * time.Minute
	benchSample     = 500 // cases whose lateness is read through GET /api/v1/cases/{id}
	benchPollers    = 4   // concurrent GETs while the timers fire: polling is load as well
	benchSchool     = "norrkoping-skola-1"
	benchPolicyVers = 2
)

// BenchmarkOpenCasesSleepingOnDeadlines starts `samverkan dev` (embedded Temporal on SQLite, worker,
// API), registers SAMVERKAN_BENCH_CASES (10,000) concerns about different children whose
// acknowledgement deadlines all come due at one whole second T, and measures the process's memory
// while they sleep and after, and how late the timers fire when they come due together.
//
// The scenario runs once whatever b.N is: it takes minutes, its figures are about one population of
// cases and one instant, and repeating it b.N times would measure neither better. Run it with
// -benchtime 1x (the first call, with b.N = 1, is the only one either way); ns/op is the whole
// scenario's wall time and means little. SAMVERKAN_BENCH_RATE (default 6) is the registration rate
// in cases/s assumed when T is chosen: T must not come before registration ends, so assume low on a
// busy machine. -v logs the progress of each phase too.
func BenchmarkOpenCasesSleepingOnDeadlines(b *testing.B) {
	n, assumedRate := benchEnvInt(b, "SAMVERKAN_BENCH_CASES", 10000), benchEnvInt(b, "SAMVERKAN_BENCH_RATE", 6)
	// One user registers every concern here, standing in for many, from benchClients clients at
	// once: neither the per-user limit nor the API's bound is what is measured.
	s := newSystem(b).withoutUserRateLimit().withoutAdmissionBound()
	s.command("seed", "--demo")
	// A policy version whose acknowledgement deadline is clock time; only cases started after it
	// use it (docs/process.md §7.2).
	policy := casework.Norrkoping()
	policy.Version = benchPolicyVers
	policy.Deadlines[casework.DeadlineAcknowledge] = casework.Hours(benchDeadline)
	database := s.openDB()
	require.NoError(b, database.SavePolicy(context.Background(), policy))

	s.start()
	pid := s.cmd.Process.Pid
	idle := readProc(b, pid)
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")

	began := time.Now()
	due := began.Add(time.Duration(n)*time.Second/time.Duration(assumedRate) + benchMargin).Truncate(time.Second).Add(time.Second)
	require.False(b, due.Add(-benchDeadline).After(began.Add(4*time.Minute)),
		"T %s is too far ahead: occurredAt would lie in the future; raise SAMVERKAN_BENCH_RATE", due)
	b.Logf("conditions: %d cases, %d clients, %d CPUs, load average %s before registration; T = %s, %s after its start",
		n, benchClients, runtime.NumCPU(), loadAverage(), due.Format(time.RFC3339), due.Sub(began).Round(time.Second))

	reg := registerConcerns(b, s, anna, n, due.Add(-benchDeadline))
	registered := readProc(b, pid)
	reg.report(b, n)
	b.Logf("after registration: %s; data dir %s", registered.delta(idle), dataDirSize(s.dataDir))
	require.Empty(b, reg.failures, "concerns not registered")
	require.True(b, time.Now().Before(due.Add(-10*time.Second)),
		"registration ended %s after T: timers would fire during it; lower SAMVERKAN_BENCH_RATE", time.Since(due))

	// Sleep until just before T: the cases are idle, the process should be too.
	time.Sleep(time.Until(due.Add(-3 * time.Second)))
	sleeping := readProc(b, pid)
	b.Logf("sleeping just before T: %s", sleeping.delta(registered))

	fired := watchTimersFire(b, s, database, reg.caseIDs, bertil, due)
	after := readProc(b, pid)
	b.Logf("after every timer fired: %s", after.delta(sleeping))
	exact := exactLateness(b, s, fired.sampleIDs, due)
	readModel := readModelLag(b, database, due)

	b.ReportMetric(idle.rssMB(), "rss_MB_idle")
	b.ReportMetric(sleeping.rssMB(), "rss_MB_sleeping")
	b.ReportMetric(after.rssMB(), "rss_MB_after_fired")
	b.ReportMetric(after.hwmMB(), "hwm_MB")
	b.ReportMetric((sleeping.rssMB()-idle.rssMB())*1024/float64(n), "rss_KB_per_sleeping_case")
	fired.report(b)
	exact.report(b)
	readModel.report(b, "readmodel_lag")
	s.stop()
	summariseLog(b, s.log.String())
}

func benchEnvInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(b, err, name)
	require.Positive(b, n, name)
	return n
}

// benchChild is the i-th synthetic child: a distinct birth date, aged 6 to 15 on the day the concern
// occurred, and serial, with a valid check digit. No real person is meant.
func benchChild(i int, occurred time.Time) (personalNumber, birthDate string) {
	const days = 3500 // ≈ 9.6 years of birth dates
	y, m, d := occurred.In(casework.Stockholm).Date()
	youngest := time.Date(y-6, m, d, 0, 0, 0, 0, casework.Stockholm).AddDate(0, 0, -1)
	birth := youngest.AddDate(0, 0, -(i % days))
	return syntheticPersonalNumber(birth, 100+i/days), birth.Format(time.DateOnly)
}

// percentile is the p-quantile (0 < p ≤ 1) of ds by the nearest-rank method; ds is sorted in place.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(p*float64(len(ds)))) - 1
	return ds[max(i, 0)]
}

// spread is a distribution of durations, reported as p50, p99 and max in seconds.
type spread []time.Duration

func (s spread) String() string {
	return fmt.Sprintf("p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s (n=%d)", percentile(s, .5).Seconds(),
		percentile(s, .9).Seconds(), percentile(s, .99).Seconds(), percentile(s, 1).Seconds(), len(s))
}

func (s spread) report(b *testing.B, name string) {
	if len(s) == 0 {
		return
	}
	b.Logf("%s: %s", name, s)
	b.ReportMetric(percentile(s, .5).Seconds(), name+"_p50_s")
	b.ReportMetric(percentile(s, .99).Seconds(), name+"_p99_s")
	b.ReportMetric(percentile(s, 1).Seconds(), name+"_max_s")
}

// procSample is what /proc says about the samverkan process at one moment.
type procSample struct {
	at          time.Time
	rssKB       int64 // VmRSS
	hwmKB       int64 // VmHWM: the peak RSS so far
	cpu         time.Duration
	threads     int64
	loadAverage string // of the whole machine, which other work shares
}

func (p procSample) rssMB() float64 { return float64(p.rssKB) / 1024 }
func (p procSample) hwmMB() float64 { return float64(p.hwmKB) / 1024 }

func (p procSample) delta(before procSample) string {
	return fmt.Sprintf("VmRSS %.0f MB, VmHWM %.0f MB, %d threads, %.1f CPU-s in the last %s, load average %s",
		p.rssMB(), p.hwmMB(), p.threads, (p.cpu - before.cpu).Seconds(), p.at.Sub(before.at).Round(time.Second), p.loadAverage)
}

func readProc(b *testing.B, pid int) procSample {
	b.Helper()
	p := procSample{at: time.Now(), loadAverage: loadAverage()}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(b, err)
	for _, line := range strings.Split(string(status), "\n") {
		key, value, _ := strings.Cut(line, ":")
		fields := strings.Fields(value)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch key {
		case "VmRSS":
			p.rssKB = n
		case "VmHWM":
			p.hwmKB = n
		case "Threads":
			p.threads = n
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	require.NoError(b, err)
	// Fields after the command name, which is in parentheses and may hold spaces: utime and stime
	// are the 12th and 13th, in clock ticks of 1/100 s on Linux.
	_, rest, _ := strings.Cut(string(stat), ") ")
	fields := strings.Fields(rest)
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	p.cpu = time.Duration(utime+stime) * 10 * time.Millisecond
	return p
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func dataDirSize(dir string) string {
	var parts []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() && info.Size() > 1<<20 {
			parts = append(parts, fmt.Sprintf("%s %.0f MB", e.Name(), float64(info.Size())/(1<<20)))
		}
	}
	return strings.Join(parts, ", ")
}

// summariseLog counts the warnings and errors the process logged, by message, with the clock times
// of the first and the last. Most lines are JSON; a line through slog's default logger is text
// ("2006/01/02 15:04:05 ERROR request failed requestId=… error=…") and is counted too.
func summariseLog(b *testing.B, log string) {
	type kind struct {
		count       int
		first, last string
	}
	kinds := map[string]*kind{}
	requestIDs := regexp.MustCompile(`requestId=\S+ `)
	for _, line := range strings.Split(log, "\n") {
		var key, at string
		var entry struct{ Time, Level, Msg, Error string }
		switch {
		case json.Unmarshal([]byte(line), &entry) == nil && entry.Level != "" && len(entry.Time) >= 19:
			key, at = entry.Level+" "+entry.Msg, entry.Time[11:19]
			if entry.Error != "" {
				key += ": " + entry.Error
			}
		case len(line) > 20 && (strings.HasPrefix(line[20:], "ERROR ") || strings.HasPrefix(line[20:], "WARN ")):
			key, at = requestIDs.ReplaceAllString(line[20:], ""), line[11:19]
		default:
			continue
		}
		key = firstN(key, 200)
		k := kinds[key]
		if k == nil {
			k = &kind{first: at}
			kinds[key] = k
		}
		k.count++
		k.last = at
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y string) int { return kinds[y].count - kinds[x].count })
	for i, k := range keys {
		if i == 15 {
			b.Logf("process log: … %d more kinds of line", len(keys)-i)
			break
		}
		b.Logf("process log: %6d × (%s–%s) %s", kinds[k].count, kinds[k].first, kinds[k].last, k)
	}
}

func firstN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// benchHTTP is an HTTP client for many concurrent requests (http.DefaultClient keeps only two idle
// connections per host, so a pool of clients would keep opening new ones).
func benchHTTP() *http.Client {
	return &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConns: 2 * benchClients, MaxIdleConnsPerHost: 2 * benchClients},
	}
}

// benchDo sends one request to a full URL as the load command sends its own (load.go); it is safe in
// any goroutine (s.call is not: it stops the test).
func benchDo(client *http.Client, method, url, token, idempotencyKey string, body any, out any) (int, error) {
	return (&loadClient{http: client}).do(context.Background(), method, url, token, idempotencyKey, body, out)
}

// counter counts by key from many goroutines.
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[key]++
}

func (c *counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, c.m[k])
	}
	return strings.Join(parts, " ")
}

// progressf logs how a phase goes, with -v only: without it a benchmark shows just ten lines of its
// log, which should be the results.
func progressf(b *testing.B, format string, args ...any) {
	if testing.Verbose() {
		b.Logf(format, args...)
	}
}

// registration is what registering the concerns gave.
type registration struct {
	caseIDs   []string // by child index
	latencies spread   // of every attempt that got an HTTP answer
	statuses  counter  // HTTP status (or "error") of every attempt
	failures  []string
	elapsed   time.Duration
}

// registerConcerns registers one concern each about n children, from benchClients concurrent
// clients, all occurred at the same instant.
func registerConcerns(b *testing.B, s *system, token string, n int, occurred time.Time) *registration {
	r := &registration{caseIDs: make([]string, n), latencies: make(spread, 0, n)}
	client := benchHTTP()
	next := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var done atomic.Int64
	began := time.Now()
	for range benchClients {
		wg.Go(func() {
			for i := range next {
				latencies, failure := registerOne(client, s.apiURL, token, i, occurred, &r.statuses)
				mu.Lock()
				r.latencies = append(r.latencies, latencies...)
				if failure != "" {
					r.failures = append(r.failures, failure)
				}
				mu.Unlock()
				if d := done.Add(1); d%int64(max(n/10, 1)) == 0 {
					progressf(b, "registered %d of %d after %s (%.1f cases/s so far), load average %s",
						d, n, time.Since(began).Round(time.Second), float64(d)/time.Since(began).Seconds(), loadAverage())
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	r.elapsed = time.Since(began)
	// A reporter's answer names no case (api/cases/concern_receipt.go): the benchmark finds each
	// case as the tests do, after the registration is timed.
	finder := s.cases()
	for i := range n {
		r.caseIDs[i], _ = finder.caseID(benchConcern(i, occurred))
	}
	return r
}

// registerOne registers child i's concern, retrying what a client would retry (no answer, 429, 5xx)
// under the same Idempotency-Key, so a retry never makes a second concern.
func registerOne(client *http.Client, apiURL, token string, i int, occurred time.Time, statuses *counter) ([]time.Duration, string) {
	pnr, _ := benchChild(i, occurred)
	body := benchConcern(i, occurred)
	var latencies []time.Duration
	for attempt := range 5 {
		if attempt > 0 {
			time.Sleep(time.Duration(1<<attempt) * 500 * time.Millisecond)
		}
		began := time.Now()
		status, err := benchDo(client, "POST", apiURL+"/api/v1/concerns", token, fmt.Sprintf("bench-%d", i), body, nil)
		switch {
		case status == 0:
			statuses.add("error")
			continue
		case err != nil:
			statuses.add(strconv.Itoa(status) + "-undecodable")
			return latencies, fmt.Sprintf("child %d: %d, body: %v", i, status, err)
		}
		latencies = append(latencies, time.Since(began))
		statuses.add(strconv.Itoa(status))
		switch {
		case status == http.StatusAccepted:
			return latencies, ""
		case status == http.StatusTooManyRequests || status >= 500:
			continue
		default:
			return latencies, fmt.Sprintf("child %d (%s): HTTP %d", i, pnr, status)
		}
	}
	return latencies, fmt.Sprintf("child %d (%s): no 202 in 5 attempts", i, pnr)
}

// benchConcern is the concern about child i of a benchmark.
func benchConcern(i int, occurred time.Time) map[string]any {
	pnr, birthDate := benchChild(i, occurred)
	return concern(pnr, birthDate, benchSchool, occurred)
}

func (r *registration) report(b *testing.B, n int) {
	rate := float64(n) / r.elapsed.Seconds()
	b.Logf("registration: %d concerns in %s, %.1f cases/s; POST latency %s; statuses %s",
		n, r.elapsed.Round(time.Millisecond), rate, r.latencies, &r.statuses)
	for _, f := range r.failures[:min(len(r.failures), 10)] {
		b.Logf("registration failed: %s", f)
	}
	b.ReportMetric(rate, "register_cases_per_s")
	b.ReportMetric(float64(percentile(r.latencies, .5).Milliseconds()), "register_p50_ms")
	b.ReportMetric(float64(percentile(r.latencies, .99).Milliseconds()), "register_p99_ms")
}

// firing is what was seen while the timers came due.
type firing struct {
	sampleIDs []string
	// apiLateness is settledAt − dueAt as GET /api/v1/cases/{id} gives them: to the second, so each
	// value is the lateness rounded down to a whole second.
	apiLateness spread
	observed    spread // T until a poll first saw the deadline missed: includes the poll's own delay
	statuses    counter
	allFired    time.Duration // T until the read model counted every case overdue
}

// watchTimersFire polls a random sample of the cases through the API and counts overdue cases in the
// read model, from just before T until every case is overdue there (or benchMaxWait has passed).
func watchTimersFire(b *testing.B, s *system, database *db.DB, caseIDs []string, token string, due time.Time) *firing {
	f := &firing{}
	for _, i := range rand.Perm(len(caseIDs))[:min(benchSample, len(caseIDs))] {
		f.sampleIDs = append(f.sampleIDs, caseIDs[i])
	}
	ctx, cancel := context.WithDeadline(context.Background(), due.Add(benchMaxWait))
	defer cancel()
	time.Sleep(time.Until(due.Add(-time.Second)))
	var mu sync.Mutex
	var wg sync.WaitGroup
	client := benchHTTP()
	for p := range benchPollers {
		wg.Go(func() {
			for i := p; i < len(f.sampleIDs); i += benchPollers {
				late, seen, ok := pollUntilMissed(ctx, client, s.apiURL, token, f.sampleIDs[i], &f.statuses)
				if ok {
					mu.Lock()
					f.apiLateness, f.observed = append(f.apiLateness, late), append(f.observed, seen.Sub(due))
					mu.Unlock()
				}
			}
		})
	}
	f.allFired = countOverdue(ctx, b, database, len(caseIDs), due)
	wg.Wait()
	require.Len(b, f.apiLateness, len(f.sampleIDs), "sampled cases not seen missed within %s of T", benchMaxWait)
	return f
}

// pollUntilMissed reads one case until its acknowledgement deadline is missed.
func pollUntilMissed(ctx context.Context, client *http.Client, apiURL, token, caseID string, statuses *counter) (time.Duration, time.Time, bool) {
	for ctx.Err() == nil {
		var c struct {
			Deadlines []struct{ Kind, DueAt, Status, SettledAt string } `json:"deadlines"`
		}
		status, err := benchDo(client, "GET", apiURL+"/api/v1/cases/"+caseID, token, "", nil, &c)
		seen := time.Now()
		statuses.add(strconv.Itoa(status))
		if err == nil && status == http.StatusOK && len(c.Deadlines) > 0 && c.Deadlines[0].Status == "missed" {
			dueAt, err1 := time.Parse(time.RFC3339, c.Deadlines[0].DueAt)
			settledAt, err2 := time.Parse(time.RFC3339, c.Deadlines[0].SettledAt)
			if err1 != nil || err2 != nil {
				statuses.add("bad-times")
				return 0, seen, false
			}
			return settledAt.Sub(dueAt), seen, true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return 0, time.Time{}, false
}

// countOverdue counts the benchmark's cases that the read model marks overdue until all n are, and
// returns how long after T that was; it logs when each tenth of them was.
func countOverdue(ctx context.Context, b *testing.B, database *db.DB, n int, due time.Time) time.Duration {
	tenth := 1
	last := -1
	for {
		var count int
		err := database.Gorm().WithContext(ctx).Raw("SELECT COUNT(*) FROM cases WHERE overdue = ? AND policy_id = ? AND policy_version = ?",
			true, "norrkoping", benchPolicyVers).Scan(&count).Error
		since := time.Since(due)
		if err == nil && count != last {
			for ; tenth <= 10 && count*10 >= tenth*n; tenth++ {
				progressf(b, "read model: %d of %d overdue %.1f s after T", count, n, since.Seconds())
			}
			last = count
		}
		if count >= n {
			return since
		}
		if ctx.Err() != nil {
			b.Fatalf("only %d of %d cases overdue %s after T", count, n, benchMaxWait)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (f *firing) report(b *testing.B) {
	b.Logf("every case overdue in the read model %.1f s after T; GETs while firing: %s", f.allFired.Seconds(), &f.statuses)
	b.ReportMetric(f.allFired.Seconds(), "all_fired_after_s")
	f.apiLateness.report(b, "lateness")
	f.observed.report(b, "observed_missed")
}

// exactness is the sample's lateness to the nanosecond, read from Temporal once every timer has
// fired (so the reading adds no load while they fire): when the server fired each timer, when a
// worker started the workflow task that handled it, and when the workflow marked the deadline missed
// (workflow.Now of that task). The histories' events are counted too, before and after the timer
// fired: timed-out or failed workflow tasks show where the time went.
type exactness struct {
	timerFired, taskStarted, settled spread
	before, after                    counter
	// registration is, in the server, the first event of a case until its first update completed;
	// slowSteps names the longest step between two events of those that took over a second.
	registration spread
	slowSteps    counter
	errors       int
}

func exactLateness(b *testing.B, s *system, caseIDs []string, due time.Time) *exactness {
	c := s.decryptingClient()
	e := &exactness{}
	for _, caseID := range caseIDs {
		workflowID := workflows.CaseWorkflowID(caseID[:strings.IndexByte(caseID, '-')])
		if err := e.read(c, workflowID, due); err != nil {
			e.errors++
			b.Logf("exact lateness of %s: %v", workflowID, err)
		}
	}
	return e
}

func (e *exactness) read(c client.Client, workflowID string, due time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := c.QueryWorkflow(ctx, workflowID, "", workflows.QueryCaseState)
	if err != nil {
		return err
	}
	var state workflows.CaseState
	if err := res.Get(&state); err != nil {
		return err
	}
	for _, d := range state.Deadlines {
		if d.Kind == casework.DeadlineAcknowledge && d.SettledAt != nil {
			e.settled = append(e.settled, d.SettledAt.Sub(d.DueAt))
		}
	}
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var events []*historypb.HistoryEvent
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return err
		}
		events = append(events, ev)
	}
	e.readHistory(events, due)
	return nil
}

// readHistory takes from one case's history how long its registration took in the server (its first
// event until the update completed) and the longest step of it, and when the timer fired and the
// task that handled it started.
func (e *exactness) readHistory(events []*historypb.HistoryEvent, due time.Time) {
	var longest time.Duration
	var longestStep string
	fired, started, registered := false, false, false
	for i, ev := range events {
		at, kind := ev.GetEventTime().AsTime(), ev.GetEventType()
		if i > 0 && !registered {
			if prev := events[i-1]; at.Sub(prev.GetEventTime().AsTime()) > longest {
				longest, longestStep = at.Sub(prev.GetEventTime().AsTime()), prev.GetEventType().String()+"→"+kind.String()
			}
		}
		switch {
		case !registered && kind == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
			registered = true
			e.registration = append(e.registration, at.Sub(events[0].GetEventTime().AsTime()))
			if longest > time.Second {
				e.slowSteps.add(longestStep)
			}
		case !fired && kind == enumspb.EVENT_TYPE_TIMER_FIRED && !at.Before(due):
			fired = true
			e.timerFired = append(e.timerFired, at.Sub(due))
		case !started && fired && kind == enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			started = true
			e.taskStarted = append(e.taskStarted, at.Sub(due))
		}
		if fired {
			e.after.add(kind.String())
		} else {
			e.before.add(kind.String())
		}
	}
}

func (e *exactness) report(b *testing.B) {
	if e.errors > 0 {
		b.Logf("exact lateness: %d sampled cases could not be read", e.errors)
	}
	e.timerFired.report(b, "timer_fired_lateness")
	e.taskStarted.report(b, "task_started_lateness")
	e.settled.report(b, "lateness_exact")
	b.Logf("sampled histories: registration in the server %s; longest step of those over 1 s: %s",
		e.registration, &e.slowSteps)
	b.Logf("sampled histories before the timer fired: %s", &e.before)
	b.Logf("sampled histories after the timer fired: %s", &e.after)
}

// readModelLag is, for every case, how long after T the read model's row was written overdue.
func readModelLag(b *testing.B, database *db.DB, due time.Time) spread {
	var written []time.Time
	require.NoError(b, database.Gorm().Raw("SELECT updated_at FROM cases WHERE overdue = ? AND policy_id = ? AND policy_version = ?",
		true, "norrkoping", benchPolicyVers).Scan(&written).Error)
	lag := make(spread, len(written))
	for i, w := range written {
		lag[i] = w.Sub(due)
	}
	return lag
}
