package activities

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// CaseFacts are what the yearly follow-up and the oversight count of a case (DOMAIN.md §12): no
// identities – no name, no personal identity number, no birth date, no free text – only kinds,
// bands, times and outcomes. The workflow computes them from its state with every projection; the
// read model keeps the latest under the same StateSeq rule as the case's row.
type CaseFacts struct {
	// AgeBand is the child's age at the first concern, banded: "0-5", "6-9", "10-12", "13-15",
	// "16-17" or "18-20".
	AgeBand string `json:"ageBand"`
	// Gender is not recorded in the first version (DOMAIN.md §6.1 names none); the report omits it.
	Areas               []casework.WheelArea `json:"areas"`
	NamedPersonUnitKind casework.UnitKind    `json:"namedPersonUnitKind"`
	// AgencyKinds are the kinds of unit that took part within the consent, at any time.
	AgencyKinds []casework.UnitKind `json:"agencyKinds,omitempty"`
	OpenedAt    time.Time           `json:"openedAt"`
	ClosedAt    *time.Time          `json:"closedAt,omitempty"`
	CloseReason string              `json:"closeReason,omitempty"`
	Deadlines   []DeadlineFact      `json:"deadlines,omitempty"`
	// ConsentRefused / ConsentRevoked: a party refused consent / consent was revoked wholly or in part.
	ConsentRefused   bool `json:"consentRefused,omitempty"`
	ConsentRevoked   bool `json:"consentRevoked,omitempty"`
	PlansEstablished int  `json:"plansEstablished"` // versions of the SIP that came into force
	// FirstPlanAt is the business time the first version came into force.
	FirstPlanAt *time.Time       `json:"firstPlanAt,omitempty"`
	Deviations  []DeviationFact  `json:"deviations,omitempty"`
	Escalations []EscalationFact `json:"escalations,omitempty"`
	Placement   string           `json:"placement,omitempty"` // "planned", "acute" or empty
	HandedOver  int              `json:"handedOver,omitempty"`
	Reopened    int              `json:"reopened,omitempty"`
}

// DeadlineFact is one deadline and how it went. WorkingDays is the working days from its start to
// the step's business time, by the case's policy calendar, when the step is done.
type DeadlineFact struct {
	Kind        casework.DeadlineKind `json:"kind"`
	StartedAt   time.Time             `json:"startedAt"`
	DueAt       time.Time             `json:"dueAt"`
	DoneAt      *time.Time            `json:"doneAt,omitempty"`
	Status      string                `json:"status"` // open, met, missed, cancelled
	WorkingDays *int                  `json:"workingDays,omitempty"`
}

// DeviationFact is one deviation: its kind, what deadline, when, and whether it is handled.
type DeviationFact struct {
	ID           string                `json:"id"`
	Kind         string                `json:"kind"` // missed_deadline or reported
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	UnitID       string                `json:"unitId"`
	OccurredAt   time.Time             `json:"occurredAt"`
	Handled      bool                  `json:"handled"`
	Withdrawn    bool                  `json:"withdrawn,omitempty"`
}

// EscalationFact is one step a disagreement reached: its level on the ladder (0 the first), name,
// and when.
type EscalationFact struct {
	Disagreement string    `json:"disagreement"`
	Step         int       `json:"step"`
	Level        string    `json:"level"`
	StartedAt    time.Time `json:"startedAt"`
	Decided      bool      `json:"decided"`
	Open         bool      `json:"open"` // the disagreement waits at this step
}
