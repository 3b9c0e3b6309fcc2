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
	"github.com/samverkan/samverkan/workflows"
)

// eventsOfHistory are the case events a recorded history's projections carried (the ProjectCase
// activity's input), each once, in order: what case_events holds once they are written.
func eventsOfHistory(t *testing.T, events []*historypb.HistoryEvent) []workflows.CaseEvent {
	t.Helper()
	var out []workflows.CaseEvent
	var last int64
	for _, e := range events {
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
				out, last = append(out, ev), ev.Seq
			}
		}
	}
	return out
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
		history := recordedFile(t, f)
		events := eventsOfHistory(t, history)
		if len(events) == 0 {
			continue // a case begun before case events
		}
		compared++
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			fromHistory, err := timelineOfHistory([][]*historypb.HistoryEvent{history}, converter.GetDefaultDataConverter(), newNameBook(), nil)
			require.NoError(t, err)
			fromEvents, err := timelineOfEvents(events, newNameBook(), nil)
			require.NoError(t, err)
			want := concurrentNoticesInOneOrder(timelineView("c", fromHistory, nil, newNameBook()).Events)
			got := concurrentNoticesInOneOrder(timelineView("c", fromEvents, nil, newNameBook()).Events)
			for i := range min(len(want), len(got)) {
				w, g := want[i], got[i]
				require.Equal(t, entryJSON(t, w), entryJSON(t, g), "entry %d", i+1)
				require.WithinDuration(t, w.recordedAt, g.recordedAt, time.Second, "entry %d recorded", i+1)
				if w.By != nil {
					require.True(t, w.occurredAt.Equal(g.occurredAt), "entry %d: a step's business time is the command's", i+1)
				}
				require.WithinDuration(t, w.occurredAt, g.occurredAt, time.Second, "entry %d occurred", i+1)
			}
			require.Len(t, got, len(want))
		})
	}
	require.Positive(t, compared, "no recorded history of a case begun with case events")
}

// concurrentNoticesInOneOrder puts the entries in the order they were recorded (their seq), and
// notifications sent together – within a second of each other, with nothing between – in the order
// of their sentences, numbered in that order. Notifications sent at once complete in one or a few
// workflow tasks, which the history lists in the order Temporal wrote their completions and the
// workflow records in the order its coroutines ran: the same moment, in no order the case gives them.
// The view's own order is by business time, and a notification's business time is when it was sent:
// milliseconds apart in the two records, so it may stand either side of a step entered that second.
func concurrentNoticesInOneOrder(events []timelineEventJSON) []timelineEventJSON {
	out := slices.Clone(events)
	slices.SortFunc(out, func(a, b timelineEventJSON) int { return a.Seq - b.Seq })
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[i].Kind == kindNotificationSent && out[j].Kind == kindNotificationSent && out[j].recordedAt.Sub(out[i].recordedAt) < time.Second {
			j++
		}
		run := out[i:j]
		seqs := make([]int, len(run))
		for k, e := range run {
			seqs[k] = e.Seq
		}
		slices.SortStableFunc(run, func(a, b timelineEventJSON) int { return strings.Compare(a.Text, b.Text) })
		for k := range run {
			run[k].Seq = seqs[k]
		}
		i = j
	}
	return out
}

// entryJSON is an entry as the API shows it, but for its times: the history dates what the workflow
// did by the event that recorded it, the workflow by its clock when it did it – the start of the
// workflow task, some milliseconds before – so the two may fall either side of a second.
func entryJSON(t *testing.T, e timelineEventJSON) string {
	e.OccurredAt, e.RecordedAt = httpkit.LocalTime{}, httpkit.LocalTime{}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	return string(b)
}
