package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// kartlägga (docs/process.md §6.2): per area what is seen and how serious, the child's own view, the five
// questions, the partners; then the outcome.

func (c *caseRun) validateAssessment(in RecordAssessment, _ time.Time) error {
	if err := c.state.mayAssess(in.By); err != nil {
		return err
	}
	seen := map[casework.WheelArea]bool{}
	for i, a := range in.Areas {
		switch {
		case !a.Area.Valid():
			return invalid(fmt.Sprintf("areas[%d].area", i), "okänt område")
		case seen[a.Area]:
			return invalid(fmt.Sprintf("areas[%d].area", i), "%s står redan med", a.Area)
		case !validLevel(a.Level):
			return invalid(fmt.Sprintf("areas[%d].level", i), "ska vara ingen, låg, måttlig eller hög")
		}
		seen[a.Area] = true
	}
	return nil
}

// mayAssess: the assessor records the assessment while the case is in kartlägga.
func (s *CaseState) mayAssess(a Actor) error {
	switch {
	case s.Phase != casework.PhaseKartlagga:
		return conflict("ärendet är inte i kartläggning (fas: %s)", s.Phase)
	case !s.isAssessor(a):
		return forbidden("bara barnets bästa-ansvarig eller den som fått kartläggningen delegerad kan kartlägga")
	}
	return nil
}

func validLevel(l ConcernLevel) bool {
	for _, x := range ConcernLevels {
		if l == x {
			return true
		}
	}
	return false
}

func (c *caseRun) applyAssessment(ctx workflow.Context, in RecordAssessment) {
	c.state.Assessment = &AssessmentRecord{Recorded: c.recorded(ctx, in.Command), Areas: in.Areas,
		ChildView: in.ChildView, FiveQuestions: in.FiveQuestions, Partners: in.Partners}
}

// mayCompleteAssessment: the assessor completes an assessment that has its areas, the child's own
// view (or why it could not be had) and the five questions answered (docs/process.md §6.2).
func (s *CaseState) mayCompleteAssessment(by Actor) error {
	if err := s.mayAssess(by); err != nil {
		return err
	}
	a := s.Assessment
	switch {
	case a == nil || len(a.Areas) == 0:
		return conflict("kartläggningen saknar områden: registrera den först")
	case strings.TrimSpace(a.ChildView.View) == "" && strings.TrimSpace(a.ChildView.NotObtainedReason) == "":
		return conflict("barnets egen syn saknas: registrera den, eller varför den inte gick att få")
	case !a.FiveQuestions.answered():
		return conflict("de fem frågorna är inte besvarade")
	}
	return nil
}

func (c *caseRun) validateComplete(in CompleteAssessment, _ time.Time) error {
	if err := c.state.mayCompleteAssessment(in.By); err != nil {
		return err
	}
	switch in.Outcome {
	case OutcomeOwnOrganisation:
		return nil
	case OutcomeCollaboration:
		if len(in.ProposedAgencies) == 0 {
			return invalid("proposedAgencies", "ange vilka verksamheter som behövs")
		}
		for i, u := range in.ProposedAgencies {
			if u.ID == "" {
				return invalid(fmt.Sprintf("proposedAgencies[%d].id", i), "saknas")
			}
		}
		if len(in.RelevantAreas) == 0 {
			return invalid("relevantAreas", "ange vilka områden samverkan gäller")
		}
		for i, area := range in.RelevantAreas {
			if !area.Valid() {
				return invalid(fmt.Sprintf("relevantAreas[%d]", i), "okänt område")
			}
		}
		return nil
	}
	return invalid("outcome", "ska vara own_organisation eller collaboration")
}

func (f FiveQuestions) answered() bool {
	for _, s := range []string{f.HaveAllInformation, f.Obstacles, f.WhatICanDo, f.WhatOrgCanDo, f.HelpNeeded} {
		if strings.TrimSpace(s) == "" {
			return false
		}
	}
	return true
}

func (c *caseRun) applyComplete(ctx workflow.Context, in CompleteAssessment) {
	rec := c.recorded(ctx, in.Command)
	a := c.state.Assessment
	a.Completed, a.Outcome, a.OwnFollowUp = &rec, in.Outcome, in.OwnFollowUp
	a.ProposedAgencies, a.RelevantAreas, a.Acute = in.ProposedAgencies, in.RelevantAreas, in.Acute
	switch {
	case in.Outcome == OutcomeCollaboration:
		c.state.Phase = casework.PhaseSamarbeta
		c.state.ConsentStatus = ConsentPending
	case in.OwnFollowUp:
		c.state.Phase = casework.PhaseUppfoljning
	default:
		c.close(ctx, ClosedRecord{Recorded: rec, Reason: CloseOwnOrganisation})
	}
}
