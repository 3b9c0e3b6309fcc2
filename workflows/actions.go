package workflows

import (
	"strconv"
	"time"
)

// What an actor may do in the case now. Every command's validator starts with its precondition –
// the part that reads only the case, who acts, what in the case the command is about and the time
// (mayAcknowledge, maySummon, …, next to each validator) – and checks the command's own fields after
// it. Offers asks the same preconditions, so a client shown the offered commands is offered exactly
// those the workflow would take from this actor with a valid body, and re-derives no rule.

// Offer is a command the actor may give now: its update, and – for a command about one of several
// things in the case – which: an agency's invitation, the plan's version awaiting approval, a
// deviation, a disagreement.
type Offer struct {
	Update string
	Target string
}

// precondition is one command's row: the things in the case it may be about (nil: the case as a
// whole), and its precondition.
type precondition struct {
	update  string
	targets func(s *CaseState) []string
	may     func(s *CaseState, by Actor, target string, now time.Time) error
}

// preconditions has a row for every command of registerProcessCommands, in the order of the process.
var preconditions = []precondition{
	{update: UpdateAcknowledgeConcern, may: whole((*CaseState).mayAcknowledge)},
	{update: UpdateDelegateAssessment, may: whole((*CaseState).mayDelegate)},
	{update: UpdateRecordHarmReport, may: whole(func(*CaseState, Actor) error { return nil })},
	{update: UpdateRecordAssessment, may: whole((*CaseState).mayAssess)},
	{update: UpdateCompleteAssessment, may: whole((*CaseState).mayCompleteAssessment)},
	{update: UpdateRecordConsent, may: whole((*CaseState).mayRecordConsent)},
	{update: UpdateRevokeConsent, may: whole((*CaseState).mayRevokeConsent)},
	{update: UpdateSendSummons, may: whole((*CaseState).maySummon)},
	{update: UpdateAnswerInvitation, targets: agencyInvitations, may: about((*CaseState).mayAnswerInvitation)},
	{update: UpdateHoldMeeting, may: func(s *CaseState, by Actor, _ string, now time.Time) error { return s.mayHoldMeeting(by, now) }},
	{update: UpdateAppointCoordinator, may: whole((*CaseState).mayAppointCoordinator)},
	{update: UpdateProposePlan, may: whole((*CaseState).mayProposePlan)},
	{update: UpdateApprovePlan, targets: versionsAwaitingApproval, may: func(s *CaseState, by Actor, version string, _ time.Time) error {
		v, err := strconv.Atoi(version)
		if err != nil {
			return invalid("version", "ska vara ett heltal")
		}
		return s.mayApprovePlan(by, v)
	}},
	{update: UpdateRecordFollowUp, may: whole((*CaseState).mayFollowUp)},
	{update: UpdateReportDeviation, may: whole((*CaseState).mayReportDeviation)},
	{update: UpdateHandleDeviation, targets: deviationIDs, may: about((*CaseState).mayHandleDeviation)},
	{update: UpdateRaiseDisagreement, may: whole((*CaseState).mayRaiseDisagreement)},
	{update: UpdateDecideDisagreement, targets: disagreementIDs, may: about((*CaseState).mayDecideDisagreement)},
	{update: UpdateEscalateDisagreement, targets: disagreementIDs, may: about((*CaseState).mayEscalateDisagreement)},
	{update: UpdateRecordPlacement, may: whole((*CaseState).mayPlace)},
	{update: UpdateRecordHealthExamination, may: whole((*CaseState).mayRecordHealthExamination)},
	{update: UpdateSettleCostDistribution, may: whole((*CaseState).maySettleCostDistribution)},
	{update: UpdateHandOverCase, may: whole((*CaseState).mayHandOver)},
	{update: UpdateCloseCase, may: whole((*CaseState).mayClose)},
	{update: UpdateReopenCase, may: func(s *CaseState, by Actor, _ string, now time.Time) error { return s.mayReopen(by, now) }},
}

// Offers lists the commands the actor may give in the case at now, in the order of the process: the
// commands the case takes now (mayTake) whose precondition holds for the actor. A command's body is
// still checked when it is given.
func (s *CaseState) Offers(by Actor, now time.Time) []Offer {
	out := []Offer{}
	for _, p := range preconditions {
		if s.mayTake(p.update) != nil {
			continue
		}
		targets := []string{""}
		if p.targets != nil {
			targets = p.targets(s)
		}
		for _, target := range targets {
			if p.may(s, by, target, now) == nil {
				out = append(out, Offer{Update: p.update, Target: target})
			}
		}
	}
	return out
}

func whole(may func(*CaseState, Actor) error) func(*CaseState, Actor, string, time.Time) error {
	return func(s *CaseState, by Actor, _ string, _ time.Time) error { return may(s, by) }
}

func about(may func(*CaseState, Actor, string) error) func(*CaseState, Actor, string, time.Time) error {
	return func(s *CaseState, by Actor, target string, _ time.Time) error { return may(s, by, target) }
}

// versionsAwaitingApproval is the proposed version of the plan, if there is one: only it awaits
// approval.
func versionsAwaitingApproval(s *CaseState) []string {
	if p := s.ProposedPlan(); p != nil {
		return []string{strconv.Itoa(p.Version)}
	}
	return nil
}

func deviationIDs(s *CaseState) []string {
	out := make([]string, len(s.Deviations))
	for i, d := range s.Deviations {
		out[i] = d.ID
	}
	return out
}

func disagreementIDs(s *CaseState) []string {
	out := make([]string, len(s.Disagreements))
	for i, d := range s.Disagreements {
		out[i] = d.ID
	}
	return out
}
