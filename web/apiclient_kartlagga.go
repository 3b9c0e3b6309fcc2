package web

import (
	"context"
	"net/http"
	"time"
)

// The API's commands of upptäcka and kartlägga beyond taking the case (docs/process.md §6.2, §8): the
// answer to the duty to report, the assessment and its completion – each method, and the types it
// sends and the case's parts it reads. apiclient_contract_test.go holds them to api/openapi.yaml.

// RecordHarmReport is POST /api/v1/cases/{caseId}/harm-report (recordHarmReport).
func (cl *Client) RecordHarmReport(ctx context.Context, token, caseID, idempotencyKey string, req HarmReportRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "harm-report", idempotencyKey, req)
}

// RecordAssessment is PUT /api/v1/cases/{caseId}/assessment (recordAssessment): the whole
// assessment so far, replacing what was saved before.
func (cl *Client) RecordAssessment(ctx context.Context, token, caseID, idempotencyKey string, req AssessmentRequest) (Case, error) {
	var out Case
	err := cl.do(ctx, call{method: http.MethodPut, path: casePath(caseID, "assessment"), token: token, idempotencyKey: idempotencyKey, body: req}, &out)
	return out, err
}

// CompleteAssessment is POST /api/v1/cases/{caseId}/assessment/completion (completeAssessment).
func (cl *Client) CompleteAssessment(ctx context.Context, token, caseID, idempotencyKey string, req CompletionRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "assessment/completion", idempotencyKey, req)
}

// HarmReportRequest is POST …/harm-report: whether a report to social services was made (with
// when), or why not.
type HarmReportRequest struct {
	Reported   bool   `json:"reported"`
	ReportedAt string `json:"reportedAt,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// AssessmentRequest is PUT …/assessment.
type AssessmentRequest struct {
	OccurredAt    string           `json:"occurredAt,omitempty"`
	Areas         []AreaAssessment `json:"areas"`
	ChildView     ChildView        `json:"childView"`
	FiveQuestions FiveQuestions    `json:"fiveQuestions"`
	Partners      Partners         `json:"partners"`
}

// AreaAssessment is what is seen in one area of the wheel, and how serious it is.
type AreaAssessment struct {
	Area        string `json:"area"`
	Observation string `json:"observation"`
	Level       string `json:"level"`
}

// ChildView is the child's own view, or why it could not be had – not both.
type ChildView struct {
	View              string `json:"view,omitempty"`
	NotObtainedReason string `json:"notObtainedReason,omitempty"`
}

// FiveQuestions are the analysis of docs/process.md §6.2.
type FiveQuestions struct {
	HaveAllInformation string `json:"haveAllInformation,omitempty"`
	Obstacles          string `json:"obstacles,omitempty"`
	WhatICanDo         string `json:"whatICanDo,omitempty"`
	WhatOrgCanDo       string `json:"whatOrgCanDo,omitempty"`
	HelpNeeded         string `json:"helpNeeded,omitempty"`
}

// Partners are the three partner questions: units of the directory by ID, or the names of
// organisations outside it, involved earlier, today and going forward.
type Partners struct {
	Earlier []string `json:"earlier,omitempty"`
	Today   []string `json:"today,omitempty"`
	Forward []string `json:"forward,omitempty"`
}

// CompletionRequest is POST …/assessment/completion: own_organisation (with ownFollowUp), or
// collaboration with the proposed agencies and the relevant areas (and acute).
type CompletionRequest struct {
	OccurredAt       string   `json:"occurredAt,omitempty"`
	Outcome          string   `json:"outcome"`
	OwnFollowUp      bool     `json:"ownFollowUp,omitempty"`
	ProposedAgencies []string `json:"proposedAgencies,omitempty"`
	RelevantAreas    []string `json:"relevantAreas,omitempty"`
	Acute            bool     `json:"acute,omitempty"`
}

// HarmReport is the answer to SoL 14 kap. 1 §.
type HarmReport struct {
	Recorded
	Reported   bool       `json:"reported"`
	ReportedAt *time.Time `json:"reportedAt,omitempty"`
	Reason     string     `json:"reason,omitempty"`
}

// Assessment is the kartläggning as last saved, and its outcome once completed.
type Assessment struct {
	Recorded
	Areas            []AreaAssessment `json:"areas"`
	ChildView        ChildView        `json:"childView"`
	FiveQuestions    FiveQuestions    `json:"fiveQuestions"`
	Partners         Partners         `json:"partners"`
	Completed        *Recorded        `json:"completed,omitempty"`
	Outcome          string           `json:"outcome,omitempty"`
	OwnFollowUp      bool             `json:"ownFollowUp,omitempty"`
	ProposedAgencies []UnitRef        `json:"proposedAgencies,omitempty"`
	RelevantAreas    []string         `json:"relevantAreas,omitempty"`
	Acute            bool             `json:"acute,omitempty"`
}
