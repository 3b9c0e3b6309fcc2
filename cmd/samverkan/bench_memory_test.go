package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// memoryCheckpoints is how many times, evenly spaced over the starts, the memory is sampled.
const memoryCheckpoints = 10

// BenchmarkMemoryOfSleepingCases starts `samverkan dev` and SAMVERKAN_BENCH_CASES (100,000) cases
// that sleep on deadlines weeks away, and samples the process's memory after each tenth of them and
// once more after a minute of rest: the issue-16 target is at most 1 GB of RSS at 100,000 cases and
// flat in their number, since the worker's sticky cache (SAMVERKAN_WORKER_STICKY_CACHE, 2,000) and
// the embedded server's history cache bound what stays in memory, and a sleeping case lives on disk.
//
// The cases are started as continue-as-new starts a run, with the state carried (the cases of
// BenchmarkRemindersDueTheSameMorning, their follow-up and reminders moved weeks ahead): registering
// 100,000 concerns over HTTP at the dev profile's 20 a second would take 80 minutes, and what is
// measured is what a case costs while it sleeps, not how it got there. Every start still runs the
// case's first workflow task, its projection into the read model and its timers. Run it with
// -benchtime 1x and -timeout 3h; -v logs each checkpoint.
func BenchmarkMemoryOfSleepingCases(b *testing.B) {
	n := benchEnvInt(b, "SAMVERKAN_BENCH_CASES", 100000)
	s := newSystem(b)
	s.command("seed", "--demo")
	s.start()
	pid := s.cmd.Process.Pid
	idle := readProc(b, pid)
	b.Logf("conditions: %d cases, %d CPUs, load average %s; idle: %s", n, runtime.NumCPU(), loadAverage(), idle.delta(idle))

	c := s.decryptingClient()
	policy := casework.Norrbus()
	now := time.Now().In(casework.Stockholm)
	opened, due := now.AddDate(0, -1, 0), now.AddDate(0, 0, 60)
	remindAt := due.AddDate(0, 0, -1)

	database := s.openDB()
	began := time.Now()
	step := max(n/memoryCheckpoints, 1)
	last := idle
	for from := 0; from < n; from += step {
		to := min(from+step, n)
		startCarriedCases(b, c, "benchmem", from, to, func(pseudonym string) workflows.CaseState {
			return benchCaseWithReminders(pseudonym, policy, opened, due, due, remindAt)
		})
		// A start returns when the server has the case, before the worker has run it: wait until
		// the read model has every case, so that each sample is of cases that have gone to sleep.
		waitForSleepingCases(b, database, to)
		at := readProc(b, pid)
		b.Logf("%d cases started (%s): %s; %s", to, time.Since(began).Round(time.Second), at.delta(last), cacheHeapAndDisk(s))
		b.ReportMetric(at.rssMB(), fmt.Sprintf("rss_MB_at_%d", to))
		last = at
	}
	started := last

	// At rest: the starts are done, the cases sleep.
	time.Sleep(time.Minute)
	rest := readProc(b, pid)
	b.Logf("a minute after the last start: %s; %s", rest.delta(started), cacheHeapAndDisk(s))
	b.ReportMetric(idle.rssMB(), "rss_MB_idle")
	b.ReportMetric(rest.rssMB(), "rss_MB_sleeping")
	b.ReportMetric(rest.hwmMB(), "hwm_MB")
	b.ReportMetric(float64(n)/started.at.Sub(began).Seconds(), "starts/s")
	s.stop()
	summariseLog(b, s.log.String())
}

// cacheHeapAndDisk is what the system's metrics and data folder say of its cached cases, its heap
// and its disk.
func cacheHeapAndDisk(s *system) string {
	m := s.scrape()
	return fmt.Sprintf("sticky cache %.0f, Go heap in use %.0f MB, data dir %s", m.value("temporal_sticky_cache_size", "workflow_type", "Case"),
		m.value("go_memstats_heap_inuse_bytes")/(1<<20), dataDirSize(s.dataDir))
}

// waitForSleepingCases waits until the read model holds want of the benchmark's cases.
func waitForSleepingCases(b *testing.B, database *db.DB, want int) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Minute)
	for {
		var got int64
		require.NoError(b, database.Gorm().Raw("SELECT count(*) FROM cases WHERE case_id LIKE ?", "%-bench").Scan(&got).Error)
		if got >= int64(want) {
			return
		}
		require.True(b, time.Now().Before(deadline), "the read model has %d of %d cases after 30 minutes", got, want)
		time.Sleep(500 * time.Millisecond)
	}
}

// startCarriedCases starts the cases from..to-1 of a kind the way continue-as-new starts a run,
// each with the state caseAt gives its pseudonym (benchPseudonym), from 16 clients at once.
func startCarriedCases(b *testing.B, c client.Client, kind string, from, to int, caseAt func(pseudonym string) workflows.CaseState) {
	b.Helper()
	var failures atomic.Int64
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				pseudonym := benchPseudonym(kind, i)
				state := caseAt(pseudonym)
				_, err := c.ExecuteWorkflow(context.Background(),
					client.StartWorkflowOptions{ID: workflows.CaseWorkflowID(pseudonym), TaskQueue: workflows.DefaultTaskQueue},
					workflows.CaseWorkflowName, workflows.CaseStart{CaseID: state.CaseID, Municipality: state.Municipality, Carried: &state})
				if err != nil && failures.Add(1) <= 5 {
					b.Logf("start case %d: %v", i, err)
				}
			}
		}()
	}
	for i := from; i < to; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	require.Zero(b, failures.Load(), "cases not started")
}
