package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// actionCommand is how the test gives a command: a body the command's own field checks accept in
// the state, and the command's whole validator – what every command needs, then its own.
type actionCommand struct {
	body     func(s CaseState, cmd Command, target string) any
	validate func(c *caseRun, in any, now time.Time) error
}

func validatedBy[T any](validate func(*caseRun, T, time.Time) error) func(*caseRun, any, time.Time) error {
	return func(c *caseRun, in any, now time.Time) error { return validate(c, in.(T), now) }
}

// actionCommands has every command of the case, with a body fitting the state.
var actionCommands = map[string]actionCommand{
	UpdateAcknowledgeConcern: {func(_ CaseState, cmd Command, _ string) any { return AcknowledgeConcern{Command: cmd} },
		validatedBy((*caseRun).validateAcknowledge)},
	UpdateDelegateAssessment: {func(_ CaseState, cmd Command, _ string) any {
		return DelegateAssessment{Command: cmd, To: colleague.User, ToName: colleague.Name}
	}, validatedBy((*caseRun).validateDelegate)},
	UpdateRecordHarmReport: {func(_ CaseState, cmd Command, _ string) any {
		return RecordHarmReport{Command: cmd, Reason: "inget tyder på att barnet far illa"}
	}, validatedBy((*caseRun).validateHarmReport)},
	UpdateRecordAssessment: {func(_ CaseState, cmd Command, _ string) any { return assessment(cmd) }, validatedBy((*caseRun).validateAssessment)},
	UpdateCompleteAssessment: {func(_ CaseState, cmd Command, _ string) any { return collaboration(cmd, false) },
		validatedBy((*caseRun).validateComplete)},
	UpdateRecordConsent: {func(_ CaseState, cmd Command, _ string) any {
		return guardianConsent(cmd, guardianOne, CustodyJoint, socUnit)
	}, validatedBy((*caseRun).validateConsent)},
	UpdateRevokeConsent: {func(s CaseState, cmd Command, _ string) any {
		agencies := []string{socUnit} // the assessor's and the coordinator's choice; a participant revokes its own
		if s.ActiveParticipant(cmd.By.Unit) {
			agencies = []string{cmd.By.Unit}
		}
		return RevokeConsent{Command: cmd, Party: PartyGuardian, PartyName: guardianOne, Agencies: agencies}
	}, validatedBy((*caseRun).validateRevoke)},
	UpdateSendSummons: {func(s CaseState, cmd Command, _ string) any { return summons(cmd, activeParticipants(s)...) },
		validatedBy((*caseRun).validateSummons)},
	UpdateAnswerInvitation: {func(_ CaseState, cmd Command, id string) any {
		return AnswerInvitation{Command: cmd, InvitationID: id, Response: InvitationAccept}
	}, validatedBy((*caseRun).validateAnswerInvitation)},
	UpdateHoldMeeting: {func(s CaseState, cmd Command, _ string) any {
		in := HoldMeeting{Command: cmd, CommonPicture: "barnet behöver stöd"}
		if s.Summons != nil {
			in.Attendance = []Attendance{{Participant: s.Summons.Invitations[0].Participant, Present: true}}
			if cmd.OccurredAt.Before(s.Summons.MeetingAt) {
				in.OccurredAt = s.Summons.MeetingAt // held as summoned, minutes ahead of the clock
			}
		}
		for _, id := range activeParticipants(s) {
			in.Decisions = append(in.Decisions, AgencyDecision{UnitID: id, Decision: "erbjuder stöd"})
		}
		return in
	}, validatedBy((*caseRun).validateMeeting)},
	UpdateAppointCoordinator: {func(_ CaseState, cmd Command, _ string) any {
		return AppointCoordinator{Command: cmd, ChildWish: &socialWorker, Coordinator: socialWorker}
	}, validatedBy((*caseRun).validateCoordinator)},
	UpdateProposePlan: {func(_ CaseState, cmd Command, _ string) any { return sip(cmd, cmd.OccurredAt.AddDate(0, 1, 0)) },
		validatedBy((*caseRun).validateProposePlan)},
	UpdateApprovePlan: {func(_ CaseState, cmd Command, version string) any {
		v, _ := strconv.Atoi(version)
		return approval(cmd, v, PartyGuardian, "Ny Vårdnadshavare", true) // one who has not answered yet
	}, validatedBy((*caseRun).validateApprovePlan)},
	UpdateRecordFollowUp: {func(_ CaseState, cmd Command, _ string) any {
		in := followUpAll(cmd, FollowUpRevise)
		next := cmd.OccurredAt.AddDate(0, 1, 0)
		in.NextFollowUpAt = &next
		return in
	}, validatedBy((*caseRun).validateFollowUp)},
	UpdateReportDeviation: {func(_ CaseState, cmd Command, _ string) any {
		return ReportDeviation{Command: cmd, UnitID: schoolUnit, Description: "kallelsen gick inte ut i tid"}
	}, validatedBy((*caseRun).validateReportDeviation)},
	UpdateHandleDeviation: {func(_ CaseState, cmd Command, id string) any {
		return HandleDeviation{Command: cmd, DeviationID: id, Handling: "rutinen är genomgången"}
	}, validatedBy((*caseRun).validateHandleDeviation)},
	UpdateRaiseDisagreement: {func(_ CaseState, cmd Command, _ string) any {
		return RaiseDisagreement{Command: cmd, Subject: DisagreementCost, Question: "vem betalar läxhjälpen?", Parties: []string{"kommunen", "regionen"}}
	}, validatedBy((*caseRun).validateRaiseDisagreement)},
	UpdateDecideDisagreement: {func(_ CaseState, cmd Command, id string) any {
		return DecideDisagreement{Command: cmd, DisagreementID: id, Decision: "kommunen betalar"}
	}, validatedBy((*caseRun).validateDecideDisagreement)},
	UpdateEscalateDisagreement: {func(_ CaseState, cmd Command, id string) any {
		return EscalateDisagreement{Command: cmd, DisagreementID: id, Reason: "frågan behöver avgöras högre upp"}
	}, validatedBy((*caseRun).validateEscalateDisagreement)},
	UpdateRecordPlacement: {func(_ CaseState, cmd Command, _ string) any {
		return RecordPlacement{Command: cmd, Kind: PlacementAcute}
	},
		validatedBy((*caseRun).validatePlacement)},
	UpdateRecordHealthExamination: {func(_ CaseState, cmd Command, _ string) any { return RecordHealthExamination{Command: cmd} },
		validatedBy((*caseRun).validateHealthExamination)},
	UpdateSettleCostDistribution: {func(_ CaseState, cmd Command, _ string) any {
		return SettleCostDistribution{Command: cmd, CostDistribution: CostDistribution{Agreement: "delas lika", Parties: []string{"kommunen", "regionen"}}}
	}, validatedBy((*caseRun).validateCostDistribution)},
	UpdateHandOverCase: {func(_ CaseState, cmd Command, _ string) any {
		return HandOverCase{Command: cmd, To: casework.UnitRef{ID: "lulea-skola-1", Name: "Luleå testskola", Kind: casework.UnitSchool},
			ToMunicipality: "lulea", Reason: "familjen har flyttat"}
	}, validatedBy((*caseRun).validateHandOver)},
	UpdateCloseCase: {func(_ CaseState, cmd Command, _ string) any { return CloseCase{Command: cmd, Reason: CloseNeedsMet} },
		validatedBy((*caseRun).validateClose)},
	UpdateReopenCase: {func(_ CaseState, cmd Command, _ string) any {
		return ReopenCase{Command: cmd, Reason: "ny oro från skolan"}
	},
		validatedBy((*caseRun).validateReopen)},
}

func activeParticipants(s CaseState) []string {
	var out []string
	for _, p := range s.Participants {
		if p.Status == ParticipantActive {
			out = append(out, p.Unit.ID)
		}
	}
	return out
}

// actionActors act in every role of the authorisation matrix: the named person, a colleague and a
// teacher (the reporter) of the school, its supervisor, social services (the coordinator from the
// meeting on) and their supervisor, BUP, the central school health team (proposed, never consented
// to), another school's named person, and the steering group and an administrator.
var actionActors = []Actor{namedPerson, colleague, teacher, schoolChef, coordinator, socChef, bupDoctor, schoolNurse, otherNamedPerson,
	{User: "stina.styrgrupp", Role: casework.RoleSteering, Unit: socUnit, UnitKind: casework.UnitSocialServices},
	{User: "adam.admin", Role: casework.RoleAdmin, Unit: schoolUnit, UnitKind: casework.UnitSchool}}

// TestOffersAgreeWithTheValidators holds Offers against the validators themselves: in every phase of
// a case – new, taken, assessed, waiting for consent, consented, summoned, an invitation answered,
// at the meeting's time, met, with a coordinator, with a proposed plan, followed up with deviations, a disagreement and a placement, with an agency's
// consent revoked, closed – and for every role, each command (and each thing it may be about) is
// offered exactly when its validator accepts it with a body that fits, and one withheld is refused
// for the case or the actor (409 or 403), never for its body.
func TestOffersAgreeWithTheValidators(t *testing.T) {
	var rows []string
	for _, p := range preconditions {
		rows = append(rows, p.update)
		require.Contains(t, actionCommands, p.update, "the test gives every command")
	}
	require.Len(t, actionCommands, len(rows), "every command the test gives has a precondition row")

	type snapshot struct {
		name  string
		state CaseState
		now   time.Time
	}
	var snapshots []snapshot
	pt := newProcessTest(t, casework.Norrbus())
	look := func(name string, after time.Duration) {
		pt.at(after, func(s CaseState) { snapshots = append(snapshots, snapshot{name, s, friday.Add(after)}) })
	}
	look("nothing yet", tConcern/2)
	pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
	look("new", tConcern+time.Minute)
	pt.must(tAck, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, tAck)})
	look("taken", tAck+time.Minute)
	pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
	look("assessed", tAssess+time.Minute)
	pt.must(tComplete, UpdateCompleteAssessment, collaboration(on(namedPerson, tComplete), false))
	look("waiting for consent", tComplete+time.Minute)
	pt.giveConsent(tConsent, socUnit, bupUnit)
	look("consented", tConsent+2*time.Minute)
	pt.must(tSummons, UpdateSendSummons, summons(on(namedPerson, tSummons), socUnit, bupUnit))
	look("summoned", tSummons+time.Minute)
	pt.must(tSummons+2*time.Minute, UpdateAnswerInvitation, AnswerInvitation{Command: on(bupDoctor, tSummons+2*time.Minute),
		InvitationID: bupUnit, Response: InvitationDecline, Reason: "ingen tid den dagen"})
	look("an invitation answered", tSummons+3*time.Minute)
	look("a second before the summoned time", tMeet-time.Second)
	pt.must(tMeet, UpdateHoldMeeting, meeting(on(namedPerson, tMeet)))
	look("met", tMeet+30*time.Second)
	pt.must(tCoord, UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, tCoord), ChildWish: &socialWorker, Coordinator: socialWorker})
	look("with a coordinator", tCoord+time.Minute)
	pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
	look("plan proposed", tPlan+time.Minute)
	pt.approveAll(tApproved, 1)
	look("plan established", tApproved+time.Minute)
	tLater := tApproved + time.Hour
	pt.must(tLater, UpdateReportDeviation, ReportDeviation{Command: on(coordinator, tLater), UnitID: schoolUnit, Description: "sen kallelse"})
	pt.must(tLater+time.Second, UpdateRaiseDisagreement, RaiseDisagreement{Command: on(coordinator, tLater+time.Second),
		Subject: DisagreementCost, Question: "vem betalar?", Parties: []string{"kommunen", "regionen"}})
	pt.must(tLater+2*time.Second, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tLater+2*time.Second), Kind: PlacementAcute})
	look("deviation, disagreement and placement", tLater+time.Minute)
	pt.must(tLater+2*time.Minute, UpdateHandleDeviation, HandleDeviation{Command: on(schoolChef, tLater+2*time.Minute), DeviationID: "avv-1", Handling: "genomgånget"})
	pt.must(tLater+3*time.Minute, UpdateRevokeConsent, RevokeConsent{Command: on(bupDoctor, tLater+3*time.Minute),
		Party: PartyGuardian, PartyName: guardianOne, Agencies: []string{bupUnit}})
	look("deviation handled, BUP's consent revoked", tLater+4*time.Minute)
	pt.must(tLater+5*time.Minute, UpdateCloseCase, CloseCase{Command: on(coordinator, tLater+5*time.Minute), Reason: CloseNeedsMet})
	look("closed", tLater+6*time.Minute)
	pt.run(tLater+7*time.Minute, func(CaseState) {})
	var names []string
	for _, snap := range snapshots {
		names = append(names, snap.name)
	}
	require.Len(t, names, 16, "every phase was looked at")

	offered := 0
	for _, snap := range snapshots {
		for _, by := range actionActors {
			t.Run(fmt.Sprintf("%s as %s (%s)", snap.name, by.User, by.Role), func(t *testing.T) {
				offers := snap.state.Offers(by, snap.now)
				offered += len(offers)
				for _, p := range preconditions {
					targets := []string{""}
					if p.targets != nil {
						targets = p.targets(&snap.state)
					}
					for _, target := range targets {
						requireOfferMatchesValidator(t, snap.state, by, snap.now, p.update, target, offers)
					}
				}
			})
		}
	}
	require.Greater(t, offered, 100, "the case offers its steps to somebody")
}

func requireOfferMatchesValidator(t *testing.T, s CaseState, by Actor, now time.Time, update, target string, offers []Offer) {
	t.Helper()
	c := &caseRun{state: s}
	cmd := Command{By: by, OccurredAt: now}
	ac := actionCommands[update]
	err := c.validateCommand(update, cmd, now)
	if err == nil {
		err = ac.validate(c, ac.body(s, cmd, target), now)
	}
	isOffered := slices.Contains(offers, Offer{Update: update, Target: target})
	if isOffered {
		require.NoError(t, err, "%s %s is offered, but its validator refuses it", update, target)
		return
	}
	require.Error(t, err, "%s %s is not offered, but its validator accepts it", update, target)
	refusal, reason, ok := RefusalOf(err)
	require.True(t, ok)
	require.Contains(t, []string{ErrTypeConflict, ErrTypeForbidden}, refusal.Kind,
		"%s %s is withheld, and refused for its body (%s) rather than for the case or the actor", update, target, reason)
}
