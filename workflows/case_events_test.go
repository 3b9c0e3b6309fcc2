package workflows

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// projectedEvents are the case events the projections carried, each once, in the order of their
// numbers; it fails the test when a number was carried with two different events.
func (ct *caseTest) projectedEvents(t *testing.T) []CaseEvent {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	byNumber := map[int64]CaseEvent{}
	var out []CaseEvent
	for _, p := range ct.projections {
		for _, e := range p.Events {
			if seen, ok := byNumber[e.Seq]; ok {
				require.Equal(t, seen.Kind, e.Kind, "event %d carried twice, as two events", e.Seq)
				continue
			}
			byNumber[e.Seq] = e
			out = append(out, e)
		}
	}
	return out
}

func TestCaseEventsAreRecordedInOrderAndProjected(t *testing.T) {
	pt := newProcessTest(t, policies()[0])
	pt.toSummons(false)
	// The meeting is never held: its deadline passes, with the automatic deviation and its mail.
	pt.run(30*24*time.Hour, func(s CaseState) {
		require.True(t, s.RecordsEvents)
		require.Empty(t, s.PendingEvents, "every event was projected")
		events := pt.projectedEvents(t)
		require.Len(t, events, int(s.EventsRecorded))
		kinds := map[CaseEventKind]int{}
		for i, e := range events {
			require.Equal(t, int64(i+1), e.Seq, "numbered from 1 in order")
			require.False(t, e.RecordedAt.IsZero() || e.OccurredAt.IsZero(), "%+v", e)
			kinds[e.Kind]++
		}
		require.Equal(t, EventStep, events[0].Kind)
		require.Equal(t, UpdateRegisterConcern, events[0].Step.Update, "the concern before its routing")
		require.Equal(t, EventConcernRouted, events[1].Kind)
		require.Equal(t, teacher.User, events[0].By.User)
		cmd, err := events[0].Step.Command.JSON()
		require.NoError(t, err)
		require.NotContains(t, string(cmd), "201203159812", "the child's personal number is not in the event")
		require.NotContains(t, string(cmd), "Testbarn")
		require.Positive(t, kinds[EventNoticeSent])
		require.Equal(t, 1, kinds[EventDeadlineMissed])
		for _, e := range events {
			if e.Kind == EventDeadlineMissed {
				require.Equal(t, casework.DeadlineMeeting, e.Deadline.Kind)
				require.Nil(t, e.By, "the system")
			}
		}
	})
}

// TestCaseEventsStepBeforeWhatItCaused: a step entered with a business time past its deadline, before
// the deadline's timer fired, finds the deadline passed while it is applied; its event still comes
// first and the deadline passing after it, as a reader of the case expects.
func TestCaseEventsStepBeforeWhatItCaused(t *testing.T) {
	p := policies()[0]
	pt := newProcessTest(t, p)
	due, ok := p.DueAt(casework.DeadlineAcknowledge, friday.Add(tConcern))
	require.True(t, ok)
	pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
	// A minute before the due instant, the named person enters that they took it three minutes after.
	pt.must(due.Sub(friday)-time.Minute, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: Command{By: namedPerson, OccurredAt: due.Add(3 * time.Minute)}})
	pt.run(due.Sub(friday)+time.Hour, func(s CaseState) {
		events := pt.projectedEvents(t)
		var order []string
		for _, e := range events {
			if e.Kind == EventStep {
				order = append(order, e.Step.Update)
			} else if e.Kind != EventNoticeSent {
				order = append(order, string(e.Kind))
			}
		}
		require.Equal(t, []string{UpdateRegisterConcern, string(EventConcernRouted), UpdateAcknowledgeConcern, string(EventDeadlineMissed)}, order)
		for i, e := range events {
			require.Equal(t, int64(i+1), e.Seq)
		}
	})
}

// TestCaseEventOfAnAutomaticEscalation: a disagreement undecided when its step's time is up records
// the automatic escalation at that business time, then the message that it went on.
func TestCaseEventOfAnAutomaticEscalation(t *testing.T) {
	tRaise := tApproved + time.Hour
	pt := newProcessTest(t, casework.Norrbus())
	pt.toPlan()
	pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
	pt.run(offset(time.Date(2027, 1, 12, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
		events := pt.projectedEvents(t)
		i := slices.IndexFunc(events, func(e CaseEvent) bool { return e.Kind == EventEscalatedAutomatically })
		require.GreaterOrEqual(t, i, 0)
		e := events[i]
		require.Equal(t, EscalationEvent{DisagreementID: "oen-1", Steps: 2}, *e.Escalation)
		require.True(t, e.OccurredAt.Equal(*s.Disagreements[0].Steps[0].DueAt), "when the step's time was up: %s", e.OccurredAt)
		require.Nil(t, e.By)
		require.Equal(t, EventNoticeSent, events[len(events)-1].Kind)
		require.Equal(t, NotifyEscalated, events[len(events)-1].Notice.Kind)
	})
}
