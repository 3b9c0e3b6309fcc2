package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestRemindersBeforeTheFollowUp(t *testing.T) {
	held := offset(followUpDay)
	t.Run("two working days before and on the morning, to the coordinator, on working days only", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		pt.run(held+time.Hour, func(s CaseState) {
			var followUp []notified
			for _, n := range pt.notifiedWith("reminder") {
				if n.req.DeadlineKind == casework.DeadlineFollowUp {
					followUp = append(followUp, n)
				}
			}
			require.Len(t, followUp, 2)
			// Wednesday 20 January 2027: two working days before is Monday 18 January.
			require.True(t, followUp[0].at.Equal(time.Date(2027, 1, 18, 8, 0, 0, 0, casework.Stockholm)), "first at %s", followUp[0].at)
			require.True(t, followUp[1].at.Equal(time.Date(2027, 1, 20, 8, 0, 0, 0, casework.Stockholm)), "second at %s", followUp[1].at)
			cal := casework.NewCalendar(true)
			keys := map[string]bool{}
			for _, n := range pt.notified {
				local := n.at.In(casework.Stockholm)
				require.True(t, cal.IsWorkingDay(local), "%s sent on a day off: %s", n.req.Key, local)
				require.True(t, local.Hour() >= 8 && local.Hour() < 17, "%s sent outside office hours: %s", n.req.Key, local)
				require.False(t, keys[n.req.Key], "%s sent twice", n.req.Key)
				keys[n.req.Key] = true
			}
			require.Equal(t, socialWorker.User, followUp[0].req.Recipients[0].UserID)
			require.NotContains(t, followUp[0].req.Text, "Testbarn", "no name in a reminder")
			require.NotContains(t, followUp[0].req.Text, "201203159812", "no personal identity number in a reminder")
			for _, r := range s.Reminders {
				if r.DeadlineKind == casework.DeadlineFollowUp {
					require.NotNil(t, r.SentAt)
				}
			}
		})
	})
	t.Run("a send that dies is retried with the same key and recorded once", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		var key string
		pt.at(offset(time.Date(2027, 1, 15, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			for _, r := range s.Reminders {
				if r.DeadlineKind == casework.DeadlineFollowUp && !r.Missed {
					key = r.Key
					pt.notifyFailures[key] = 2
					return
				}
			}
		})
		pt.run(held+time.Hour, func(s CaseState) {
			require.NotEmpty(t, key)
			require.Equal(t, 3, pt.notifyAttempts[key], "two deaths mid-send, then the send that went through")
			n := 0
			for _, x := range pt.notified {
				if x.req.Key == key {
					n++
				}
			}
			require.Equal(t, 1, n)
		})
	})
	t.Run("a follow-up held early cancels the reminders still ahead", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		early := offset(time.Date(2027, 1, 11, 13, 0, 0, 0, casework.Stockholm))
		in := followUpAll(on(coordinator, early), FollowUpClose)
		in.CloseReason = CloseNeedsMet
		pt.must(early, UpdateRecordFollowUp, in)
		pt.run(held+time.Hour, func(s CaseState) {
			for _, n := range pt.notifiedWith("reminder") {
				require.NotEqual(t, casework.DeadlineFollowUp, n.req.DeadlineKind, "reminded of a follow-up already held")
			}
			for _, r := range s.Reminders {
				if r.DeadlineKind == casework.DeadlineFollowUp {
					require.True(t, r.Cancelled)
				}
			}
		})
	})
}

func TestRemindersOfTheAcknowledgementAndTheMissedMail(t *testing.T) {
	// The concern on Friday 18 December at 10:00 is due at the end of Tuesday 22 December: reminded
	// on Friday? No – two working days before Tuesday is Friday 18 at 08:00, already past; so only the
	// morning of Tuesday. Nobody takes it: the supervisor of the school gets the mail on Wednesday.
	pt := newProcessTest(t, casework.Norrkoping())
	pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
	pt.run(7*24*time.Hour, func(s CaseState) {
		rem := pt.notifiedWith("reminder")
		require.Len(t, rem, 1)
		require.True(t, rem[0].at.Equal(time.Date(2026, 12, 22, 8, 0, 0, 0, casework.Stockholm)), "reminded at %s", rem[0].at)
		require.Equal(t, schoolUnit, rem[0].req.Recipients[0].UnitID)
		require.Equal(t, casework.RoleNamedPerson, rem[0].req.Recipients[0].Role)
		missed := pt.notifiedWith("deadline_missed")
		require.Len(t, missed, 1)
		require.Equal(t, schoolUnit, missed[0].req.Recipients[0].UnitID)
		require.Equal(t, casework.RoleSupervisor, missed[0].req.Recipients[0].Role)
		require.Contains(t, missed[0].req.Key, "/missed")
		require.Equal(t, "avv-1", s.Deviations[0].ID)
	})
}

// A notification that fails for its whole retry budget is given up, not sent again in a loop: the
// mail stays pending in the outbox for operations to see.
func TestAReminderThatCannotBeSentIsGivenUp(t *testing.T) {
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toPlan()
	pt.at(offset(time.Date(2027, 1, 15, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
		for _, r := range s.Reminders {
			if r.DeadlineKind == casework.DeadlineFollowUp {
				pt.notifyFailures[r.Key] = 1 << 30
			}
		}
	})
	pt.run(offset(followUpDay)+time.Hour, func(s CaseState) {
		var failed int
		for _, r := range s.Reminders {
			if r.DeadlineKind == casework.DeadlineFollowUp && !r.Missed {
				require.True(t, r.Failed, "%s", r.Key)
				require.Nil(t, r.SentAt)
				failed++
				// Retried within the day's budget, then given up: a bounded number of attempts.
				require.Less(t, pt.notifyAttempts[r.Key], 100, "%s attempted %d times", r.Key, pt.notifyAttempts[r.Key])
			}
		}
		require.Equal(t, 2, failed)
	})
}
