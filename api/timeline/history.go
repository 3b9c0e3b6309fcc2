package timeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The case timeline is read from the case workflow's history, the record Temporal keeps of every
// command the workflow accepted and everything it did: that is the truth of what happened, which
// the live state only sums up. This file walks the events of every run of a case, oldest first, and
// turns them into the case's business events:
//
//   - an update whose handler succeeded is a step someone took (its input carries who and the business
//     time); a rejected update never enters the history, and one whose handler failed is not a step;
//     one applied before (a retry across continue-as-new, answered without applying again) is skipped;
//   - the RouteConcern activity's result is the routing, the Notify activity's input a reminder or
//     message sent – once it completed;
//   - a fired timer of an open deadline is the deadline passing: the automatic deviation (docs/process.md
//     §9). A deadline can also pass inside a step, when the step is entered after its due time or the
//     deadline is started already past; update results carry the case's deadlines, so the walk
//     follows them and sees that too, and sees a withdrawn deviation (README: a step done in time but
//     entered late);
//   - an escalation's Notify that no EscalateDisagreement asked for is the automatic escalation.
//
// The history does not name timers, so a timer is known by when it fires: a deadline's timer fires
// 1 ms after its due instant, counted from the workflow's clock – the start time of the workflow task
// that set it (workflow.Now). The final state, when given, names what the history only numbers: the
// IDs and units of deviations and the business time of an automatic escalation.

// timelineEntry is one business event of the case.
type timelineEntry struct {
	Kind       timelineKind
	OccurredAt time.Time        // business time
	RecordedAt time.Time        // when the workflow recorded it
	By         *workflows.Actor // nil: the system did it
	Text       string
	Ref        string // the deviation or disagreement it is about, if any
	// pos orders entries as the history does: the position of the event it comes from, and its
	// place among the entries of that event.
	pos int64
	// clock is the workflow's clock when the entry was recorded: what an access cut compares.
	clock time.Time
}

// timelineWalker reads the runs of one case.
type timelineWalker struct {
	dc    converter.DataConverter
	names *nameBook
	final *workflows.CaseState // the live state: deviation IDs and units; nil when reading a history alone

	entries []timelineEntry
	run     int64 // runs read so far; with the event ID it gives an event's position
	event   int64
	sub     int64
	clock   time.Time // the start of the last completed workflow task: the workflow's clock

	// Of the run being read.
	taskStarts   map[int64]time.Time
	accepted     map[int64]acceptedUpdate
	scheduled    map[int64]scheduledActivity
	timers       map[string]time.Time // when each started timer fires
	continued    bool                 // the run continues an earlier one and has not finished its first task
	firedBefore  []time.Time          // timers fired since the last workflow task, matching no deadline
	firedInTask  []time.Time          // those the current workflow task handled
	escalatedNow map[string]bool      // disagreements an EscalateDisagreement took further in this task

	// The case as far as the history has told.
	phase         casework.Phase
	deadlines     []workflows.Deadline
	policy        casework.Policy
	nextPolicy    *casework.Policy // the policy a handover in progress brings
	applied       map[string]bool  // update IDs applied
	missedIDs     map[string]string
	deviations    int
	disagreements map[string]int // steps per disagreement
	plans         int
	handedOver    bool // the new named person has yet to take the case
	reopened      bool // the named person has yet to take the reopened case
}

type acceptedUpdate struct {
	name, id string
	args     *commonpb.Payloads
	pos      int64
}

type scheduledActivity struct {
	name  string
	input *commonpb.Payloads
}

// timelineOfHistory reads the runs of a case, oldest first, into its business events in history
// order. final, if not nil, is the case's live state.
func timelineOfHistory(runs [][]*historypb.HistoryEvent, dc converter.DataConverter, names *nameBook, final *workflows.CaseState) ([]timelineEntry, error) {
	w := newTimelineWalker(dc, names, final)
	for _, events := range runs {
		w.newRun()
		for _, e := range events {
			w.event, w.sub = e.GetEventId(), 0
			if err := w.read(e); err != nil {
				return nil, fmt.Errorf("history event %d (%s) of run %d: %w", e.GetEventId(), e.GetEventType(), w.run, err)
			}
		}
	}
	w.fromFinalState()
	slices.SortStableFunc(w.entries, func(a, b timelineEntry) int { return int(a.pos - b.pos) })
	return w.entries, nil
}

func newTimelineWalker(dc converter.DataConverter, names *nameBook, final *workflows.CaseState) *timelineWalker {
	w := &timelineWalker{dc: dc, names: names, final: final, applied: map[string]bool{}, missedIDs: map[string]string{},
		disagreements: map[string]int{}}
	w.newRun()
	return w
}

func (w *timelineWalker) newRun() {
	w.run++
	w.taskStarts, w.accepted, w.scheduled = map[int64]time.Time{}, map[int64]acceptedUpdate{}, map[int64]scheduledActivity{}
	w.timers, w.escalatedNow = map[string]time.Time{}, map[string]bool{}
}

// maxEventsPerRun bounds a run's event IDs in positions; the workflow continues as new long before.
const maxEventsPerRun = 1 << 24

func (w *timelineWalker) read(e *historypb.HistoryEvent) error {
	at := e.GetEventTime().AsTime()
	switch e.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
		return w.started(e.GetWorkflowExecutionStartedEventAttributes())
	case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
		w.taskStarts[e.GetEventId()] = at
	case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
		w.taskCompleted(e.GetWorkflowTaskCompletedEventAttributes().GetStartedEventId())
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
		return w.updateAccepted(e.GetEventId(), e.GetWorkflowExecutionUpdateAcceptedEventAttributes())
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
		a := e.GetWorkflowExecutionUpdateCompletedEventAttributes()
		u, ok := w.accepted[a.GetAcceptedEventId()]
		success := a.GetOutcome().GetSuccess()
		if !ok || success == nil || w.applied[u.id] {
			return nil // failed, or a retry of a command already applied: not a step of the case
		}
		w.applied[u.id] = true
		return w.updateCompleted(u, success, at)
	case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
		a := e.GetActivityTaskScheduledEventAttributes()
		w.scheduled[e.GetEventId()] = scheduledActivity{name: a.GetActivityType().GetName(), input: a.GetInput()}
		return w.activityScheduled(a.GetActivityType().GetName(), a.GetInput())
	case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
		a := e.GetActivityTaskCompletedEventAttributes()
		if s, ok := w.scheduled[a.GetScheduledEventId()]; ok {
			return w.activityCompleted(s, a.GetResult(), at)
		}
	case enumspb.EVENT_TYPE_TIMER_STARTED:
		a := e.GetTimerStartedEventAttributes()
		w.timers[a.GetTimerId()] = w.clock.Add(a.GetStartToFireTimeout().AsDuration())
	case enumspb.EVENT_TYPE_TIMER_FIRED:
		if fires, ok := w.timers[e.GetTimerFiredEventAttributes().GetTimerId()]; ok {
			w.timerFired(fires, at)
		}
	}
	return nil
}

// started begins a run: a continued run carries the whole case, which the walk takes as it is.
func (w *timelineWalker) started(a *historypb.WorkflowExecutionStartedEventAttributes) error {
	var start workflows.CaseStart
	if err := w.decode(a.GetInput(), &start); err != nil {
		return err
	}
	st := start.Carried
	if st == nil {
		return nil
	}
	w.continued = true
	w.phase, w.policy = st.Phase, st.Policy
	w.deadlines = slices.Clone(st.Deadlines)
	w.deviations, w.plans = len(st.Deviations), len(st.Plans)
	for _, id := range st.RecentCommandIDs {
		w.applied[id] = true
	}
	for _, c := range st.Concerns {
		w.applied[c.ID] = true
	}
	for _, d := range st.Disagreements {
		w.disagreements[d.ID] = len(d.Steps)
	}
	for _, d := range st.Deadlines {
		if d.Status == workflows.DeadlineMissed {
			w.missedIDs[missKey(d)] = ""
		}
	}
	w.handedOver = st.PendingHandover() != nil
	n := len(st.Reopenings)
	w.reopened = n > 0 && st.Reopenings[n-1].Acknowledged == nil && st.Phase != casework.PhaseClosed
	return nil
}

// taskCompleted moves the workflow's clock to the task's start. The first task of a continued run
// restarts the carried deadlines' timers: one already due passes at once.
func (w *timelineWalker) taskCompleted(startedEventID int64) {
	if t, ok := w.taskStarts[startedEventID]; ok {
		w.clock = t
	}
	w.firedInTask, w.firedBefore = w.firedBefore, nil
	clear(w.escalatedNow)
	if w.continued {
		w.continued = false
		for i := range w.deadlines {
			if d := &w.deadlines[i]; d.Status == workflows.DeadlineOpen && passed(*d, w.clock) {
				d.Status = workflows.DeadlineMissed
				w.deadlineMissed(*d, w.clock)
			}
		}
	}
}

// passed: the workflow finds deadline d passed at the moment now (case_deadlines.go starts no timer
// then, and marks it missed at once).
func passed(d workflows.Deadline, now time.Time) bool {
	return !d.DueAt.Add(time.Millisecond).After(now)
}

func (w *timelineWalker) updateAccepted(id int64, a *historypb.WorkflowExecutionUpdateAcceptedEventAttributes) error {
	req := a.GetAcceptedRequest()
	u := acceptedUpdate{name: req.GetInput().GetName(), id: req.GetMeta().GetUpdateId(), args: req.GetInput().GetArgs(), pos: w.position()}
	w.accepted[id] = u
	if u.name == workflows.UpdateEscalateDisagreement {
		var in workflows.EscalateDisagreement
		if err := w.decode(u.args, &in); err != nil {
			return err
		}
		w.escalatedNow[in.DisagreementID] = true
	}
	return nil
}

func (w *timelineWalker) timerFired(fires, at time.Time) {
	for i := range w.deadlines {
		if d := &w.deadlines[i]; d.Status == workflows.DeadlineOpen && d.DueAt.Add(time.Millisecond).Equal(fires) {
			d.Status = workflows.DeadlineMissed
			w.deadlineMissed(*d, at)
			return
		}
	}
	w.firedBefore = append(w.firedBefore, fires)
}

// followDeadlines takes the deadlines an update answered with: a deadline that passed inside the step
// is missed (with its deviation), one missed before but done in time has its deviation withdrawn, and
// a deadline the step started already past is missed at once.
func (w *timelineWalker) followDeadlines(answer []workflows.Deadline, at time.Time) {
	known := w.deadlines
	w.deadlines = slices.Clone(answer)
	for i := range w.deadlines {
		d := &w.deadlines[i]
		var before *workflows.Deadline
		if i < len(known) {
			before = &known[i]
		}
		switch {
		case d.Status == workflows.DeadlineMissed:
			w.deadlineMissed(*d, at)
		case d.Status == workflows.DeadlineMet && before != nil && before.Status == workflows.DeadlineMissed:
			w.deviationWithdrawn(*d, at)
		case d.Status == workflows.DeadlineOpen && before != nil && before.Status == workflows.DeadlineMissed:
			d.Status = workflows.DeadlineMissed // a timer this walk saw fire, answered before its coroutine ran
		case d.Status == workflows.DeadlineOpen && before == nil && passed(*d, w.clock):
			d.Status = workflows.DeadlineMissed
			w.deadlineMissed(*d, at)
		}
	}
}

func missKey(d workflows.Deadline) string { return fmt.Sprintf("%s@%d", d.Kind, d.DueAt.UnixNano()) }

// deadlineMissed records deadline d passing, once, with the deviation the workflow wrote for it.
func (w *timelineWalker) deadlineMissed(d workflows.Deadline, at time.Time) {
	key := missKey(d)
	if _, done := w.missedIDs[key]; done {
		return
	}
	w.deviations++
	id, unit := fmt.Sprintf("avv-%d", w.deviations), ""
	if dev := w.finalDeviation(func(v workflows.Deviation) bool {
		return v.Kind == workflows.DeviationMissedDeadline && v.DeadlineKind == d.Kind && v.OccurredAt.Equal(d.DueAt)
	}); dev != nil {
		id, unit = dev.ID, dev.UnitID
	}
	w.missedIDs[key] = id
	text := fmt.Sprintf("Tidsgränsen %s (%s) gick ut %s utan att steget var gjort. Systemet skrev avvikelsen %s",
		d.Kind.Purpose(), d.Rule, dueText(d.DueAt), id)
	if unit != "" {
		text += " till chefen för " + w.names.unit(unit)
	}
	w.emit(timelineEntry{Kind: kindDeadlineMissed, OccurredAt: d.DueAt, RecordedAt: at, Text: text + ".", Ref: id})
}

func (w *timelineWalker) deviationWithdrawn(d workflows.Deadline, at time.Time) {
	id := w.missedIDs[missKey(d)]
	if id == "" || d.DoneAt == nil {
		return
	}
	w.emit(timelineEntry{Kind: kindDeviationWithdrawn, OccurredAt: at, RecordedAt: at, Ref: id,
		Text: fmt.Sprintf("Avvikelsen %s återkallades: steget gjordes %s, i tid, men registrerades först efter att tidsgränsen %s gått ut.",
			id, clockText(*d.DoneAt), d.Kind.Purpose())})
}

func (w *timelineWalker) finalDeviation(match func(workflows.Deviation) bool) *workflows.Deviation {
	if w.final == nil {
		return nil
	}
	for i := range w.final.Deviations {
		if match(w.final.Deviations[i]) {
			return &w.final.Deviations[i]
		}
	}
	return nil
}

// position is where the event being read stands in the history of all runs.
func (w *timelineWalker) position() int64 { return (w.run*maxEventsPerRun + w.event) * 64 }

// emit adds an entry at the event being read (its pos, if unset) and the workflow's clock.
func (w *timelineWalker) emit(e timelineEntry) {
	if e.pos == 0 {
		e.pos = w.position()
	}
	w.sub++
	e.pos += w.sub
	e.clock = w.clock
	e.Text = strings.TrimSpace(e.Text)
	w.entries = append(w.entries, e)
}

func (w *timelineWalker) decode(p *commonpb.Payloads, v any) error {
	if p == nil || len(p.GetPayloads()) == 0 {
		return fmt.Errorf("no payload to read into %T", v)
	}
	if err := w.dc.FromPayloads(p, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}
