package web

import (
	"context"
	"time"
)

// Placement outside the home, handover, closing and reopening as the client sends and reads them.
// Each field is a property of api/openapi.yaml (apiclient_contract_test.go).

// RecordPlacement is POST /api/v1/cases/{caseId}/placement (recordPlacement).
func (cl *Client) RecordPlacement(ctx context.Context, token, caseID, idempotencyKey string, req PlacementRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "placement", idempotencyKey, req)
}

// RecordHealthExamination is POST /api/v1/cases/{caseId}/placement/health-examination
// (recordHealthExamination).
func (cl *Client) RecordHealthExamination(ctx context.Context, token, caseID, idempotencyKey string, req HealthExaminationRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "placement/health-examination", idempotencyKey, req)
}

// SettleCostDistribution is POST /api/v1/cases/{caseId}/placement/cost-distribution
// (settleCostDistribution).
func (cl *Client) SettleCostDistribution(ctx context.Context, token, caseID, idempotencyKey string, req CostDistributionRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "placement/cost-distribution", idempotencyKey, req)
}

// HandOver is POST /api/v1/cases/{caseId}/handover (handOverCase).
func (cl *Client) HandOver(ctx context.Context, token, caseID, idempotencyKey string, req HandoverRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "handover", idempotencyKey, req)
}

// CloseCase is POST /api/v1/cases/{caseId}/closing (closeCase).
func (cl *Client) CloseCase(ctx context.Context, token, caseID, idempotencyKey string, req ClosingRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "closing", idempotencyKey, req)
}

// Reopen is POST /api/v1/cases/{caseId}/reopening (reopenCase).
func (cl *Client) Reopen(ctx context.Context, token, caseID, idempotencyKey string, req ReopeningRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "reopening", idempotencyKey, req)
}

// Placement is a placement outside the home.
type Placement struct {
	Recorded
	Kind                string            `json:"kind"`
	HealthExaminationAt *time.Time        `json:"healthExaminationAt,omitempty"`
	CostDistribution    *CostDistribution `json:"costDistribution,omitempty"`
}

// CostDistribution is how the principals share a placement's cost.
type CostDistribution struct {
	Recorded
	Agreement string   `json:"agreement"`
	Parties   []string `json:"parties"`
}

// Handover is the case passed to another unit's named person.
type Handover struct {
	Recorded
	From         UnitRef   `json:"from"`
	To           UnitRef   `json:"to"`
	Reason       string    `json:"reason"`
	Acknowledged *Recorded `json:"acknowledged,omitempty"`
}

// PlacementRequest is POST …/placement: a planned placement needs HealthExaminationAt and
// CostDistribution; an acute one may have them.
type PlacementRequest struct {
	OccurredAt          string                 `json:"occurredAt,omitempty"`
	Kind                string                 `json:"kind"`
	HealthExaminationAt string                 `json:"healthExaminationAt,omitempty"`
	CostDistribution    *CostDistributionInput `json:"costDistribution,omitempty"`
}

// CostDistributionInput is how the cost is shared and by whom.
type CostDistributionInput struct {
	Agreement string   `json:"agreement"`
	Parties   []string `json:"parties"`
}

// HealthExaminationRequest is POST …/placement/health-examination; OccurredAt is when it was held.
type HealthExaminationRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
}

// CostDistributionRequest is POST …/placement/cost-distribution.
type CostDistributionRequest struct {
	OccurredAt string   `json:"occurredAt,omitempty"`
	Agreement  string   `json:"agreement"`
	Parties    []string `json:"parties"`
}

// HandoverRequest is POST …/handover: the unit whose named person takes the case, and why.
type HandoverRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	ToUnitID   string `json:"toUnitId"`
	Reason     string `json:"reason"`
}

// ClosingRequest is POST …/closing.
type ClosingRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Reason     string `json:"reason"`
	Note       string `json:"note,omitempty"`
}

// ReopeningRequest is POST …/reopening.
type ReopeningRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Reason     string `json:"reason"`
}
