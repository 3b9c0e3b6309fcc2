package activities

import (
	"encoding/json"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// CaseEvent is one business event of a case as the case workflow recorded it when it happened
// (docs/architecture.md, "Case events"): a step someone took, the routing, a deadline that passed,
// an automatic escalation, a reminder or message sent. The workflow numbers a case's events from 1 in
// the order it recorded them; the projection writes them to case_events, and the timeline reads them
// from there. Its fields are recorded in histories and in the table: never renamed.
type CaseEvent struct {
	Seq        int64         `json:"seq"`
	Kind       CaseEventKind `json:"kind"`
	OccurredAt time.Time     `json:"occurredAt"`   // business time
	RecordedAt time.Time     `json:"recordedAt"`   // the workflow's clock when it recorded the event
	By         *EventActor   `json:"by,omitempty"` // nil: the system
	// The parameters of the event's sentence, one of them by Kind.
	Step       *StepEvent          `json:"step,omitempty"`
	Routing    *RouteConcernResult `json:"routing,omitempty"`
	Notice     *NoticeEvent        `json:"notice,omitempty"`
	Deadline   *DeadlineEvent      `json:"deadline,omitempty"`
	Escalation *EscalationEvent    `json:"escalation,omitempty"`
}

// CaseEventKind says what a case event is.
type CaseEventKind string

const (
	// EventStep is a command someone gave that the case applied (an update that succeeded).
	EventStep CaseEventKind = "step"
	// EventConcernRouted is the routing of a new case to its named person's unit.
	EventConcernRouted CaseEventKind = "concern_routed"
	// EventNoticeSent is a reminder or message that reached its recipients.
	EventNoticeSent CaseEventKind = "notice_sent"
	// EventDeadlineMissed is a deadline passing with its step not done: the automatic deviation.
	EventDeadlineMissed CaseEventKind = "deadline_missed"
	// EventEscalatedAutomatically is a disagreement taken to the next step because its time was up.
	EventEscalatedAutomatically CaseEventKind = "disagreement_escalated_automatically"
)

// EventActor is who did it: a user, their role and unit, and their name as the command gave it.
type EventActor struct {
	User string        `json:"user"`
	Name string        `json:"name,omitempty"`
	Role casework.Role `json:"role"`
	Unit string        `json:"unit"`
}

// StepEvent is a command the case applied: the update's name, its input and its answer as the API
// sent and received them, and the phase before it. The sentence reads them as it reads an update in a
// history, so a step reads the same whichever record the timeline comes from.
type StepEvent struct {
	Update      string         `json:"update"`
	Command     StepInput      `json:"command"`
	Answer      StepInput      `json:"answer"`
	PhaseBefore casework.Phase `json:"phaseBefore"`
	// Policy is the policy a handover to another municipality brought; nil for every other step.
	Policy *casework.Policy `json:"policy,omitempty"`
	// Caused counts the events right after this one that were recorded while the step was applied
	// (the routing of a new case, a deadline it found passed): they happened before it was done.
	Caused int `json:"caused,omitempty"`
}

// NoticeEvent is a notification sent: its kind, recipients and the deadline it is about – not its
// subject and text, which the timeline does not show.
type NoticeEvent struct {
	Kind         NotifyKind            `json:"kind"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	DueAt        *time.Time            `json:"dueAt,omitempty"`
	Recipients   []casework.Assignee   `json:"recipients"`
}

// DeadlineEvent is the deadline that passed (its OccurredAt is the due instant).
type DeadlineEvent struct {
	Kind  casework.DeadlineKind `json:"kind"`
	Rule  string                `json:"rule"`
	DueAt time.Time             `json:"dueAt"`
}

// EscalationEvent is an automatic escalation: the disagreement and the number of its steps after it.
type EscalationEvent struct {
	DisagreementID string `json:"disagreementId"`
	Steps          int    `json:"steps"`
}

// StepInput is a step's command or answer: the value the workflow recorded, or the JSON it was written
// as when it is read back. It is encoded where the event is – by the data converter or the projection –
// never in the workflow's own code, which must not call encoding/json (workflowcheck).
type StepInput struct {
	value any
	raw   json.RawMessage
}

// RecordedInput is the step input v.
func RecordedInput(v any) StepInput { return StepInput{value: v} }

// JSON is the input as JSON.
func (s StepInput) JSON() ([]byte, error) {
	if s.raw != nil {
		return s.raw, nil
	}
	return json.Marshal(s.value)
}

// MarshalJSON writes the input as it was given.
func (s StepInput) MarshalJSON() ([]byte, error) {
	b, err := s.JSON()
	if err == nil && len(b) == 0 {
		return []byte("null"), nil
	}
	return b, err
}

// UnmarshalJSON keeps the JSON, for a reader to decode into the command's type.
func (s *StepInput) UnmarshalJSON(b []byte) error {
	s.value, s.raw = nil, append(json.RawMessage(nil), b...)
	return nil
}
