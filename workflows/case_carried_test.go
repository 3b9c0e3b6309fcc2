package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// A case continued as new carries its planned reminders and open disagreements: a reminder already
// sent is not sent again, the ones ahead are, and an undecided step still escalates on time.
func TestRemindersAndEscalationsSurviveContinueAsNew(t *testing.T) {
	tRaise := tApproved + time.Hour
	cut := time.Date(2027, 1, 18, 12, 0, 0, 0, casework.Stockholm) // after the follow-up's first reminder
	first := newProcessTest(t, casework.Norrbus())
	first.toPlan()
	first.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
	var carried CaseState
	first.run(offset(cut), func(s CaseState) { carried = s })
	sentBefore := map[string]bool{}
	for _, n := range first.notified {
		sentBefore[n.req.Key] = true
	}
	require.Len(t, carried.Disagreements[0].Steps, 2, "escalated once in the first run")
	require.True(t, carried.RemindersOn)

	second := newCaseTest(t, casework.Norrbus())
	second.env.SetStartTime(cut)
	checked := false
	second.env.RegisterDelayedCallback(func() {
		checked = true
		s := second.state(t)
		d := s.Disagreements[0]
		require.Len(t, d.Steps, 3, "the second step escalated on time in the continued run")
		require.Equal(t, "auto", d.Steps[1].EscalatedBy)
		require.True(t, d.Steps[2].StartedAt.Equal(*d.Steps[1].DueAt))
		var followUp []notified
		for _, n := range second.notified {
			require.False(t, sentBefore[n.req.Key], "%s sent again after continue-as-new", n.req.Key)
			if n.req.Kind == "reminder" && n.req.DeadlineKind == casework.DeadlineFollowUp {
				followUp = append(followUp, n)
			}
		}
		require.Len(t, followUp, 1, "only the reminder still ahead")
		require.True(t, followUp[0].at.Equal(time.Date(2027, 1, 20, 8, 0, 0, 0, casework.Stockholm)), "sent %s", followUp[0].at)
		second.env.CancelWorkflow()
	}, time.Date(2027, 1, 27, 12, 0, 0, 0, casework.Stockholm).Sub(cut))
	second.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: carried.CaseID, Municipality: carried.Municipality, Carried: &carried})
	require.True(t, checked, "the continued run ended before it was looked at")
}
