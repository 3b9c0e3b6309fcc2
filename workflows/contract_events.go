package workflows

import "github.com/samverkan/samverkan/activities"

// The case events the workflow records (case_events.go), for those who read them – the API's
// timeline, which may not import activities (docs/architecture.md §2). Defined once, in activities,
// because the projection writes them. Recorded in histories and in case_events: never renamed.
type (
	CaseEvent       = activities.CaseEvent
	CaseEventKind   = activities.CaseEventKind
	EventActor      = activities.EventActor
	StepEvent       = activities.StepEvent
	NoticeEvent     = activities.NoticeEvent
	DeadlineEvent   = activities.DeadlineEvent
	EscalationEvent = activities.EscalationEvent
)

// The kinds of case event (activities.CaseEventKind).
const (
	EventStep                   = activities.EventStep
	EventConcernRouted          = activities.EventConcernRouted
	EventNoticeSent             = activities.EventNoticeSent
	EventDeadlineMissed         = activities.EventDeadlineMissed
	EventEscalatedAutomatically = activities.EventEscalatedAutomatically
)
