package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
)

// What the cluster benchmarks read of the production shape while it works (issue 16, "the same
// code on a cluster"; docs/capacity.md): each process's CPU time and peak memory from /proc, the
// Prometheus metrics of the Temporal server and of the workers (the SDK's), and PostgreSQL's
// counters of each of the shape's databases.

// promSeries is one scrape of a /metrics page: the value of each series, keyed by its name with
// its labels as the page writes them (`persistence_requests{operation="GetTasks",…}`).
type promSeries map[string]float64

// scrape reads a Prometheus text page.
func scrape(t testing.TB, addr string) promSeries {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err, "scrape %s", addr)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "scrape %s", addr)
	out := promSeries{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// minus is what the counters grew by since before (gauges come out as their change too).
func (p promSeries) minus(before promSeries) promSeries {
	out := promSeries{}
	for k, v := range p {
		out[k] = v - before[k]
	}
	return out
}

// sum adds up the series of one metric whose labels hold every one of match (`operation="X"`).
func (p promSeries) sum(name string, match ...string) float64 {
	total := 0.0
	for k, v := range p {
		metric, labels, _ := strings.Cut(k, "{")
		if metric != name {
			continue
		}
		if !containsAll(labels, match...) {
			continue
		}
		total += v
	}
	return total
}

// byLabel adds up one metric's series by the value of one label.
func (p promSeries) byLabel(name, label string) map[string]float64 {
	out := map[string]float64{}
	for k, v := range p {
		metric, labels, _ := strings.Cut(k, "{")
		if metric == name {
			out[labelValue(labels, label)] += v
		}
	}
	return out
}

func labelValue(labels, label string) string {
	_, rest, ok := strings.Cut(labels, label+`="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// quantile estimates a quantile of a histogram (name_bucket series, their labels matching match)
// as Prometheus's histogram_quantile does: linear within the bucket it falls in.
func (p promSeries) quantile(name string, q float64, match ...string) float64 {
	buckets := map[float64]float64{}
	for k, v := range p {
		metric, labels, _ := strings.Cut(k, "{")
		if metric != name+"_bucket" || !containsAll(labels, match...) {
			continue
		}
		// ParseFloat reads "+Inf" as infinity, the last bucket's bound.
		if le, err := strconv.ParseFloat(labelValue(labels, "le"), 64); err == nil {
			buckets[le] += v
		}
	}
	bounds := make([]float64, 0, len(buckets))
	for le := range buckets {
		bounds = append(bounds, le)
	}
	slices.Sort(bounds)
	if len(bounds) == 0 || buckets[bounds[len(bounds)-1]] == 0 {
		return math.NaN()
	}
	rank := q * buckets[bounds[len(bounds)-1]]
	lower, below := 0.0, 0.0
	for _, le := range bounds {
		if buckets[le] >= rank {
			if math.IsInf(le, 1) {
				return lower
			}
			if buckets[le] == below {
				return le
			}
			return lower + (le-lower)*(rank-below)/(buckets[le]-below)
		}
		lower, below = le, buckets[le]
	}
	return lower
}

// scrapeAll scrapes every process of the shape that serves metrics, by process name.
func (c *prodShape) scrapeAll() map[string]promSeries {
	c.t.Helper()
	out := map[string]promSeries{}
	for name, addr := range c.metricsAddr {
		if c.alive(name) {
			out[name] = scrape(c.t, addr)
		}
	}
	return out
}

// pgCounters are pg_stat_database's counters of one database and its size.
type pgCounters struct {
	Commits, Rollbacks                int64
	Inserted, Updated, Deleted, Fetch int64 // rows; Fetch is tup_fetched
	BlocksRead, BlocksHit             int64
	Bytes                             int64 // pg_database_size
}

func (p pgCounters) minus(b pgCounters) pgCounters {
	return pgCounters{p.Commits - b.Commits, p.Rollbacks - b.Rollbacks, p.Inserted - b.Inserted, p.Updated - b.Updated,
		p.Deleted - b.Deleted, p.Fetch - b.Fetch, p.BlocksRead - b.BlocksRead, p.BlocksHit - b.BlocksHit, p.Bytes - b.Bytes}
}

// writes is the rows written: inserted, updated and deleted.
func (p pgCounters) writes() int64 { return p.Inserted + p.Updated + p.Deleted }

func (p pgCounters) String() string {
	return fmt.Sprintf("%d commits, %d rows inserted, %d updated, %d deleted", p.Commits, p.Inserted, p.Updated, p.Deleted)
}

// shapeDatabases are the shape's three databases, by kind.
var shapeDatabases = []string{"app", "temporal", "visibility"}

// pgStats reads the counters of the shape's databases, through the server's postgres database so
// that reading them counts in none of them. PostgreSQL publishes a backend's counters when it goes
// idle, at most once a second and otherwise within 10 s: read them after the work has settled.
func (c *prodShape) pgStats() map[string]pgCounters {
	c.t.Helper()
	if c.admin == nil {
		d, err := db.Open(context.Background(), db.Options{URL: c.databaseURL("postgres"), Logger: discardLogger()})
		require.NoError(c.t, err)
		c.t.Cleanup(func() { _ = d.Close() })
		c.admin = d
	}
	out := map[string]pgCounters{}
	for _, kind := range shapeDatabases {
		var p pgCounters
		row := c.admin.Gorm().Raw(`SELECT pg_stat_clear_snapshot() IS NULL, xact_commit, xact_rollback, tup_inserted, tup_updated,
			tup_deleted, tup_fetched, blks_read, blks_hit, pg_database_size(datname)
			FROM pg_stat_database WHERE datname = ?`, c.database(kind)).Row()
		var ignored bool
		require.NoError(c.t, row.Scan(&ignored, &p.Commits, &p.Rollbacks, &p.Inserted, &p.Updated, &p.Deleted, &p.Fetch,
			&p.BlocksRead, &p.BlocksHit, &p.Bytes))
		out[kind] = p
	}
	return out
}

// tableSizes are the on-disk sizes (heap, indexes and TOAST) of one database's own tables.
func (c *prodShape) tableSizes(kind string) map[string]int64 {
	c.t.Helper()
	d, err := db.Open(context.Background(), db.Options{URL: c.databaseURL(c.database(kind)), Logger: discardLogger()})
	require.NoError(c.t, err)
	defer d.Close()
	rows, err := d.Gorm().Raw(`SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`).Rows()
	require.NoError(c.t, err)
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var size int64
		require.NoError(c.t, rows.Scan(&name, &size))
		out[name] = size
	}
	require.NoError(c.t, rows.Err())
	return out
}

// procFigures are /proc's figures of every process of the shape that runs, by name.
func (c *prodShape) procFigures(b *testing.B) map[string]procSample {
	out := map[string]procSample{}
	c.mu.Lock()
	pids := map[string]int{}
	for name, cmd := range c.procs {
		pids[name] = cmd.Process.Pid
	}
	c.mu.Unlock()
	for name, pid := range pids {
		if c.alive(name) {
			out[name] = readProc(b, pid)
		}
	}
	return out
}

// shapeSample is one moment's figures of the whole shape.
type shapeSample struct {
	at      time.Time
	procs   map[string]procSample
	metrics map[string]promSeries
	pg      map[string]pgCounters
}

func (c *prodShape) sample(b *testing.B) shapeSample {
	return shapeSample{at: time.Now(), procs: c.procFigures(b), metrics: c.scrapeAll(), pg: c.pgStats()}
}

// workerTotals are the workers' SDK counters summed, since before: workflow tasks and activities
// run, and the CPU time the workers spent meanwhile.
type workerTotals struct {
	workflowTasks, activities, stickyHits, stickyMisses float64
	cpu                                                 time.Duration
}

// SDK metric names as the OpenTelemetry Prometheus exporter writes them (telemetry/temporal.go).
const (
	sdkWorkflowTasks = "temporal_workflow_task_execution_latency_seconds_count"
	sdkActivities    = "temporal_activity_execution_latency_seconds_count"
	sdkStickyHits    = "temporal_sticky_cache_hit_total"
	sdkStickyMisses  = "temporal_sticky_cache_miss_total"
)

func workersBetween(before, after shapeSample) workerTotals {
	var w workerTotals
	for name, m := range after.metrics {
		if !strings.HasPrefix(name, "worker") {
			continue
		}
		d := m.minus(before.metrics[name])
		w.workflowTasks += d.sum(sdkWorkflowTasks)
		w.activities += d.sum(sdkActivities)
		w.stickyHits += d.sum(sdkStickyHits)
		w.stickyMisses += d.sum(sdkStickyMisses)
	}
	for name, p := range after.procs {
		if strings.HasPrefix(name, "worker") {
			w.cpu += p.cpu - before.procs[name].cpu
		}
	}
	return w
}

func (w workerTotals) String() string {
	perTask := "–"
	if w.workflowTasks > 0 {
		perTask = fmt.Sprintf("%.2f ms", float64(w.cpu.Milliseconds())/w.workflowTasks)
	}
	perUnit := "–"
	if n := w.workflowTasks + w.activities; n > 0 {
		perUnit = fmt.Sprintf("%.2f ms", float64(w.cpu.Milliseconds())/n)
	}
	return fmt.Sprintf("%.0f workflow tasks, %.0f activities, sticky cache %.0f hits / %.0f misses, %.1f CPU-s: %s CPU per workflow task, %s per task or activity",
		w.workflowTasks, w.activities, w.stickyHits, w.stickyMisses, w.cpu.Seconds(), perTask, perUnit)
}

// logBetween logs what each process, the Temporal server's persistence and each database did
// between two samples.
func (c *prodShape) logBetween(b *testing.B, before, after shapeSample) {
	span := after.at.Sub(before.at)
	names := make([]string, 0, len(after.procs))
	for name := range after.procs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := after.procs[name]
		cpu := p.cpu - before.procs[name].cpu
		b.Logf("  %-10s %6.1f CPU-s (%4.0f %% of a core), VmRSS %4.0f MB, peak VmHWM %4.0f MB", name, cpu.Seconds(),
			100*cpu.Seconds()/span.Seconds(), p.rssMB(), p.hwmMB())
	}
	b.Logf("  workers: %s", workersBetween(before, after))
	if m, ok := after.metrics["temporal"]; ok {
		d := m.minus(before.metrics["temporal"])
		b.Logf("  temporal: %s", temporalFigures(d, span))
	}
	for _, kind := range shapeDatabases {
		d := after.pg[kind].minus(before.pg[kind])
		b.Logf("  PostgreSQL %-10s %s (%.0f commits/s, %.0f rows written/s), size %+.1f MB", kind+":", d,
			float64(d.Commits)/span.Seconds(), float64(d.writes())/span.Seconds(), float64(d.Bytes)/(1<<20))
	}
}

// temporalFigures sums up the Temporal server's own metrics over a span: its persistence requests
// and their latency by operation (the database's share of the work), and the history service's
// task processing.
func temporalFigures(d promSeries, span time.Duration) string {
	requests := d.sum("persistence_requests")
	ops := d.byLabel("persistence_requests", "operation")
	type op struct {
		name string
		n    float64
	}
	var top []op
	for name, n := range ops {
		if n > 0 {
			top = append(top, op{name, n})
		}
	}
	sort.Slice(top, func(i, j int) bool { return top[i].n > top[j].n })
	var parts []string
	for _, o := range top[:min(len(top), 8)] {
		match := `operation="` + o.name + `"`
		mean := d.sum("persistence_latency_sum", match) / math.Max(1, d.sum("persistence_latency_count", match))
		parts = append(parts, fmt.Sprintf("%s %.0f (mean %.1f ms)", o.name, o.n, 1000*mean))
	}
	return fmt.Sprintf("%.0f persistence requests (%.0f/s), latency p50 %.1f ms p99 %.1f ms, errors %.0f; top: %s; task_requests %.0f, workflow tasks scheduled-to-started p99 %.0f ms",
		requests, requests/span.Seconds(), 1000*d.quantile("persistence_latency", .5), 1000*d.quantile("persistence_latency", .99),
		d.sum("persistence_errors"), strings.Join(parts, ", "), d.sum("task_requests"),
		1000*d.quantile("task_schedule_to_start_latency", .99))
}
