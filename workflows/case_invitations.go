package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// The invited agencies' answers to the summons (docs/process.md §6.3): until the meeting is recorded,
// someone acting for an invited agency accepts, declines with a reason, or proposes another person.
// The latest answer stands; the meeting's record, not the answer, says who came.

// invitation is the invitation of participant in the summons, or nil.
func (s *CaseState) invitation(participant string) *Invitation {
	if s.Summons == nil {
		return nil
	}
	for i := range s.Summons.Invitations {
		if s.Summons.Invitations[i].Participant == participant {
			return &s.Summons.Invitations[i]
		}
	}
	return nil
}

// actsForUnit: the actor acts for the unit in a role that gives a part in a case through a
// participating unit (casework's reach table) – not as its reporter, steering group or administrator.
func actsForUnit(by Actor, unitID string) bool {
	return by.Unit == unitID && casework.RelationReach(casework.AccessParticipantUnit, by.Role) != casework.ReachNone
}

// mayAnswerInvitation: an agency's invitation is answered by someone acting for that agency, while it
// stands and the meeting is not yet recorded. The child's and the guardians' invitations are not
// answered here.
func (s *CaseState) mayAnswerInvitation(by Actor, id string) error {
	inv := s.invitation(id)
	switch {
	case inv == nil || !isAgency(id):
		return invalid("invitationId", "kallelsen %s finns inte i ärendet", id)
	case !actsForUnit(by, id):
		return forbidden("bara den kallade verksamheten svarar på sin kallelse")
	case inv.Status == InvitationCancelled:
		return conflict("kallelsen är avbokad: samtycket för verksamheten har återkallats")
	case s.Meeting != nil:
		return conflict("mötet är redan registrerat")
	}
	return nil
}

func (c *caseRun) validateAnswerInvitation(in AnswerInvitation, _ time.Time) error {
	if err := c.state.mayAnswerInvitation(in.By, in.InvitationID); err != nil {
		return err
	}
	switch {
	case in.Response != InvitationAccept && in.Response != InvitationDecline && in.Response != InvitationProposeOther:
		return invalid("response", "ska vara accept, decline eller propose_other")
	case in.OccurredAt.Before(c.state.Summons.OccurredAt):
		return invalid("occurredAt", "svaret kan inte ha lämnats före kallelsen")
	case in.Response == InvitationDecline && strings.TrimSpace(in.Reason) == "":
		return invalid("reason", "ange varför ni inte kan komma")
	case in.Response == InvitationProposeOther && (in.ProposedPerson == nil || in.ProposedPerson.User == ""):
		return invalid("proposedPerson", "ange vem ni föreslår")
	case in.Response != InvitationProposeOther && in.ProposedPerson != nil:
		return invalid("proposedPerson", "anges bara när ni föreslår en annan person")
	}
	return nil
}

func (c *caseRun) applyAnswerInvitation(ctx workflow.Context, in AnswerInvitation) {
	c.state.invitation(in.InvitationID).Answer = &InvitationAnswer{Recorded: c.recorded(ctx, in.Command),
		Response: in.Response, Reason: strings.TrimSpace(in.Reason), ProposedPerson: in.ProposedPerson}
}

// agencyInvitations are the agencies' invitations, the things in the case an answer may be about.
func agencyInvitations(s *CaseState) []string {
	var out []string
	if s.Summons != nil {
		for _, inv := range s.Summons.Invitations {
			if isAgency(inv.Participant) {
				out = append(out, inv.Participant)
			}
		}
	}
	return out
}

// unanswered are the agencies invited that have not answered while the meeting is ahead: each has a
// task until it does.
func (s *CaseState) unanswered() []casework.Assignee {
	var out []casework.Assignee
	if s.Summons == nil || s.Meeting != nil {
		return nil
	}
	for _, inv := range s.Summons.Invitations {
		if isAgency(inv.Participant) && inv.Status == InvitationPending && inv.Answer == nil && s.ActiveParticipant(inv.Participant) {
			out = append(out, casework.Assignee{UnitID: inv.Participant})
		}
	}
	return out
}
