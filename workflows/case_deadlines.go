package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// openDeadline starts a deadline of the case's policy version, counted from the business time start
// (docs/process.md §7). A deadline already passed when it is recorded is missed at once.
func (c *caseRun) openDeadline(ctx workflow.Context, kind casework.DeadlineKind, start time.Time) {
	rule, ok := c.state.Policy.Deadline(kind)
	if !ok {
		return
	}
	due, _ := c.state.Policy.DueAt(kind, start)
	c.addDeadline(ctx, Deadline{Kind: kind, StartedAt: start, DueAt: due, Rule: rule.String(), Status: DeadlineOpen})
}

// addDeadline records an open deadline and starts its timer.
func (c *caseRun) addDeadline(ctx workflow.Context, d Deadline) {
	c.state.Deadlines = append(c.state.Deadlines, d)
	c.startTimer(ctx, len(c.state.Deadlines)-1)
}

// openBookedDeadline starts a deadline on a date somebody booked rather than one a policy rule counts:
// the booked follow-up (docs/process.md §6.6) is held in time on any moment of its local day.
func (c *caseRun) openBookedDeadline(ctx workflow.Context, kind casework.DeadlineKind, start, booked time.Time) {
	local := booked.In(casework.Stockholm)
	due := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, casework.Stockholm).Add(-time.Nanosecond)
	c.addDeadline(ctx, Deadline{Kind: kind, StartedAt: start, DueAt: due, Rule: "bokat datum " + local.Format(time.DateOnly), Status: DeadlineOpen})
}

// restartOpenDeadlines gives every open deadline carried over from the previous run its timer again.
func (c *caseRun) restartOpenDeadlines(ctx workflow.Context) {
	for i, d := range c.state.Deadlines {
		if d.Status == DeadlineOpen {
			c.startTimer(ctx, i)
		}
	}
}

// startTimer runs one cancellable durable timer for deadline i. It fires just after the due instant,
// so a deadline is never early, and re-checks the deadline before acting: it may have been met or
// cancelled while the timer slept.
func (c *caseRun) startTimer(ctx workflow.Context, i int) {
	timerCtx, cancel := workflow.WithCancel(ctx)
	c.timers[i] = cancel
	c.planReminders(timerCtx, i)
	due := c.state.Deadlines[i].DueAt
	workflow.Go(timerCtx, func(gctx workflow.Context) {
		if wait := due.Sub(workflow.Now(gctx)) + time.Millisecond; wait > 0 {
			if err := workflow.NewTimer(gctx, wait).Get(gctx, nil); err != nil {
				return // cancelled: the deadline was settled
			}
		}
		c.deadlinePassed(gctx, i)
	})
}

// deadlinePassed marks a deadline missed, writes the automatic deviation (docs/process.md §9) and marks
// the case overdue. The case keeps going.
func (c *caseRun) deadlinePassed(ctx workflow.Context, i int) {
	d := &c.state.Deadlines[i]
	if d.Status != DeadlineOpen {
		return
	}
	now := workflow.Now(ctx)
	d.Status, d.SettledAt = DeadlineMissed, &now
	delete(c.timers, i)
	unit := c.responsibleUnit(d.Kind)
	c.addDeviation(Deviation{
		Kind:         DeviationMissedDeadline,
		DeadlineKind: d.Kind,
		UnitID:       unit,
		Description:  fmt.Sprintf("Tidsgränsen %s (%s) passerades %s.", d.Kind.Purpose(), d.Rule, d.DueAt.In(casework.Stockholm).Format("2006-01-02 15:04")),
		OccurredAt:   d.DueAt,
		RecordedAt:   now,
	})
	c.state.Overdue = true
	c.recordEvent(ctx, CaseEvent{Kind: EventDeadlineMissed, OccurredAt: d.DueAt, Deadline: &DeadlineEvent{Kind: d.Kind, Rule: d.Rule, DueAt: d.DueAt}})
	c.mailMissedDeadline(ctx, i, unit)
	c.changed()
}

// settleDeadline records that the step of an open or missed deadline of kind was done at the
// business time at. Done after the due instant is late: a deadline not yet marked missed (its timer
// may not have fired) is marked missed first, with its deviation.
//
// Deadlines count from business times (docs/process.md §7), so the verdict depends only on when the step
// was done, never on when it was entered or whether the timer had fired by then (a worker outage at
// the due instant must not change it). A step done in time but entered after the timer marked the
// deadline missed therefore meets it: the deadline becomes met, and its automatic deviation is
// withdrawn rather than deleted, since the supervisor may already have seen it.
func (c *caseRun) settleDeadline(ctx workflow.Context, kind casework.DeadlineKind, at time.Time) {
	for i := range c.state.Deadlines {
		d := &c.state.Deadlines[i]
		if d.Kind != kind || d.DoneAt != nil || d.Status == DeadlineCancelled {
			continue
		}
		if d.Status == DeadlineOpen && casework.Missed(d.DueAt, at) {
			c.deadlinePassed(ctx, i)
		}
		if cancel, ok := c.timers[i]; ok {
			cancel()
			delete(c.timers, i)
		}
		done := at
		d.DoneAt = &done
		if d.Status == DeadlineOpen || !casework.Missed(d.DueAt, at) {
			if d.Status == DeadlineMissed {
				c.withdrawDeviation(ctx, d.Kind, d.DueAt)
			}
			now := workflow.Now(ctx)
			d.Status, d.SettledAt = DeadlineMet, &now
		}
	}
	c.recomputeOverdue()
}

// withdrawDeviation withdraws the automatic deviation written when the deadline of kind due at due
// was taken for missed.
func (c *caseRun) withdrawDeviation(ctx workflow.Context, kind casework.DeadlineKind, due time.Time) {
	now := workflow.Now(ctx)
	for i := range c.state.Deviations {
		dev := &c.state.Deviations[i]
		if dev.Kind == DeviationMissedDeadline && dev.DeadlineKind == kind && dev.OccurredAt.Equal(due) && dev.WithdrawnAt == nil {
			dev.WithdrawnAt = &now
		}
	}
}

// cancelDeadline cancels the open deadlines of kind: their step is no longer due (consent revoked,
// case closed).
func (c *caseRun) cancelDeadline(ctx workflow.Context, kind casework.DeadlineKind) {
	for i := range c.state.Deadlines {
		if c.state.Deadlines[i].Kind == kind && c.state.Deadlines[i].Status == DeadlineOpen {
			c.cancelDeadlineAt(ctx, i)
		}
	}
	c.recomputeOverdue()
}

func (c *caseRun) cancelDeadlineAt(ctx workflow.Context, i int) {
	if cancel, ok := c.timers[i]; ok {
		cancel()
		delete(c.timers, i)
	}
	now := workflow.Now(ctx)
	c.state.Deadlines[i].Status, c.state.Deadlines[i].SettledAt = DeadlineCancelled, &now
}

// recomputeOverdue: the case is overdue while a missed deadline's step is still due and not done. A
// closed case owes nothing, and after a whole revocation of consent no summons or meeting is due.
func (c *caseRun) recomputeOverdue() {
	c.state.Overdue = false
	if c.state.Phase == casework.PhaseClosed {
		return
	}
	for _, d := range c.state.Deadlines {
		waived := c.state.ConsentStatus == ConsentRevoked && consentDeadline(d.Kind)
		if d.Status == DeadlineMissed && d.DoneAt == nil && !waived {
			c.state.Overdue = true
		}
	}
}

func consentDeadline(kind casework.DeadlineKind) bool {
	return kind == casework.DeadlineSummons || kind == casework.DeadlineMeeting || kind == casework.DeadlineAcuteMeeting
}
