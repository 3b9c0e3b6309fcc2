package workflows

// The answer to an invitation to the collaboration meeting (docs/process.md §6.3). Recorded in
// histories: never rename a name or a JSON field here.

// UpdateAnswerInvitation: an invited agency answers its invitation.
const UpdateAnswerInvitation = "AnswerInvitation"

// InvitationResponse is what an invited agency answers. The values are the API's: never rename one,
// add new ones.
type InvitationResponse string

const (
	InvitationAccept InvitationResponse = "accept" // the agency comes
	// InvitationDecline: the agency cannot come, and says why.
	InvitationDecline InvitationResponse = "decline"
	// InvitationProposeOther: the agency proposes another person for the meeting – a colleague
	// better placed to come, or someone at another agency.
	InvitationProposeOther InvitationResponse = "propose_other"
)

// InvitationResponses lists every response.
var InvitationResponses = []InvitationResponse{InvitationAccept, InvitationDecline, InvitationProposeOther}

// AnswerInvitation is an invited agency's answer to its invitation, given by someone acting for it.
// An invitation is named by whom it invites: the unit's ID. The latest answer before the meeting
// stands.
type AnswerInvitation struct {
	Command
	InvitationID   string             `json:"invitationId"`
	Response       InvitationResponse `json:"response"`
	Reason         string             `json:"reason,omitempty"`         // why it declines (required then)
	ProposedPerson *Person            `json:"proposedPerson,omitempty"` // whom it proposes (propose_other)
}
