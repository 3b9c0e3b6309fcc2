package cases

import (
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

type deadlineJSON struct {
	Kind      casework.DeadlineKind    `json:"kind"`
	DueAt     httpkit.LocalTime        `json:"dueAt"`
	Status    workflows.DeadlineStatus `json:"status"`
	StartedAt httpkit.LocalTime        `json:"startedAt"`
	Rule      string                   `json:"rule"`
	SettledAt *httpkit.LocalTime       `json:"settledAt,omitempty"`
	// DoneAt is the business time the step was done, on time or late.
	DoneAt *httpkit.LocalTime `json:"doneAt,omitempty"`
}

func deadlinesJSON(ds []workflows.Deadline) []deadlineJSON {
	out := make([]deadlineJSON, len(ds))
	for i, d := range ds {
		out[i] = deadlineJSON{Kind: d.Kind, DueAt: httpkit.LocalTime(d.DueAt), Status: d.Status, StartedAt: httpkit.LocalTime(d.StartedAt), Rule: d.Rule}
		out[i].SettledAt, out[i].DoneAt = httpkit.LocalTimePtr(d.SettledAt), httpkit.LocalTimePtr(d.DoneAt)
	}
	return out
}

type deviationJSON struct {
	ID           string                  `json:"id"`
	Kind         workflows.DeviationKind `json:"kind"`
	DeadlineKind casework.DeadlineKind   `json:"deadlineKind,omitempty"`
	UnitID       string                  `json:"unitId"`
	Description  string                  `json:"description"`
	OccurredAt   httpkit.LocalTime       `json:"occurredAt"`
	RecordedAt   httpkit.LocalTime       `json:"recordedAt"`
	// WithdrawnAt: the step was done in time and only entered late; the deviation stays on file.
	WithdrawnAt *httpkit.LocalTime `json:"withdrawnAt,omitempty"`
	// ReportedBy wrote a reported deviation; Handled is its supervisor's record of the handling.
	ReportedBy *workflows.Actor       `json:"reportedBy,omitempty"`
	Handled    *deviationHandlingJSON `json:"handled,omitempty"`
}

type concernJSON struct {
	ID           string               `json:"id"`
	Areas        []casework.WheelArea `json:"areas"`
	Observation  string               `json:"observation"`
	SuspectsHarm bool                 `json:"suspectsHarm"`
	OccurredAt   httpkit.LocalTime    `json:"occurredAt"`
	RecordedAt   httpkit.LocalTime    `json:"recordedAt"`
	ReportedBy   workflows.Actor      `json:"reportedBy"`
}

type childViewJSON struct {
	Name           string             `json:"name"`
	PersonalNumber string             `json:"personalNumber,omitempty"`
	ReserveNumber  string             `json:"reserveNumber,omitempty"`
	BirthDate      string             `json:"birthDate"`
	Schooling      casework.Schooling `json:"schooling"`
}

// caseJSON is the case as its reader sees it: all of it with full access, a reporter's part of it
// otherwise (caseView).
type caseJSON struct {
	CaseID          string               `json:"caseId"`
	Phase           casework.Phase       `json:"phase,omitempty"`
	Municipality    string               `json:"municipality,omitempty"`
	Policy          *casework.PolicyRef  `json:"policy,omitempty"`
	NamedPersonUnit *httpkit.UnitRef     `json:"namedPersonUnit"`
	RoutingReason   string               `json:"routingReason,omitempty"`
	Child           *childViewJSON       `json:"child,omitempty"`
	Areas           []casework.WheelArea `json:"areas,omitempty"`
	SuspectsHarm    bool                 `json:"suspectsHarm"`
	Overdue         bool                 `json:"overdue"`
	OpenedAt        *httpkit.LocalTime   `json:"openedAt,omitempty"`
	Deadlines       []deadlineJSON       `json:"deadlines"`
	Deviations      []deviationJSON      `json:"deviations,omitempty"`
	Concerns        []concernJSON        `json:"concerns"`
	processJSON
	planJSON
	// Actions are the commands the reader may give now (actions.go); none with view "none".
	Actions []actionJSON `json:"actions"`
	// Archived: the case's workflow has ended and it is read from the archive (archived.go); it
	// takes no commands. EraseAfter is when the retention sweep erases it, LegalHold whether a legal
	// hold keeps it past that.
	Archived   bool               `json:"archived"`
	EraseAfter *httpkit.LocalTime `json:"eraseAfter,omitempty"`
	LegalHold  *bool              `json:"legalHold,omitempty"`
	// PreviousCases are the child's earlier cases, archived, that this one follows (a concern after
	// a case's workflow ended opens a new case linking to the archived one).
	PreviousCases []string `json:"previousCases,omitempty"`
	// View says how much the reader sees: "full", or "reporter" (only what they reported). After a
	// command that took the caller's own access away (their agency's consent revoked) it is "none".
	View string `json:"view"`
}

// suspectsHarm sets the view's flag from the concerns it shows: any of them suspecting harm. That is
// its one source – the case's own flag is the same over every concern – so the top of the view agrees
// with the concerns below it, and a reporter sees only what their own concerns say.
func (v *caseJSON) suspectsHarm() {
	v.SuspectsHarm = false
	for _, c := range v.Concerns {
		v.SuspectsHarm = v.SuspectsHarm || c.SuspectsHarm
	}
}

func concernsJSON(cs []workflows.Concern, keep func(workflows.Concern) bool) []concernJSON {
	out := []concernJSON{}
	for _, c := range cs {
		if keep(c) {
			out = append(out, concernJSON{ID: c.ID, Areas: c.Areas, Observation: c.Observation, SuspectsHarm: c.SuspectsHarm,
				OccurredAt: httpkit.LocalTime(c.OccurredAt), RecordedAt: httpkit.LocalTime(c.RecordedAt), ReportedBy: c.By})
		}
	}
	return out
}
