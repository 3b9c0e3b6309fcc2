package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// Closing the case (docs/process.md §6.6, §7.2): by the assessor or the coordinator, with a reason; a
// completed assessment for the own organisation without follow-up and a follow-up that ends the plan
// close it too. A closed case stays reopenable for the policy's period (case_reopening.go).

// mayClose: the assessor or the coordinator closes the case.
func (s *CaseState) mayClose(by Actor) error {
	if !s.isAssessor(by) && !s.isCoordinator(by) {
		return forbidden("bara barnets bästa-ansvarig eller samordnaren kan avsluta ärendet")
	}
	return nil
}

func (c *caseRun) validateClose(in CloseCase, _ time.Time) error {
	if err := c.state.mayClose(in.By); err != nil {
		return err
	}
	if !slices.Contains(CloseReasons, in.Reason) {
		return invalid("reason", "okänd anledning")
	}
	return nil
}

func (c *caseRun) applyClose(ctx workflow.Context, in CloseCase) {
	c.close(ctx, ClosedRecord{Recorded: c.recorded(ctx, in.Command), Reason: in.Reason, Note: in.Note})
}

// close ends the case: open deadlines are cancelled, and the workflow completes once the read model
// has seen it, so a later concern about the child starts a new case.
func (c *caseRun) close(ctx workflow.Context, rec ClosedRecord) {
	rec.PhaseBefore = c.state.Phase
	c.state.Closed = &rec
	c.state.Phase = casework.PhaseClosed
	for i := range c.state.Deadlines {
		if c.state.Deadlines[i].Status == DeadlineOpen {
			c.cancelDeadlineAt(ctx, i)
		}
	}
	c.cancelAllEscalations()
	c.recomputeOverdue()
	c.openReopenWindow(ctx, rec.OccurredAt)
}
