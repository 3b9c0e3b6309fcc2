// Package workflows holds the case workflow: one durable workflow per child with an open case, the
// only writer of case state (docs/architecture.md §1). This file is its contract with the API and the worker:
// names recorded in histories and the messages that cross the boundary. Never rename a name or a
// JSON field here; add new ones.
package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

const (
	// DefaultTaskQueue is where case workflows and their activities run unless configured otherwise.
	DefaultTaskQueue = "samverkan-cases"

	CaseWorkflowName      = "Case"
	UpdateRegisterConcern = "RegisterConcern"
	QueryCaseState        = "CaseState"
)

// Search attributes the case workflow keeps up to date for supervisors in the Temporal UI. They
// carry no personal data. They must be registered in the namespace (dev does it; deploy/README.md
// says how on a cluster).
const (
	SearchAttrPhase           = "SamverkanPhase"
	SearchAttrMunicipality    = "SamverkanMunicipality"
	SearchAttrNamedPersonUnit = "SamverkanNamedPersonUnit"
	SearchAttrNextDeadline    = "SamverkanNextDeadline"
	SearchAttrOverdue         = "SamverkanOverdue"
	// SearchAttrPhaseSince is when the case entered its phase, for filters such as "in samarbeta
	// for more than 20 working days".
	SearchAttrPhaseSince = "SamverkanPhaseSince"
)

// CaseWorkflowID is the workflow ID of a child's case: the child's keyed pseudonym, so that a second
// concern about the same child reaches the same workflow and the ID reveals nobody.
func CaseWorkflowID(childPseudonym string) string { return "case-" + childPseudonym }

// CaseStart is the workflow's input when a child's first concern starts it.
type CaseStart struct {
	// CaseID is the case's public reference, minted by the API: the child's pseudonym and a random
	// suffix, so each case of the same child over the years has its own.
	CaseID       string `json:"caseId"`
	Municipality string `json:"municipality"`
	// Carried is set only when the workflow continues as new: the whole state of the case.
	Carried *CaseState `json:"carried,omitempty"`
}

// Actor is who did something: the user, in which role, for which unit. Every recorded event has one.
type Actor struct {
	User string        `json:"user"`
	Name string        `json:"name,omitempty"`
	Role casework.Role `json:"role"`
	Unit string        `json:"unit"`
	// UnitKind is the kind of the actor's unit, resolved by the API from the directory, so the
	// workflow can apply rules such as who may initiate a SIP without I/O.
	UnitKind casework.UnitKind `json:"unitKind,omitempty"`
}

// Child is who the case is about. PersonalNumber is normalised (12 digits); a child without one has
// a ReserveNumber instead.
type Child struct {
	PersonalNumber string             `json:"personalNumber,omitempty"`
	ReserveNumber  string             `json:"reserveNumber,omitempty"`
	Name           string             `json:"name"`
	BirthDate      string             `json:"birthDate"` // YYYY-MM-DD
	Schooling      casework.Schooling `json:"schooling"`
}

// RegisterConcern is one professional's concern about a child (docs/process.md §6.1). It is the update of
// update-with-start: it starts the child's case or joins the open one.
type RegisterConcern struct {
	// ConcernID is the update ID, which is the request's Idempotency-Key when one is given: a retried
	// request finds its concern already registered and gets the same answer.
	ConcernID    string               `json:"concernId"`
	Child        Child                `json:"child"`
	Municipality string               `json:"municipality"`
	Areas        []casework.WheelArea `json:"areas"`
	Observation  string               `json:"observation"`
	SuspectsHarm bool                 `json:"suspectsHarm"`
	// OccurredAt is the business time: when the concern was seen, which may be before it is entered.
	OccurredAt time.Time `json:"occurredAt"`
	By         Actor     `json:"by"`
}

// RegisterConcernResult answers a registered concern.
type RegisterConcernResult struct {
	CaseID          string           `json:"caseId"`
	Joined          bool             `json:"joined"` // the concern joined an open case
	Phase           casework.Phase   `json:"phase"`
	NamedPersonUnit casework.UnitRef `json:"namedPersonUnit"`
	Deadlines       []Deadline       `json:"deadlines"`
}
