package cases

import (
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// kartlägga (docs/process.md §6.2): the assessment, saved as often as needed, then completed with its
// outcome. Whether it is complete enough to complete (areas, the child's view, the five questions)
// is the workflow's rule.

// assessmentRequest is the body of PUT /cases/{caseId}/assessment: the whole assessment so far,
// replacing what was saved before.
type assessmentRequest struct {
	commandBase
	Areas         []workflows.AreaAssessment `json:"areas"`
	ChildView     workflows.ChildView        `json:"childView"`
	FiveQuestions workflows.FiveQuestions    `json:"fiveQuestions"`
	Partners      workflows.Partners         `json:"partners"`
}

func (r *assessmentRequest) validate(v *casework.ValidationError, _ time.Time) {
	seen := map[casework.WheelArea]bool{}
	for i, a := range r.Areas {
		f := fmt.Sprintf("areas[%d]", i)
		switch {
		case a.Area == "":
			v.Add(f+".area", "saknas")
		case !a.Area.Valid():
			v.Add(f+".area", "ska vara ett av hjulets områden: "+joinAreas())
		case seen[a.Area]:
			v.Add(f+".area", "står redan med")
		}
		seen[a.Area] = true
		if strings.TrimSpace(a.Observation) == "" {
			v.Add(f+".observation", "beskriv vad som ses inom området")
		}
		httpkit.CheckText(v, f+".observation", a.Observation, false, httpkit.MaxTextRunes)
		httpkit.CheckEnum(v, f+".level", a.Level, workflows.ConcernLevels...)
	}
	cv := r.ChildView
	if strings.TrimSpace(cv.View) != "" && strings.TrimSpace(cv.NotObtainedReason) != "" {
		v.Add("childView.notObtainedReason", "ange antingen barnets egen syn eller varför den inte gick att få, inte båda")
	}
	httpkit.CheckText(v, "childView.view", cv.View, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "childView.notObtainedReason", cv.NotObtainedReason, false, httpkit.MaxTextRunes)
	q := r.FiveQuestions
	httpkit.CheckText(v, "fiveQuestions.haveAllInformation", q.HaveAllInformation, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "fiveQuestions.obstacles", q.Obstacles, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "fiveQuestions.whatICanDo", q.WhatICanDo, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "fiveQuestions.whatOrgCanDo", q.WhatOrgCanDo, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "fiveQuestions.helpNeeded", q.HelpNeeded, false, httpkit.MaxTextRunes)
	httpkit.CheckIDs(v, "partners.earlier", r.Partners.Earlier, false)
	httpkit.CheckIDs(v, "partners.today", r.Partners.Today, false)
	httpkit.CheckIDs(v, "partners.forward", r.Partners.Forward, false)
}

func (s *Handlers) recordAssessment(_ *gin.Context, r *assessmentRequest, cc *caseCommand) (any, error) {
	return workflows.RecordAssessment{Command: cc.command(), Areas: r.Areas, ChildView: r.ChildView,
		FiveQuestions: r.FiveQuestions, Partners: r.Partners}, nil
}

// completionRequest is the body of POST /cases/{caseId}/assessment/completion. ProposedAgencies are
// unit IDs of the directory, whom consent will be asked for.
type completionRequest struct {
	commandBase
	Outcome          workflows.AssessmentOutcome `json:"outcome"`
	OwnFollowUp      bool                        `json:"ownFollowUp"`
	ProposedAgencies []string                    `json:"proposedAgencies"`
	RelevantAreas    []casework.WheelArea        `json:"relevantAreas"`
	Acute            bool                        `json:"acute"`
}

func (r *completionRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "outcome", r.Outcome, workflows.OutcomeOwnOrganisation, workflows.OutcomeCollaboration)
	switch r.Outcome {
	case workflows.OutcomeCollaboration:
		if r.OwnFollowUp {
			v.Add("ownFollowUp", "gäller bara när ärendet hanteras inom den egna verksamheten")
		}
		httpkit.CheckIDs(v, "proposedAgencies", r.ProposedAgencies, true)
		if len(r.RelevantAreas) == 0 {
			v.Add("relevantAreas", "ange vilka av hjulets områden samverkan gäller")
		}
		seen := map[casework.WheelArea]bool{}
		for i, a := range r.RelevantAreas {
			switch {
			case !a.Valid():
				v.Add(fmt.Sprintf("relevantAreas[%d]", i), "ska vara ett av hjulets områden: "+joinAreas())
			case seen[a]:
				v.Add(fmt.Sprintf("relevantAreas[%d]", i), "står redan med")
			}
			seen[a] = true
		}
	case workflows.OutcomeOwnOrganisation:
		const onlyCollaboration = "gäller bara när samverkan behövs"
		if len(r.ProposedAgencies) > 0 {
			v.Add("proposedAgencies", onlyCollaboration)
		}
		if len(r.RelevantAreas) > 0 {
			v.Add("relevantAreas", onlyCollaboration)
		}
		if r.Acute {
			v.Add("acute", onlyCollaboration)
		}
	}
}

// completeAssessment resolves the proposed agencies in the directory: the case records each with
// its name and kind.
func (s *Handlers) completeAssessment(c *gin.Context, r *completionRequest, cc *caseCommand) (any, error) {
	cmd := workflows.CompleteAssessment{Command: cc.command(), Outcome: r.Outcome, OwnFollowUp: r.OwnFollowUp,
		RelevantAreas: r.RelevantAreas, Acute: r.Acute}
	v := &casework.ValidationError{}
	for i, id := range r.ProposedAgencies {
		unit, err := s.unitNamed(c.Request.Context(), fmt.Sprintf("proposedAgencies[%d]", i), id)
		if err != nil {
			if err := v.Take(err); err != nil {
				return nil, err
			}
			continue
		}
		cmd.ProposedAgencies = append(cmd.ProposedAgencies, casework.UnitRef{ID: unit.ID, Name: unit.Name, Kind: unit.Kind})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return cmd, nil
}
