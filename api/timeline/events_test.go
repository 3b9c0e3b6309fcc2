package timeline

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// eventsOfHistory are the case events a recorded history's projections carried (the ProjectCase
// activity's input), each once, in order: what case_events holds once they are written. seen is the
// history as far as the last projection that carried an event: what those events tell.
func eventsOfHistory(t testing.TB, events []*historypb.HistoryEvent) (out []workflows.CaseEvent, seen []*historypb.HistoryEvent) {
	t.Helper()
	var last int64
	for i, e := range events {
		if e.GetEventType() != enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
			continue
		}
		a := e.GetActivityTaskScheduledEventAttributes()
		if a.GetActivityType().GetName() != "ProjectCase" {
			continue
		}
		var p struct {
			Events []workflows.CaseEvent `json:"events"`
		}
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &p))
		for _, ev := range p.Events {
			if ev.Seq > last {
				require.Equal(t, last+1, ev.Seq, "the events are numbered without a gap")
				out, last, seen = append(out, ev), ev.Seq, events[:i+1]
			}
		}
	}
	return out, seen
}

// TestRecordedEventsReadAsTheHistory: for every recorded history of a case begun with case events,
// the timeline read from its events is the timeline read from its history, entry by entry – the
// two records of one case tell one story. Times are compared as the API shows them (to the second):
// the history dates a step by the event that completed its update, the workflow by its clock when it
// applied it, a few milliseconds apart.
func TestRecordedEventsReadAsTheHistory(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "workflows", "testdata", "*.json"))
	require.NoError(t, err)
	compared := 0
	for _, f := range files {
		// A history recorded while a projection was still under way (a worker killed) has events
		// the state held and case_events not yet: the two records are compared as far as both go.
		events, history := eventsOfHistory(t, recordedFile(t, f))
		if len(events) == 0 {
			continue // a case begun before case events
		}
		compared++
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			fromHistory, err := timelineOfHistory([][]*historypb.HistoryEvent{history}, converter.GetDefaultDataConverter(), newNameBook(), nil)
			require.NoError(t, err)
			fromEvents, err := timelineOfEvents(events, newNameBook(), nil)
			require.NoError(t, err)
			want, wantNotices := apartNotices(timelineView("c", fromHistory, nil, newNameBook()).Events)
			got, gotNotices := apartNotices(timelineView("c", fromEvents, nil, newNameBook()).Events)
			for i := range min(len(want), len(got)) {
				w, g := want[i], got[i]
				require.Equal(t, entryJSON(t, w), entryJSON(t, g), "entry %d", i+1)
				require.WithinDuration(t, w.recordedAt, g.recordedAt, time.Second, "entry %d recorded", i+1)
				if w.By != nil {
					require.True(t, w.occurredAt.Equal(g.occurredAt), "entry %d: a step's business time is the command's", i+1)
				}
				require.WithinDuration(t, w.occurredAt, g.occurredAt, time.Second, "entry %d occurred", i+1)
			}
			require.Len(t, gotNotices, len(wantNotices))
			for i, w := range wantNotices {
				g := gotNotices[i]
				require.Equal(t, w.text, g.text)
				require.LessOrEqual(t, abs(w.after-g.after), 1, "%s: after %d entries in the history, %d in the events", w.text, w.after, g.after)
				require.WithinDuration(t, w.recordedAt, g.recordedAt, time.Second, w.text)
			}
			require.Len(t, got, len(want))
		})
	}
	require.Positive(t, compared, "no recorded history of a case begun with case events")
}

// notice is a notification entry and how many other entries were recorded before it.
type notice struct {
	text       string
	after      int
	recordedAt time.Time
}

// apartNotices splits a timeline, in the order it was recorded (seq), into its notifications and
// the rest. A notification completes in a workflow task together with other notifications or a step:
// the history lists them in the order Temporal wrote their events, the workflow records them in the
// order its coroutines ran – the same moment, in no order the case gives them. So the rest is
// compared in order, and the notifications by their sentence and where they stand among the rest,
// one entry either way. (The view's own order is by business time, and a notification's business
// time is when it was sent, milliseconds apart in the two records: it may stand either side of a
// step entered that second. seq is the order recorded, and is what is compared.)
func apartNotices(events []timelineEventJSON) (rest []timelineEventJSON, notices []notice) {
	inOrder := slices.Clone(events)
	slices.SortFunc(inOrder, func(a, b timelineEventJSON) int { return a.Seq - b.Seq })
	for _, e := range inOrder {
		if e.Kind == kindNotificationSent {
			notices = append(notices, notice{text: e.Text, after: len(rest), recordedAt: e.recordedAt})
			continue
		}
		rest = append(rest, e)
	}
	slices.SortStableFunc(notices, func(a, b notice) int {
		if c := strings.Compare(a.text, b.text); c != 0 {
			return c
		}
		return a.after - b.after
	})
	return rest, notices
}

func abs(n int) int { return max(n, -n) }

// entryJSON is an entry as the API shows it, but for its seq (apartNotices) and its times: the history dates what the workflow
// did by the event that recorded it, the workflow by its clock when it did it – the start of the
// workflow task, some milliseconds before – so the two may fall either side of a second.
func entryJSON(t *testing.T, e timelineEventJSON) string {
	e.Seq, e.OccurredAt, e.RecordedAt = 0, httpkit.LocalTime{}, httpkit.LocalTime{}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	return string(b)
}

func TestPendingEventsFollowTheStoredOnes(t *testing.T) {
	ev := func(seq int64) workflows.CaseEvent {
		return workflows.CaseEvent{Seq: seq, Kind: workflows.EventNoticeSent}
	}
	seqs := func(events []workflows.CaseEvent) []int64 {
		out := []int64{}
		for _, e := range events {
			out = append(out, e.Seq)
		}
		return out
	}
	// A projection under way: the state still holds 3 and 4, which case_events has written.
	require.Equal(t, []int64{1, 2, 3, 4, 5}, seqs(withPendingEvents([]workflows.CaseEvent{ev(1), ev(2), ev(3), ev(4)}, []workflows.CaseEvent{ev(3), ev(4), ev(5)})))
	require.Equal(t, []int64{1, 2}, seqs(withPendingEvents(nil, []workflows.CaseEvent{ev(1), ev(2)})), "nothing projected yet")
	require.Equal(t, []int64{1}, seqs(withPendingEvents([]workflows.CaseEvent{ev(1)}, nil)))
}

func TestTimelineOfAnAutomaticEscalationEvent(t *testing.T) {
	up := stockholm("2026-12-09 23:59")
	w := newTimelineWalker(converter.GetDefaultDataConverter(), newNameBook(), nil)
	w.policy = casework.Policy{EscalateAfterWorkingDays: 10, EscalationLadder: []string{"kommunen", "delregionen", "länsstyrgruppen"}}
	w.disagreements["oen-1"] = 1
	auto := workflows.CaseEvent{Seq: 7, Kind: workflows.EventEscalatedAutomatically, OccurredAt: up, RecordedAt: up.Add(time.Minute),
		Escalation: &workflows.EscalationEvent{DisagreementID: "oen-1", Steps: 2}}
	require.NoError(t, w.readEvent(auto))
	require.NoError(t, w.readEvent(auto), "read twice, told once")
	require.Equal(t, []timelineKind{kindDisagreementAutoEscal}, kindsOf(w.entries))
	require.Equal(t, "Oenigheten oen-1 gick automatiskt vidare till delregionen, eftersom kommunen inte hade beslutat inom 10 arbetsdagar.", w.entries[0].Text)
	require.True(t, w.entries[0].OccurredAt.Equal(up))
	require.Nil(t, w.entries[0].By)
	w.final = &workflows.CaseState{PlanState: workflows.PlanState{Disagreements: []workflows.DisagreementRecord{{ID: "oen-1", Steps: []workflows.EscalationStep{
		{Level: "kommunen", EscalatedBy: "auto", EndedAt: &up}, {Level: "delregionen", StartedAt: up}}}}}}
	w.fromFinalState()
	require.Len(t, w.entries, 1, "the final state adds no second one")
	require.Error(t, w.readEvent(workflows.CaseEvent{Seq: 8, Kind: workflows.EventDeadlineMissed}), "an event without its parameters")
}

// BenchmarkTimelineFromEventsAndFromHistory: reading the plan-to-reopening case (38 events) from its
// recorded events and from its history, decoded, without the I/O (go test -bench TimelineFrom
// ./api/timeline/).
func BenchmarkTimelineFromEventsAndFromHistory(b *testing.B) {
	events, history := eventsOfHistory(b, recordedFile(b, filepath.Join("..", "..", "workflows", "testdata", "case_events_plan_handover_reopening.json")))
	b.Run("events", func(b *testing.B) {
		for b.Loop() {
			if _, err := timelineOfEvents(events, newNameBook(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("history", func(b *testing.B) {
		for b.Loop() {
			if _, err := timelineOfHistory([][]*historypb.HistoryEvent{history}, converter.GetDefaultDataConverter(), newNameBook(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
