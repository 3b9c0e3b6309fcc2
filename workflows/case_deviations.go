package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Deviations (avvikelser, docs/process.md §9): written by the workflow when a deadline passes, or reported
// by anyone with a part in the case; each goes to the supervisor of the responsible unit, who records
// the handling. Open deviations are shown on the case and are the supervisor's task until handled.

// addDeviation gives the deviation its ID and records it.
func (c *caseRun) addDeviation(d Deviation) *Deviation {
	d.ID = fmt.Sprintf("avv-%d", len(c.state.Deviations)+1)
	c.state.Deviations = append(c.state.Deviations, d)
	return &c.state.Deviations[len(c.state.Deviations)-1]
}

// numberDeviations gives deviations recorded before they had IDs theirs, by the same rule.
func (s *CaseState) numberDeviations() {
	for i := range s.Deviations {
		if s.Deviations[i].ID == "" {
			s.Deviations[i].ID = fmt.Sprintf("avv-%d", i+1)
		}
	}
}

func (s *CaseState) deviation(id string) *Deviation {
	for i := range s.Deviations {
		if s.Deviations[i].ID == id {
			return &s.Deviations[i]
		}
	}
	return nil
}

// responsibleUnit is the unit whose routine a deadline of kind is: the named person's for the steps up
// to the meeting, the coordinator's for the follow-up, and social services' – who decided the
// placement – for the cost distribution (docs/process.md §11).
func (c *caseRun) responsibleUnit(kind casework.DeadlineKind) string {
	switch {
	case kind == casework.DeadlineFollowUp && c.state.Coordinator != nil:
		return c.state.Coordinator.Coordinator.UnitID
	case kind == casework.DeadlineCostDistribution && c.state.Placement != nil:
		return c.state.Placement.By.Unit
	case c.state.NamedPersonUnit != nil:
		return c.state.NamedPersonUnit.ID
	}
	return ""
}

// hasPart: the actor acts for a unit that takes part in the case, or is its assessor or coordinator.
func (s *CaseState) hasPart(a Actor) bool {
	return s.isAssessor(a) || s.isCoordinator(a) || s.unitTakesPart(a.Unit)
}

// unitInCase: the unit has a part in the case – the named person's, an active participant's, the
// coordinator's or plan owner's – so a deviation about it reaches a supervisor who sees the case.
func (s *CaseState) unitInCase(id string) bool {
	if s.unitTakesPart(id) {
		return true
	}
	if co := s.Coordinator; co != nil {
		return co.Coordinator.UnitID == id || co.PlanOwner != nil && co.PlanOwner.UnitID == id
	}
	return false
}

// mayReportDeviation: anyone with a part in the case reports a deviation about a unit of it.
func (s *CaseState) mayReportDeviation(by Actor) error {
	if !s.hasPart(by) {
		return forbidden("bara den som har en del i ärendet kan skriva en avvikelse här")
	}
	return nil
}

func (c *caseRun) validateReportDeviation(in ReportDeviation, _ time.Time) error {
	if err := c.state.mayReportDeviation(in.By); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(in.Description) == "":
		return invalid("description", "beskriv vilken rutin som inte följdes")
	case !c.state.unitInCase(in.UnitID):
		return invalid("unitId", "%s har ingen del i ärendet", in.UnitID)
	}
	return nil
}

func (c *caseRun) applyReportDeviation(ctx workflow.Context, in ReportDeviation) {
	by := in.By
	d := c.addDeviation(Deviation{Kind: DeviationReported, UnitID: in.UnitID, Description: in.Description,
		OccurredAt: in.OccurredAt, RecordedAt: workflow.Now(ctx), ReportedBy: &by})
	c.notifyLater(ctx, activities.NotifyRequest{
		Key:        c.workflowID + "/deviation/" + d.ID,
		Kind:       activities.NotifyDeviationReported,
		Subject:    fmt.Sprintf("Avvikelse i ärende %s", c.state.CaseID),
		Text:       fmt.Sprintf("En avvikelse (%s) har skrivits i ärende %s för din enhet. Registrera hanteringen i ärendet.", d.ID, c.state.CaseID),
		Recipients: []casework.Assignee{{UnitID: in.UnitID, Role: casework.RoleSupervisor}},
	})
}

// mayHandleDeviation: the supervisor of the deviation's unit records its handling, once, unless the
// deviation was withdrawn.
func (s *CaseState) mayHandleDeviation(by Actor, id string) error {
	d := s.deviation(id)
	switch {
	case d == nil:
		return invalid("deviationId", "avvikelsen %s finns inte i ärendet", id)
	case by.Role != casework.RoleSupervisor || by.Unit != d.UnitID:
		return forbidden("avvikelsen hanteras av chefen för den ansvariga enheten")
	case d.WithdrawnAt != nil:
		return conflict("avvikelsen är återkallad: tidsgränsen hölls")
	case d.Handled != nil:
		return conflict("avvikelsen är redan hanterad")
	}
	return nil
}

func (c *caseRun) validateHandleDeviation(in HandleDeviation, _ time.Time) error {
	if err := c.state.mayHandleDeviation(in.By, in.DeviationID); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(in.Handling) == "":
		return invalid("handling", "beskriv hanteringen")
	}
	return nil
}

func (c *caseRun) applyHandleDeviation(ctx workflow.Context, in HandleDeviation) {
	c.state.deviation(in.DeviationID).Handled = &DeviationHandling{Recorded: c.recorded(ctx, in.Command), Handling: in.Handling}
}
