package activities

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// The sweeper that TestSweepKilledMidwayIsFinishedByTheNextRun kills is this test binary run again
// with these variables set: it erases batch after batch, as RetentionSweep does, and writes each
// batch's result as a line of JSON.
const (
	sweepChildEnv       = "SAMVERKAN_SWEEP_CHILD"
	sweepChildDBURLEnv  = "SAMVERKAN_SWEEP_CHILD_DB_URL"
	sweepChildDBPathEnv = "SAMVERKAN_SWEEP_CHILD_DB_PATH"
	sweepChildNowEnv    = "SAMVERKAN_SWEEP_CHILD_NOW"
	// sweepChildBatch is small so that a kill lands among many batches, most likely inside one.
	sweepChildBatch = 10
)

// runSweepChild is the sweeping worker: it runs EraseDueCases until a batch is not full.
func runSweepChild() int {
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{URL: os.Getenv(sweepChildDBURLEnv), SQLitePath: os.Getenv(sweepChildDBPathEnv)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer d.Close()
	now, err := time.Parse(time.RFC3339, os.Getenv(sweepChildNowEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	a := &Activities{DB: d, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Now: func() time.Time { return now }}
	out := json.NewEncoder(os.Stdout)
	for {
		res, err := a.EraseDueCases(ctx, EraseBatch{Limit: sweepChildBatch})
		if err != nil {
			fmt.Fprintln(os.Stderr, "sweep:", err)
			return 1
		}
		if err := out.Encode(res); err != nil {
			return 1
		}
		if !res.More {
			return 0
		}
	}
}

// sweeper is one run of runSweepChild and the batch results it wrote.
type sweeper struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	results []EraseBatchResult
	done    chan struct{} // closed when its output ends
}

func startSweeper(t *testing.T, opts db.Options, now time.Time) *sweeper {
	t.Helper()
	s := &sweeper{cmd: exec.Command(os.Args[0], "-test.run=^$"), done: make(chan struct{})}
	s.cmd.Env = append(os.Environ(), sweepChildEnv+"=1", sweepChildDBURLEnv+"="+opts.URL,
		sweepChildDBPathEnv+"="+opts.SQLitePath, sweepChildNowEnv+"="+now.Format(time.RFC3339))
	s.cmd.Stderr = testWriter{t}
	stdout, err := s.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, s.cmd.Start())
	t.Cleanup(func() { _ = s.cmd.Process.Kill() })
	go func() {
		defer close(s.done)
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			var res EraseBatchResult
			if json.Unmarshal(lines.Bytes(), &res) == nil {
				s.mu.Lock()
				s.results = append(s.results, res)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// erased sums the Erased of the batches the sweeper reported.
func (s *sweeper) erased() (batches, erased int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.results {
		erased += r.Erased
	}
	return len(s.results), erased
}

// TestSweepKilledMidwayIsFinishedByTheNextRun is issue 13's kill -9 acceptance: 1,000 archived
// cases past their erase-after time, with their read-model rows, beside cases not yet due and due
// cases under a legal hold. A sweeping process is killed with SIGKILL once some but not all are
// erased; a new process finishes the job without an error, a third run finds nothing, erasing an
// erased case again is no error, the counts add up to 1,000, and nothing not due or held is
// touched. Every case is whole or gone at the kill: its archive row and read-model rows go together.
// The cases have no runs left in Temporal (the sweep's Temporal half is NotFound-tolerant and
// covered by the end-to-end test), so the child needs no Temporal.
func TestSweepKilledMidwayIsFinishedByTheNextRun(t *testing.T) {
	const due, notYet, held = 1000, 30, 20
	ctx := context.Background()
	opts := dbtest.Fresh(t)
	f := newArchiveFixture(t, opts)
	seeded := seedSweepCases(t, f, due, notYet, held)
	dueIDs, keptIDs := seeded.due, seeded.kept
	count := func(sql string, args ...any) int {
		var n int64
		require.NoError(t, f.d.Gorm().Raw(sql, args...).Scan(&n).Error)
		return int(n)
	}
	erasedSoFar := func() int { return count("SELECT COUNT(*) FROM case_erasures") }

	// The first sweeper dies with SIGKILL once a little over a tenth of the cases are erased: in the
	// middle of a batch, whose result it never reports, most likely inside a case's transaction.
	const killAt = due/10 + sweepChildBatch/2 + 2
	first := startSweeper(t, opts, f.now)
	first.killWhen(t, func() bool { return erasedSoFar() >= killAt })
	killedAt := erasedSoFar()
	batches, reported := first.erased()
	t.Logf("killed after %d erasures; the killed run reported %d batches, %d erased", killedAt, batches, reported)
	require.Positive(t, killedAt)
	require.Less(t, killedAt, due, "the kill came after the sweep ended")
	require.LessOrEqual(t, reported, killedAt, "a batch reported erasures that were not committed")
	// Whole or gone: an erased case has no archive row and no read-model row left, one not erased has
	// its archive row (the five without read-model rows aside).
	require.Equal(t, due-killedAt+notYet+held, count("SELECT COUNT(*) FROM case_archive"))
	require.Zero(t, count("SELECT COUNT(*) FROM case_erasures e JOIN case_archive a ON a.case_id = e.case_id"))
	require.Zero(t, count("SELECT COUNT(*) FROM case_erasures e JOIN cases c ON c.case_id = e.case_id"))
	require.Zero(t, count("SELECT COUNT(*) FROM case_erasures e JOIN case_access c ON c.case_id = e.case_id"))
	require.Zero(t, count("SELECT COUNT(*) FROM case_erasures e JOIN case_facts c ON c.case_id = e.case_id"))
	require.Zero(t, count("SELECT COUNT(*) FROM case_archive a WHERE a.case_id NOT IN ? AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = a.case_id)",
		dueIDs[:5]), "a case kept its archive row but lost its read-model row")

	// The next run, a new process, finishes the job without an error.
	second := startSweeper(t, opts, f.now)
	require.NoError(t, second.cmd.Wait(), "the second sweep failed")
	<-second.done
	_, rest := second.erased()
	require.Equal(t, due, killedAt+rest, "the erasures of the two runs do not add up")
	require.Equal(t, due, erasedSoFar())
	for _, id := range dueIDs {
		_, err := f.d.ArchivedCase(ctx, id)
		require.ErrorIs(t, err, db.ErrNotFound, "%s was not erased", id)
	}
	require.Zero(t, count("SELECT COUNT(*) FROM cases WHERE case_id IN ?", dueIDs))
	require.Equal(t, due-5, count("SELECT COUNT(*) FROM erased_case_facts"),
		"the facts of each erased case with facts are kept once, without identity, however the kill fell")

	// A third run finds nothing; erasing an erased case again does nothing and fails nothing.
	again, err := f.a.EraseDueCases(ctx, EraseBatch{Limit: sweepChildBatch})
	require.NoError(t, err)
	require.Equal(t, EraseBatchResult{}, again)
	erased, err := f.d.EraseCase(ctx, db.ArchivedCase{CaseID: dueIDs[0], WorkflowID: "case-b0"}, f.now, factsWithoutIdentity)
	require.NoError(t, err)
	require.False(t, erased)

	// Nothing not due or held was touched: archive rows as they were, read-model rows still there.
	for _, id := range keptIDs {
		a, err := f.d.ArchivedCase(ctx, id)
		require.NoError(t, err, "%s was erased", id)
		require.Equal(t, seeded.files[id], a, "%s was changed", id)
	}
	require.Equal(t, notYet+held, count("SELECT COUNT(*) FROM cases WHERE case_id IN ?", keptIDs))
	require.Equal(t, notYet+held, count("SELECT COUNT(*) FROM case_access WHERE case_id IN ?", keptIDs))
	require.Equal(t, notYet+held, count("SELECT COUNT(*) FROM case_facts WHERE case_id IN ?", keptIDs))
	require.Zero(t, count("SELECT COUNT(*) FROM case_erasures WHERE case_id IN ?", keptIDs))
}

// sweepCases are what TestSweepKilledMidwayIsFinishedByTheNextRun seeds: the due cases, the first
// five of them without read-model rows, and the kept ones (not yet due, or due and held) with their
// files as seeded.
type sweepCases struct {
	due, kept []string
	files     map[string]db.ArchivedCase
}

func seedSweepCases(t *testing.T, f *archiveFixture, due, notYet, held int) sweepCases {
	ctx := context.Background()
	closed := f.now.AddDate(-6, 0, 0)
	put := func(i int, eraseAfter time.Time) string {
		f.project(t, i, closed)
		id, _ := f.put(t, i, closed, eraseAfter)
		return id
	}
	out := sweepCases{files: map[string]db.ArchivedCase{}}
	for i := range due {
		// Spread over erase-after times so that the sweep's order is not the seeding order alone.
		out.due = append(out.due, put(i, f.now.Add(-time.Duration(1+i%97)*time.Hour)))
	}
	for i := range notYet {
		out.kept = append(out.kept, put(due+i, f.now.Add(time.Duration(i+1)*time.Minute)))
	}
	for i := range held {
		id := put(due+notYet+i, f.now.Add(-48*time.Hour))
		_, err := f.d.SetLegalHold(ctx, id, true, "Begäran från förvaltningsrätten.", "adam.admin", f.now.Add(-time.Hour))
		require.NoError(t, err)
		out.kept = append(out.kept, id)
	}
	// Erasing read-model rows that are gone already is no error.
	for _, id := range out.due[:5] {
		require.NoError(t, f.d.Gorm().Exec("DELETE FROM cases WHERE case_id = ?", id).Error)
	}
	for _, id := range out.kept {
		a, err := f.d.ArchivedCase(ctx, id)
		require.NoError(t, err)
		out.files[id] = a
	}
	return out
}

// killWhen kills the sweeper with SIGKILL as soon as reached says so, and fails the test when the
// sweeper ends first or takes over 30 seconds to get there.
func (s *sweeper) killWhen(t *testing.T, reached func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !reached() {
		select {
		case <-s.done:
			t.Fatal("the sweep finished before it could be killed")
		default:
		}
		require.True(t, time.Now().Before(deadline), "the sweep got too little done in 30 s")
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	require.Error(t, s.cmd.Wait(), "the sweeper was killed")
	<-s.done
}
