package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// What the system did in a case, read from its history (history.go): the routing, the
// reminders and messages sent, the automatic escalations.

// timelineKind names a business event of the timeline; the values are the API's (openapi.yaml).
type timelineKind string

const (
	kindConcernRegistered      timelineKind = "concern_registered"
	kindConcernRouted          timelineKind = "concern_routed"
	kindCaseAcknowledged       timelineKind = "case_acknowledged"
	kindAssessmentDelegated    timelineKind = "assessment_delegated"
	kindHarmReportRecorded     timelineKind = "harm_report_recorded"
	kindAssessmentRecorded     timelineKind = "assessment_recorded"
	kindAssessmentCompleted    timelineKind = "assessment_completed"
	kindConsentGiven           timelineKind = "consent_given"
	kindConsentRefused         timelineKind = "consent_refused"
	kindConsentRevoked         timelineKind = "consent_revoked"
	kindSummonsSent            timelineKind = "summons_sent"
	kindInvitationAnswered     timelineKind = "invitation_answered"
	kindMeetingHeld            timelineKind = "meeting_held"
	kindAgencyDecision         timelineKind = "agency_decision"
	kindCoordinatorAppointed   timelineKind = "coordinator_appointed"
	kindPlanProposed           timelineKind = "plan_proposed"
	kindPlanApproved           timelineKind = "plan_approved"
	kindPlanDeclined           timelineKind = "plan_declined"
	kindPlanEstablished        timelineKind = "plan_established"
	kindFollowUpRecorded       timelineKind = "follow_up_recorded"
	kindReminderSent           timelineKind = "reminder_sent"
	kindNotificationSent       timelineKind = "notification_sent"
	kindDeadlineMissed         timelineKind = "deadline_missed"
	kindDeviationWithdrawn     timelineKind = "deviation_withdrawn"
	kindDeviationReported      timelineKind = "deviation_reported"
	kindDeviationHandled       timelineKind = "deviation_handled"
	kindDisagreementRaised     timelineKind = "disagreement_raised"
	kindDisagreementEscalated  timelineKind = "disagreement_escalated"
	kindDisagreementAutoEscal  timelineKind = "disagreement_escalated_automatically"
	kindDisagreementDecided    timelineKind = "disagreement_decided"
	kindPlacementRecorded      timelineKind = "placement_recorded"
	kindHealthExamRecorded     timelineKind = "health_examination_recorded"
	kindCostDistributionSettle timelineKind = "cost_distribution_settled"
	kindCaseHandedOver         timelineKind = "case_handed_over"
	kindCaseClosed             timelineKind = "case_closed"
	kindCaseReopened           timelineKind = "case_reopened"
)

// timelineKinds lists every kind, for the document's test.
var timelineKinds = []timelineKind{kindConcernRegistered, kindConcernRouted, kindCaseAcknowledged, kindAssessmentDelegated,
	kindHarmReportRecorded, kindAssessmentRecorded, kindAssessmentCompleted, kindConsentGiven, kindConsentRefused,
	kindConsentRevoked, kindSummonsSent, kindInvitationAnswered, kindMeetingHeld, kindAgencyDecision, kindCoordinatorAppointed, kindPlanProposed,
	kindPlanApproved, kindPlanDeclined, kindPlanEstablished, kindFollowUpRecorded, kindReminderSent, kindNotificationSent,
	kindDeadlineMissed, kindDeviationWithdrawn, kindDeviationReported, kindDeviationHandled, kindDisagreementRaised,
	kindDisagreementEscalated, kindDisagreementAutoEscal, kindDisagreementDecided, kindPlacementRecorded,
	kindHealthExamRecorded, kindCostDistributionSettle, kindCaseHandedOver, kindCaseClosed, kindCaseReopened}

// activityScheduled: the workflow sends the notification of an escalation from the escalation itself,
// in the same workflow task – so one that no EscalateDisagreement of the task asked for is the
// automatic escalation (case_disagreements.go).
func (w *timelineWalker) activityScheduled(name string, input *commonpb.Payloads) error {
	if name != workflows.ActivityNotify {
		return nil
	}
	var n workflows.NotifyRequest
	if err := w.decode(input, &n); err != nil {
		return err
	}
	if n.Kind != workflows.NotifyEscalated {
		return nil
	}
	// The key is "<workflow>/escalation/<disagreement>/<steps>".
	parts := strings.Split(n.Key, "/")
	if len(parts) < 4 || parts[len(parts)-3] != "escalation" {
		return nil
	}
	id := parts[len(parts)-2]
	steps, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || w.escalatedNow[id] || steps <= w.disagreements[id] {
		return nil
	}
	w.disagreements[id] = steps
	w.autoEscalation(id, steps, w.escalationDue(id, steps), w.clock)
	return nil
}

// escalationDue is the business time of an automatic escalation: when the step's time was up, as the
// final state says, or else the due instant of the timer that fired for it.
func (w *timelineWalker) escalationDue(id string, steps int) time.Time {
	if w.final != nil {
		for _, d := range w.final.Disagreements {
			if d.ID == id && steps-1 < len(d.Steps) && steps >= 2 {
				return d.Steps[steps-1].StartedAt
			}
		}
	}
	if len(w.firedInTask) > 0 {
		return w.firedInTask[0].Add(-time.Millisecond)
	}
	return w.clock
}

func (w *timelineWalker) autoEscalation(id string, steps int, due, recordedAt time.Time) {
	ladder := w.policy.EscalationLadder
	level, prev := "nästa steg", "steget före"
	if steps-1 < len(ladder) && steps >= 2 {
		level, prev = ladder[steps-1], ladder[steps-2]
	}
	w.emit(timelineEntry{Kind: kindDisagreementAutoEscal, OccurredAt: due, RecordedAt: recordedAt, Ref: id,
		Text: fmt.Sprintf("Oenigheten %s gick automatiskt vidare till %s, eftersom %s inte hade beslutat inom %d arbetsdagar.",
			id, level, prev, w.policy.EscalateAfterWorkingDays)})
}

func (w *timelineWalker) activityCompleted(s scheduledActivity, result *commonpb.Payloads, at time.Time) error {
	switch s.name {
	case workflows.ActivityRouteConcern:
		var req workflows.RouteConcernRequest
		var res workflows.RouteConcernResult
		if err := w.decode(s.input, &req); err != nil {
			return err
		}
		if err := w.decode(result, &res); err != nil {
			return err
		}
		w.routed(req.OccurredAt, res, at)
	case workflows.ActivityMunicipalityPolicy:
		var p casework.Policy
		if err := w.decode(result, &p); err != nil {
			return err
		}
		w.nextPolicy = &p
	case workflows.ActivityNotify:
		var n workflows.NotifyRequest
		if err := w.decode(s.input, &n); err != nil {
			return err
		}
		w.notified(n, at)
	}
	return nil
}

// routed: the new case went to res's unit. The routing belongs to the concern: it stands at the
// concern's business time.
func (w *timelineWalker) routed(concernAt time.Time, res workflows.RouteConcernResult, at time.Time) {
	w.policy = res.Policy
	w.names.learnUnit(res.Unit)
	w.emit(timelineEntry{Kind: kindConcernRouted, OccurredAt: concernAt, RecordedAt: at,
		Text: fmt.Sprintf("Ärendet fördelades till %s. %s Policy: %s, version %d.", res.Unit.Name, sentence(res.Reason),
			res.Policy.Name, res.Policy.Version)})
}

// notified: a reminder or a message reached its recipients (the activity completed).
func (w *timelineWalker) notified(n workflows.NotifyRequest, at time.Time) {
	to := w.recipients(n)
	e := timelineEntry{Kind: kindNotificationSent, OccurredAt: at, RecordedAt: at}
	switch n.Kind {
	case workflows.NotifyReminder:
		e.Kind = kindReminderSent
		due := ""
		if n.DueAt != nil {
			due = " går ut " + dueText(*n.DueAt)
		}
		e.Text = fmt.Sprintf("Påminnelse till %s: tidsgränsen %s%s.", to, n.DeadlineKind.Purpose(), due)
	case workflows.NotifyDeadlineMissed:
		e.Text = fmt.Sprintf("%s fick besked om att tidsgränsen %s gått ut och om avvikelsen.", capital(to), n.DeadlineKind.Purpose())
	case workflows.NotifyDeviationReported:
		e.Text = fmt.Sprintf("%s fick besked om avvikelsen.", capital(to))
	case workflows.NotifyEscalated:
		e.Text = fmt.Sprintf("%s fick besked om att oenigheten gått vidare.", capital(to))
	case workflows.NotifyCaseHandedOver:
		e.Text = fmt.Sprintf("%s fick besked om att ärendet lämnats över till dem.", capital(to))
	case workflows.NotifyConcernJoined:
		e.Text = fmt.Sprintf("%s fick besked om den nya oron.", capital(to))
	case workflows.NotifyCaseReopened:
		e.Text = fmt.Sprintf("%s fick besked om att ärendet öppnats igen.", capital(to))
	case workflows.NotifyNewCase:
		e.Text = fmt.Sprintf("%s fick besked om det nya ärendet.", capital(to))
	case workflows.NotifySummoned:
		e.Text = fmt.Sprintf("%s fick kallelsen till samverkansmötet.", capital(to))
	case workflows.NotifyAppointed:
		e.Text = fmt.Sprintf("%s fick besked om sitt uppdrag i ärendet.", capital(to))
	default:
		e.Text = fmt.Sprintf("Meddelande till %s.", to)
	}
	w.emit(e)
}

// recipients names a notification's recipients: people by name, or the role of a unit.
func (w *timelineWalker) recipients(n workflows.NotifyRequest) string {
	var names []string
	for _, r := range n.Recipients {
		switch {
		case r.UserID != "":
			names = append(names, w.names.user(r.UserID))
		case r.Role != "":
			names = append(names, roleName(r.Role)+" på "+w.names.unit(r.UnitID))
		default:
			names = append(names, w.names.unit(r.UnitID))
		}
	}
	if len(names) == 0 {
		return "ingen mottagare"
	}
	return swedishList(names)
}

// fromFinalState adds what the final state knows happened and the history could not show: automatic
// escalations in a run that sent no notifications (runs begun before reminders existed), and
// automatic deviations the walk did not see (a deadline passed in a run whose history is gone).
// They stand at their business time, recorded when the state says.
func (w *timelineWalker) fromFinalState() {
	if w.final == nil {
		return
	}
	w.event, w.sub = maxEventsPerRun-1, 0
	for _, d := range w.final.Disagreements {
		for n := 1; n < len(d.Steps); n++ {
			if d.Steps[n-1].EscalatedBy == "auto" && w.disagreements[d.ID] < n+1 {
				w.disagreements[d.ID] = n + 1
				w.clock = d.Steps[n].StartedAt
				w.autoEscalation(d.ID, n+1, d.Steps[n].StartedAt, d.Steps[n].StartedAt)
			}
		}
	}
	seen := map[string]bool{}
	for _, id := range w.missedIDs {
		seen[id] = true
	}
	for _, dev := range w.final.Deviations {
		if dev.Kind != workflows.DeviationMissedDeadline || seen[dev.ID] {
			continue
		}
		w.clock = dev.RecordedAt
		w.emit(timelineEntry{Kind: kindDeadlineMissed, OccurredAt: dev.OccurredAt, RecordedAt: dev.RecordedAt, Ref: dev.ID,
			Text: fmt.Sprintf("%s Systemet skrev avvikelsen %s till chefen för %s.", sentence(dev.Description), dev.ID, w.names.unit(dev.UnitID))})
	}
}
