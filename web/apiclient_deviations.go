package web

import (
	"context"
	"net/url"
	"time"
)

// Deviations and disagreements between principals as the client sends and reads them. Each field
// is a property of api/openapi.yaml (apiclient_contract_test.go).

// ReportDeviation is POST /api/v1/cases/{caseId}/deviations (reportDeviation).
func (cl *Client) ReportDeviation(ctx context.Context, token, caseID, idempotencyKey string, req DeviationRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "deviations", idempotencyKey, req)
}

// HandleDeviation is POST /api/v1/cases/{caseId}/deviations/{deviationId}/handling (handleDeviation).
func (cl *Client) HandleDeviation(ctx context.Context, token, caseID, deviationID, idempotencyKey string, req DeviationHandlingRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "deviations/"+url.PathEscape(deviationID)+"/handling", idempotencyKey, req)
}

// RaiseDisagreement is POST /api/v1/cases/{caseId}/disagreements (raiseDisagreement).
func (cl *Client) RaiseDisagreement(ctx context.Context, token, caseID, idempotencyKey string, req DisagreementRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "disagreements", idempotencyKey, req)
}

// DecideDisagreement is POST /api/v1/cases/{caseId}/disagreements/{disagreementId}/decision
// (decideDisagreement).
func (cl *Client) DecideDisagreement(ctx context.Context, token, caseID, disagreementID, idempotencyKey string, req DecisionRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "disagreements/"+url.PathEscape(disagreementID)+"/decision", idempotencyKey, req)
}

// EscalateDisagreement is POST /api/v1/cases/{caseId}/disagreements/{disagreementId}/escalation
// (escalateDisagreement).
func (cl *Client) EscalateDisagreement(ctx context.Context, token, caseID, disagreementID, idempotencyKey string, req EscalationRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "disagreements/"+url.PathEscape(disagreementID)+"/escalation", idempotencyKey, req)
}

// Disagreement is a disagreement between principals (oenighet) and its steps on the policy's ladder.
type Disagreement struct {
	Recorded
	ID       string           `json:"id"`
	Subject  string           `json:"subject"`
	Question string           `json:"question"`
	Parties  []string         `json:"parties"`
	Steps    []EscalationStep `json:"steps"`
	Resolved *Recorded        `json:"resolved,omitempty"`
}

// Current is the step the disagreement is at.
func (d Disagreement) Current() *EscalationStep {
	if len(d.Steps) == 0 {
		return nil
	}
	return &d.Steps[len(d.Steps)-1]
}

// EscalationStep is one step of a disagreement: where it lies, until when, and how it ended.
type EscalationStep struct {
	Level       string     `json:"level"`
	StartedAt   time.Time  `json:"startedAt"`
	DueAt       *time.Time `json:"dueAt,omitempty"`
	Decision    string     `json:"decision,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	EndedAt     *time.Time `json:"endedAt,omitempty"`
	EscalatedBy string     `json:"escalatedBy,omitempty"`
	Reason      string     `json:"reason,omitempty"`
}

// DeviationRequest is POST …/deviations: the unit whose routine was not followed, and what happened.
type DeviationRequest struct {
	OccurredAt  string `json:"occurredAt,omitempty"`
	UnitID      string `json:"unitId"`
	Description string `json:"description"`
}

// DeviationHandlingRequest is POST …/deviations/{deviationId}/handling.
type DeviationHandlingRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Handling   string `json:"handling"`
}

// DisagreementRequest is POST …/disagreements.
type DisagreementRequest struct {
	OccurredAt string   `json:"occurredAt,omitempty"`
	Subject    string   `json:"subject"`
	Question   string   `json:"question"`
	Parties    []string `json:"parties"`
}

// DecisionRequest is POST …/disagreements/{disagreementId}/decision.
type DecisionRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Decision   string `json:"decision"`
}

// EscalationRequest is POST …/disagreements/{disagreementId}/escalation.
type EscalationRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Reason     string `json:"reason"`
}
