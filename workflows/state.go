package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// DeadlineStatus is whether a deadline is still running, was met, or was missed.
type DeadlineStatus string

const (
	DeadlineOpen      DeadlineStatus = "open"
	DeadlineMet       DeadlineStatus = "met"
	DeadlineMissed    DeadlineStatus = "missed"
	DeadlineCancelled DeadlineStatus = "cancelled"
)

// Deadline is one running or settled deadline of the case.
type Deadline struct {
	Kind      casework.DeadlineKind `json:"kind"`
	StartedAt time.Time             `json:"startedAt"` // business time the deadline counts from
	DueAt     time.Time             `json:"dueAt"`
	Rule      string                `json:"rule"` // how the policy put it, e.g. "2 arbetsdagar"
	Status    DeadlineStatus        `json:"status"`
	SettledAt *time.Time            `json:"settledAt,omitempty"`
	// DoneAt is the business time the step was done, on time or late; a missed deadline whose step
	// is not yet done keeps the case overdue.
	DoneAt *time.Time `json:"doneAt,omitempty"`
}

// Concern is a registered concern, with when it was seen and when it was entered.
type Concern struct {
	ID           string               `json:"id"`
	Areas        []casework.WheelArea `json:"areas"`
	Observation  string               `json:"observation"`
	SuspectsHarm bool                 `json:"suspectsHarm"`
	Schooling    casework.Schooling   `json:"schooling"`
	OccurredAt   time.Time            `json:"occurredAt"`
	RecordedAt   time.Time            `json:"recordedAt"`
	By           Actor                `json:"by"`
}

// DeviationKind says what kind of deviation (avvikelse, docs/process.md §9) was written.
type DeviationKind string

const (
	// DeviationMissedDeadline is written by the workflow itself when a deadline passes.
	DeviationMissedDeadline DeviationKind = "missed_deadline"
	// DeviationReported is a deviation report written by someone with a part in the case.
	DeviationReported DeviationKind = "reported"
)

// Deviation is a routine not followed; it goes to the responsible unit's supervisor.
type Deviation struct {
	// ID is "avv-N", N counting the case's deviations from 1; deviations recorded before IDs existed
	// get theirs when the case is next loaded.
	ID           string                `json:"id,omitempty"`
	Kind         DeviationKind         `json:"kind"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	UnitID       string                `json:"unitId"` // the responsible unit
	Description  string                `json:"description"`
	OccurredAt   time.Time             `json:"occurredAt"`
	RecordedAt   time.Time             `json:"recordedAt"`
	// WithdrawnAt is set on an automatic deviation when the step turns out to have been done in
	// time, only entered late: the deadline did not pass, but the deviation stays in the case file.
	WithdrawnAt *time.Time `json:"withdrawnAt,omitempty"`
	// ReportedBy wrote a reported deviation; nil for the automatic ones.
	ReportedBy *Actor `json:"reportedBy,omitempty"`
	// Handled is the responsible unit's supervisor's record of its handling.
	Handled *DeviationHandling `json:"handled,omitempty"`
}

// Open reports whether the deviation still waits for its handling.
func (d *Deviation) Open() bool { return d.WithdrawnAt == nil && d.Handled == nil }

// CaseState is the whole state of a case: what queries return and what continue-as-new carries.
type CaseState struct {
	CaseID          string               `json:"caseId"`
	Municipality    string               `json:"municipality"`
	Policy          casework.Policy      `json:"policy"` // the version the case started with
	Phase           casework.Phase       `json:"phase"`
	Child           Child                `json:"child"`
	NamedPersonUnit *casework.UnitRef    `json:"namedPersonUnit,omitempty"`
	RoutingReason   string               `json:"routingReason,omitempty"`
	Areas           []casework.WheelArea `json:"areas"`
	SuspectsHarm    bool                 `json:"suspectsHarm"`
	Concerns        []Concern            `json:"concerns"`
	Deadlines       []Deadline           `json:"deadlines"`
	Deviations      []Deviation          `json:"deviations"`
	Overdue         bool                 `json:"overdue"`
	OpenedAt        time.Time            `json:"openedAt"`
	// PhaseSince is when the case entered Phase (PhaseOf is the phase it was taken for), for the
	// SamverkanPhaseSince search attribute.
	PhaseSince time.Time      `json:"phaseSince,omitempty"`
	PhaseOf    casework.Phase `json:"phaseOf,omitempty"`
	ProcessState
	PlanState
	EventState // case_events.go
	// Seq grows with every change, so the read model can drop a projection that arrives late.
	Seq int64 `json:"seq"`
}

// NextDeadline is the earliest open deadline, if any.
func (s *CaseState) NextDeadline() *Deadline {
	var next *Deadline
	for i := range s.Deadlines {
		d := &s.Deadlines[i]
		if d.Status == DeadlineOpen && (next == nil || d.DueAt.Before(next.DueAt)) {
			next = d
		}
	}
	return next
}

func (s *CaseState) concern(id string) *Concern {
	for i := range s.Concerns {
		if s.Concerns[i].ID == id {
			return &s.Concerns[i]
		}
	}
	return nil
}
