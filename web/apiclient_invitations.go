package web

import (
	"context"
	"net/url"
	"strings"
)

// The invitations to the collaboration meeting and their answers, as the API gives them
// (summons.invitations), and the answer command (answerInvitation).

// Invitation is one invitation of the summons: whom (a unit ID, child or guardians), what became of
// it at the meeting, and the invited agency's latest answer.
type Invitation struct {
	Participant string            `json:"participant"`
	Status      string            `json:"status"`
	Answer      *InvitationAnswer `json:"answer,omitempty"`
}

// InvitationAnswer is an invited agency's answer.
type InvitationAnswer struct {
	Recorded
	Response       string  `json:"response"`
	Reason         string  `json:"reason,omitempty"`
	ProposedPerson *Person `json:"proposedPerson,omitempty"`
}

// InvitationAnswerRequest is POST …/summons/invitations/{invitationId}/answer.
type InvitationAnswerRequest struct {
	OccurredAt     string     `json:"occurredAt,omitempty"`
	Response       string     `json:"response"`
	Reason         string     `json:"reason,omitempty"`
	ProposedPerson *PersonRef `json:"proposedPerson,omitempty"`
}

// AnswerInvitation is POST /api/v1/cases/{caseId}/summons/invitations/{invitationId}/answer
// (answerInvitation).
func (cl *Client) AnswerInvitation(ctx context.Context, token, caseID, invitationID, idempotencyKey string, req InvitationAnswerRequest) (Case, error) {
	return cl.command(ctx, token, caseID, "summons/invitations/"+url.PathEscape(invitationID)+"/answer", idempotencyKey, req)
}

// invitationOffered is the invitation the API offers the reader to answer in the case – the one of
// the agency they act for – read from the offered action's path; false when none is offered.
func invitationOffered(c Case) (string, bool) {
	prefix := casePath(c.CaseID, "summons", "invitations") + "/"
	for _, a := range c.Actions {
		if a.Command != "answerInvitation" {
			continue
		}
		rest, ok := strings.CutPrefix(a.Path, prefix)
		if id, ok2 := strings.CutSuffix(rest, "/answer"); ok && ok2 && id != "" && !strings.Contains(id, "/") {
			if unescaped, err := url.PathUnescape(id); err == nil {
				return unescaped, true
			}
		}
	}
	return "", false
}
