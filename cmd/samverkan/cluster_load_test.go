package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkClusterLoad offers the load command's scenarios (`samverkan load`, open loop) to the
// production shape on this machine – the Temporal server on PostgreSQL, one `serve`,
// SAMVERKAN_CLUSTER_WORKERS `worker` processes (2) and a mail catcher, as TestCluster starts them –
// and logs, for each SCENARIO:RATE of SAMVERKAN_LOAD (concerns:20), what the load command reports
// (offered against completed, p50/p90/p99/max, statuses), each process's CPU time and peak memory,
// the workers' workflow tasks and CPU per task (the SDK's metrics), the Temporal server's
// persistence requests and latencies (its Prometheus metrics) and each database's commits and rows
// written (pg_stat_database), after those of an idle half minute. Each run lasts
// SAMVERKAN_LOAD_DURATION (60s); the runs share one shape, one after another.
// SAMVERKAN_CLUSTER_SHARDS (4) is the Temporal server's numHistoryShards. The process and database
// figures of a command or read run include the load command's set-up of its 50 cases (a concern and
// an acknowledgement each); the load command's own report is of the offered requests alone. Issue 16 asks for the figures, and for what one more worker changes:
// run it with 2 and with 3. It needs PostgreSQL on 127.0.0.1:5432 and a quiet machine; the
// scenario runs once whatever b.N is, so -benchtime 1x:
//
//	SAMVERKAN_CLUSTER=1 SAMVERKAN_CLUSTER_WORKERS=2 SAMVERKAN_LOAD=concerns:20,command:50 SAMVERKAN_LOAD_DURATION=60s \
//	  CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench '^BenchmarkClusterLoad$' -benchtime 1x -v -timeout 60m
func BenchmarkClusterLoad(b *testing.B) {
	requireCluster(b)
	requireSharedPostgres(b)
	runs := loadRuns(b, os.Getenv("SAMVERKAN_LOAD"))
	duration := time.Minute
	if v := os.Getenv("SAMVERKAN_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(b, err, "SAMVERKAN_LOAD_DURATION")
		duration = d
	}
	began := time.Now()
	c := newProdShape(b, clusterPostgres)
	c.workers = benchEnvInt(b, "SAMVERKAN_CLUSTER_WORKERS", 2)
	c.shards = benchEnvInt(b, "SAMVERKAN_CLUSTER_SHARDS", 4)
	c.metrics = true
	c.setUpTemporalSchema()
	c.startTemporal()
	c.startApp()
	b.Logf("cluster with %d workers and %d history shards up in %s", c.workers, c.shards, time.Since(began).Round(time.Second))
	idle := c.sample(b)
	time.Sleep(30 * time.Second) // the background's own work, measured over a quiet half minute
	b.Logf("=== idle for 30 s, nothing offered:")
	c.logBetween(b, idle, c.sample(b))

	for i, r := range runs {
		before := c.sample(b)
		report, generator := c.load(r, duration, 1000+i*200000)
		c.settle()
		after := c.sample(b)
		b.Logf("=== %s at %s/s for %s, %d workers; load average %s before, %s after; the generator used %.1f CPU-s\n%s",
			r.scenario, r.rate, duration, c.workers, before.procs["serve"].loadAverage, loadAverage(), generator.Seconds(), report)
		c.logBetween(b, before, after)
	}
}

// loadRun is one SCENARIO:RATE of SAMVERKAN_LOAD.
type loadRun struct{ scenario, rate string }

func loadRuns(b *testing.B, spec string) []loadRun {
	if spec == "" {
		spec = "concerns:20"
	}
	var out []loadRun
	for _, pair := range strings.Split(spec, ",") {
		scenario, rate, ok := strings.Cut(strings.TrimSpace(pair), ":")
		_, err := strconv.ParseFloat(rate, 64)
		require.True(b, ok && err == nil, "SAMVERKAN_LOAD: %q is not SCENARIO:RATE", pair)
		out = append(out, loadRun{scenario, rate})
	}
	return out
}

// load runs the samverkan binary's load command against serve, with the shape's settings (its
// tokens from the dev issuer in the shape's folder, which serve trusts), and returns its report
// and the CPU time the generator itself used: a generator short of CPU measures itself.
func (c *prodShape) load(r loadRun, duration time.Duration, firstChild int) (string, time.Duration) {
	c.t.Helper()
	cmd := exec.Command(c.binary, "load", "--url", c.apiURL, "--scenario", r.scenario, "--rate", r.rate,
		"--duration", duration.String(), "--cases", "50", "--first-child", strconv.Itoa(firstChild))
	cmd.Env = append(os.Environ(), c.env...)
	var out, progress bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &progress
	require.NoError(c.t, cmd.Run(), "samverkan load:\n%s", progress.String())
	return strings.TrimSpace(out.String()), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// settle waits until the databases' counters stop moving – the workers have projected and mailed
// what the last requests started, and PostgreSQL has published its counters – or a minute passed.
func (c *prodShape) settle() {
	c.t.Helper()
	last := c.pgStats()["app"]
	stable := time.Now()
	for give := time.Now().Add(time.Minute); time.Now().Before(give); {
		time.Sleep(time.Second)
		now := c.pgStats()["app"]
		if now.Commits != last.Commits || now.writes() != last.writes() {
			last, stable = now, time.Now()
		}
		if time.Since(stable) > 11*time.Second {
			return
		}
	}
}
