package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// deadlineStep is one deadline of the process: the path that opens it, the business time it counts
// from, and the step that meets it.
type deadlineStep struct {
	kind  casework.DeadlineKind
	setup func(pt *processTest)
	start time.Duration
	step  func(pt *processTest, after, occurred time.Duration) *sent
}

var deadlineSteps = []deadlineStep{
	{
		kind:  casework.DeadlineAcknowledge,
		setup: func(pt *processTest) { pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern))) },
		start: tConcern,
		step: func(pt *processTest, after, occurred time.Duration) *sent {
			return pt.send(after, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, occurred)})
		},
	},
	{
		kind:  casework.DeadlineSummons,
		setup: func(pt *processTest) { pt.toConsent(false) },
		start: tConsent + time.Minute,
		step: func(pt *processTest, after, occurred time.Duration) *sent {
			return pt.send(after, UpdateSendSummons, summons(on(namedPerson, occurred), socUnit, bupUnit))
		},
	},
	{
		kind:  casework.DeadlineMeeting,
		setup: func(pt *processTest) { pt.toSummons(false) },
		start: tConsent + time.Minute,
		step: func(pt *processTest, after, occurred time.Duration) *sent {
			return pt.send(after, UpdateHoldMeeting, meeting(on(namedPerson, occurred)))
		},
	},
	{
		kind:  casework.DeadlineAcuteMeeting,
		setup: func(pt *processTest) { pt.toSummons(true) },
		start: tConsent + time.Minute,
		step: func(pt *processTest, after, occurred time.Duration) *sent {
			return pt.send(after, UpdateHoldMeeting, meeting(on(namedPerson, occurred)))
		},
	},
}

func TestDeadlinesMetAndMissedOnEachPolicy(t *testing.T) {
	for _, p := range policies() {
		for _, ds := range deadlineSteps {
			t.Run("the "+string(ds.kind)+" deadline on "+p.ID+" is met by a step before its due instant", func(t *testing.T) {
				pt := newProcessTest(t, p)
				ds.setup(pt)
				due := dueAt(t, p, ds.kind, ds.start)
				done := offset(due) - time.Minute
				step := ds.step(pt, done, done)
				pt.run(offset(due)+time.Hour, func(s CaseState) {
					requireAccepted(t, step)
					d := deadlineOf(s, ds.kind)
					require.NotNil(t, d)
					require.Equal(t, DeadlineMet, d.Status)
					require.True(t, due.Equal(d.DueAt), "due %s, want %s", d.DueAt, due)
					require.True(t, friday.Add(ds.start).Equal(d.StartedAt), "started %s", d.StartedAt)
					rule, _ := p.Deadline(ds.kind)
					require.Equal(t, rule.String(), d.Rule)
					require.True(t, friday.Add(done).Equal(*d.DoneAt))
					require.Empty(t, s.Deviations)
					require.False(t, s.Overdue)
				})
			})
			t.Run("the "+string(ds.kind)+" deadline on "+p.ID+" missed writes one deviation, and a late step clears overdue", func(t *testing.T) {
				pt := newProcessTest(t, p)
				ds.setup(pt)
				due := dueAt(t, p, ds.kind, ds.start)
				pt.at(offset(due)-time.Minute, func(s CaseState) {
					require.Equal(t, DeadlineOpen, deadlineOf(s, ds.kind).Status)
					require.Empty(t, s.Deviations)
				})
				pt.at(offset(due)+time.Minute, func(s CaseState) {
					d := deadlineOf(s, ds.kind)
					require.Equal(t, DeadlineMissed, d.Status)
					require.Nil(t, d.DoneAt)
					// The timer fires just after the last nanosecond that counts.
					require.True(t, due.Add(time.Millisecond).Equal(*d.SettledAt), "settled %s", d.SettledAt)
					require.Len(t, s.Deviations, 1)
					dev := s.Deviations[0]
					require.Equal(t, DeviationMissedDeadline, dev.Kind)
					require.Equal(t, ds.kind, dev.DeadlineKind)
					require.Equal(t, schoolUnit, dev.UnitID, "the deviation goes to the named person's unit")
					require.True(t, due.Equal(dev.OccurredAt))
					require.Nil(t, dev.WithdrawnAt)
					require.True(t, s.Overdue)
					last := pt.projections[len(pt.projections)-1]
					require.True(t, last.Overdue, "the read model does not show the case overdue")
				})
				late := ds.step(pt, offset(due)+time.Hour, offset(due)+time.Hour)
				pt.run(offset(due)+2*time.Hour, func(s CaseState) {
					requireAccepted(t, late)
					d := deadlineOf(s, ds.kind)
					require.Equal(t, DeadlineMissed, d.Status, "a late step does not turn a missed deadline into a met one")
					require.True(t, due.Add(time.Hour).Equal(*d.DoneAt))
					require.Len(t, s.Deviations, 1)
					require.False(t, s.Overdue, "the late step is done: the case is no longer overdue")
				})
			})
		}
	}
}

func TestDeadlineRules(t *testing.T) {
	t.Run("on Norrbus the summons falls due 5 and the meeting 10 working days after consent, over Christmas", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		pt.run(tConsent+time.Hour, func(s CaseState) {
			end := func(y int, m time.Month, d int) time.Time {
				return time.Date(y, m, d, 23, 59, 59, 999999999, casework.Stockholm)
			}
			require.True(t, end(2026, 12, 29).Equal(deadlineOf(s, casework.DeadlineSummons).DueAt))
			require.True(t, end(2027, 1, 8).Equal(deadlineOf(s, casework.DeadlineMeeting).DueAt))
			require.Nil(t, deadlineOf(s, casework.DeadlineAcuteMeeting))
		})
	})
	t.Run("an acute case gets the acute meeting deadline of one working day instead of the meeting deadline", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(true)
		pt.run(tConsent+time.Hour, func(s CaseState) {
			acute := deadlineOf(s, casework.DeadlineAcuteMeeting)
			require.NotNil(t, acute)
			require.Equal(t, "1 arbetsdagar", acute.Rule)
			require.True(t, time.Date(2026, 12, 21, 23, 59, 59, 999999999, casework.Stockholm).Equal(acute.DueAt))
			require.Nil(t, deadlineOf(s, casework.DeadlineMeeting))
			require.NotNil(t, deadlineOf(s, casework.DeadlineSummons))
		})
	})
}

func TestBackdatedSteps(t *testing.T) {
	p := casework.Norrbus()
	due := dueAt(t, p, casework.DeadlineAcknowledge, tConcern)
	t.Run("a step entered after its timer marked the deadline missed but done before the due instant meets it", func(t *testing.T) {
		pt := newProcessTest(t, p)
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		pt.at(offset(due)+time.Minute, func(s CaseState) {
			require.Equal(t, DeadlineMissed, s.Deadlines[0].Status)
			require.True(t, s.Overdue)
		})
		ack := pt.send(offset(due)+time.Hour, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, offset(due)-time.Hour)})
		pt.run(offset(due)+2*time.Hour, func(s CaseState) {
			requireAccepted(t, ack)
			d := s.Deadlines[0]
			require.Equal(t, DeadlineMet, d.Status, "deadlines count from business times")
			require.True(t, due.Add(-time.Hour).Equal(*d.DoneAt))
			require.False(t, s.Overdue)
			require.Len(t, s.Deviations, 1, "the deviation already written stays in the case file")
			require.NotNil(t, s.Deviations[0].WithdrawnAt, "but it is withdrawn: the deadline did not pass")
			require.True(t, due.Add(time.Hour).Equal(*s.Deviations[0].WithdrawnAt))
		})
	})
	t.Run("a step entered after the due instant but before the timer fired, done in time, is met without a deviation", func(t *testing.T) {
		pt := newProcessTest(t, p)
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		ack := pt.send(offset(due)+time.Millisecond/2, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, offset(due)-time.Hour)})
		pt.run(offset(due)+time.Hour, func(s CaseState) {
			requireAccepted(t, ack)
			require.Equal(t, DeadlineMet, s.Deadlines[0].Status)
			require.Empty(t, s.Deviations)
			require.False(t, s.Overdue)
		})
	})
	t.Run("a step done after the due instant and entered before the timer fired is missed with one deviation", func(t *testing.T) {
		pt := newProcessTest(t, p)
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		at := offset(due) + time.Millisecond/2
		ack := pt.send(at, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, at)})
		pt.run(offset(due)+time.Hour, func(s CaseState) {
			requireAccepted(t, ack)
			require.Equal(t, DeadlineMissed, s.Deadlines[0].Status)
			require.NotNil(t, s.Deadlines[0].DoneAt)
			require.Len(t, s.Deviations, 1, "the cancelled timer writes no second deviation")
			require.Nil(t, s.Deviations[0].WithdrawnAt)
			require.False(t, s.Overdue)
		})
	})
	t.Run("consent backdated past the summons and meeting deadlines misses both at once", func(t *testing.T) {
		pt := newProcessTest(t, p)
		opened := -30 * 24 * time.Hour
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(opened)))
		pt.must(tAck, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, opened+time.Hour)})
		pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, opened+2*time.Hour)))
		pt.must(tComplete, UpdateCompleteAssessment, collaboration(on(namedPerson, opened+3*time.Hour), false))
		consented := -20 * 24 * time.Hour
		pt.must(tConsent, UpdateRecordConsent, guardianConsent(on(namedPerson, consented), guardianOne, CustodyJoint, socUnit))
		pt.must(tConsent+time.Second, UpdateRecordConsent, guardianConsent(on(namedPerson, consented), guardianTwo, "", socUnit))
		pt.must(tConsent+2*time.Second, UpdateRecordConsent, childConsent(on(namedPerson, consented), socUnit))
		pt.run(tConsent+time.Minute, func(s CaseState) {
			ack := deadlineOf(s, casework.DeadlineAcknowledge)
			require.Equal(t, DeadlineMet, ack.Status, "the backdated acknowledgement was in time")
			for _, kind := range []casework.DeadlineKind{casework.DeadlineSummons, casework.DeadlineMeeting} {
				d := deadlineOf(s, kind)
				require.Equal(t, DeadlineMissed, d.Status, "%s", kind)
				require.True(t, friday.Add(tConsent+2*time.Second).Equal(*d.SettledAt), "%s is missed the moment it starts", kind)
			}
			var open []casework.DeadlineKind
			for _, d := range s.Deviations {
				if d.WithdrawnAt == nil {
					open = append(open, d.DeadlineKind)
				}
			}
			require.Equal(t, []casework.DeadlineKind{casework.DeadlineSummons, casework.DeadlineMeeting}, open)
			require.True(t, s.Overdue)
		})
	})
}
