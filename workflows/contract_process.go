package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Update names of the process (docs/process.md §5, §6.1–6.4, §8). Recorded in histories: never renamed.
const (
	UpdateAcknowledgeConcern = "AcknowledgeConcern"
	UpdateDelegateAssessment = "DelegateAssessment"
	UpdateRecordHarmReport   = "RecordHarmReport"
	UpdateRecordAssessment   = "RecordAssessment"
	UpdateCompleteAssessment = "CompleteAssessment"
	UpdateRecordConsent      = "RecordConsent"
	UpdateRevokeConsent      = "RevokeConsent"
	UpdateSendSummons        = "SendSummons"
	UpdateHoldMeeting        = "HoldMeeting"
	UpdateAppointCoordinator = "AppointCoordinator"
	UpdateCloseCase          = "CloseCase"
)

// Command is what every command carries: who acts and when it happened in the world. OccurredAt may
// be earlier than the moment it is recorded (a meeting held yesterday is entered today); deadlines
// count from it.
type Command struct {
	By         Actor     `json:"by"`
	OccurredAt time.Time `json:"occurredAt"`
}

// CommandResult answers every process command: the case as it now is.
type CommandResult struct {
	CaseID    string         `json:"caseId"`
	Phase     casework.Phase `json:"phase"`
	Deadlines []Deadline     `json:"deadlines"`
}

// AcknowledgeConcern: the named person takes the case (docs/process.md §6.1); the assessment begins.
type AcknowledgeConcern struct {
	Command
}

// DelegateAssessment: the named person lets a colleague in the same unit assess (docs/process.md §1).
type DelegateAssessment struct {
	Command
	To     string `json:"to"`     // user ID of the colleague
	ToName string `json:"toName"` // for the case file
}

// RecordHarmReport records whether and when a report of concern (orosanmälan, SoL 14 kap. 1 §) was
// made to social services (docs/process.md §8). The process never replaces that duty.
type RecordHarmReport struct {
	Command
	Reported   bool       `json:"reported"`
	ReportedAt *time.Time `json:"reportedAt,omitempty"` // when it was made, if Reported
	Reason     string     `json:"reason,omitempty"`     // why none was made, if not Reported
}

// ConcernLevel is how serious what is seen in one area of the wheel is.
type ConcernLevel string

const (
	ConcernNone     ConcernLevel = "ingen"
	ConcernLow      ConcernLevel = "låg"
	ConcernModerate ConcernLevel = "måttlig"
	ConcernHigh     ConcernLevel = "hög"
)

// ConcernLevels lists the levels from least to most serious.
var ConcernLevels = []ConcernLevel{ConcernNone, ConcernLow, ConcernModerate, ConcernHigh}

// AreaAssessment is what the assessment found in one area of the wheel.
type AreaAssessment struct {
	Area        casework.WheelArea `json:"area"`
	Observation string             `json:"observation"`
	Level       ConcernLevel       `json:"level"`
}

// ChildView is the child's own view (barnets perspektiv), or why it could not be obtained.
type ChildView struct {
	View              string `json:"view,omitempty"`
	NotObtainedReason string `json:"notObtainedReason,omitempty"`
}

// FiveQuestions are the analysis of docs/process.md §6.2 (source 003).
type FiveQuestions struct {
	HaveAllInformation string `json:"haveAllInformation"` // 1. Do I have all the information I need?
	Obstacles          string `json:"obstacles"`          // 2. What stands in the way of the child's wellbeing?
	WhatICanDo         string `json:"whatICanDo"`         // 3. What can I do now?
	WhatOrgCanDo       string `json:"whatOrgCanDo"`       // 4. What can my organisation do?
	HelpNeeded         string `json:"helpNeeded"`         // 5. What further help do I need from others?
}

// Partners are the three partner questions of source 002, each naming organisations (unit IDs of
// the directory, or free text for one outside it).
type Partners struct {
	Earlier []string `json:"earlier"`
	Today   []string `json:"today"`
	Forward []string `json:"forward"`
}

// RecordAssessment records (or replaces) the assessment so far; it may be saved many times.
type RecordAssessment struct {
	Command
	Areas         []AreaAssessment `json:"areas"`
	ChildView     ChildView        `json:"childView"`
	FiveQuestions FiveQuestions    `json:"fiveQuestions"`
	Partners      Partners         `json:"partners"`
}

// AssessmentOutcome is where the assessment leads (docs/process.md §6.2).
type AssessmentOutcome string

const (
	// OutcomeOwnOrganisation: handled within the own organisation, no collaboration needed.
	OutcomeOwnOrganisation AssessmentOutcome = "own_organisation"
	// OutcomeCollaboration: collaboration with other agencies is needed.
	OutcomeCollaboration AssessmentOutcome = "collaboration"
)

// CompleteAssessment ends the assessment with its outcome.
type CompleteAssessment struct {
	Command
	Outcome AssessmentOutcome `json:"outcome"`
	// OwnFollowUp (own organisation): follow the child up within the own organisation instead of closing.
	OwnFollowUp bool `json:"ownFollowUp,omitempty"`
	// ProposedAgencies and RelevantAreas (collaboration): whom to ask consent for, and what about.
	ProposedAgencies []casework.UnitRef   `json:"proposedAgencies,omitempty"`
	RelevantAreas    []casework.WheelArea `json:"relevantAreas,omitempty"`
	// Acute: the meeting must be held within the policy's acute deadline.
	Acute bool `json:"acute,omitempty"`
}

// PartyKind is who gives consent: a guardian or the child.
type PartyKind string

const (
	PartyGuardian PartyKind = "guardian"
	PartyChild    PartyKind = "child"
)

// Custody says whether both guardians must consent.
type Custody string

const (
	CustodyJoint Custody = "joint" // gemensam vårdnad: both guardians
	CustodySole  Custody = "sole"
)

// ConsentMethod is how consent was given or refused.
type ConsentMethod string

const (
	ConsentWritten ConsentMethod = "written"
	ConsentOral    ConsentMethod = "oral"
)

// RecordConsent records one party's consent or refusal (docs/process.md §5). Scope lists the unit IDs that
// may share information and take part.
type RecordConsent struct {
	Command
	Party     PartyKind     `json:"party"`
	PartyName string        `json:"partyName"` // e.g. the guardian's name, for the case file
	Custody   Custody       `json:"custody,omitempty"`
	Given     bool          `json:"given"`
	Scope     []string      `json:"scope,omitempty"`
	Method    ConsentMethod `json:"method"`
}

// RevokeConsent withdraws consent wholly (Agencies empty) or for some agencies. It takes effect at
// once: revoked agencies leave the case and their invitations are cancelled.
type RevokeConsent struct {
	Command
	Party     PartyKind `json:"party"`
	PartyName string    `json:"partyName"`
	Agencies  []string  `json:"agencies,omitempty"`
}

// SendSummons calls the collaboration meeting (kallelse, docs/process.md §6.3).
type SendSummons struct {
	Command
	MeetingAt       time.Time `json:"meetingAt"`
	Place           string    `json:"place"`
	Agencies        []string  `json:"agencies"` // unit IDs, within the consent's scope
	InviteChild     bool      `json:"inviteChild"`
	InviteGuardians bool      `json:"inviteGuardians"`
}

// Attendance says who took part in the meeting: a unit ID, "child" or "guardians".
type Attendance struct {
	Participant string `json:"participant"`
	Present     bool   `json:"present"`
}

// AgencyDecision is one agency's decision at the meeting; "no further action from us" needs a reason.
type AgencyDecision struct {
	UnitID          string `json:"unitId"`
	Decision        string `json:"decision"`
	NoFurtherAction bool   `json:"noFurtherAction"`
	Reason          string `json:"reason,omitempty"`
}

// HoldMeeting records the collaboration meeting as held.
type HoldMeeting struct {
	Command
	Attendance    []Attendance     `json:"attendance"`
	CommonPicture string           `json:"commonPicture"`
	Decisions     []AgencyDecision `json:"decisions"`
}

// Person names a professional of the directory.
type Person struct {
	User     string            `json:"user"`
	Name     string            `json:"name"`
	UnitID   string            `json:"unitId"`
	UnitKind casework.UnitKind `json:"unitKind"`
}

// AppointCoordinator appoints the samordningsperson at the first meeting (docs/process.md §6.4). The
// child is asked first; another choice than the child's wish needs a written special reason; a
// coordinator from neither social services nor health care needs a plan owner from one of them.
type AppointCoordinator struct {
	Command
	ChildWish        *Person `json:"childWish,omitempty"`
	ChildNotAskedWhy string  `json:"childNotAskedWhy,omitempty"`
	Coordinator      Person  `json:"coordinator"`
	SpecialReason    string  `json:"specialReason,omitempty"`
	PlanOwner        *Person `json:"planOwner,omitempty"`
}

// CloseReason is why a case closed (docs/process.md §6.6).
type CloseReason string

const (
	CloseNeedsMet             CloseReason = "needs_met"
	CloseOwnOrganisation      CloseReason = "own_organisation"
	CloseConsentRefused       CloseReason = "consent_refused"
	CloseChildMoved           CloseReason = "child_moved"
	CloseAgeLimit             CloseReason = "age_limit"
	CloseSocialServicesInvest CloseReason = "social_services_investigation"
)

// CloseReasons lists every reason.
var CloseReasons = []CloseReason{CloseNeedsMet, CloseOwnOrganisation, CloseConsentRefused, CloseChildMoved, CloseAgeLimit, CloseSocialServicesInvest}

// CloseCase closes the case with a reason.
type CloseCase struct {
	Command
	Reason CloseReason `json:"reason"`
	Note   string      `json:"note,omitempty"`
}
