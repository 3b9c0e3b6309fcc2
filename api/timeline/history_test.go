package timeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The timeline read from the recorded histories of workflows/testdata: real histories, written
// decrypted by the end-to-end tests (cmd/samverkan recordHistory).

func recordedRun(t *testing.T, name string) []*historypb.HistoryEvent {
	t.Helper()
	return recordedFile(t, filepath.Join("..", "..", "workflows", "testdata", name+".json"))
}

// recordedFile reads one recorded history.
func recordedFile(t testing.TB, file string) []*historypb.HistoryEvent {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	require.NoError(t, err)
	return h.GetEvents()
}

func readTimeline(t *testing.T, final *workflows.CaseState, runs ...[]*historypb.HistoryEvent) []timelineEntry {
	t.Helper()
	entries, err := timelineOfHistory(runs, converter.GetDefaultDataConverter(), newNameBook(), final)
	require.NoError(t, err)
	return entries
}

func kindsOf(entries []timelineEntry) []timelineKind {
	out := make([]timelineKind, len(entries))
	for i, e := range entries {
		out[i] = e.Kind
	}
	return out
}

func stockholm(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, casework.Stockholm)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTimelineOfMelwin(t *testing.T) {
	entries := readTimeline(t, nil, recordedRun(t, "melwin_14"))

	t.Run("reads as the story of docs/process.md §13, in order", func(t *testing.T) {
		require.Equal(t, []timelineKind{kindConcernRegistered, kindConcernRouted, kindCaseAcknowledged, kindAssessmentRecorded,
			kindAssessmentCompleted, kindConsentGiven, kindConsentGiven, kindConsentGiven, kindSummonsSent, kindMeetingHeld,
			kindAgencyDecision, kindAgencyDecision, kindAgencyDecision, kindCoordinatorAppointed}, kindsOf(entries))
		story := []string{
			"Anna Lärare anmälde oro för barnet inom lärande, hälsa, relationer och hemmet: ”Nästan ingen närvaro på ett år.",
			"Ärendet fördelades till Lärkängsskolan.",
			"Bertil Rektor tog emot ärendet",
			"Barnets egen syn: ”Melwin säger att skolan känns för stor",
			"samverkan behövs med BUP Lärkängen, Socialtjänsten Lärkängen, barn och unga och Elevhälsan Lärkängsskolan",
			"Vårdnadshavaren Vårdnadshavare Ett Påhittad gav skriftligt samtycke",
			"Vårdnadshavaren Vårdnadshavare Två Påhittad gav skriftligt samtycke",
			"Barnet gav muntligt samtycke till samverkan med BUP Lärkängen, Socialtjänsten Lärkängen, barn och unga och Elevhälsan Lärkängsskolan. Samtycket är nu komplett. Tidsgräns för kallelse senast 2026-12-01 (5 arbetsdagar) och för samverkansmöte senast 2026-12-08",
			"kallade till samverkansmöte 2026-11-25 13:00, Lärkängsskolan, konferensrummet",
			"Samverkansmötet hölls. Närvarande: BUP Lärkängen, Socialtjänsten Lärkängen, barn och unga, Elevhälsan Lärkängsskolan, barnet och vårdnadshavarna.",
			"BUP Lärkängen beslutade vid mötet: ”Bedömningssamtal inom tre veckor.”",
			"Socialtjänsten Lärkängen, barn och unga beslutade vid mötet: ”Erbjuder familjebehandling.”",
			"Elevhälsan Lärkängsskolan behöver inte göra något mer: ”Elevhälsans utredning är klar",
			"Cecilia Socialsekreterare (Socialtjänsten Lärkängen, barn och unga) utsågs till samordnare. Barnet tillfrågades först och önskade Cecilia Socialsekreterare.",
		}
		require.Len(t, entries, len(story))
		for i, want := range story {
			require.Contains(t, entries[i].Text, want, "event %d", i+1)
			if i > 0 {
				require.False(t, entries[i].OccurredAt.Before(entries[i-1].OccurredAt), "recorded in the order it happened: %s", want)
			}
		}
	})
	t.Run("each step has its actor and its business time; the system's have none", func(t *testing.T) {
		require.Equal(t, "anna.larare", entries[0].By.User)
		require.Equal(t, casework.RoleReporter, entries[0].By.Role)
		require.Nil(t, entries[1].By, "the routing is the system's")
		for _, e := range entries[2:] {
			require.Equal(t, "bertil.rektor", e.By.User, e.Text)
			require.Equal(t, "norrkoping-skola-1", e.By.Unit)
		}
		require.True(t, entries[0].OccurredAt.Equal(stockholm("2026-11-24 09:00")))
		require.True(t, entries[1].OccurredAt.Equal(stockholm("2026-11-24 09:00")), "the routing stands at its concern")
		require.True(t, entries[9].OccurredAt.Equal(stockholm("2026-11-25 13:00")), "the meeting held the day before it was entered")
		require.Equal(t, "2026-11-26", entries[9].RecordedAt.In(casework.Stockholm).Format(time.DateOnly))
	})
}

func TestTimelineOfEveryRecordedHistory(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "workflows", "testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name+" reads into sentences with times", func(t *testing.T) {
			entries := readTimeline(t, nil, recordedRun(t, name))
			if name == "continued_run" {
				// A run started with a carried state and no earlier run on record (as the
				// continue-as-new branch is recorded): its story is in the runs before, here none.
				require.Empty(t, entries)
				return
			}
			require.NotEmpty(t, entries)
			require.Equal(t, kindConcernRegistered, entries[0].Kind)
			for _, e := range entries {
				require.NotEmpty(t, e.Text)
				require.Contains(t, timelineKinds, e.Kind)
				require.False(t, e.OccurredAt.IsZero() || e.RecordedAt.IsZero() || e.clock.IsZero(), "%+v", e)
				require.NotContains(t, e.Text, "%!", "a broken format: %s", e.Text)
			}
		})
	}
	t.Run("a deadline whose timer fired while the workers were down is missed, with its deviation", func(t *testing.T) {
		entries := readTimeline(t, nil, recordedRun(t, "acknowledgement_missed_during_outage"))
		last := entries[len(entries)-1]
		require.Equal(t, kindDeadlineMissed, last.Kind)
		require.Equal(t, "avv-1", last.Ref)
		require.Nil(t, last.By)
		require.Contains(t, last.Text, "Tidsgränsen för att ta emot ärendet (20s) gick ut")
		require.True(t, last.OccurredAt.Equal(entries[0].OccurredAt.Add(20*time.Second)), "at the due instant: %s", last.OccurredAt)
	})
	t.Run("a second concern says it joined the open case", func(t *testing.T) {
		entries := readTimeline(t, nil, recordedRun(t, "concern_joined"))
		require.Equal(t, []timelineKind{kindConcernRegistered, kindConcernRouted, kindConcernRegistered}, kindsOf(entries))
		require.Contains(t, entries[2].Text, "som lades till i det öppna ärendet")
	})
	t.Run("a partial and then a whole revocation", func(t *testing.T) {
		entries := readTimeline(t, nil, recordedRun(t, "consent_revoked_mid_summons"))
		n := len(entries)
		require.Equal(t, []timelineKind{kindSummonsSent, kindConsentRevoked, kindConsentRevoked}, kindsOf(entries[n-3:]))
		require.Contains(t, entries[n-2].Text, "återkallade samtycket för BUP Lärkängen")
		require.Contains(t, entries[n-1].Text, "återkallade samtycket helt")
	})
	t.Run("the invited agencies told, their answers, and the coordinator and plan owner told", func(t *testing.T) {
		entries := readTimeline(t, nil, recordedRun(t, "invitations_answered"))
		var told, answers []string
		for _, e := range entries {
			switch e.Kind {
			case kindNotificationSent:
				told = append(told, e.Text)
			case kindInvitationAnswered:
				answers = append(answers, e.Text)
			}
		}
		require.ElementsMatch(t, []string{
			"Barnets bästa-ansvarig på Lärkängens förskola fick besked om det nya ärendet.",
			"Barnets bästa-ansvarig på BVC Lärkängen fick kallelsen till samverkansmötet.",
			"Företrädare för verksamheten på Socialtjänsten Lärkängen, barn och unga fick kallelsen till samverkansmötet.",
			"Företrädare för verksamheten på BUP Lärkängen fick kallelsen till samverkansmötet.",
			"Gustav Förskola fick besked om sitt uppdrag i ärendet.",
			"Cecilia Socialsekreterare fick besked om sitt uppdrag i ärendet.",
		}, told)
		require.Equal(t, []string{
			"Frida BUP tackade ja till samverkansmötet för BUP Lärkängen.",
			"Cecilia Socialsekreterare tackade nej till samverkansmötet för Socialtjänsten Lärkängen, barn och unga: ”Ingen handläggare kan den dagen; vi skickar underlag.”",
			"Johanna BVC föreslog att Karin Verksamhetschef (BVC Lärkängen) kommer till samverkansmötet för BVC Lärkängen.",
		}, answers)
	})
}

// TestTimelineFromPlanToReopening reads testdata/plan_to_reopening.json, the history of a Luleå case
// (Norrbus) walked through HTTP once with SAMVERKAN_RECORD_HISTORIES set: to the coordinator, then the
// plan proposed, approved and followed up, a deviation reported and handled, a disagreement taken up
// the ladder and decided, an acute placement, the handover to a Norrköping school, its closing and
// reopening – with the messages the workflow sent.
func TestTimelineFromPlanToReopening(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "plan_to_reopening.json"))
	require.NoError(t, err)
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	require.NoError(t, err)
	entries := readTimeline(t, nil, h.GetEvents())
	require.Equal(t, []timelineKind{kindConcernRegistered, kindConcernRouted, kindCaseAcknowledged, kindAssessmentRecorded,
		kindAssessmentCompleted, kindConsentGiven, kindSummonsSent, kindMeetingHeld, kindCoordinatorAppointed,
		kindPlanProposed, kindPlanApproved, kindPlanEstablished, kindFollowUpRecorded,
		kindDeviationReported, kindNotificationSent, kindDeviationHandled,
		kindDisagreementRaised, kindDisagreementEscalated, kindNotificationSent, kindDisagreementDecided,
		kindPlacementRecorded, kindCostDistributionSettle, kindHealthExamRecorded,
		kindCaseHandedOver, kindNotificationSent, kindCaseAcknowledged, kindCaseClosed, kindCaseReopened, kindNotificationSent,
	}, kindsOf(entries))
	text := func(k timelineKind, n int) string {
		for _, e := range entries {
			if e.Kind == k {
				if n == 0 {
					return e.Text
				}
				n--
			}
		}
		return ""
	}
	require.Contains(t, text(kindPlanProposed, 0), "tog fram planen (SIP), version 1, med insatserna Anpassad studiegång med en trygg vuxen (Norrköpings kommun)")
	require.Contains(t, text(kindPlanEstablished, 0), "Planens version 1 fastställdes")
	require.Contains(t, text(kindPlanEstablished, 0), "Tidsgräns för uppföljning senast")
	require.Contains(t, text(kindFollowUpRecorded, 0), "Planen fortsätter; nästa uppföljning")
	require.Contains(t, text(kindDeviationReported, 0), "skrev avvikelsen avv-1 om Tallmonskolan")
	require.Contains(t, text(kindDeviationHandled, 0), "Ulf Chef registrerade hanteringen av avvikelsen avv-1")
	require.Contains(t, text(kindNotificationSent, 0), "Chef på Tallmonskolan fick besked om avvikelsen.")
	require.Contains(t, text(kindDisagreementRaised, 0), "(oen-1) om kostnader")
	require.Contains(t, text(kindDisagreementEscalated, 0), "förde oenigheten oen-1 vidare till delregion")
	require.Contains(t, text(kindPlacementRecorded, 0), "akut placering utanför hemmet. Någon hälsoundersökning är inte registrerad. Tidsgräns för kostnadsfördelning senast")
	require.Contains(t, text(kindCaseHandedOver, 0), "lämnade över ärendet till Lärkängsskolan (norrkoping)")
	require.Equal(t, "Bertil Rektor tog emot det överlämnade ärendet.", text(kindCaseAcknowledged, 1))
	require.Contains(t, text(kindCaseClosed, 0), "avslutade ärendet: barnet har flyttat")
	require.Contains(t, text(kindCaseReopened, 0), "öppnade ärendet igen: ”Ny oro från skolan.”")
	require.Equal(t, "Barnets bästa-ansvarig på Lärkängsskolan fick besked om att ärendet öppnats igen.", text(kindNotificationSent, 3))
}

// TestTimelineAcrossContinueAsNew: the Melwin history cut into two runs – the second carrying the
// case as continue-as-new does, with a retried command that was applied in the first – reads the
// same as in one run.
func TestTimelineAcrossContinueAsNew(t *testing.T) {
	whole := recordedRun(t, "melwin_14")
	cut := indexOfEvent(t, whole, 99) // the workflow task before the summons
	dc := converter.GetDefaultDataConverter()

	carried := workflows.CaseState{CaseID: "melwin", Phase: casework.PhaseSamarbeta}
	for _, e := range whole[:cut] {
		a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes()
		if a == nil {
			continue
		}
		carried.RecentCommandIDs = append(carried.RecentCommandIDs, a.GetAcceptedRequest().GetMeta().GetUpdateId())
	}
	var answer updateAnswer
	require.NoError(t, dc.FromPayloads(eventByID(t, whole, 89).GetWorkflowExecutionUpdateCompletedEventAttributes().GetOutcome().GetSuccess(), &answer))
	carried.Deadlines = answer.Deadlines
	input, err := dc.ToPayloads(workflows.CaseStart{CaseID: "melwin", Municipality: "norrkoping", Carried: &carried})
	require.NoError(t, err)

	first := append(append([]*historypb.HistoryEvent{}, whole[:cut]...), &historypb.HistoryEvent{EventId: 99,
		EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, EventTime: whole[cut].EventTime,
		Attributes: &historypb.HistoryEvent_WorkflowExecutionContinuedAsNewEventAttributes{
			WorkflowExecutionContinuedAsNewEventAttributes: &historypb.WorkflowExecutionContinuedAsNewEventAttributes{NewExecutionRunId: "run-2"}}})
	second := []*historypb.HistoryEvent{{EventId: 1, EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventTime: whole[cut].EventTime,
		Attributes: &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{
			WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{ContinuedExecutionRunId: "run-1", Input: input}}}}
	for _, e := range whole[cut:] {
		second = append(second, e)
		if e.GetEventId() == 101 { // the first task of the new run: a client retries the child's consent
			accepted, completed := cloneEvent(eventByID(t, whole, 88)), cloneEvent(eventByID(t, whole, 89))
			accepted.EventId, completed.EventId = 1000, 1001
			completed.GetWorkflowExecutionUpdateCompletedEventAttributes().AcceptedEventId = 1000
			second = append(second, accepted, completed)
		}
	}

	one, two := readTimeline(t, nil, whole), readTimeline(t, nil, first, second)
	require.Equal(t, kindsOf(one), kindsOf(two))
	for i := range one {
		require.Equal(t, one[i].Text, two[i].Text)
		require.True(t, one[i].OccurredAt.Equal(two[i].OccurredAt))
	}
}

func indexOfEvent(t *testing.T, events []*historypb.HistoryEvent, id int64) int {
	t.Helper()
	for i, e := range events {
		if e.GetEventId() == id {
			return i
		}
	}
	t.Fatalf("no event %d", id)
	return -1
}

func eventByID(t *testing.T, events []*historypb.HistoryEvent, id int64) *historypb.HistoryEvent {
	return events[indexOfEvent(t, events, id)]
}

func cloneEvent(e *historypb.HistoryEvent) *historypb.HistoryEvent {
	c, _ := proto.Clone(e).(*historypb.HistoryEvent)
	return c
}

// What the walk makes of deadlines and escalations that no recorded history in testdata shows.

func TestTimelineDeadlines(t *testing.T) {
	due := stockholm("2026-11-26 23:59").Add(59*time.Second + 999999999)
	open := workflows.Deadline{Kind: casework.DeadlineAcknowledge, DueAt: due, Rule: "2 arbetsdagar", Status: workflows.DeadlineOpen}
	with := func(d workflows.Deadline, status workflows.DeadlineStatus, done *time.Time) workflows.Deadline {
		d.Status, d.DoneAt = status, done
		return d
	}
	walker := func(known ...workflows.Deadline) *timelineWalker {
		w := newTimelineWalker(converter.GetDefaultDataConverter(), newNameBook(), nil)
		w.deadlines, w.clock = known, stockholm("2026-11-27 10:00")
		return w
	}
	late, inTime := stockholm("2026-11-27 09:00"), stockholm("2026-11-26 15:00")

	t.Run("a step done after the due instant misses it: the automatic deviation stands at the due instant", func(t *testing.T) {
		w := walker(open)
		w.followDeadlines([]workflows.Deadline{with(open, workflows.DeadlineMissed, &late)}, w.clock)
		require.Equal(t, []timelineKind{kindDeadlineMissed}, kindsOf(w.entries))
		require.True(t, w.entries[0].OccurredAt.Equal(due))
		require.Equal(t, "avv-1", w.entries[0].Ref)
		require.Contains(t, w.entries[0].Text, "Tidsgränsen för att ta emot ärendet (2 arbetsdagar) gick ut 2026-11-26")
	})
	t.Run("a deadline started already past is missed at once", func(t *testing.T) {
		w := walker()
		w.followDeadlines([]workflows.Deadline{open}, w.clock)
		require.Equal(t, []timelineKind{kindDeadlineMissed}, kindsOf(w.entries))
	})
	t.Run("a step done in time but entered after the timer fired withdraws the deviation", func(t *testing.T) {
		w := walker(open)
		w.timerFired(due.Add(time.Millisecond), due.Add(time.Second))
		w.followDeadlines([]workflows.Deadline{with(open, workflows.DeadlineMet, &inTime)}, w.clock)
		require.Equal(t, []timelineKind{kindDeadlineMissed, kindDeviationWithdrawn}, kindsOf(w.entries))
		require.Equal(t, "avv-1", w.entries[1].Ref)
		require.Contains(t, w.entries[1].Text, "steget gjordes 2026-11-26 15:00, i tid")
	})
	t.Run("a deadline passes once, however often it is seen missed", func(t *testing.T) {
		w := walker(open)
		w.timerFired(due.Add(time.Millisecond), due.Add(time.Second))
		w.followDeadlines([]workflows.Deadline{open}, w.clock) // answered before the timer's coroutine ran
		w.followDeadlines([]workflows.Deadline{with(open, workflows.DeadlineMissed, nil)}, w.clock)
		w.followDeadlines([]workflows.Deadline{with(open, workflows.DeadlineMissed, &late)}, w.clock)
		require.Equal(t, []timelineKind{kindDeadlineMissed}, kindsOf(w.entries))
	})
	t.Run("a timer that is no deadline's passes nothing", func(t *testing.T) {
		w := walker(open)
		w.timerFired(stockholm("2026-11-26 08:00"), stockholm("2026-11-26 08:00"))
		require.Empty(t, w.entries)
	})
	t.Run("the final state names the deviation and its unit", func(t *testing.T) {
		w := walker(open)
		w.names.learnUnit(casework.UnitRef{ID: "norrkoping-skola-1", Name: "Lärkängsskolan"})
		w.final = &workflows.CaseState{Deviations: []workflows.Deviation{
			{ID: "avv-1", Kind: workflows.DeviationReported},
			{ID: "avv-2", Kind: workflows.DeviationMissedDeadline, DeadlineKind: casework.DeadlineAcknowledge, OccurredAt: due, UnitID: "norrkoping-skola-1"},
		}}
		w.timerFired(due.Add(time.Millisecond), due.Add(time.Second))
		require.Equal(t, "avv-2", w.entries[0].Ref)
		require.Contains(t, w.entries[0].Text, "Systemet skrev avvikelsen avv-2 till chefen för Lärkängsskolan.")
	})
}

func TestTimelineEscalations(t *testing.T) {
	dc := converter.GetDefaultDataConverter()
	notify := func(w *timelineWalker, key string) {
		input, err := dc.ToPayloads(map[string]any{"key": key, "kind": "escalated", "recipients": []any{}})
		require.NoError(t, err)
		require.NoError(t, w.activityScheduled(workflows.ActivityNotify, input))
	}
	walker := func() *timelineWalker {
		w := newTimelineWalker(dc, newNameBook(), nil)
		w.policy = casework.Policy{EscalateAfterWorkingDays: 10, EscalationLadder: []string{"kommunen", "delregionen", "länsstyrgruppen"}}
		w.disagreements["oen-1"] = 1
		w.clock = stockholm("2026-12-10 00:00")
		return w
	}
	t.Run("an escalation's notification that no command asked for is the automatic escalation", func(t *testing.T) {
		w := walker()
		w.firedInTask = []time.Time{stockholm("2026-12-09 23:59").Add(time.Minute - time.Nanosecond + time.Millisecond)}
		notify(w, "case-x/escalation/oen-1/2")
		require.Equal(t, []timelineKind{kindDisagreementAutoEscal}, kindsOf(w.entries))
		require.Equal(t, "oen-1", w.entries[0].Ref)
		require.Nil(t, w.entries[0].By)
		require.Equal(t, "Oenigheten oen-1 gick automatiskt vidare till delregionen, eftersom kommunen inte hade beslutat inom 10 arbetsdagar.", w.entries[0].Text)
		require.Equal(t, "2026-12-09", w.entries[0].OccurredAt.In(casework.Stockholm).Format(time.DateOnly), "when the step's time was up")
	})
	t.Run("the notification of an escalation by hand is no second escalation", func(t *testing.T) {
		w := walker()
		w.escalatedNow["oen-1"] = true
		notify(w, "case-x/escalation/oen-1/2")
		require.Empty(t, w.entries)
	})
	t.Run("a run without notifications: the final state tells of the automatic escalation", func(t *testing.T) {
		w := walker()
		up := stockholm("2026-12-09 23:59")
		w.final = &workflows.CaseState{PlanState: workflows.PlanState{Disagreements: []workflows.DisagreementRecord{{ID: "oen-1", Steps: []workflows.EscalationStep{
			{Level: "kommunen", EscalatedBy: "auto", EndedAt: &up}, {Level: "delregionen", StartedAt: up}}}}}}
		w.fromFinalState()
		require.Equal(t, []timelineKind{kindDisagreementAutoEscal}, kindsOf(w.entries))
		require.True(t, w.entries[0].OccurredAt.Equal(up))
		w.entries = nil
		w.fromFinalState()
		require.Empty(t, w.entries, "once")
	})
}
