package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Recorded is what every recorded step carries: who, when it happened, when it was entered.
type Recorded struct {
	By         Actor     `json:"by"`
	OccurredAt time.Time `json:"occurredAt"`
	RecordedAt time.Time `json:"recordedAt"`
}

// DelegationRecord is who handed the assessment to whom, and when.
type DelegationRecord struct {
	Recorded
	To     string `json:"to"`
	ToName string `json:"toName,omitempty"`
}

// HarmReportRecord is the answer to the SoL 14:1 guard (docs/process.md §8).
type HarmReportRecord struct {
	Recorded
	Reported   bool       `json:"reported"`
	ReportedAt *time.Time `json:"reportedAt,omitempty"`
	Reason     string     `json:"reason,omitempty"`
}

// AssessmentRecord is the assessment (kartläggning) so far, and its outcome once completed.
type AssessmentRecord struct {
	Recorded
	Areas            []AreaAssessment     `json:"areas"`
	ChildView        ChildView            `json:"childView"`
	FiveQuestions    FiveQuestions        `json:"fiveQuestions"`
	Partners         Partners             `json:"partners"`
	Completed        *Recorded            `json:"completed,omitempty"`
	Outcome          AssessmentOutcome    `json:"outcome,omitempty"`
	OwnFollowUp      bool                 `json:"ownFollowUp,omitempty"`
	ProposedAgencies []casework.UnitRef   `json:"proposedAgencies,omitempty"`
	RelevantAreas    []casework.WheelArea `json:"relevantAreas,omitempty"`
	Acute            bool                 `json:"acute,omitempty"`
}

// ConsentRecord is one party's consent, refusal or revocation, in the order they came.
type ConsentRecord struct {
	Recorded
	Party     PartyKind     `json:"party"`
	PartyName string        `json:"partyName"`
	Given     bool          `json:"given"`
	Revoked   bool          `json:"revoked,omitempty"` // a revocation; Scope then lists what was revoked (empty: all)
	Scope     []string      `json:"scope,omitempty"`
	Method    ConsentMethod `json:"method,omitempty"`
}

// ConsentStatus is where the case's consent stands.
type ConsentStatus string

const (
	ConsentNotAsked ConsentStatus = ""
	ConsentPending  ConsentStatus = "pending" // asked; not every required party has answered
	ConsentGiven    ConsentStatus = "given"
	ConsentRefused  ConsentStatus = "refused" // the case continues within the own mandate
	ConsentRevoked  ConsentStatus = "revoked"
)

// ParticipantStatus is an agency's place in the case.
type ParticipantStatus string

const (
	ParticipantActive  ParticipantStatus = "active"
	ParticipantRemoved ParticipantStatus = "removed" // consent for it revoked
)

// Participant is an agency taking part in the case within the consent's scope.
type Participant struct {
	Unit   casework.UnitRef  `json:"unit"`
	Status ParticipantStatus `json:"status"`
	Since  time.Time         `json:"since"`
	Until  *time.Time        `json:"until,omitempty"`
}

// InvitationStatus is what became of one invitation to the meeting.
type InvitationStatus string

const (
	InvitationPending   InvitationStatus = "pending"
	InvitationCancelled InvitationStatus = "cancelled"
	InvitationAttended  InvitationStatus = "attended"
	InvitationAbsent    InvitationStatus = "absent"
)

// Invitation to the collaboration meeting: a unit ID, "child" or "guardians". Status is what became
// of it at the meeting (pending until the meeting is recorded); Answer is an invited agency's reply.
type Invitation struct {
	Participant string            `json:"participant"`
	Status      InvitationStatus  `json:"status"`
	Answer      *InvitationAnswer `json:"answer,omitempty"`
}

// InvitationAnswer is the invited agency's latest answer to its invitation.
type InvitationAnswer struct {
	Recorded
	Response       InvitationResponse `json:"response"`
	Reason         string             `json:"reason,omitempty"`
	ProposedPerson *Person            `json:"proposedPerson,omitempty"`
}

// Participants of the meeting who are not agencies.
const (
	InviteeChild     = "child"
	InviteeGuardians = "guardians"
)

// SummonsRecord is the summons to the meeting.
type SummonsRecord struct {
	Recorded
	MeetingAt   time.Time    `json:"meetingAt"`
	Place       string       `json:"place"`
	Invitations []Invitation `json:"invitations"`
	// InvitedUnitsTold: the summons was sent by a release that tells the invited units
	// (invitationsVersion). Only such a summons holds its meeting to the summoned time: a case
	// summoned before may have recorded its meeting earlier, and its history must replay as it was.
	InvitedUnitsTold bool `json:"invitedUnitsTold,omitempty"`
}

// MeetingRecord is the held meeting.
type MeetingRecord struct {
	Recorded
	Attendance    []Attendance     `json:"attendance"`
	CommonPicture string           `json:"commonPicture"`
	Decisions     []AgencyDecision `json:"decisions"`
}

// CoordinatorRecord is the appointment of the samordningsperson (and plan owner).
type CoordinatorRecord struct {
	Recorded
	ChildWish        *Person `json:"childWish,omitempty"`
	ChildNotAskedWhy string  `json:"childNotAskedWhy,omitempty"`
	Coordinator      Person  `json:"coordinator"`
	SpecialReason    string  `json:"specialReason,omitempty"`
	PlanOwner        *Person `json:"planOwner,omitempty"`
}

// ClosedRecord is how the case ended.
type ClosedRecord struct {
	Recorded
	Reason CloseReason `json:"reason"`
	Note   string      `json:"note,omitempty"`
	// PhaseBefore is the phase the case was in, where a reopening takes it back to.
	PhaseBefore casework.Phase `json:"phaseBefore,omitempty"`
}

// Notice is something the case must say plainly to whoever opens it, e.g. that consent was revoked.
type Notice struct {
	Kind string    `json:"kind"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Notice kinds.
const (
	NoticeConsentRevoked = "consent_revoked"
	NoticeConsentRefused = "consent_refused"
	NoticeHarmReport     = "harm_report_missing"
	NoticeConcernJoined  = "concern_joined"
	// NoticeConsentNoCommonScope: the parties consented to no agency in common.
	NoticeConsentNoCommonScope = "consent_no_common_scope"
	NoticePlanDeclined         = "plan_declined"
	NoticeHealthExamination    = "health_examination_missing"
	NoticeEscalationAtTop      = "escalation_at_top"
	NoticeCaseHandedOver       = "case_handed_over"
	NoticeCaseReopened         = "case_reopened"
)

// ProcessState is the part of the case state that the process after the first concern adds.
type ProcessState struct {
	Acknowledged  *Recorded          `json:"acknowledged,omitempty"`
	Assessor      string             `json:"assessor,omitempty"` // user ID; the named person unless delegated
	Delegation    *DelegationRecord  `json:"delegation,omitempty"`
	HarmReport    *HarmReportRecord  `json:"harmReport,omitempty"`
	Assessment    *AssessmentRecord  `json:"assessment,omitempty"`
	Custody       Custody            `json:"custody,omitempty"`
	Consents      []ConsentRecord    `json:"consents,omitempty"`
	ConsentStatus ConsentStatus      `json:"consentStatus,omitempty"`
	ConsentScope  []string           `json:"consentScope,omitempty"`
	ConsentAt     *time.Time         `json:"consentAt,omitempty"`
	Participants  []Participant      `json:"participants,omitempty"`
	Summons       *SummonsRecord     `json:"summons,omitempty"`
	Meeting       *MeetingRecord     `json:"meeting,omitempty"`
	Coordinator   *CoordinatorRecord `json:"coordinator,omitempty"`
	Closed        *ClosedRecord      `json:"closed,omitempty"`
	Notices       []Notice           `json:"notices,omitempty"`
	// RecentCommandIDs are the update IDs of the latest commands. Temporal drops a duplicate update
	// only within one run; this carries the memory across continue-as-new, so a retried request
	// never applies twice.
	RecentCommandIDs []string `json:"recentCommandIds,omitempty"`
}
