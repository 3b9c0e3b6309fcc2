package timeline

// The timeline endpoint's own rules: who reads how far, in which order, which runs.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

func TestTimelineAccess(t *testing.T) {
	until := stockholm("2026-11-26 10:00")
	state := workflows.CaseState{
		NamedPersonUnit: &casework.UnitRef{ID: "norrkoping-skola-1"},
		Concerns:        []workflows.Concern{{By: workflows.Actor{User: "anna.larare"}}},
		ProcessState: workflows.ProcessState{Participants: []workflows.Participant{
			{Unit: casework.UnitRef{ID: "norrkoping-elevhalsa"}, Status: workflows.ParticipantActive},
			{Unit: casework.UnitRef{ID: "norrkoping-bup"}, Status: workflows.ParticipantRemoved, Until: &until},
		}},
	}
	for _, row := range []struct {
		name  string
		who   auth.Claims
		ok    bool
		until *time.Time
	}{
		{"the named person reads it all", auth.Claims{User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1"}, true, nil},
		{"an agency taking part reads it all", auth.Claims{User: "nora", Role: "participant", Unit: "norrkoping-elevhalsa"}, true, nil},
		{"an agency whose consent was revoked reads it up to the revocation", auth.Claims{User: "frida.bup", Role: "participant", Unit: "norrkoping-bup"}, true, &until},
		{"so does its supervisor", auth.Claims{User: "chef", Role: "supervisor", Unit: "norrkoping-bup"}, true, &until},
		{"a reporter does not read it", auth.Claims{User: "anna.larare", Role: "reporter", Unit: "norrkoping-skola-1"}, false, nil},
		{"nor does a reporter of the revoked agency", auth.Claims{User: "x", Role: "reporter", Unit: "norrkoping-bup"}, false, nil},
		{"nor the steering group", auth.Claims{User: "stina", Role: "steering", Unit: "norrkoping-bup"}, false, nil},
		{"nor anyone without a part", auth.Claims{User: "erik.bvc", Role: "named_person", Unit: "lulea-bvc-1"}, false, nil},
	} {
		t.Run(row.name, func(t *testing.T) {
			got, ok := timelineAccess(state, row.who)
			require.Equal(t, row.ok, ok)
			require.Equal(t, row.until, got)
		})
	}
}

// TestTimelineViewOfARevokedAgency: the view of an agency whose consent was revoked ends with the
// revocation – everything recorded after it is left out, whatever its business time.
func TestTimelineViewOfARevokedAgency(t *testing.T) {
	entries := readTimeline(t, nil, recordedRun(t, "consent_revoked_mid_summons"))
	var revokedAt time.Time
	for _, e := range entries {
		if e.Kind == kindConsentRevoked {
			revokedAt = e.clock // as Participant.Until: the workflow's clock when it removed the agency
			break
		}
	}
	view := timelineView("c", entries, &revokedAt, newNameBook())
	require.Equal(t, "until_revocation", view.View)
	last := view.Events[len(view.Events)-1]
	require.Equal(t, kindConsentRevoked, last.Kind)
	require.Contains(t, last.Text, "för BUP Lärkängen")
	require.Len(t, view.Events, len(entries)-1, "the whole revocation that came after is not shown")
}

func TestTimelineViewOrdersByBusinessTime(t *testing.T) {
	day := stockholm("2026-11-24 09:00")
	entries := []timelineEntry{
		{Kind: kindConcernRegistered, OccurredAt: day, RecordedAt: day, clock: day},
		{Kind: kindMeetingHeld, OccurredAt: day.Add(48 * time.Hour), RecordedAt: day.Add(49 * time.Hour), clock: day.Add(49 * time.Hour)},
		{Kind: kindHarmReportRecorded, OccurredAt: day.Add(time.Hour), RecordedAt: day.Add(50 * time.Hour), clock: day.Add(50 * time.Hour)},
	}
	view := timelineView("c", entries, nil, newNameBook())
	require.Equal(t, []timelineKind{kindConcernRegistered, kindHarmReportRecorded, kindMeetingHeld},
		[]timelineKind{view.Events[0].Kind, view.Events[1].Kind, view.Events[2].Kind}, "the step entered last happened second")
	require.Equal(t, []int{1, 3, 2}, []int{view.Events[0].Seq, view.Events[1].Seq, view.Events[2].Seq})
}

func TestCaseRunsFollowsTheChain(t *testing.T) {
	started := func(prev string) *historypb.HistoryEvent {
		return &historypb.HistoryEvent{EventId: 1, EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
			Attributes: &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{
				WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{ContinuedExecutionRunId: prev}}}
	}
	continued := func(next string) *historypb.HistoryEvent {
		return &historypb.HistoryEvent{EventId: 2, EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
			Attributes: &historypb.HistoryEvent_WorkflowExecutionContinuedAsNewEventAttributes{
				WorkflowExecutionContinuedAsNewEventAttributes: &historypb.WorkflowExecutionContinuedAsNewEventAttributes{NewExecutionRunId: next}}}
	}
	runs := map[string][]*historypb.HistoryEvent{
		"a": {started(""), continued("b")},
		"b": {started("a"), continued("c")},
		"c": {started("b")},
	}
	reader := func(current string) func(_ context.Context, runID string) ([]*historypb.HistoryEvent, error) {
		return func(_ context.Context, runID string) ([]*historypb.HistoryEvent, error) {
			if runID == "" {
				runID = current
			}
			return runs[runID], nil
		}
	}
	for _, current := range []string{"c", "b"} {
		got, err := caseRuns(context.Background(), reader(current))
		require.NoError(t, err)
		require.Equal(t, [][]*historypb.HistoryEvent{runs["a"], runs["b"], runs["c"]}, got,
			"read from %s: back to the first run, on to the newest", current)
	}
}

func TestTimelineKindsAreDocumented(t *testing.T) {
	doc := apitest.Document(t)
	var documented []string
	for _, v := range doc.Components.Schemas["TimelineKind"].Value.Enum {
		documented = append(documented, v.(string))
	}
	var kinds []string
	for _, k := range timelineKinds {
		kinds = append(kinds, string(k))
		require.NotEmpty(t, timelineKindLabels[k], "the printed page names %s", k)
	}
	require.ElementsMatch(t, kinds, documented)
}
