package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Reopening (docs/process.md §7.2): a closed case stays reopenable for the policy's period after its
// closing (case_closing.go); a new concern in that period (case_handlers.go) or ReopenCase takes it
// back, and the named person takes it again.

// reopenWindowVersion keeps a closed case's workflow for the policy's reopening period. Cases closed
// before it completed at once.
const reopenWindowVersion = "reopen-window"

// pendingReopening is the reopening the named person has not yet taken, if any.
func (s *CaseState) pendingReopening() *ReopenRecord {
	if n := len(s.Reopenings); n > 0 && s.Reopenings[n-1].Acknowledged == nil && s.Phase != casework.PhaseClosed {
		return &s.Reopenings[n-1]
	}
	return nil
}

// openReopenWindow keeps the closed case reopenable for the policy's period after the closing.
func (c *caseRun) openReopenWindow(ctx workflow.Context, closedAt time.Time) {
	days, within := c.state.Policy.ReopenWithinDays, c.state.Policy.ReopenWithin
	if (days <= 0 && within == nil) || workflow.GetVersion(ctx, reopenWindowVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		c.state.ReopenUntil = nil
		return
	}
	local := closedAt.In(casework.Stockholm)
	until := time.Date(local.Year(), local.Month(), local.Day()+days+1, 0, 0, 0, 0, casework.Stockholm)
	if within != nil {
		// A period in clock time (a test policy's seconds); no policy of an agreement has one.
		until = closedAt.Add(time.Duration(*within))
	}
	c.state.ReopenUntil = &until
	c.reopenWindowOver = false
	c.startReopenTimer(ctx)
}

func (c *caseRun) startReopenTimer(ctx workflow.Context) {
	timerCtx, cancel := workflow.WithCancel(ctx)
	c.cancelReopenWindow = cancel
	until := *c.state.ReopenUntil
	workflow.Go(timerCtx, func(gctx workflow.Context) {
		if wait := until.Sub(workflow.Now(gctx)); wait > 0 {
			if err := workflow.Sleep(gctx, wait); err != nil {
				return // reopened
			}
		}
		c.reopenWindowOver = true
	})
}

// restartReopenWindow gives a closed case carried into a new run its reopening timer again.
func (c *caseRun) restartReopenWindow(ctx workflow.Context) {
	if c.state.Phase == casework.PhaseClosed && c.state.ReopenUntil != nil {
		c.startReopenTimer(ctx)
	}
}

func (s *CaseState) reopenable(now time.Time) bool {
	return s.Phase == casework.PhaseClosed && s.ReopenUntil != nil && now.Before(*s.ReopenUntil)
}

// mayReopen: the named person or the coordinator reopens a closed case within the policy's period.
func (s *CaseState) mayReopen(by Actor, now time.Time) error {
	switch {
	case !s.reopenable(now):
		return conflict("ärendet kan bara öppnas igen inom %d dagar efter att det avslutats", s.Policy.ReopenWithinDays)
	case !s.isNamedPerson(by) && !s.isCoordinator(by):
		return forbidden("bara barnets bästa-ansvarig eller samordnaren öppnar ärendet igen")
	}
	return nil
}

func (c *caseRun) validateReopen(in ReopenCase, now time.Time) error {
	if err := c.state.mayReopen(in.By, now); err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return invalid("reason", "ange varför ärendet öppnas igen")
	}
	return nil
}

func (c *caseRun) applyReopen(ctx workflow.Context, in ReopenCase) {
	c.reopen(ctx, c.recorded(ctx, in.Command), in.Reason, "")
}

// reopen takes the closed case back to the phase it was closed in – kartlägga at the latest, so an
// assessment can be completed anew – and the named person must take it again within the policy's
// deadline.
func (c *caseRun) reopen(ctx workflow.Context, rec Recorded, reason, concernID string) {
	closing := *c.state.Closed
	c.state.Reopenings = append(c.state.Reopenings, ReopenRecord{Recorded: rec, Closing: closing, Reason: reason, ConcernID: concernID})
	c.state.Closed = nil
	c.state.ReopenUntil = nil
	if c.cancelReopenWindow != nil {
		c.cancelReopenWindow()
	}
	phase := closing.PhaseBefore
	if phase == "" || phase == casework.PhaseUpptacka {
		phase = casework.PhaseKartlagga
	}
	c.state.Phase = phase
	if a := c.state.Assessment; phase == casework.PhaseKartlagga && a != nil {
		// The assessment is taken up again where it stood; its earlier outcome led to the closing.
		a.Completed, a.Outcome = nil, ""
	}
	c.openDeadline(ctx, casework.DeadlineAcknowledge, rec.OccurredAt)
	c.restartEscalations(ctx)
	c.recomputeOverdue()
	c.notice(ctx, NoticeCaseReopened, "Ärendet har öppnats igen. Barnets bästa-ansvarig ska ta emot det på nytt.")
	if c.state.NamedPersonUnit != nil {
		c.notifyLater(ctx, activities.NotifyRequest{
			Key:        fmt.Sprintf("%s/reopened/%d", c.workflowID, len(c.state.Reopenings)),
			Kind:       activities.NotifyCaseReopened,
			Subject:    fmt.Sprintf("Ärende %s har öppnats igen", c.state.CaseID),
			Text:       fmt.Sprintf("Ärende %s har öppnats igen. Ta emot ärendet i samverkan.", c.state.CaseID),
			Recipients: []casework.Assignee{{UnitID: c.state.NamedPersonUnit.ID, Role: casework.RoleNamedPerson}},
		})
	}
}
