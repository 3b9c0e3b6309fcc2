package web

import (
	"context"
	"time"
)

// The API's commands of samarbeta (docs/process.md §5, §6.3, §6.4): consent and its revocation, the
// summons, the meeting and the coordinator – each method, and the types it sends and the case's
// parts it reads. apiclient_contract_test.go holds them to api/openapi.yaml.

// RecordConsent is POST /api/v1/cases/{caseId}/consents (recordConsent).
func (cl *Client) RecordConsent(ctx context.Context, token, caseID, idempotencyKey string, req ConsentRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "consents", idempotencyKey, req)
}

// RevokeConsent is POST /api/v1/cases/{caseId}/consent-revocations (revokeConsent). When the
// caller's own agency was revoked, the case comes back with view "none".
func (cl *Client) RevokeConsent(ctx context.Context, token, caseID, idempotencyKey string, req RevocationRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "consent-revocations", idempotencyKey, req)
}

// SendSummons is POST /api/v1/cases/{caseId}/summons (sendSummons).
func (cl *Client) SendSummons(ctx context.Context, token, caseID, idempotencyKey string, req SummonsRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "summons", idempotencyKey, req)
}

// HoldMeeting is POST /api/v1/cases/{caseId}/meeting (holdMeeting).
func (cl *Client) HoldMeeting(ctx context.Context, token, caseID, idempotencyKey string, req MeetingRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "meeting", idempotencyKey, req)
}

// AppointCoordinator is POST /api/v1/cases/{caseId}/coordinator (appointCoordinator).
func (cl *Client) AppointCoordinator(ctx context.Context, token, caseID, idempotencyKey string, req CoordinatorRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "coordinator", idempotencyKey, req)
}

// ConsentRequest is POST …/consents: one party's consent, with its scope, or refusal.
type ConsentRequest struct {
	OccurredAt string   `json:"occurredAt,omitempty"`
	Party      string   `json:"party"`
	PartyName  string   `json:"partyName,omitempty"`
	Custody    string   `json:"custody,omitempty"`
	Given      bool     `json:"given"`
	Scope      []string `json:"scope,omitempty"`
	Method     string   `json:"method"`
}

// RevocationRequest is POST …/consent-revocations: for the agencies listed, or wholly when none are.
type RevocationRequest struct {
	OccurredAt string   `json:"occurredAt,omitempty"`
	Party      string   `json:"party"`
	PartyName  string   `json:"partyName,omitempty"`
	Agencies   []string `json:"agencies,omitempty"`
}

// SummonsRequest is POST …/summons.
type SummonsRequest struct {
	OccurredAt      string   `json:"occurredAt,omitempty"`
	MeetingAt       string   `json:"meetingAt"`
	Place           string   `json:"place"`
	Agencies        []string `json:"agencies"`
	InviteChild     bool     `json:"inviteChild,omitempty"`
	InviteGuardians bool     `json:"inviteGuardians,omitempty"`
}

// MeetingRequest is POST …/meeting: the meeting as held.
type MeetingRequest struct {
	OccurredAt    string           `json:"occurredAt,omitempty"`
	Attendance    []Attendance     `json:"attendance"`
	CommonPicture string           `json:"commonPicture"`
	Decisions     []AgencyDecision `json:"decisions,omitempty"`
}

// Attendance says whether one invited party came: a unit ID, "child" or "guardians".
type Attendance struct {
	Participant string `json:"participant"`
	Present     bool   `json:"present"`
}

// AgencyDecision is one agency's decision at the meeting, or that it does nothing further and why.
type AgencyDecision struct {
	UnitID          string `json:"unitId"`
	Decision        string `json:"decision,omitempty"`
	NoFurtherAction bool   `json:"noFurtherAction,omitempty"`
	Reason          string `json:"reason,omitempty"`
}

// CoordinatorRequest is POST …/coordinator. ChildWish is nil when the child could not be asked
// (ChildNotAskedWhy says why).
type CoordinatorRequest struct {
	OccurredAt       string     `json:"occurredAt,omitempty"`
	ChildWish        *PersonRef `json:"childWish,omitempty"`
	ChildNotAskedWhy string     `json:"childNotAskedWhy,omitempty"`
	Coordinator      PersonRef  `json:"coordinator"`
	SpecialReason    string     `json:"specialReason,omitempty"`
	PlanOwner        *PersonRef `json:"planOwner,omitempty"`
}

// PersonRef names a professional by user ID.
type PersonRef struct {
	User string `json:"user"`
}

// Consent is the consent of the guardians and the child.
type Consent struct {
	Status  string          `json:"status"`
	Scope   []string        `json:"scope"`
	Custody string          `json:"custody,omitempty"`
	Records []ConsentRecord `json:"records"`
}

// ConsentRecord is one party's answer or revocation.
type ConsentRecord struct {
	Recorded
	Party     string   `json:"party"`
	PartyName string   `json:"partyName,omitempty"`
	Given     bool     `json:"given"`
	Revoked   bool     `json:"revoked,omitempty"`
	Scope     []string `json:"scope,omitempty"`
	Method    string   `json:"method,omitempty"`
}

// Participant is an agency taking part in the case within the consent.
type Participant struct {
	Unit   UnitRef   `json:"unit"`
	Status string    `json:"status"`
	Since  time.Time `json:"since"`
}

// Summons is the summons to the collaboration meeting.
type Summons struct {
	Recorded
	MeetingAt   time.Time    `json:"meetingAt"`
	Place       string       `json:"place"`
	Invitations []Invitation `json:"invitations"`
}

// Meeting is the collaboration meeting as held.
type Meeting struct {
	Recorded
	Attendance    []Attendance     `json:"attendance"`
	CommonPicture string           `json:"commonPicture"`
	Decisions     []AgencyDecision `json:"decisions"`
}

// Coordinator is the coordinator (samordningsperson) and plan owner, and whom the child wished.
type Coordinator struct {
	Recorded
	ChildWish        *Person `json:"childWish,omitempty"`
	ChildNotAskedWhy string  `json:"childNotAskedWhy,omitempty"`
	Coordinator      Person  `json:"coordinator"`
	SpecialReason    string  `json:"specialReason,omitempty"`
	PlanOwner        *Person `json:"planOwner,omitempty"`
}

// Person is a professional as the case records them.
type Person struct {
	User     string `json:"user"`
	Name     string `json:"name"`
	UnitID   string `json:"unitId"`
	UnitKind string `json:"unitKind,omitempty"`
}
