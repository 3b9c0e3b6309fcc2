package web

import (
	"context"
	"strconv"
	"time"
)

// The plan (SIP) and its follow-up as the client sends and reads them: the commands proposePlan,
// approvePlan and recordFollowUp, and the case's part that shows them. Each field is a property of
// api/openapi.yaml (apiclient_contract_test.go).

// ProposePlan is POST /api/v1/cases/{caseId}/plans (proposePlan).
func (cl *Client) ProposePlan(ctx context.Context, token, caseID, idempotencyKey string, req PlanRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "plans", idempotencyKey, req)
}

// ApprovePlan is POST /api/v1/cases/{caseId}/plans/{version}/approvals (approvePlan).
func (cl *Client) ApprovePlan(ctx context.Context, token, caseID string, version int, idempotencyKey string, req ApprovalRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "plans/"+strconv.Itoa(version)+"/approvals", idempotencyKey, req)
}

// RecordFollowUp is POST /api/v1/cases/{caseId}/follow-ups (recordFollowUp).
func (cl *Client) RecordFollowUp(ctx context.Context, token, caseID, idempotencyKey string, req FollowUpRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "follow-ups", idempotencyKey, req)
}

// CasePlan is the part of a case that the plan and what keeps it honest add: embedded in Case.
type CasePlan struct {
	Plans         []PlanVersion  `json:"plans,omitempty"`
	FollowUps     []FollowUp     `json:"followUps,omitempty"`
	Disagreements []Disagreement `json:"disagreements,omitempty"`
	Placement     *Placement     `json:"placement,omitempty"`
	Handovers     []Handover     `json:"handovers,omitempty"`
	ReopenUntil   *time.Time     `json:"reopenUntil,omitempty"`
}

// InForce is the plan in force, or else the newest version: where a new version starts from.
func (c CasePlan) InForce() *PlanVersion {
	for i := len(c.Plans) - 1; i >= 0; i-- {
		if c.Plans[i].Status == "established" {
			return &c.Plans[i]
		}
	}
	if n := len(c.Plans); n > 0 {
		return &c.Plans[n-1]
	}
	return nil
}

// Established is the plan in force, if any.
func (c CasePlan) Established() *PlanVersion {
	if p := c.InForce(); p != nil && p.Status == "established" {
		return p
	}
	return nil
}

// Version is the plan's version n, if the case has it.
func (c CasePlan) Version(n int) *PlanVersion {
	for i := range c.Plans {
		if c.Plans[i].Version == n {
			return &c.Plans[i]
		}
	}
	return nil
}

// Principal is a huvudman: its kind (municipality, region, police, school_owner, other) and name.
type Principal struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// PlanVersion is one version of the plan (SIP).
type PlanVersion struct {
	Recorded
	Version               int            `json:"version"`
	Status                string         `json:"status"`
	Interventions         []Intervention `json:"interventions"`
	NoMeasuresByOthers    bool           `json:"noMeasuresByOthers,omitempty"`
	OverallResponsibility Principal      `json:"overallResponsibility"`
	FollowUpAt            time.Time      `json:"followUpAt"`
	ChildParticipation    string         `json:"childParticipation,omitempty"`
	Approvals             []PlanApproval `json:"approvals"`
	EstablishedAt         *time.Time     `json:"establishedAt,omitempty"`
}

// Intervention is one insats of a version of the plan.
type Intervention struct {
	ID          string     `json:"id"`
	Description string     `json:"description"`
	Principal   Principal  `json:"principal"`
	UnitID      string     `json:"unitId,omitempty"`
	Performer   string     `json:"performer"`
	Extent      string     `json:"extent"`
	Areas       []string   `json:"areas"`
	FollowUpHow string     `json:"followUpHow"`
	Goal        string     `json:"goal,omitempty"`
	FollowUpAt  *time.Time `json:"followUpAt,omitempty"`
}

// PlanApproval is the child's or a guardian's answer to a version.
type PlanApproval struct {
	Recorded
	Party     string `json:"party"`
	PartyName string `json:"partyName"`
	Approved  bool   `json:"approved"`
	Method    string `json:"method"`
	Comment   string `json:"comment,omitempty"`
}

// FollowUp is a held follow-up of the plan.
type FollowUp struct {
	Recorded
	PlanVersion    int                    `json:"planVersion"`
	Interventions  []InterventionFollowUp `json:"interventions"`
	Outcome        string                 `json:"outcome"`
	NextFollowUpAt *time.Time             `json:"nextFollowUpAt,omitempty"`
	CloseReason    string                 `json:"closeReason,omitempty"`
	Note           string                 `json:"note,omitempty"`
}

// InterventionFollowUp is what a follow-up found for one intervention; sent and read alike.
type InterventionFollowUp struct {
	InterventionID string `json:"interventionId"`
	Done           string `json:"done"`
	GoalMet        bool   `json:"goalMet"`
	Note           string `json:"note,omitempty"`
}

// PlanRequest is POST …/plans: a version of the plan with its four statutory parts.
type PlanRequest struct {
	OccurredAt            string              `json:"occurredAt,omitempty"`
	Interventions         []InterventionInput `json:"interventions"`
	NoMeasuresByOthers    bool                `json:"noMeasuresByOthers"`
	OverallResponsibility *Principal          `json:"overallResponsibility,omitempty"`
	FollowUpAt            string              `json:"followUpAt"`
	ChildParticipation    string              `json:"childParticipation,omitempty"`
}

// InterventionInput is one intervention as it is proposed.
type InterventionInput struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Principal   Principal `json:"principal"`
	UnitID      string    `json:"unitId,omitempty"`
	Performer   string    `json:"performer"`
	Extent      string    `json:"extent"`
	Areas       []string  `json:"areas"`
	FollowUpHow string    `json:"followUpHow"`
	Goal        string    `json:"goal,omitempty"`
	FollowUpAt  string    `json:"followUpAt,omitempty"`
}

// ApprovalRequest is POST …/plans/{version}/approvals.
type ApprovalRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	Party      string `json:"party"`
	PartyName  string `json:"partyName,omitempty"`
	Approved   *bool  `json:"approved,omitempty"`
	Method     string `json:"method"`
	Comment    string `json:"comment,omitempty"`
}

// FollowUpRequest is POST …/follow-ups: revise with NextFollowUpAt, or close with CloseReason.
type FollowUpRequest struct {
	OccurredAt     string                 `json:"occurredAt,omitempty"`
	Interventions  []InterventionFollowUp `json:"interventions"`
	Outcome        string                 `json:"outcome"`
	NextFollowUpAt string                 `json:"nextFollowUpAt,omitempty"`
	CloseReason    string                 `json:"closeReason,omitempty"`
	Note           string                 `json:"note,omitempty"`
}
