package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Case events (docs/architecture.md, "Case events"): the workflow records each business event of the
// case when it happens – a step, the routing, a deadline passed, an automatic escalation, a reminder
// or message sent – numbered from 1 in the order recorded. The state keeps only the events not yet
// projected (EventState); the projection writes them to case_events and the run drops them once it
// has. The timeline reads them from there.

// caseEventsVersion starts the recording of case events in cases begun with it. A case begun before
// records none for its whole life – its timeline stays read from its histories – since a record
// begun half-way would lose the start of the case. The DefaultVersion branch may go once no case begun
// before this release is open or archived with its histories.
const caseEventsVersion = "record-case-events"

// EventState is the case's record of events, carried across continue-as-new.
type EventState struct {
	// RecordsEvents is set in cases begun with case events; their timeline reads case_events.
	RecordsEvents bool `json:"recordsEvents,omitempty"`
	// EventsRecorded counts the events recorded so far: the last one's number.
	EventsRecorded int64 `json:"eventsRecorded,omitempty"`
	// PendingEvents are the events recorded and not yet projected, in order.
	PendingEvents []CaseEvent `json:"pendingEvents,omitempty"`
}

// startRecordingEvents: a case begun now records its events. Called before the workflow first blocks,
// so the first concern is recorded too.
func (c *caseRun) startRecordingEvents(ctx workflow.Context, start CaseStart) {
	if start.Carried == nil && workflow.GetVersion(ctx, caseEventsVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		c.state.RecordsEvents = true
	}
}

// recordEvent numbers e and keeps it for the next projection, which it asks for.
func (c *caseRun) recordEvent(ctx workflow.Context, e CaseEvent) {
	if !c.state.RecordsEvents {
		return
	}
	c.state.EventsRecorded++
	e.Seq, e.RecordedAt = c.state.EventsRecorded, workflow.Now(ctx)
	c.state.PendingEvents = append(c.state.PendingEvents, e)
	c.dirty = true
}

// eventMark is the number the next event will get: where a step whose consequences are recorded
// while it is applied stands (recordStep).
func (c *caseRun) eventMark() int64 { return c.state.EventsRecorded + 1 }

// recordStep records the command in applied by the update name, before the events its application
// recorded since mark: the step comes first, what it caused after it (a deadline it found passed, the
// routing of a new case). When those were projected meanwhile, it is recorded after them.
func (c *caseRun) recordStep(ctx workflow.Context, mark int64, name string, in Command, input, answer any, before casework.Phase, policy casework.PolicyRef) {
	if !c.state.RecordsEvents {
		return
	}
	e := CaseEvent{Kind: EventStep, OccurredAt: in.OccurredAt, By: eventActor(in.By),
		Step: &StepEvent{Update: name, Command: activities.RecordedInput(input), Answer: activities.RecordedInput(answer), PhaseBefore: before}}
	if policy.ID != "" && c.state.Policy.PolicyRef != policy { // a new case's policy is in its routing
		p := c.state.Policy
		e.Step.Policy = &p
	}
	c.recordEventAt(ctx, mark, e)
}

// recordEventAt records e as number mark when the events from mark on are all still pending and none
// is being projected, moving them one on; else it records it last.
func (c *caseRun) recordEventAt(ctx workflow.Context, mark int64, e CaseEvent) {
	i := slices.IndexFunc(c.state.PendingEvents, func(p CaseEvent) bool { return p.Seq == mark })
	if i < 0 || mark <= c.projectingEvents {
		c.recordEvent(ctx, e)
		return
	}
	c.recordEvent(ctx, e) // numbers it and takes the clock
	last := len(c.state.PendingEvents) - 1
	e = c.state.PendingEvents[last]
	copy(c.state.PendingEvents[i+1:], c.state.PendingEvents[i:last])
	e.Seq = mark
	if e.Step != nil {
		e.Step.Caused = last - i
	}
	c.state.PendingEvents[i] = e
	for j := i + 1; j <= last; j++ {
		c.state.PendingEvents[j].Seq++
	}
}

// eventsProjected drops the pending events up to number upTo: the projection wrote them.
func (c *caseRun) eventsProjected(upTo int64) {
	c.state.PendingEvents = slices.DeleteFunc(c.state.PendingEvents, func(e CaseEvent) bool { return e.Seq <= upTo })
	if len(c.state.PendingEvents) == 0 {
		c.state.PendingEvents = nil
	}
}

func eventActor(a Actor) *EventActor {
	return &EventActor{User: a.User, Name: a.Name, Role: a.Role, Unit: a.Unit}
}

// noticeEvent is the event of a notification sent.
func noticeEvent(req activities.NotifyRequest) *NoticeEvent {
	return &NoticeEvent{Kind: req.Kind, DeadlineKind: req.DeadlineKind, DueAt: req.DueAt, Recipients: req.Recipients}
}
