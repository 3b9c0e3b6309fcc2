package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// BenchmarkClusterCaseCosts measures what one case costs the production shape, the figures
// docs/capacity.md rests on: Melwin's case (docs/process.md §13, TestCluster's walk) is walked
// through the API step by step, and after each step has settled it logs the history events the step
// added and their size as stored (proto.Size of each event, payloads encrypted by the codec as they
// are), and the commits and rows written in each of the shape's databases (pg_stat_database; the
// Temporal database's background writes of an idle minute are logged first, to subtract). Then it
// registers SAMVERKAN_COSTS_CASES (200) concerns about new children with the load command and logs
// what a case sleeping on its deadline occupies on disk in each database, table by table; then it
// lets one case's acknowledgement deadline pass (a 45-second policy, as TestChaos uses) and logs
// what a missed deadline costs – the timer, the deviation, the supervisor's mail. Over the whole
// run it logs the workers' CPU time per workflow task (the SDK's metrics) and the average stored
// size of each kind of history event. It needs PostgreSQL on 127.0.0.1:5432; -benchtime 1x:
//
//	SAMVERKAN_CLUSTER=1 CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench '^BenchmarkClusterCaseCosts$' -benchtime 1x -v -timeout 30m
func BenchmarkClusterCaseCosts(b *testing.B) {
	requireCluster(b)
	requireSharedPostgres(b)
	c := newProdShape(b, clusterPostgres)
	c.metrics = true
	c.setUpTemporalSchema()
	c.startTemporal()
	c.startApp()
	tc, err := client.Dial(client.Options{HostPort: c.temporal, Namespace: clusterNS, Logger: quietSDKLogger{}})
	require.NoError(b, err)
	b.Cleanup(tc.Close)
	h := &historyReader{b: b, tc: tc, seen: map[string]int64{}, kinds: map[string]*eventKind{}}

	idle := c.sample(b)
	time.Sleep(time.Minute) // the background's own writes, measured over a quiet minute
	idleAfter := c.sample(b)
	b.Logf("idle minute, nothing offered:")
	c.logBetween(b, idle, idleAfter)

	start := c.sample(b)
	c.walkMeasured(h)
	walked := c.sample(b)
	b.Logf("the whole walk:")
	c.logBetween(b, start, walked)

	c.sleepingCasesOnDisk(benchEnvInt(b, "SAMVERKAN_COSTS_CASES", 200))
	c.missedDeadline(h)
	b.Logf("the whole run: workers %s", workersBetween(start, c.sample(b)))
	h.logKinds()
}

// walkMeasured walks Melwin's case as TestCluster does and logs each step's costs.
func (c *prodShape) walkMeasured(h *historyReader) {
	b := c.t.(*testing.B)
	rc := &retryingClient{base: c.apiURL, timeout: 2 * time.Minute}
	anna, bertil, cecilia := c.token("anna.larare"), c.token("bertil.rektor"), c.token("cecilia.socialsekreterare")
	key := func(step string) string { return "costs-" + c.suffix + "-" + step }
	melwin := childConcern("Melwin Påhittad", birthDateForAge(14), 983, "7", []string{"lärande", "hälsa", "relationer", "hemmet"},
		"Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig från kamraterna.", false, localDay(-2, 9, 0))
	b.Logf("%-22s %7s %8s | %-26s | %-26s | %-20s | %s", "step", "events", "bytes", "app: commits / rows", "temporal: commits / rows",
		"visibility: commits / rows", "the Temporal server's persistence requests of workflows")
	before := c.sample(b)
	require.Equal(b, http.StatusAccepted, rc.send(b, anna, "POST", "/api/v1/concerns", key("concern"), melwin, nil))
	id := c.caseOf(melwin)
	workflowID := workflows.CaseWorkflowID(id[:26])
	before = c.measureStep(h, "concern", workflowID, before)
	for _, step := range melwinSteps(bertil, cecilia) {
		require.Equal(b, http.StatusOK, rc.send(b, step.token, step.method, "/api/v1/cases/"+id+"/"+step.command, key(step.name), step.body, nil), step.name)
		before = c.measureStep(h, step.name, workflowID, before)
	}
	events, size := h.total(workflowID)
	b.Logf("Melwin's case after the walk, sleeping on its follow-up: %d events, %d bytes of history; client: %s", events, size, rc.figures())
}

// measureStep waits until the case has settled after a step and logs what the step cost since before.
func (c *prodShape) measureStep(h *historyReader, step, workflowID string, before shapeSample) shapeSample {
	b := c.t.(*testing.B)
	c.settleCase(workflowID)
	after := c.sample(b)
	events, size, kinds := h.added(workflowID)
	pg := func(kind string) string {
		d := after.pg[kind].minus(before.pg[kind])
		return fmt.Sprintf("%5d / %5d (%d+%d+%d)", d.Commits, d.writes(), d.Inserted, d.Updated, d.Deleted)
	}
	b.Logf("%-22s %7d %8d | %-26s | %-26s | %-20s | %s", step, events, size, pg("app"), pg("temporal"), pg("visibility"),
		workflowWrites(after.metrics["temporal"].minus(before.metrics["temporal"])))
	b.Logf("%-22s settled in %s; events: %s", "", after.at.Sub(before.at).Round(time.Second), kinds)
	return after
}

// temporalBackground are the Temporal server's persistence operations that run whether or not a
// workflow does anything: membership, namespaces, task queues' metadata, the shards' own rows, and
// the queues' polls for tasks.
var temporalBackground = []string{"ListNamespaces", "GetNamespace", "GetMetadata", "UpsertClusterMembership", "GetClusterMembers",
	"PruneClusterMembership", "GetClusterMetadata", "ListClusterMetadata", "GetOrCreateShard", "UpdateShard", "AssertShardOwnership",
	"GetTaskQueue", "CreateTaskQueue", "UpdateTaskQueue", "ListTaskQueue", "GetTaskQueueUserData", "ListTaskQueueUserDataEntries",
	"GetTasks", "GetHistoryTasks", "GetTransferTasks", "GetTimerTasks", "GetVisibilityTasks", "GetReplicationTasks", "GetHistoryTask"}

// workflowWrites lists the Temporal server's persistence operations of a span that the work of
// workflows caused – what a step costs the Temporal database, apart from its background.
func workflowWrites(d promSeries) string {
	ops := d.byLabel("persistence_requests", "operation")
	names := make([]string, 0, len(ops))
	total := 0.0
	for name, n := range ops {
		if n > 0 && !slices.Contains(temporalBackground, name) {
			names = append(names, name)
			total += n
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %.0f", name, ops[name])
	}
	return fmt.Sprintf("temporal persistence %.0f: %s", total, strings.Join(parts, ", "))
}

// settleCase waits until the case's workflow has no activity pending, its history has stopped
// growing and the application database's counters have stopped moving for 11 s – PostgreSQL
// publishes a busy backend's counters within 10 s – or two minutes passed.
func (c *prodShape) settleCase(workflowID string) {
	c.t.Helper()
	tc, err := client.Dial(client.Options{HostPort: c.temporal, Namespace: clusterNS, Logger: quietSDKLogger{}})
	require.NoError(c.t, err)
	defer tc.Close()
	type mark struct {
		length, pending, commits, writes int64
	}
	read := func() mark {
		d, err := tc.DescribeWorkflowExecution(context.Background(), workflowID, "")
		require.NoError(c.t, err)
		app := c.pgStats()["app"]
		return mark{d.WorkflowExecutionInfo.HistoryLength, int64(len(d.PendingActivities)), app.Commits, app.writes()}
	}
	last, stable := read(), time.Now()
	for give := time.Now().Add(2 * time.Minute); time.Now().Before(give); {
		time.Sleep(time.Second)
		if now := read(); now != last || now.pending > 0 {
			last, stable = now, time.Now()
		}
		if time.Since(stable) > 11*time.Second {
			return
		}
	}
	c.t.Logf("%s did not settle within two minutes", workflowID)
}

// sleepingCasesOnDisk registers n concerns about new children, each a case that then sleeps on its
// acknowledgement deadline, and logs what they added to each database, table by table.
func (c *prodShape) sleepingCasesOnDisk(n int) {
	b := c.t.(*testing.B)
	before := map[string]map[string]int64{}
	for _, kind := range shapeDatabases {
		before[kind] = c.tableSizes(kind)
	}
	s0 := c.sample(b)
	rate := 5
	report, _ := c.load(loadRun{"concerns", fmt.Sprint(rate)}, time.Duration(n/rate)*time.Second, 2000)
	c.settle()
	s1 := c.sample(b)
	b.Logf("%d concerns about new children at %d/s:\n%s", n, rate, report)
	c.logBetween(b, s0, s1)
	for _, kind := range shapeDatabases {
		after := c.tableSizes(kind)
		var total int64
		var parts []string
		names := make([]string, 0, len(after))
		for name := range after {
			names = append(names, name)
		}
		sort.Slice(names, func(i, j int) bool {
			return after[names[i]]-before[kind][names[i]] > after[names[j]]-before[kind][names[j]]
		})
		for _, name := range names {
			d := after[name] - before[kind][name]
			total += d
			if d > 0 && len(parts) < 8 {
				parts = append(parts, fmt.Sprintf("%s %.0f", name, float64(d)/float64(n)))
			}
		}
		b.Logf("on disk, %s database: %+.2f MB for %d sleeping cases, %.0f bytes a case; bytes a case by table: %s",
			kind, float64(total)/(1<<20), n, float64(total)/float64(n), strings.Join(parts, ", "))
	}
}

// missedDeadline registers a concern under a policy whose acknowledgement deadline is 45 s, lets the
// deadline pass unacknowledged and logs what the miss added: the timer firing, the deviation, the
// supervisor's mail and the projection.
func (c *prodShape) missedDeadline(h *historyReader) {
	b := c.t.(*testing.B)
	require.NoError(b, c.openDB().SavePolicy(context.Background(), chaosPolicy()))
	anna, bertil := c.token("anna.larare"), c.token("bertil.rektor")
	rc := &retryingClient{base: c.apiURL, timeout: 2 * time.Minute}
	concern := childConcern("Missa Påhittad", birthDateForAge(10), 977, "4", []string{"hälsa"}, "Ont i magen varje morgon.", false, time.Now())
	require.Equal(b, http.StatusAccepted, rc.send(b, anna, "POST", "/api/v1/concerns", "costs-"+c.suffix+"-missed", concern, nil))
	id := c.caseOf(concern)
	workflowID := workflows.CaseWorkflowID(id[:26])
	before := c.measureStep(h, "concern (45 s policy)", workflowID, c.sample(b))
	require.Eventually(b, func() bool {
		_, pc := c.readPlan(bertil, id)
		return len(pc.Deviations) > 0
	}, 3*time.Minute, time.Second, "the acknowledgement deadline was never marked missed")
	c.measureStep(h, "deadline missed", workflowID, before)
	_, pc := c.readPlan(bertil, id)
	b.Logf("the missed case: deadlines %v, deviations %d", pc.deadlines(string(casework.DeadlineAcknowledge)), len(pc.Deviations))
}

// historyReader reads cases' histories as stored – without the codec, so payloads count encrypted –
// and remembers how far it has read each, and the size of each kind of event it met.
type historyReader struct {
	b     *testing.B
	tc    client.Client
	seen  map[string]int64
	kinds map[string]*eventKind
}

type eventKind struct{ count, bytes int }

// added reads the events of the workflow's current run after those read before: their number,
// their stored size, and how many of each kind.
func (h *historyReader) added(workflowID string) (events, size int, kinds string) {
	counts := map[string]int{}
	h.read(workflowID, func(e *historypb.HistoryEvent) {
		if e.EventId <= h.seen[workflowID] {
			return
		}
		h.seen[workflowID] = e.EventId
		n, kind := proto.Size(e), strings.TrimPrefix(e.EventType.String(), "EVENT_TYPE_")
		events, size = events+1, size+n
		counts[kind]++
		if h.kinds[kind] == nil {
			h.kinds[kind] = &eventKind{}
		}
		h.kinds[kind].count++
		h.kinds[kind].bytes += n
	})
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s×%d", k, counts[k])
	}
	return events, size, strings.Join(parts, " ")
}

// total is the number and stored size of all events of the workflow's current run.
func (h *historyReader) total(workflowID string) (events, size int) {
	h.read(workflowID, func(e *historypb.HistoryEvent) { events, size = events+1, size+proto.Size(e) })
	return events, size
}

func (h *historyReader) read(workflowID string, each func(*historypb.HistoryEvent)) {
	it := h.tc.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(h.b, err)
		each(e)
	}
}

// logKinds logs the average stored size of each kind of event met.
func (h *historyReader) logKinds() {
	names := make([]string, 0, len(h.kinds))
	for k := range h.kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		e := h.kinds[k]
		h.b.Logf("  %-40s %4d events, %7d bytes, %6.0f bytes each", k, e.count, e.bytes, float64(e.bytes)/float64(e.count))
	}
}
