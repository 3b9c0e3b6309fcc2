package report

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Facts are what the yearly follow-up and the oversight count of a case (docs/process.md §12): no
// identities – no name, no personal identity number, no birth date, no free text – only kinds,
// bands, times and outcomes. The workflow computes them from its state with every projection (they
// travel in the ProjectCase activity's input, so the JSON names are recorded in histories: never
// rename one); the read model keeps the latest under the same StateSeq rule as the case's row.
type Facts struct {
	// AgeBand is the child's age at the first concern, banded: "0-5", "6-9", "10-12", "13-15",
	// "16-17" or "18-20".
	AgeBand string `json:"ageBand"`
	// Gender is not recorded in the first version (docs/process.md §6.1 names none); the report omits it.
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

// DeadlineFact is one deadline and how it went; WorkingDays counts from its start to the step, by
// the case's policy calendar, once the step is done.
type DeadlineFact struct {
	Kind        casework.DeadlineKind `json:"kind"`
	StartedAt   time.Time             `json:"startedAt"`
	DueAt       time.Time             `json:"dueAt"`
	DoneAt      *time.Time            `json:"doneAt,omitempty"`
	Status      string                `json:"status"` // open, met, missed, cancelled
	WorkingDays *int                  `json:"workingDays,omitempty"`
}

// The deadline statuses of DeadlineFact (workflows.DeadlineStatus).
const (
	StatusOpen      = "open"
	StatusMet       = "met"
	StatusMissed    = "missed"
	StatusCancelled = "cancelled"
)

// DeviationFact is one deviation (docs/process.md §9).
type DeviationFact struct {
	ID           string                `json:"id"`
	Kind         string                `json:"kind"` // missed_deadline or reported
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	UnitID       string                `json:"unitId"`
	OccurredAt   time.Time             `json:"occurredAt"`
	Handled      bool                  `json:"handled"`
	Withdrawn    bool                  `json:"withdrawn,omitempty"`
}

// The deviation kinds of DeviationFact (workflows.DeviationKind).
const (
	DeviationMissedDeadline = "missed_deadline"
	DeviationReported       = "reported"
)

// Pending reports whether the deviation waits for its supervisor's handling.
func (d DeviationFact) Pending() bool { return !d.Handled && !d.Withdrawn }

// EscalationFact is one step a disagreement reached (docs/process.md §10); Step 0 is the first level.
type EscalationFact struct {
	Disagreement string    `json:"disagreement"`
	Step         int       `json:"step"`
	Level        string    `json:"level"`
	StartedAt    time.Time `json:"startedAt"`
	Decided      bool      `json:"decided"`
	Open         bool      `json:"open"` // the disagreement waits at this step
}

// ParseFacts reads the facts the read model stores. Fields it does not know are ignored, so a
// workflow that projects a new fact never stops the reports.
func ParseFacts(b []byte) (Facts, error) {
	var f Facts
	if err := json.Unmarshal(b, &f); err != nil {
		return Facts{}, fmt.Errorf("parse case facts: %w", err)
	}
	return f, nil
}

// Case is one case as the reports see it: the read model's row and the case's facts.
type Case struct {
	// ID links an oversight item to the case; the yearly report never shows it.
	ID string
	// Child is the same for every case of one child (the workflow ID, a keyed pseudonym): small
	// cells are counted in children, not cases.
	Child             string
	Municipality      string
	Phase             casework.Phase // now
	NamedPersonUnitID string
	Policy            casework.PolicyRef
	// HasFacts is false for a case its workflow has not projected facts for yet; Facts is then
	// empty but for OpenedAt.
	HasFacts bool
	Facts    Facts
	// Visible: the reader of the oversight may open the case.
	Visible bool
}

// Unknown is the key of a case whose age band or named person's unit is not known (not routed yet).
const Unknown = "unknown"

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}
