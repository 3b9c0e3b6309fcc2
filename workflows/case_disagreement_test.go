package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func raise(c Command) RaiseDisagreement {
	return RaiseDisagreement{Command: c, Subject: DisagreementCost, Question: "vem betalar familjebehandlingen?",
		Parties: []string{"Kommunen", "Regionen"}}
}

func TestDisagreementClimbsTheLadder(t *testing.T) {
	tRaise := tApproved + time.Hour // Monday 21 December 2026, 18:00
	t.Run("Norrbus: undecided at the municipality, it goes to the sub-county by itself after 10 working days", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
		pt.at(tRaise+time.Minute, func(s CaseState) {
			d := s.Disagreements[0]
			require.Equal(t, "oen-1", d.ID)
			require.Len(t, d.Steps, 1)
			require.Equal(t, "kommun", d.Steps[0].Level)
			// 10 working days after 21 December, over julafton–annandag jul, nyårsafton, nyårsdagen and
			// trettondedag jul: 22, 23, 28, 29, 30 December, 4, 5, 7, 8 and 11 January.
			require.True(t, d.Steps[0].DueAt.Equal(time.Date(2027, 1, 11, 23, 59, 59, 999999999, casework.Stockholm)), "due %s", d.Steps[0].DueAt)
			require.Equal(t, casework.PhaseUppfoljning, s.Phase, "the case keeps going")
		})
		pt.at(offset(time.Date(2027, 1, 11, 23, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			require.Len(t, s.Disagreements[0].Steps, 1, "not a moment early")
		})
		pt.run(offset(time.Date(2027, 1, 12, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			d := s.Disagreements[0]
			require.Len(t, d.Steps, 2)
			require.Equal(t, "auto", d.Steps[0].EscalatedBy)
			require.Equal(t, "delregion", d.Steps[1].Level)
			require.NotNil(t, d.Steps[1].DueAt)
			require.Len(t, pt.notifiedWith("escalated"), 1)
		})
	})
	t.Run("escalated by hand to the top, where it stays until decided", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
		pt.must(tRaise+time.Hour, UpdateEscalateDisagreement, EscalateDisagreement{Command: on(coordinator, tRaise+time.Hour), DisagreementID: "oen-1", Reason: "kommunen avstår"})
		pt.must(tRaise+2*time.Hour, UpdateEscalateDisagreement, EscalateDisagreement{Command: on(bupDoctor, tRaise+2*time.Hour), DisagreementID: "oen-1", Reason: "delregionen kan inte besluta"})
		over := pt.send(tRaise+3*time.Hour, UpdateEscalateDisagreement, EscalateDisagreement{Command: on(coordinator, tRaise+3*time.Hour), DisagreementID: "oen-1", Reason: "igen"})
		decide := offset(time.Date(2027, 3, 1, 10, 0, 0, 0, casework.Stockholm))
		pt.must(decide, UpdateDecideDisagreement, DecideDisagreement{Command: on(coordinator, decide), DisagreementID: "oen-1", Decision: "kostnaden delas lika"})
		pt.run(decide+time.Hour, func(s CaseState) {
			requireRejected(t, over, ErrTypeConflict)
			d := s.Disagreements[0]
			require.Len(t, d.Steps, 3)
			require.Equal(t, []string{"kommun", "delregion", "länsstyrgrupp"}, []string{d.Steps[0].Level, d.Steps[1].Level, d.Steps[2].Level})
			require.Equal(t, coordinator.User, d.Steps[0].EscalatedBy)
			require.Nil(t, d.Steps[2].DueAt, "the last step does not escalate by itself")
			require.Equal(t, "kostnaden delas lika", d.Steps[2].Decision)
			require.NotNil(t, d.Resolved)
			require.Len(t, noticesOf(s, NoticeEscalationAtTop), 1)
		})
	})
	t.Run("decided at the first step: resolved, no escalation later", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
		pt.must(tRaise+time.Hour, UpdateDecideDisagreement, DecideDisagreement{Command: on(coordinator, tRaise+time.Hour), DisagreementID: "oen-1", Decision: "kommunen betalar"})
		pt.run(offset(time.Date(2027, 2, 1, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			require.Len(t, s.Disagreements[0].Steps, 1)
			require.Empty(t, pt.notifiedWith("escalated"))
		})
	})
	t.Run("Norrköping: Barnsamverket is the only step", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
		up := pt.send(tRaise+time.Hour, UpdateEscalateDisagreement, EscalateDisagreement{Command: on(coordinator, tRaise+time.Hour), DisagreementID: "oen-1", Reason: "x"})
		pt.run(tRaise+2*time.Hour, func(s CaseState) {
			require.Equal(t, "Barnsamverket", s.Disagreements[0].Steps[0].Level)
			require.Nil(t, s.Disagreements[0].Steps[0].DueAt)
			requireRejected(t, up, ErrTypeConflict)
		})
	})
	t.Run("one party is no disagreement; an outsider may not raise one", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		one := raise(on(coordinator, tRaise))
		one.Parties = []string{"Kommunen", "kommunen"}
		a := pt.send(tRaise, UpdateRaiseDisagreement, one)
		b := pt.send(tRaise, UpdateRaiseDisagreement, raise(on(otherNamedPerson, tRaise)))
		pt.run(tRaise+time.Hour, func(s CaseState) {
			requireRejected(t, a, ErrTypeInvalid)
			requireRejected(t, b, ErrTypeForbidden)
			require.Empty(t, s.Disagreements)
		})
	})
}
