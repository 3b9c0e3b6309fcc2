package timeline

import (
	"fmt"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The steps people took in a case – its updates that succeeded (history.go) – each as the
// sentence a supervisor reads. Each reads the update's input as the workflow did (workflows'
// contract) and what the walk knows of the case before it.

// updateAnswer is what every update's result says of the case: its phase and deadlines
// (workflows.CommandResult, RegisterConcernResult).
type updateAnswer struct {
	Phase     casework.Phase       `json:"phase"`
	Deadlines []workflows.Deadline `json:"deadlines"`
	Joined    bool                 `json:"joined"`
}

// stepEvent is one applied update.
type stepEvent struct {
	u           acceptedUpdate
	at          time.Time // when the workflow answered it
	answer      updateAnswer
	phaseBefore casework.Phase
	started     []workflows.Deadline // the deadlines it started
}

type stepReader func(w *timelineWalker, s *stepEvent) error

var timelineSteps = map[string]stepReader{
	workflows.UpdateRegisterConcern:         readStep(concernStep),
	workflows.UpdateAcknowledgeConcern:      readStep(acknowledgeStep),
	workflows.UpdateDelegateAssessment:      readStep(delegateStep),
	workflows.UpdateRecordHarmReport:        readStep(harmReportStep),
	workflows.UpdateRecordAssessment:        readStep(assessmentStep),
	workflows.UpdateCompleteAssessment:      readStep(completionStep),
	workflows.UpdateRecordConsent:           readStep(consentStep),
	workflows.UpdateRevokeConsent:           readStep(revocationStep),
	workflows.UpdateSendSummons:             readStep(summonsStep),
	workflows.UpdateAnswerInvitation:        readStep(invitationAnswerStep),
	workflows.UpdateHoldMeeting:             readStep(meetingStep),
	workflows.UpdateAppointCoordinator:      readStep(coordinatorStep),
	workflows.UpdateCloseCase:               readStep(closeStep),
	workflows.UpdateProposePlan:             readStep(proposePlanStep),
	workflows.UpdateApprovePlan:             readStep(approvePlanStep),
	workflows.UpdateRecordFollowUp:          readStep(followUpStep),
	workflows.UpdateReportDeviation:         readStep(reportDeviationStep),
	workflows.UpdateHandleDeviation:         readStep(handleDeviationStep),
	workflows.UpdateRaiseDisagreement:       readStep(raiseDisagreementStep),
	workflows.UpdateDecideDisagreement:      readStep(decideDisagreementStep),
	workflows.UpdateEscalateDisagreement:    readStep(escalateDisagreementStep),
	workflows.UpdateRecordPlacement:         readStep(placementStep),
	workflows.UpdateRecordHealthExamination: readStep(healthExaminationStep),
	workflows.UpdateSettleCostDistribution:  readStep(costDistributionStep),
	workflows.UpdateHandOverCase:            readStep(handOverStep),
	workflows.UpdateReopenCase:              readStep(reopenStep),
}

// readStep decodes the update's input as T and hands it to the step's sentence.
func readStep[T any](f func(w *timelineWalker, s *stepEvent, in T)) stepReader {
	return func(w *timelineWalker, s *stepEvent) error {
		var in T
		if err := w.decode(s.u.args, &in); err != nil {
			return err
		}
		f(w, s, in)
		return nil
	}
}

func (w *timelineWalker) updateCompleted(u acceptedUpdate, success *commonpb.Payloads, at time.Time) error {
	s := &stepEvent{u: u, at: at, phaseBefore: w.phase}
	if err := w.decode(success, &s.answer); err != nil {
		return err
	}
	if n := len(w.deadlines); len(s.answer.Deadlines) > n {
		s.started = s.answer.Deadlines[n:]
	}
	first := len(w.entries)
	if read, ok := timelineSteps[u.name]; ok {
		if err := read(w, s); err != nil {
			return err
		}
	}
	if last := len(w.entries) - 1; last >= first {
		w.entries[last].Text += newDeadlinesText(s.started)
	}
	w.phase = s.answer.Phase
	w.followDeadlines(s.answer.Deadlines, at)
	return nil
}

// step records a step of the command's actor at its business time.
func (w *timelineWalker) step(s *stepEvent, kind timelineKind, cmd workflows.Command, text, ref string) {
	by := cmd.By
	w.names.learnUser(by.User, by.Name)
	w.emit(timelineEntry{Kind: kind, OccurredAt: cmd.OccurredAt, RecordedAt: s.at, By: &by, Text: sentence(text), Ref: ref, pos: s.u.pos})
}

func who(a workflows.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.User
}

func concernStep(w *timelineWalker, s *stepEvent, in workflows.RegisterConcern) {
	cmd := workflows.Command{By: in.By, OccurredAt: in.OccurredAt}
	text := fmt.Sprintf("%s anmälde oro för barnet inom %s: %s", who(in.By), areaList(in.Areas), quoted(in.Observation))
	if s.answer.Joined {
		text = fmt.Sprintf("%s anmälde en ny oro inom %s, som lades till i det öppna ärendet: %s", who(in.By), areaList(in.Areas), quoted(in.Observation))
	}
	if in.SuspectsHarm {
		text += " Anmälaren misstänker att barnet far illa; anmälan till socialtjänsten är anmälarens egen skyldighet (SoL 14 kap. 1 §)."
	}
	w.step(s, kindConcernRegistered, cmd, text, "")
	if s.phaseBefore == casework.PhaseClosed {
		w.reopened = true
		w.step(s, kindCaseReopened, cmd, "Ärendet öppnades igen av den nya oron, som kom inom tiden för att öppna ett avslutat ärende. Barnets bästa-ansvarig ska ta emot det på nytt", "")
	}
}

func acknowledgeStep(w *timelineWalker, s *stepEvent, in workflows.AcknowledgeConcern) {
	text := who(in.By) + " tog emot ärendet och började kartläggningen"
	switch {
	case w.handedOver:
		text = who(in.By) + " tog emot det överlämnade ärendet"
	case w.reopened:
		text = who(in.By) + " tog emot det återöppnade ärendet"
	}
	w.handedOver, w.reopened = false, false
	w.step(s, kindCaseAcknowledged, in.Command, text, "")
}

func delegateStep(w *timelineWalker, s *stepEvent, in workflows.DelegateAssessment) {
	name := in.ToName
	if name == "" {
		name = w.names.user(in.To)
	}
	w.names.learnUser(in.To, in.ToName)
	w.step(s, kindAssessmentDelegated, in.Command, fmt.Sprintf("%s delegerade kartläggningen till %s", who(in.By), name), "")
}

func harmReportStep(w *timelineWalker, s *stepEvent, in workflows.RecordHarmReport) {
	text := fmt.Sprintf("%s registrerade att ingen anmälan till socialtjänsten gjordes: %s", who(in.By), quoted(in.Reason))
	if in.Reported && in.ReportedAt != nil {
		text = fmt.Sprintf("%s registrerade att en anmälan till socialtjänsten (SoL 14 kap. 1 §) gjordes %s", who(in.By), clockText(*in.ReportedAt))
	}
	w.step(s, kindHarmReportRecorded, in.Command, text, "")
}

func assessmentStep(w *timelineWalker, s *stepEvent, in workflows.RecordAssessment) {
	areas := make([]string, len(in.Areas))
	for i, a := range in.Areas {
		areas[i] = fmt.Sprintf("%s (%s)", a.Area, a.Level)
	}
	text := fmt.Sprintf("%s registrerade kartläggningen av %s.", who(in.By), swedishList(areas))
	switch {
	case strings.TrimSpace(in.ChildView.View) != "":
		text += " Barnets egen syn: " + quoted(in.ChildView.View)
	case strings.TrimSpace(in.ChildView.NotObtainedReason) != "":
		text += " Barnets egen syn kunde inte inhämtas: " + quoted(in.ChildView.NotObtainedReason)
	}
	w.step(s, kindAssessmentRecorded, in.Command, text, "")
}

func completionStep(w *timelineWalker, s *stepEvent, in workflows.CompleteAssessment) {
	var text string
	if in.Outcome == workflows.OutcomeCollaboration {
		ids := make([]string, len(in.ProposedAgencies))
		for i, u := range in.ProposedAgencies {
			w.names.learnUnit(u)
			ids[i] = u.ID
		}
		text = fmt.Sprintf("%s avslutade kartläggningen: samverkan behövs med %s kring %s.", who(in.By), w.names.unitList(ids), areaList(in.RelevantAreas))
		if in.Acute {
			text += " Ärendet är akut."
		}
		text += " Samtycke ska inhämtas från barnet och vårdnadshavarna."
	} else {
		text = who(in.By) + " avslutade kartläggningen: barnets behov kan mötas inom den egna verksamheten"
		if in.OwnFollowUp {
			text += ", som följer upp barnet"
		}
	}
	w.step(s, kindAssessmentCompleted, in.Command, text, "")
	if s.answer.Phase == casework.PhaseClosed {
		w.step(s, kindCaseClosed, in.Command, "Ärendet avslutades: "+closeReasonText(workflows.CloseOwnOrganisation), "")
	}
}

func consentStep(w *timelineWalker, s *stepEvent, in workflows.RecordConsent) {
	if !in.Given {
		w.step(s, kindConsentRefused, in.Command, fmt.Sprintf("%s lämnade inte samtycke (%s). Arbetet fortsätter inom den egna verksamhetens mandat",
			capital(party(in.Party, in.PartyName)), methodTexts[in.Method]), "")
		return
	}
	text := fmt.Sprintf("%s gav %s samtycke till samverkan med %s.", capital(party(in.Party, in.PartyName)), methodTexts[in.Method], w.names.unitList(in.Scope))
	for _, d := range s.started {
		if d.Kind == casework.DeadlineSummons {
			text += " Samtycket är nu komplett."
			break
		}
	}
	w.step(s, kindConsentGiven, in.Command, text, "")
}

func revocationStep(w *timelineWalker, s *stepEvent, in workflows.RevokeConsent) {
	what := "helt"
	if len(in.Agencies) > 0 {
		what = "för " + w.names.unitList(in.Agencies)
	}
	w.step(s, kindConsentRevoked, in.Command, fmt.Sprintf("%s återkallade samtycket %s. Från och med nu har de berörda verksamheterna inte tillgång till ärendet, och deras kallelser är avbokade",
		capital(party(in.Party, in.PartyName)), what), "")
}

// participantName names a participant of the meeting: a unit, the child or the guardians.
func (w *timelineWalker) participantName(p string) string {
	switch p {
	case workflows.InviteeChild:
		return "barnet"
	case workflows.InviteeGuardians:
		return "vårdnadshavarna"
	}
	return w.names.unit(p)
}

func summonsStep(w *timelineWalker, s *stepEvent, in workflows.SendSummons) {
	invited := make([]string, 0, len(in.Agencies)+2)
	for _, id := range in.Agencies {
		invited = append(invited, w.names.unit(id))
	}
	if in.InviteChild {
		invited = append(invited, "barnet")
	}
	if in.InviteGuardians {
		invited = append(invited, "vårdnadshavarna")
	}
	w.step(s, kindSummonsSent, in.Command, fmt.Sprintf("%s kallade till samverkansmöte %s, %s. Kallade: %s",
		who(in.By), clockText(in.MeetingAt), strings.TrimSpace(in.Place), swedishList(invited)), "")
}

func invitationAnswerStep(w *timelineWalker, s *stepEvent, in workflows.AnswerInvitation) {
	unit := w.names.unit(in.InvitationID)
	text := fmt.Sprintf("%s tackade ja till samverkansmötet för %s", who(in.By), unit)
	switch in.Response {
	case workflows.InvitationDecline:
		text = fmt.Sprintf("%s tackade nej till samverkansmötet för %s: %s", who(in.By), unit, quoted(in.Reason))
	case workflows.InvitationProposeOther:
		text = fmt.Sprintf("%s föreslog att en annan person kommer till samverkansmötet för %s", who(in.By), unit)
		if p := in.ProposedPerson; p != nil {
			text = fmt.Sprintf("%s föreslog att %s kommer till samverkansmötet för %s", who(in.By), w.personText(*p), unit)
		}
		if strings.TrimSpace(in.Reason) != "" {
			text += ": " + quoted(in.Reason)
		}
	}
	w.step(s, kindInvitationAnswered, in.Command, text, "")
}

func meetingStep(w *timelineWalker, s *stepEvent, in workflows.HoldMeeting) {
	var present, absent []string
	for _, a := range in.Attendance {
		if a.Present {
			present = append(present, w.participantName(a.Participant))
		} else {
			absent = append(absent, w.participantName(a.Participant))
		}
	}
	text := "Samverkansmötet hölls."
	if len(present) > 0 {
		text += " Närvarande: " + swedishList(present) + "."
	}
	if len(absent) > 0 {
		text += " Frånvarande: " + swedishList(absent) + "."
	}
	if strings.TrimSpace(in.CommonPicture) != "" {
		text += " Gemensam bild: " + quoted(in.CommonPicture)
	}
	w.step(s, kindMeetingHeld, in.Command, text, "")
	for _, d := range in.Decisions {
		text := fmt.Sprintf("%s beslutade vid mötet: %s", w.names.unit(d.UnitID), quoted(d.Decision))
		if d.NoFurtherAction {
			text = fmt.Sprintf("%s behöver inte göra något mer: %s", w.names.unit(d.UnitID), quoted(d.Reason))
		}
		w.step(s, kindAgencyDecision, in.Command, text, "")
	}
}

func (w *timelineWalker) personText(p workflows.Person) string {
	w.names.learnUser(p.User, p.Name)
	return fmt.Sprintf("%s (%s)", w.names.user(p.User), w.names.unit(p.UnitID))
}

func coordinatorStep(w *timelineWalker, s *stepEvent, in workflows.AppointCoordinator) {
	text := w.personText(in.Coordinator) + " utsågs till samordnare."
	switch {
	case in.ChildWish != nil:
		text += " Barnet tillfrågades först och önskade " + w.names.user(in.ChildWish.User) + "."
	case strings.TrimSpace(in.ChildNotAskedWhy) != "":
		text += " Barnet tillfrågades inte: " + quoted(in.ChildNotAskedWhy)
	}
	if strings.TrimSpace(in.SpecialReason) != "" {
		text += " Särskilda skäl för valet: " + quoted(in.SpecialReason)
	}
	if in.PlanOwner != nil {
		text += " Planansvarig: " + w.personText(*in.PlanOwner) + "."
	}
	w.step(s, kindCoordinatorAppointed, in.Command, text, "")
}

func closeStep(w *timelineWalker, s *stepEvent, in workflows.CloseCase) {
	text := fmt.Sprintf("%s avslutade ärendet: %s.", who(in.By), closeReasonText(in.Reason))
	if strings.TrimSpace(in.Note) != "" {
		text += " " + quoted(in.Note)
	}
	w.step(s, kindCaseClosed, in.Command, text, "")
}

func reopenStep(w *timelineWalker, s *stepEvent, in workflows.ReopenCase) {
	w.reopened = true
	w.step(s, kindCaseReopened, in.Command, fmt.Sprintf("%s öppnade ärendet igen: %s Barnets bästa-ansvarig ska ta emot det på nytt",
		who(in.By), sentence(quoted(in.Reason))), "")
}

func handOverStep(w *timelineWalker, s *stepEvent, in workflows.HandOverCase) {
	w.names.learnUnit(in.To)
	if w.nextPolicy != nil {
		w.policy, w.nextPolicy = *w.nextPolicy, nil
	}
	w.handedOver = true
	w.step(s, kindCaseHandedOver, in.Command, fmt.Sprintf("%s lämnade över ärendet till %s (%s): %s Barnets bästa-ansvarig där ska ta emot det",
		who(in.By), in.To.Name, in.ToMunicipality, sentence(quoted(in.Reason))), "")
}
