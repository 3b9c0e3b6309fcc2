package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// samarbeta (docs/process.md §6.3, §6.4): the summons within the policy's deadline after consent, the
// meeting, per-agency decisions, and the coordinator the child was asked about first.

// mayInitiateSIP: the named person and the assessor always; others if their kind of unit may
// initiate a SIP under the case's policy (Norrköping: also the central school health team).
func (s *CaseState) mayInitiateSIP(a Actor) bool {
	if s.isAssessor(a) {
		return true
	}
	for _, k := range s.Policy.SIPInitiators {
		if a.UnitKind == k && s.ActiveParticipant(a.Unit) {
			return true
		}
	}
	return false
}

// isCoordinator: the coordinator or plan owner, acting for a unit that still has a part in the case –
// one whose consent was revoked has lost it, coordinator or not (docs/process.md §5).
func (s *CaseState) isCoordinator(a Actor) bool {
	co := s.Coordinator
	if co == nil || a.User != co.Coordinator.User && (co.PlanOwner == nil || a.User != co.PlanOwner.User) {
		return false
	}
	return s.ActiveParticipant(a.Unit) || s.NamedPersonUnit != nil && a.Unit == s.NamedPersonUnit.ID
}

// maySummon: once consent is given, whoever may initiate a SIP sends the one summons.
func (s *CaseState) maySummon(by Actor) error {
	switch {
	case s.ConsentStatus != ConsentGiven:
		return conflict("kallelse kräver samtycke (nu: %s)", consentWord(s.ConsentStatus))
	case s.Summons != nil:
		return conflict("kallelse är redan skickad")
	case !s.mayInitiateSIP(by):
		return forbidden("din verksamhet får inte kalla till samverkansmöte enligt %s", s.Policy.Name)
	}
	return nil
}

func (c *caseRun) validateSummons(in SendSummons, _ time.Time) error {
	if err := c.state.maySummon(in.By); err != nil {
		return err
	}
	switch {
	case len(in.Agencies) == 0:
		return invalid("agencies", "ange vilka verksamheter som kallas")
	case !in.MeetingAt.After(in.OccurredAt):
		return invalid("meetingAt", "mötet måste ligga efter kallelsen")
	case c.state.ConsentAt != nil && in.OccurredAt.Before(*c.state.ConsentAt):
		// A summons backdated before the consent would meet the summons deadline it never had.
		return invalid("occurredAt", "kallelsen kan inte ha skickats före samtycket")
	}
	for i, id := range in.Agencies {
		if !c.state.ActiveParticipant(id) {
			return invalid(fmt.Sprintf("agencies[%d]", i), "%s omfattas inte av samtycket", id)
		}
	}
	return nil
}

func consentWord(s ConsentStatus) string {
	if s == ConsentNotAsked {
		return "inte efterfrågat"
	}
	return string(s)
}

func (c *caseRun) applySummons(ctx workflow.Context, in SendSummons) {
	invitations := make([]Invitation, 0, len(in.Agencies)+2)
	for _, id := range in.Agencies {
		invitations = append(invitations, Invitation{Participant: id, Status: InvitationPending})
	}
	if in.InviteChild {
		invitations = append(invitations, Invitation{Participant: InviteeChild, Status: InvitationPending})
	}
	if in.InviteGuardians {
		invitations = append(invitations, Invitation{Participant: InviteeGuardians, Status: InvitationPending})
	}
	c.state.Summons = &SummonsRecord{Recorded: c.recorded(ctx, in.Command), MeetingAt: in.MeetingAt, Place: in.Place, Invitations: invitations}
	c.settleDeadline(ctx, casework.DeadlineSummons, in.OccurredAt)
	c.tellInvited(ctx)
}

// mayHoldMeeting: the meeting summoned to is recorded once, while consent holds, by whoever may
// initiate a SIP or the coordinator. Those invited and the named person's own unit may attend it, and
// each agency taking part – the named person's unit among them – records its decision.
func (s *CaseState) mayHoldMeeting(by Actor, now time.Time) error {
	switch {
	case s.Summons == nil:
		return conflict("mötet måste kallas till först")
	case s.Meeting != nil:
		return conflict("mötet är redan registrerat")
	case s.ConsentStatus != ConsentGiven:
		return conflict("samtycket gäller inte längre (%s)", consentWord(s.ConsentStatus))
	case !s.mayInitiateSIP(by) && !s.isCoordinator(by):
		return forbidden("bara den som kallat eller barnets bästa-ansvarig registrerar mötet")
	case s.Summons.InvitedUnitsTold && s.Summons.MeetingAt.After(now.Add(clockSkew)):
		// Held no earlier than summoned (validateMeeting), it cannot have been held yet.
		return conflict("mötet är kallat till %s och registreras när det har hållits", localMinute(s.Summons.MeetingAt))
	}
	return nil
}

func (c *caseRun) validateMeeting(in HoldMeeting, now time.Time) error {
	if err := c.state.mayHoldMeeting(in.By, now); err != nil {
		return err
	}
	switch s := c.state.Summons; {
	case in.OccurredAt.Before(s.OccurredAt):
		return invalid("occurredAt", "mötet kan inte ha hållits före kallelsen")
	case s.InvitedUnitsTold && in.OccurredAt.Before(s.MeetingAt):
		return invalid("occurredAt", "mötet kan inte ha hållits före den tid som kallelsen angav (%s)", localMinute(s.MeetingAt))
	}
	for i, a := range in.Attendance {
		if !c.invited(a.Participant) && !c.state.isNamedPersonUnit(a.Participant) {
			return invalid(fmt.Sprintf("attendance[%d]", i), "%s var inte kallad", a.Participant)
		}
	}
	for i, d := range in.Decisions {
		switch {
		case !c.state.unitTakesPart(d.UnitID):
			return invalid(fmt.Sprintf("decisions[%d].unitId", i), "%s deltar inte i ärendet", d.UnitID)
		case d.NoFurtherAction && strings.TrimSpace(d.Reason) == "":
			return invalid(fmt.Sprintf("decisions[%d].reason", i), "ange varför inga fler insatser behövs från er")
		case !d.NoFurtherAction && strings.TrimSpace(d.Decision) == "":
			return invalid(fmt.Sprintf("decisions[%d].decision", i), "saknas")
		}
	}
	return nil
}

func (c *caseRun) invited(participant string) bool {
	for _, inv := range c.state.Summons.Invitations {
		if inv.Participant == participant && inv.Status != InvitationCancelled {
			return true
		}
	}
	return false
}

func (c *caseRun) applyMeeting(ctx workflow.Context, in HoldMeeting) {
	present := map[string]bool{}
	for _, a := range in.Attendance {
		present[a.Participant] = a.Present
	}
	for i := range c.state.Summons.Invitations {
		inv := &c.state.Summons.Invitations[i]
		if inv.Status != InvitationPending {
			continue
		}
		inv.Status = InvitationAbsent
		if present[inv.Participant] {
			inv.Status = InvitationAttended
		}
	}
	c.state.Meeting = &MeetingRecord{Recorded: c.recorded(ctx, in.Command), Attendance: in.Attendance,
		CommonPicture: in.CommonPicture, Decisions: in.Decisions}
	c.settleDeadline(ctx, casework.DeadlineMeeting, in.OccurredAt)
	c.settleDeadline(ctx, casework.DeadlineAcuteMeeting, in.OccurredAt)
}

// mayAppointCoordinator: the coordinator is appointed once, at the first meeting, by whoever may
// initiate a SIP (docs/process.md §6.4).
func (s *CaseState) mayAppointCoordinator(by Actor) error {
	switch {
	case s.Meeting == nil:
		return conflict("samordnaren utses vid det första samverkansmötet")
	case s.Coordinator != nil:
		return conflict("samordnaren är redan utsedd")
	case !s.mayInitiateSIP(by):
		return forbidden("bara den som kallat eller barnets bästa-ansvarig registrerar samordnaren")
	}
	return nil
}

func (c *caseRun) validateCoordinator(in AppointCoordinator, _ time.Time) error {
	if err := c.state.mayAppointCoordinator(in.By); err != nil {
		return err
	}
	co := in.Coordinator
	switch {
	case in.ChildWish == nil && strings.TrimSpace(in.ChildNotAskedWhy) == "":
		return invalid("childWish", "barnet ska tillfrågas först – ange barnets önskan, eller varför barnet inte kunde tillfrågas")
	case co.User == "" || co.UnitID == "" || !co.UnitKind.Valid():
		return invalid("coordinator", "ange användare, enhet och enhetstyp")
	case in.ChildWish != nil && in.ChildWish.User != co.User && strings.TrimSpace(in.SpecialReason) == "":
		return invalid("specialReason", "en annan samordnare än barnets önskan kräver ett skriftligt särskilt skäl")
	}
	if !co.UnitKind.IsSocialServices() && !co.UnitKind.IsHealthCare() {
		po := in.PlanOwner
		if po == nil || po.User == "" {
			return invalid("planOwner", "samordnaren kommer varken från socialtjänsten eller hälso- och sjukvården; en planansvarig därifrån krävs")
		}
		if !po.UnitKind.IsSocialServices() && !po.UnitKind.IsHealthCare() {
			return invalid("planOwner", "den planansvariga ska komma från socialtjänsten eller hälso- och sjukvården")
		}
	}
	return nil
}

func (c *caseRun) applyCoordinator(ctx workflow.Context, in AppointCoordinator) {
	c.state.Coordinator = &CoordinatorRecord{Recorded: c.recorded(ctx, in.Command), ChildWish: in.ChildWish,
		ChildNotAskedWhy: in.ChildNotAskedWhy, Coordinator: in.Coordinator, SpecialReason: in.SpecialReason, PlanOwner: in.PlanOwner}
	c.tellAppointed(ctx)
}
