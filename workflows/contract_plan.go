package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Update names of the plan and what keeps it honest (docs/process.md §6.5, §6.6, §9, §10, §11). Recorded in
// histories: never renamed.
const (
	UpdateProposePlan             = "ProposePlan"
	UpdateApprovePlan             = "ApprovePlan"
	UpdateRecordFollowUp          = "RecordFollowUp"
	UpdateReportDeviation         = "ReportDeviation"
	UpdateHandleDeviation         = "HandleDeviation"
	UpdateRaiseDisagreement       = "RaiseDisagreement"
	UpdateDecideDisagreement      = "DecideDisagreement"
	UpdateEscalateDisagreement    = "EscalateDisagreement"
	UpdateRecordPlacement         = "RecordPlacement"
	UpdateRecordHealthExamination = "RecordHealthExamination"
	UpdateSettleCostDistribution  = "SettleCostDistribution"
	UpdateHandOverCase            = "HandOverCase"
	UpdateReopenCase              = "ReopenCase"
)

// Principal is a huvudman: the municipality, the region, the police, an independent school's owner –
// or, for measures by others (docs/process.md §6.5 part 3), e.g. an association, "other".
type Principal struct {
	Kind casework.PrincipalKind `json:"kind"`
	Name string                 `json:"name"`
}

// PrincipalOther is a principal that is none of the public ones (an association, a company).
const PrincipalOther casework.PrincipalKind = "other"

// Intervention is one insats of the plan.
type Intervention struct {
	// ID is the plan's own short reference (e.g. "i1"), unique in a version and kept across versions,
	// so a follow-up and a revision refer to the same intervention.
	ID          string               `json:"id"`
	Description string               `json:"description"`
	Principal   Principal            `json:"principal"`            // responsible principal (part 2)
	UnitID      string               `json:"unitId,omitempty"`     // responsible unit, if in the directory
	Performer   string               `json:"performer"`            // who performs it
	Extent      string               `json:"extent"`               // e.g. "1 tim/vecka under ht"
	Areas       []casework.WheelArea `json:"areas"`                // the wheel areas it serves
	FollowUpHow string               `json:"followUpHow"`          // how it is followed up
	Goal        string               `json:"goal,omitempty"`       // what it should achieve
	FollowUpAt  *time.Time           `json:"followUpAt,omitempty"` // when, if earlier than the plan's
}

// ProposePlan proposes a version of the SIP (docs/process.md §6.5). The four statutory parts are checked
// before it is accepted: the interventions (1), each with its responsible principal (2), the measures
// by others than municipality or region – or the explicit statement that there are none (3) – and the
// principal with overall responsibility (4). FollowUpAt is the booked follow-up (§6.6), required.
type ProposePlan struct {
	Command
	Interventions         []Intervention `json:"interventions"`
	NoMeasuresByOthers    bool           `json:"noMeasuresByOthers,omitempty"`
	OverallResponsibility Principal      `json:"overallResponsibility"`
	FollowUpAt            time.Time      `json:"followUpAt"`
	ChildParticipation    string         `json:"childParticipation,omitempty"` // how the child took part
}

// ApprovePlan records the child's or a guardian's approval (or refusal) of a proposed version. The
// plan is established when every party the case needs has approved: the guardians (both under joint
// custody) and the child from the policy's age.
type ApprovePlan struct {
	Command
	Version   int           `json:"version"`
	Party     PartyKind     `json:"party"`
	PartyName string        `json:"partyName"`
	Approved  bool          `json:"approved"`
	Method    ConsentMethod `json:"method"`
	Comment   string        `json:"comment,omitempty"`
}

// InterventionFollowUp is what a follow-up found for one intervention.
type InterventionFollowUp struct {
	InterventionID string `json:"interventionId"`
	Done           string `json:"done"` // what was done
	GoalMet        bool   `json:"goalMet"`
	Note           string `json:"note,omitempty"`
}

// FollowUpOutcome is where a follow-up leads (docs/process.md §6.6).
type FollowUpOutcome string

const (
	// FollowUpRevise: the plan goes on, revised if need be, with a new follow-up date.
	FollowUpRevise FollowUpOutcome = "revise"
	// FollowUpClose: the case closes with CloseReason.
	FollowUpClose FollowUpOutcome = "close"
)

// RecordFollowUp records a held follow-up of the established plan: every intervention, then the
// outcome.
type RecordFollowUp struct {
	Command
	Interventions  []InterventionFollowUp `json:"interventions"`
	Outcome        FollowUpOutcome        `json:"outcome"`
	NextFollowUpAt *time.Time             `json:"nextFollowUpAt,omitempty"` // revise
	CloseReason    CloseReason            `json:"closeReason,omitempty"`    // close
	Note           string                 `json:"note,omitempty"`
}

// ReportDeviation is a deviation report written by anyone with a part in the case (docs/process.md §9). It
// goes to the supervisor of the responsible unit.
type ReportDeviation struct {
	Command
	UnitID      string `json:"unitId"` // the unit whose routine was not followed
	Description string `json:"description"`
}

// HandleDeviation is the supervisor's record of how a deviation was handled.
type HandleDeviation struct {
	Command
	DeviationID string `json:"deviationId"`
	Handling    string `json:"handling"`
}

// DisagreementSubject is what principals disagree about (docs/process.md §10).
type DisagreementSubject string

const (
	DisagreementResponsibility DisagreementSubject = "responsibility"
	DisagreementCost           DisagreementSubject = "cost"
)

// RaiseDisagreement raises a disagreement between principals on the case; it starts at the first
// step of the policy's ladder. The case keeps going meanwhile.
type RaiseDisagreement struct {
	Command
	Subject  DisagreementSubject `json:"subject"`
	Question string              `json:"question"`
	Parties  []string            `json:"parties"` // the principals or units that disagree, two or more
}

// DecideDisagreement records the decision of the step the disagreement is at; it is then resolved.
type DecideDisagreement struct {
	Command
	DisagreementID string `json:"disagreementId"`
	Decision       string `json:"decision"`
}

// EscalateDisagreement takes an unresolved disagreement to the next step before its time is up.
type EscalateDisagreement struct {
	Command
	DisagreementID string `json:"disagreementId"`
	Reason         string `json:"reason"`
}

// PlacementKind: a planned placement outside the home, or an acute one (docs/process.md §11).
type PlacementKind string

const (
	PlacementPlanned PlacementKind = "planned"
	PlacementAcute   PlacementKind = "acute"
)

// CostDistribution is how the principals share the cost of a placement.
type CostDistribution struct {
	Agreement string   `json:"agreement"`
	Parties   []string `json:"parties"`
}

// RecordPlacement records social services' decision to place the child outside the home. A planned
// placement needs the health examination and the cost distribution first; after an acute one the
// cost distribution is due within the policy's deadline.
type RecordPlacement struct {
	Command
	Kind                PlacementKind     `json:"kind"`
	HealthExaminationAt *time.Time        `json:"healthExaminationAt,omitempty"`
	CostDistribution    *CostDistribution `json:"costDistribution,omitempty"`
}

// RecordHealthExamination records the health examination of a placed child; OccurredAt is when it was
// held.
type RecordHealthExamination struct {
	Command
}

// SettleCostDistribution settles the cost distribution of the placement.
type SettleCostDistribution struct {
	Command
	CostDistribution
}

// HandOverCase passes the case to the named person of another unit when the child moves (docs/process.md
// §6.6), possibly in another municipality, whose policy then applies to new deadlines. The new named
// person must acknowledge it. The API resolves To and its municipality from the directory.
type HandOverCase struct {
	Command
	To             casework.UnitRef `json:"to"`
	ToMunicipality string           `json:"toMunicipality"`
	Reason         string           `json:"reason"`
}

// ReopenCase reopens a case closed within the policy's reopening period (docs/process.md §7.2) instead of
// starting a new one. A new concern in that period reopens it too.
type ReopenCase struct {
	Command
	Reason string `json:"reason"`
}
