package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// upptäcka (DOMAIN.md §6.1, §8): the named person takes the case, may delegate the assessment, and
// anyone with access records whether a report to social services was made.

func (c *caseRun) validateAcknowledge(_ workflow.Context, in AcknowledgeConcern) error {
	switch {
	case c.state.Acknowledged != nil && c.state.PendingHandover() == nil && c.state.pendingReopening() == nil:
		return conflict("ärendet är redan mottaget")
	case !c.isNamedPerson(in.By):
		return forbidden("bara barnets bästa-ansvarig på %s kan ta emot ärendet", c.state.NamedPersonUnit.Name)
	}
	return nil
}

// applyAcknowledge: the named person takes the new case – or the case handed over to the unit, or
// reopened – which goes on in the phase it is in.
func (c *caseRun) applyAcknowledge(ctx workflow.Context, in AcknowledgeConcern) {
	rec := c.recorded(ctx, in.Command)
	handover, reopening := c.state.PendingHandover(), c.state.pendingReopening()
	if handover != nil || reopening != nil {
		if handover != nil {
			handover.Acknowledged = &rec
		}
		if reopening != nil {
			reopening.Acknowledged = &rec
		}
		if c.state.Assessor == "" {
			c.state.Assessor = in.By.User
		}
		c.settleDeadline(ctx, casework.DeadlineAcknowledge, in.OccurredAt)
		return
	}
	c.state.Acknowledged = &rec
	c.state.Assessor = in.By.User
	c.settleDeadline(ctx, casework.DeadlineAcknowledge, in.OccurredAt)
	c.state.Phase = casework.PhaseKartlagga
}

func (c *caseRun) validateDelegate(_ workflow.Context, in DelegateAssessment) error {
	switch {
	case !c.isNamedPerson(in.By):
		return forbidden("bara barnets bästa-ansvarig kan delegera kartläggningen")
	case c.state.Acknowledged == nil:
		return conflict("ärendet måste tas emot innan kartläggningen delegeras")
	case c.state.Assessment != nil && c.state.Assessment.Completed != nil:
		return conflict("kartläggningen är redan avslutad")
	case in.To == "":
		return invalid("to", "ange kollegan som ska kartlägga")
	}
	return nil
}

func (c *caseRun) applyDelegate(ctx workflow.Context, in DelegateAssessment) {
	c.state.Assessor = in.To
	c.state.Delegation = &DelegationRecord{Recorded: c.recorded(ctx, in.Command), To: in.To, ToName: in.ToName}
}

func (c *caseRun) validateHarmReport(ctx workflow.Context, in RecordHarmReport) error {
	switch {
	case in.Reported && in.ReportedAt == nil:
		return invalid("reportedAt", "ange när anmälan gjordes")
	case in.Reported && in.ReportedAt.After(workflow.Now(ctx).Add(clockSkew)):
		return invalid("reportedAt", "ligger i framtiden")
	case !in.Reported && in.Reason == "":
		return invalid("reason", "ange varför ingen anmälan gjordes")
	}
	return nil
}

func (c *caseRun) applyHarmReport(ctx workflow.Context, in RecordHarmReport) {
	c.state.HarmReport = &HarmReportRecord{Recorded: c.recorded(ctx, in.Command), Reported: in.Reported, ReportedAt: in.ReportedAt, Reason: in.Reason}
}

// HarmReportMissing: someone suspects the child is harmed and nobody has yet recorded whether a
// report to social services was made. The case says so plainly until then (DOMAIN.md §8).
func (s *CaseState) HarmReportMissing() bool { return s.SuspectsHarm && s.HarmReport == nil }
