package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestHandoverAcrossMunicipalities(t *testing.T) {
	lulea := casework.UnitRef{ID: "lulea-skola-1", Name: "Luleå testskola", Kind: casework.UnitSchool}
	luleaBBA := Actor{User: "lisa.bba", Name: "Lisa", Role: casework.RoleNamedPerson, Unit: lulea.ID, UnitKind: casework.UnitSchool}
	tMove := tApproved + time.Hour // Monday 21 December 2026, 18:00
	norrbus := casework.Norrbus()
	norrbus.Deadlines[casework.DeadlineAcknowledge] = casework.Days(3) // so the new policy shows in the new deadline
	norrbus.Version = 7
	pt := newProcessTest(t, casework.Norrkoping())
	pt.policies["lulea"] = norrbus
	pt.toPlan()
	pt.must(tMove, UpdateHandOverCase, HandOverCase{Command: on(namedPerson, tMove), To: lulea, ToMunicipality: "lulea", Reason: "familjen har flyttat till Luleå"})
	oldTakes := pt.send(tMove+time.Hour, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, tMove+time.Hour)})
	pt.at(tMove+time.Minute, func(s CaseState) {
		require.Equal(t, lulea.ID, s.NamedPersonUnit.ID)
		require.Equal(t, "lulea", s.Municipality)
		require.Equal(t, casework.PolicyRef{ID: "norrbus", Version: 7}, s.Policy.PolicyRef)
		h := s.PendingHandover()
		require.NotNil(t, h)
		require.Equal(t, schoolUnit, h.From.ID)
		require.Equal(t, "norrkoping", h.FromMunicipality)
		var ack *Deadline
		for i := range s.Deadlines {
			if s.Deadlines[i].Kind == casework.DeadlineAcknowledge && s.Deadlines[i].Status == DeadlineOpen {
				ack = &s.Deadlines[i]
			}
		}
		require.NotNil(t, ack)
		require.Equal(t, "3 arbetsdagar", ack.Rule, "the new municipality's policy")
		// 3 working days after Monday 21 December: 22, 23 and 28 December.
		require.True(t, ack.DueAt.Equal(time.Date(2026, 12, 28, 23, 59, 59, 999999999, casework.Stockholm)), "due %s", ack.DueAt)
		require.Equal(t, followUpDay.Day(), deadlineOf(s, casework.DeadlineFollowUp).DueAt.Day(), "the booked follow-up keeps its date")
		require.Len(t, pt.notifiedWith("case_handed_over"), 1)
	})
	tTake := tMove + 20*time.Hour
	pt.must(tTake, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(luleaBBA, tTake)})
	pt.run(tTake+time.Hour, func(s CaseState) {
		requireRejected(t, oldTakes, ErrTypeForbidden)
		require.Nil(t, s.PendingHandover())
		require.Equal(t, luleaBBA.User, s.Handovers[0].Acknowledged.By.User)
		require.Equal(t, casework.PhaseUppfoljning, s.Phase, "the case goes on where it was")
		for _, d := range s.Deadlines {
			if d.Kind == casework.DeadlineAcknowledge {
				require.NotEqual(t, DeadlineOpen, d.Status)
			}
		}
	})
}

// TestHandoverWhosePolicyCannotBeReadChangesNothing: the new municipality's policy is looked up
// inside the update; when that fails the command is refused as unavailable – for the API a 503 that
// says nothing of the cause – and the case stays where it was.
func TestHandoverWhosePolicyCannotBeReadChangesNothing(t *testing.T) {
	elsewhere := casework.UnitRef{ID: "ingenstans-skola-1", Name: "Skola utan policy", Kind: casework.UnitSchool}
	tMove := tApproved + time.Hour
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toPlan()
	s := pt.send(tMove, UpdateHandOverCase, HandOverCase{Command: on(namedPerson, tMove), To: elsewhere, ToMunicipality: "ingenstans", Reason: "familjen har flyttat"})
	pt.run(tMove+time.Minute, func(st CaseState) {
		require.True(t, s.done)
		require.False(t, s.rejected, "the validator cannot know; the handler's look-up fails")
		requireErrType(t, s.err, ErrTypeUnavailable)
		refusal, reason, ok := RefusalOf(s.err)
		require.True(t, ok)
		require.Equal(t, ErrTypeUnavailable, refusal.Kind)
		require.NotContains(t, reason, "no such municipality", "the activity's own message stays out of the answer")
		require.Equal(t, schoolUnit, st.NamedPersonUnit.ID)
		require.Empty(t, st.Handovers)
	})
}

func TestReopening(t *testing.T) {
	held := offset(followUpDay)
	closeAll := func(pt *processTest) {
		pt.toPlan()
		in := followUpAll(on(coordinator, held), FollowUpClose)
		in.CloseReason = CloseNeedsMet
		pt.must(held, UpdateRecordFollowUp, in)
	}
	t.Run("a new concern within 90 days reopens the same case", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		closeAll(pt)
		later := held + 30*24*time.Hour
		var res RegisterConcernResult
		var err error
		pt.update(later, "c2", concernAt("c2", friday.Add(later)), &res, &err)
		pt.run(later+time.Hour, func(s CaseState) {
			require.NoError(t, err)
			require.Equal(t, "testcase-1", res.CaseID)
			require.True(t, res.Joined)
			require.Equal(t, casework.PhaseUppfoljning, s.Phase, "back to where it was closed")
			require.Nil(t, s.Closed)
			require.Len(t, s.Reopenings, 1)
			require.Equal(t, "c2", s.Reopenings[0].ConcernID)
			require.Equal(t, CloseNeedsMet, s.Reopenings[0].Closing.Reason)
			require.Len(t, s.Concerns, 2)
			require.Len(t, pt.notifiedWith("case_reopened"), 1)
		})
	})
	t.Run("the named person reopens it, then takes it again", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		closeAll(pt)
		later := held + 10*24*time.Hour
		pt.must(later, UpdateReopenCase, ReopenCase{Command: on(namedPerson, later), Reason: "ny information från skolan"})
		pt.must(later+time.Hour, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, later+time.Hour)})
		pt.run(later+2*time.Hour, func(s CaseState) {
			require.NotEqual(t, casework.PhaseClosed, s.Phase)
			require.NotNil(t, s.Reopenings[0].Acknowledged)
		})
	})
	t.Run("after 90 days the workflow ends: a later concern starts a new case", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		closeAll(pt)
		// Closed on 20 January 2027: reopenable until the end of 20 April.
		pt.at(offset(time.Date(2027, 4, 20, 23, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			require.Equal(t, casework.PhaseClosed, s.Phase)
			require.False(t, pt.env.IsWorkflowCompleted(), "still reopenable on the 90th day")
		})
		pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
		require.True(t, pt.env.IsWorkflowCompleted())
		require.NoError(t, pt.env.GetWorkflowError())
		require.True(t, pt.env.Now().Equal(time.Date(2027, 4, 21, 0, 0, 0, 0, casework.Stockholm)), "ended at %s", pt.env.Now())
	})
}
