package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// upptäcka (docs/process.md §6.1, §8): the named person takes the case, may delegate the assessment, and
// anyone with access records whether a report to social services was made.

// mayAcknowledge: the named person takes a case not yet taken – a new one, or one handed over to
// the unit or reopened.
func (s *CaseState) mayAcknowledge(a Actor) error {
	switch {
	case s.Acknowledged != nil && s.PendingHandover() == nil && s.pendingReopening() == nil:
		return conflict("ärendet är redan mottaget")
	case !s.isNamedPerson(a):
		return forbidden("bara barnets bästa-ansvarig på %s kan ta emot ärendet", s.NamedPersonUnit.Name)
	}
	return nil
}

func (c *caseRun) validateAcknowledge(in AcknowledgeConcern, _ time.Time) error {
	return c.state.mayAcknowledge(in.By)
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

// mayDelegate: the named person hands the assessment to a colleague, between taking the case and
// completing the assessment.
func (s *CaseState) mayDelegate(a Actor) error {
	switch {
	case !s.isNamedPerson(a):
		return forbidden("bara barnets bästa-ansvarig kan delegera kartläggningen")
	case s.Acknowledged == nil:
		return conflict("ärendet måste tas emot innan kartläggningen delegeras")
	case s.Assessment != nil && s.Assessment.Completed != nil:
		return conflict("kartläggningen är redan avslutad")
	}
	return nil
}

func (c *caseRun) validateDelegate(in DelegateAssessment, _ time.Time) error {
	if err := c.state.mayDelegate(in.By); err != nil {
		return err
	}
	if in.To == "" {
		return invalid("to", "ange kollegan som ska kartlägga")
	}
	return nil
}

func (c *caseRun) applyDelegate(ctx workflow.Context, in DelegateAssessment) {
	c.state.Assessor = in.To
	c.state.Delegation = &DelegationRecord{Recorded: c.recorded(ctx, in.Command), To: in.To, ToName: in.ToName}
}

// The report to social services has no precondition of its own: anyone the API lets send it – the
// staff with a part in the case and its reporters – may record it, again too (docs/process.md §8).
func (c *caseRun) validateHarmReport(in RecordHarmReport, now time.Time) error {
	switch {
	case in.Reported && in.ReportedAt == nil:
		return invalid("reportedAt", "ange när anmälan gjordes")
	case in.Reported && in.ReportedAt.After(now.Add(clockSkew)):
		return invalid("reportedAt", "ligger i framtiden")
	case !in.Reported && in.Reason == "":
		return invalid("reason", "ange varför ingen anmälan gjordes")
	}
	return nil
}

func (c *caseRun) applyHarmReport(ctx workflow.Context, in RecordHarmReport) {
	c.state.HarmReport = &HarmReportRecord{Recorded: c.recorded(ctx, in.Command), Reported: in.Reported, ReportedAt: in.ReportedAt, Reason: in.Reason}
}

// HarmReportMissing: someone suspects the child is harmed and nobody has recorded whether a report
// to social services was made since. The case says so plainly until then (docs/process.md §8). A
// suspicion reported after the last answer asks again: each professional's duty to report is their
// own (SoL 14 kap. 1 §), and an earlier report does not answer a later observation.
func (s *CaseState) HarmReportMissing() bool { return len(s.unansweredHarmConcerns()) > 0 }

// unansweredHarmConcerns are the concerns that suspect harm and came after the last recorded answer
// on the report to social services (all of them while there is none).
func (s *CaseState) unansweredHarmConcerns() []Concern {
	var out []Concern
	for _, c := range s.Concerns {
		if c.SuspectsHarm && (s.HarmReport == nil || c.RecordedAt.After(s.HarmReport.RecordedAt)) {
			out = append(out, c)
		}
	}
	return out
}
