package cases

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// Placement outside the home (docs/process.md §11). That social services decide it and that a planned one
// needs the health examination and the cost distribution first are the workflow's rules.

// costDistributionRequest is how the principals share a placement's cost.
type costDistributionRequest struct {
	Agreement string   `json:"agreement"`
	Parties   []string `json:"parties"`
}

func (r *costDistributionRequest) validate(v *casework.ValidationError, prefix string) {
	httpkit.CheckText(v, prefix+"agreement", r.Agreement, true, httpkit.MaxTextRunes)
	httpkit.CheckIDs(v, prefix+"parties", r.Parties, true)
}

func (r *costDistributionRequest) distribution() workflows.CostDistribution {
	return workflows.CostDistribution{Agreement: r.Agreement, Parties: r.Parties}
}

// placementRequest is the body of POST /cases/{caseId}/placement: social services' decision to place
// the child outside the home, planned or acute.
type placementRequest struct {
	commandBase
	Kind                workflows.PlacementKind  `json:"kind"`
	HealthExaminationAt string                   `json:"healthExaminationAt"`
	CostDistribution    *costDistributionRequest `json:"costDistribution"`
	healthExaminationAt time.Time
}

func (r *placementRequest) validate(v *casework.ValidationError, now time.Time) {
	httpkit.CheckEnum(v, "kind", r.Kind, workflows.PlacementPlanned, workflows.PlacementAcute)
	r.healthExaminationAt = httpkit.ParseTime(v, "healthExaminationAt", r.HealthExaminationAt, now, false)
	if r.CostDistribution != nil {
		r.CostDistribution.validate(v, "costDistribution.")
	}
}

func (s *Handlers) recordPlacement(_ *gin.Context, r *placementRequest, cc *caseCommand) (any, error) {
	cmd := workflows.RecordPlacement{Command: cc.command(), Kind: r.Kind}
	if r.HealthExaminationAt != "" {
		at := r.healthExaminationAt
		cmd.HealthExaminationAt = &at
	}
	if r.CostDistribution != nil {
		d := r.CostDistribution.distribution()
		cmd.CostDistribution = &d
	}
	return cmd, nil
}

// healthExaminationRequest is the body of POST /cases/{caseId}/placement/health-examination;
// occurredAt is when the examination was held. It may be empty.
type healthExaminationRequest struct {
	commandBase
}

func (r *healthExaminationRequest) validate(*casework.ValidationError, time.Time) {}

func (s *Handlers) recordHealthExamination(_ *gin.Context, _ *healthExaminationRequest, cc *caseCommand) (any, error) {
	return workflows.RecordHealthExamination{Command: cc.command()}, nil
}

// settlementRequest is the body of POST /cases/{caseId}/placement/cost-distribution.
type settlementRequest struct {
	commandBase
	costDistributionRequest
}

func (r *settlementRequest) validate(v *casework.ValidationError, _ time.Time) {
	r.costDistributionRequest.validate(v, "")
}

func (s *Handlers) settleCostDistribution(_ *gin.Context, r *settlementRequest, cc *caseCommand) (any, error) {
	return workflows.SettleCostDistribution{Command: cc.command(), CostDistribution: r.distribution()}, nil
}
