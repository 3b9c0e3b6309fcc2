package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestCaseSurvivesAKilledProcess registers a concern, kills the process without any shutdown, lets
// the acknowledgement deadline come due while nothing runs, and starts the system again: the case is
// there with the same deadline, and the timer that came due during the outage fires.
func TestCaseSurvivesAKilledProcess(t *testing.T) {
	s := newSystem(t)
	s.command("seed", "--demo")
	// A new policy version with a short clock-time deadline, so the test can outlive it. Only cases
	// started after it use it (docs/process.md §7.2): the demo's version 1 stays as it was.
	short := casework.Norrkoping()
	short.Version = 2
	short.Deadlines[casework.DeadlineAcknowledge] = casework.Hours(20 * time.Second)
	require.NoError(t, s.openDB().SavePolicy(context.Background(), short))

	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	birth := time.Date(2014, 9, 2, 0, 0, 0, 0, casework.Stockholm)
	created := s.concernCase(anna, concern(syntheticPersonalNumber(birth, 982), "2014-09-02", "norrkoping-skola-1", time.Now().Truncate(time.Second)))
	require.Len(t, created.Deadlines, 1)
	due, err := time.Parse(time.RFC3339, created.Deadlines[0].DueAt)
	require.NoError(t, err)

	s.kill()
	// The deadline comes due while the system is down.
	time.Sleep(time.Until(due) + 2*time.Second)

	restartedIn := s.start()
	t.Logf("ready %.1f s after restart", restartedIn.Seconds())
	require.Eventually(t, func() bool {
		var c caseBody
		if s.call("GET", "/api/v1/cases/"+created.CaseID, bertil, nil, &c) != http.StatusOK || len(c.Deadlines) != 1 {
			return false
		}
		require.Equal(t, created.Deadlines[0].DueAt, c.Deadlines[0].DueAt, "the deadline moved over the restart")
		return c.Deadlines[0].Status == "missed" && c.Overdue && len(c.Deviations) == 1 && c.Deviations[0].DeadlineKind == "acknowledge"
	}, 60*time.Second, 250*time.Millisecond, "the deadline that came due during the outage never fired")
	s.recordHistory("case-"+created.CaseID[:26], "acknowledgement_missed_during_outage")
	s.stop()
}
