package cases

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// Deviations (docs/process.md §9) and disagreements between principals (§10). Whether the deviation's unit
// has a part in the case, whose the handling is and where a disagreement stands on the policy's
// ladder are the workflow's rules.

// deviationRequest is the body of POST /cases/{caseId}/deviations: a routine not followed, and the
// unit whose routine it was.
type deviationRequest struct {
	commandBase
	UnitID      string `json:"unitId"`
	Description string `json:"description"`
}

func (r *deviationRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "unitId", r.UnitID, true, httpkit.MaxShortRunes)
	httpkit.CheckText(v, "description", r.Description, true, httpkit.MaxTextRunes)
}

// reportDeviation checks that the unit is in the directory: its supervisor is told.
func (s *Handlers) reportDeviation(c *gin.Context, r *deviationRequest, cc *caseCommand) (any, error) {
	if _, err := s.unitNamed(c.Request.Context(), "unitId", r.UnitID); err != nil {
		return nil, err
	}
	return workflows.ReportDeviation{Command: cc.command(), UnitID: r.UnitID, Description: r.Description}, nil
}

// deviationSupervisor lets the supervisor of a deviation's unit record its handling although the
// unit has no other part in the case (docs/process.md §9: the deviation goes to that supervisor). It
// gives no read access: the answer to such a supervisor is the case ID only (view "none").
func deviationSupervisor(state workflows.CaseState, who auth.Claims, id string) bool {
	if casework.Role(who.Role) != casework.RoleSupervisor {
		return false
	}
	for _, d := range state.Deviations {
		if d.ID == id && d.UnitID == who.Unit {
			return true
		}
	}
	return false
}

// deviationHandlingRequest is the body of POST /cases/{caseId}/deviations/{deviationId}/handling.
type deviationHandlingRequest struct {
	commandBase
	Handling string `json:"handling"`
}

func (r *deviationHandlingRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "handling", r.Handling, true, httpkit.MaxTextRunes)
}

func (s *Handlers) handleDeviation(c *gin.Context, r *deviationHandlingRequest, cc *caseCommand) (any, error) {
	id := c.Param("deviationId")
	if !slices.ContainsFunc(cc.state.Deviations, func(d workflows.Deviation) bool { return d.ID == id }) {
		return nil, httpkit.Status(http.StatusNotFound, "avvikelsen finns inte i ärendet")
	}
	return workflows.HandleDeviation{Command: cc.command(), DeviationID: id, Handling: r.Handling}, nil
}

// disagreementOfPath is the disagreement the path names; one the case does not have is 404, as a
// case would be.
func disagreementOfPath(c *gin.Context, cc *caseCommand) (string, error) {
	id := c.Param("disagreementId")
	if !slices.ContainsFunc(cc.state.Disagreements, func(d workflows.DisagreementRecord) bool { return d.ID == id }) {
		return "", httpkit.Status(http.StatusNotFound, "oenigheten finns inte i ärendet")
	}
	return id, nil
}

// disagreementRequest is the body of POST /cases/{caseId}/disagreements: what the principals
// disagree about, and who they are.
type disagreementRequest struct {
	commandBase
	Subject  workflows.DisagreementSubject `json:"subject"`
	Question string                        `json:"question"`
	Parties  []string                      `json:"parties"`
}

func (r *disagreementRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "subject", r.Subject, workflows.DisagreementResponsibility, workflows.DisagreementCost)
	httpkit.CheckText(v, "question", r.Question, true, httpkit.MaxTextRunes)
	httpkit.CheckIDs(v, "parties", r.Parties, true)
	if len(r.Parties) == 1 {
		v.Add("parties", "en oenighet har minst två parter")
	}
}

func (s *Handlers) raiseDisagreement(_ *gin.Context, r *disagreementRequest, cc *caseCommand) (any, error) {
	return workflows.RaiseDisagreement{Command: cc.command(), Subject: r.Subject, Question: r.Question, Parties: r.Parties}, nil
}

// decisionRequest is the body of POST /cases/{caseId}/disagreements/{disagreementId}/decision: the
// decision of the step the disagreement is at.
type decisionRequest struct {
	commandBase
	Decision string `json:"decision"`
}

func (r *decisionRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "decision", r.Decision, true, httpkit.MaxTextRunes)
}

func (s *Handlers) decideDisagreement(c *gin.Context, r *decisionRequest, cc *caseCommand) (any, error) {
	id, err := disagreementOfPath(c, cc)
	if err != nil {
		return nil, err
	}
	return workflows.DecideDisagreement{Command: cc.command(), DisagreementID: id, Decision: r.Decision}, nil
}

// escalationRequest is the body of POST /cases/{caseId}/disagreements/{disagreementId}/escalation:
// the disagreement goes to the next step before its time is up, and why.
type escalationRequest struct {
	commandBase
	Reason string `json:"reason"`
}

func (r *escalationRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "reason", r.Reason, true, httpkit.MaxTextRunes)
}

func (s *Handlers) escalateDisagreement(c *gin.Context, r *escalationRequest, cc *caseCommand) (any, error) {
	id, err := disagreementOfPath(c, cc)
	if err != nil {
		return nil, err
	}
	return workflows.EscalateDisagreement{Command: cc.command(), DisagreementID: id, Reason: r.Reason}, nil
}
