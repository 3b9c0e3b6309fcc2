package web

import (
	"context"
	"strings"
)

// The summons on the case hub: the meeting's time and place, and for each invitation whom it invites,
// what became of it, and the invited agency's answer – as the API gives them; the hub decides nothing.

// invitationRow is one invitation as the hub shows it.
type invitationRow struct {
	Who, Status, Answer string
	Answered            bool
}

var invitationStatusLabels = map[string]string{
	"pending": "Kallad", "cancelled": "Avbokad: samtycket har återkallats", "attended": "Var med på mötet", "absent": "Var inte med på mötet",
}

// invitationRows lists the summons' invitations, or none before the summons.
func (s *Server) invitationRows(ctx context.Context, sess *session, c Case) []invitationRow {
	if c.Summons == nil {
		return nil
	}
	var out []invitationRow
	for _, inv := range c.Summons.Invitations {
		who := c.InviteeName(inv.Participant)
		if who == inv.Participant { // a unit the case's own answer does not name
			who = s.unitName(ctx, sess, inv.Participant)
		}
		row := invitationRow{Who: who, Status: labelOr(invitationStatusLabels, inv.Status)}
		if a := inv.Answer; a != nil {
			row.Answer, row.Answered = answerText(*a), true
		} else if inv.Status == "pending" && inv.Participant != "child" && inv.Participant != "guardians" {
			row.Answer = "Har inte svarat än"
		}
		out = append(out, row)
	}
	return out
}

// answerText says an answer in words, with who gave it and when.
func answerText(a InvitationAnswer) string {
	var b strings.Builder
	switch a.Response {
	case "accept":
		b.WriteString("Kommer")
	case "decline":
		b.WriteString("Kan inte komma")
		if a.Reason != "" {
			b.WriteString(": " + a.Reason)
		}
	case "propose_other":
		b.WriteString("Föreslår att en annan person kommer")
		if p := a.ProposedPerson; p != nil {
			b.WriteString(": " + p.Name)
		}
		if a.Reason != "" {
			b.WriteString(" (" + a.Reason + ")")
		}
	default:
		b.WriteString(a.Response)
	}
	by := a.By.Name
	if by == "" {
		by = a.By.User
	}
	b.WriteString(" – svar från " + by + " " + formatDate(a.OccurredAt))
	return b.String()
}
