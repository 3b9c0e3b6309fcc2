package cases

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// An invited agency's answer to the summons (docs/process.md §6.3). That only someone acting for the
// invited agency answers, and only until the meeting is recorded, is the workflow's rule.

// invitationAnswerRequest is the body of POST /cases/{caseId}/summons/invitations/{invitationId}/answer.
type invitationAnswerRequest struct {
	commandBase
	Response       workflows.InvitationResponse `json:"response"`
	Reason         string                       `json:"reason"`
	ProposedPerson *personRequest               `json:"proposedPerson"`
}

func (r *invitationAnswerRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "response", r.Response, workflows.InvitationResponses...)
	httpkit.CheckText(v, "reason", r.Reason, r.Response == workflows.InvitationDecline, httpkit.MaxTextRunes)
	switch {
	case r.ProposedPerson != nil && r.Response != workflows.InvitationProposeOther:
		v.Add("proposedPerson", "anges bara när ni föreslår en annan person (propose_other)")
	case r.ProposedPerson != nil:
		httpkit.CheckText(v, "proposedPerson.user", r.ProposedPerson.User, true, httpkit.MaxShortRunes)
	case r.Response == workflows.InvitationProposeOther:
		v.Add("proposedPerson", "ange vem ni föreslår: {\"user\": användar-id}")
	}
}

// answerInvitation names the proposed person from the directory – for the invited agency, when they
// work there too. An invitation the case does not have is 404, as a case would be.
func (s *Handlers) answerInvitation(c *gin.Context, r *invitationAnswerRequest, cc *caseCommand) (any, error) {
	id := c.Param("invitationId")
	if cc.state.Summons == nil || !slices.ContainsFunc(cc.state.Summons.Invitations, func(inv workflows.Invitation) bool { return inv.Participant == id }) {
		return nil, httpkit.Status(http.StatusNotFound, "kallelsen finns inte i ärendet")
	}
	cmd := workflows.AnswerInvitation{Command: cc.command(), InvitationID: id, Response: r.Response, Reason: r.Reason}
	if r.ProposedPerson != nil {
		p, err := s.person(c, "proposedPerson.user", r.ProposedPerson.User, cc.state, id)
		if err != nil {
			return nil, err
		}
		cmd.ProposedPerson = p
	}
	return cmd, nil
}
