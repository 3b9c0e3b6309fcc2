package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// PlanStatus is where one version of the plan stands.
type PlanStatus string

const (
	PlanProposed    PlanStatus = "proposed"    // awaiting the child's and guardians' approval
	PlanEstablished PlanStatus = "established" // approved: the plan in force
	PlanDeclined    PlanStatus = "declined"    // a party did not approve it
	PlanSuperseded  PlanStatus = "superseded"  // a later version replaced it
)

// PlanApproval is one party's answer to a proposed version.
type PlanApproval struct {
	Recorded
	Party     PartyKind     `json:"party"`
	PartyName string        `json:"partyName"`
	Approved  bool          `json:"approved"`
	Method    ConsentMethod `json:"method"`
	Comment   string        `json:"comment,omitempty"`
}

// PlanVersion is one version of the SIP. Versions are never changed once superseded: a revision is a
// new version, the earlier ones stay in the case file.
type PlanVersion struct {
	Version int `json:"version"`
	Recorded
	Interventions         []Intervention `json:"interventions"`
	NoMeasuresByOthers    bool           `json:"noMeasuresByOthers,omitempty"`
	OverallResponsibility Principal      `json:"overallResponsibility"`
	FollowUpAt            time.Time      `json:"followUpAt"`
	ChildParticipation    string         `json:"childParticipation,omitempty"`
	Approvals             []PlanApproval `json:"approvals,omitempty"`
	Status                PlanStatus     `json:"status"`
	EstablishedAt         *time.Time     `json:"establishedAt,omitempty"` // business time of the last approval
}

// FollowUpRecord is one held follow-up.
type FollowUpRecord struct {
	Recorded
	PlanVersion    int                    `json:"planVersion"`
	Interventions  []InterventionFollowUp `json:"interventions"`
	Outcome        FollowUpOutcome        `json:"outcome"`
	NextFollowUpAt *time.Time             `json:"nextFollowUpAt,omitempty"`
	CloseReason    CloseReason            `json:"closeReason,omitempty"`
	Note           string                 `json:"note,omitempty"`
}

// DeviationHandling is the supervisor's record of a deviation's handling.
type DeviationHandling struct {
	Recorded
	Handling string `json:"handling"`
}

// EscalationStep is one step of a disagreement on the policy's ladder.
type EscalationStep struct {
	Level     string    `json:"level"` // the ladder's name of the step, e.g. "delregion"
	StartedAt time.Time `json:"startedAt"`
	// DueAt is when the step escalates by itself if undecided; nil at the ladder's last step.
	DueAt       *time.Time `json:"dueAt,omitempty"`
	Decision    string     `json:"decision,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	EndedAt     *time.Time `json:"endedAt,omitempty"`
	EscalatedBy string     `json:"escalatedBy,omitempty"` // "auto", or the user who escalated it
	Reason      string     `json:"reason,omitempty"`      // why it was escalated by hand
}

// DisagreementRecord is a disagreement between principals (oenighet) and its steps.
type DisagreementRecord struct {
	ID string `json:"id"`
	Recorded
	Subject  DisagreementSubject `json:"subject"`
	Question string              `json:"question"`
	Parties  []string            `json:"parties"`
	Steps    []EscalationStep    `json:"steps"`
	Resolved *Recorded           `json:"resolved,omitempty"`
}

// Open reports whether the disagreement still waits for a decision.
func (d *DisagreementRecord) Open() bool { return d.Resolved == nil }

// PlacementRecord is a placement outside the home (docs/process.md §11).
type PlacementRecord struct {
	Recorded
	Kind                PlacementKind           `json:"kind"`
	HealthExaminationAt *time.Time              `json:"healthExaminationAt,omitempty"`
	CostDistribution    *CostDistributionRecord `json:"costDistribution,omitempty"`
}

// CostDistributionRecord is the settled cost distribution.
type CostDistributionRecord struct {
	Recorded
	CostDistribution
}

// HandoverRecord is the case passing to another unit's named person.
type HandoverRecord struct {
	Recorded
	From             casework.UnitRef   `json:"from"`
	To               casework.UnitRef   `json:"to"`
	FromMunicipality string             `json:"fromMunicipality"`
	ToMunicipality   string             `json:"toMunicipality"`
	FromPolicy       casework.PolicyRef `json:"fromPolicy"`
	ToPolicy         casework.PolicyRef `json:"toPolicy"`
	Reason           string             `json:"reason"`
	Acknowledged     *Recorded          `json:"acknowledged,omitempty"`
}

// ReopenRecord is a reopening of a closed case within the policy's period.
type ReopenRecord struct {
	Recorded
	Closing   ClosedRecord `json:"closing"` // the closing it undid
	Reason    string       `json:"reason"`
	ConcernID string       `json:"concernId,omitempty"` // the concern that reopened it, if one did
	// Acknowledged: the named person has taken the reopened case.
	Acknowledged *Recorded `json:"acknowledged,omitempty"`
}

// ReminderRecord is one planned reminder or missed-deadline mail. Its Key is its idempotency key: the
// notification activity sends each key once, whatever retries or restarts happen.
type ReminderRecord struct {
	Key string `json:"key"`
	// Deadline is the index in CaseState.Deadlines of the deadline it reminds of.
	Deadline     int                   `json:"deadline"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind"`
	DueAt        time.Time             `json:"dueAt"`
	At           time.Time             `json:"at"`               // when it is due to be sent
	Missed       bool                  `json:"missed,omitempty"` // the mail to the supervisor, not a reminder
	SentAt       *time.Time            `json:"sentAt,omitempty"`
	Cancelled    bool                  `json:"cancelled,omitempty"` // the deadline was settled first
	// Failed: the notification activity gave up after its whole retry budget (a day); the mail
	// stays pending in the outbox, where operations see it, and the workflow does not try again.
	Failed bool `json:"failed,omitempty"`
}

// PlanState is the part of the case state that the plan and what keeps it honest add.
type PlanState struct {
	Plans         []PlanVersion        `json:"plans,omitempty"`
	FollowUps     []FollowUpRecord     `json:"followUps,omitempty"`
	Disagreements []DisagreementRecord `json:"disagreements,omitempty"`
	Placement     *PlacementRecord     `json:"placement,omitempty"`
	Handovers     []HandoverRecord     `json:"handovers,omitempty"`
	Reopenings    []ReopenRecord       `json:"reopenings,omitempty"`
	Reminders     []ReminderRecord     `json:"reminders,omitempty"`
	// RemindersOn is set in runs that send reminders; runs started before reminders existed don't,
	// until they continue as new.
	RemindersOn bool `json:"remindersOn,omitempty"`
	// ReopenUntil is the end of the reopening period of a closed case (docs/process.md §7.2): until then the
	// workflow stays, so a new concern or a ReopenCase reopens it; nil for cases closed before it.
	ReopenUntil *time.Time `json:"reopenUntil,omitempty"`
}

// EstablishedPlan is the plan in force, if any.
func (s *CaseState) EstablishedPlan() *PlanVersion {
	for i := len(s.Plans) - 1; i >= 0; i-- {
		if s.Plans[i].Status == PlanEstablished {
			return &s.Plans[i]
		}
	}
	return nil
}

// ProposedPlan is the version awaiting approval, if any.
func (s *CaseState) ProposedPlan() *PlanVersion {
	for i := len(s.Plans) - 1; i >= 0; i-- {
		if s.Plans[i].Status == PlanProposed {
			return &s.Plans[i]
		}
	}
	return nil
}

// PendingHandover is the handover the new named person has not yet acknowledged, if any.
func (s *CaseState) PendingHandover() *HandoverRecord {
	if n := len(s.Handovers); n > 0 && s.Handovers[n-1].Acknowledged == nil {
		return &s.Handovers[n-1]
	}
	return nil
}
