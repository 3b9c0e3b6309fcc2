package timeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/workflows"
)

// The timeline of a case begun with case events (workflows/case_events.go) is read from the events
// its workflow recorded – case_events, and those its state still holds unprojected – not from its
// histories. A case begun before keeps the history reader (history.go) for its whole life, and so does
// its archived file, which keeps its histories: a case records events from its start or not at all,
// and there is no back-fill, since the reader gives those cases the same timeline it always did. The
// reader may go once no such case is open or archived.
//
// Each event is read by the same sentences as the history's: a step is the command and answer the
// update carried, the rest say what the workflow did in the terms the reader finds in a history. So a
// case reads the same from either record (TestRecordedEventsReadAsTheHistory).
//
// Cases begun since issue 16 route their first concern and project by local activities
// (workflows: route-locally, project-locally), which leave a marker in the history and not the
// activity the reader reads: their histories carry neither the projection's events, so that test
// cannot compare them, nor the routing, so the reader would miss the first deadline. Neither
// matters, since such a case is read from its events; the goldens of those histories
// (locally_projected_*) pin what the reader makes of them all the same. A case the reader reads
// began before case events, and its later runs route nothing: their deadlines come with the run.

// caseEvents are the events of a case that records them, in order: those projected to case_events,
// then those the state holds that the projection has not written yet.
func (s *Handlers) caseEvents(ctx context.Context, state workflows.CaseState) ([]workflows.CaseEvent, error) {
	var events []workflows.CaseEvent
	if s.DB != nil {
		rows, err := s.DB.CaseEvents(ctx, state.CaseID)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			var e workflows.CaseEvent
			if err := archive.OpenEvent(s.Codec, r.Body, &e); err != nil {
				return nil, fmt.Errorf("event %d of case %s: %w", r.Seq, state.CaseID, err)
			}
			events = append(events, e)
		}
	}
	return withPendingEvents(events, state.PendingEvents), nil
}

// withPendingEvents adds the pending events that stored ones do not have yet.
func withPendingEvents(stored, pending []workflows.CaseEvent) []workflows.CaseEvent {
	var last int64
	if n := len(stored); n > 0 {
		last = stored[n-1].Seq
	}
	for _, e := range pending {
		if e.Seq > last {
			stored = append(stored, e)
		}
	}
	return stored
}

// timelineOfEvents reads a case's recorded events, in order, into its business events. final, if not
// nil, is the case's live state.
func timelineOfEvents(events []workflows.CaseEvent, names *nameBook, final *workflows.CaseState) ([]timelineEntry, error) {
	w := newTimelineWalker(converter.GetDefaultDataConverter(), names, final)
	for _, e := range events {
		w.event, w.sub, w.clock = e.Seq, 0, e.RecordedAt
		if err := w.readEvent(e); err != nil {
			return nil, fmt.Errorf("case event %d (%s): %w", e.Seq, e.Kind, err)
		}
	}
	w.fromFinalState()
	slices.SortStableFunc(w.entries, func(a, b timelineEntry) int { return int(a.pos - b.pos) })
	return w.entries, nil
}

func (w *timelineWalker) readEvent(e workflows.CaseEvent) error {
	switch {
	case e.Kind == workflows.EventStep && e.Step != nil:
		st := e.Step
		if p := st.Policy; p != nil {
			if st.Update == workflows.UpdateHandOverCase {
				w.nextPolicy = p
			} else {
				w.policy = *p
			}
		}
		w.phase = st.PhaseBefore
		cmd, err := st.Command.JSON()
		if err != nil {
			return err
		}
		answer, err := st.Answer.JSON()
		if err != nil {
			return err
		}
		u := acceptedUpdate{name: st.Update, args: jsonPayloads(cmd), pos: w.position()}
		// What the step's answer shows of its deadlines stands after the events it caused, as a
		// history shows it where the update completed: the step's own entries are placed at u.pos.
		w.event, w.sub = e.Seq+int64(st.Caused), causedOffset
		return w.updateCompleted(u, jsonPayloads(answer), e.RecordedAt)
	case e.Kind == workflows.EventConcernRouted && e.Routing != nil:
		w.routed(e.OccurredAt, *e.Routing, e.RecordedAt)
	case e.Kind == workflows.EventNoticeSent && e.Notice != nil:
		n := e.Notice
		w.notified(workflows.NotifyRequest{Kind: n.Kind, DeadlineKind: n.DeadlineKind, DueAt: n.DueAt, Recipients: n.Recipients}, e.RecordedAt)
	case e.Kind == workflows.EventDeadlineMissed && e.Deadline != nil:
		w.deadlinePassed(*e.Deadline, e.RecordedAt)
	case e.Kind == workflows.EventEscalatedAutomatically && e.Escalation != nil:
		id, steps := e.Escalation.DisagreementID, e.Escalation.Steps
		if steps > w.disagreements[id] {
			w.disagreements[id] = steps
			w.autoEscalation(id, steps, e.OccurredAt, e.RecordedAt)
		}
	default:
		return fmt.Errorf("an event of kind %q without its parameters", e.Kind)
	}
	return nil
}

// causedOffset places what a step's answer shows after the entries of the last event it caused
// (positions count 64 per event; an event makes a few entries).
const causedOffset = 32

// deadlinePassed: the workflow found the deadline d passed at the moment at.
func (w *timelineWalker) deadlinePassed(d workflows.DeadlineEvent, at time.Time) {
	missed := workflows.Deadline{Kind: d.Kind, Rule: d.Rule, DueAt: d.DueAt, Status: workflows.DeadlineMissed}
	for i := range w.deadlines {
		if k := &w.deadlines[i]; k.Kind == d.Kind && k.DueAt.Equal(d.DueAt) && k.Status == workflows.DeadlineOpen {
			k.Status = workflows.DeadlineMissed
		}
	}
	w.deadlineMissed(missed, at)
}

// jsonPayloads wraps JSON as the payload a history would carry, for the step readers to decode.
func jsonPayloads(raw []byte) *commonpb.Payloads {
	return &commonpb.Payloads{Payloads: []*commonpb.Payload{{
		Metadata: map[string][]byte{converter.MetadataEncoding: []byte(converter.MetadataEncodingJSON)}, Data: raw}}}
}
