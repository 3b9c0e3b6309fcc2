package web

import (
	"context"
	"fmt"
	"time"
)

// meetingForm is Registrera samverkansmötet (POST …/meeting): who of the invited came, the common
// picture, and each agency's decision – or that it does nothing further, which needs a reason
// (docs/process.md §6.3). The invited and the agencies come from the case; an agency left without an
// answer has no decision recorded.
var meetingForm = commandForm{
	Command:  "meeting",
	Path:     "registrera-mote",
	Template: "form_meeting.html",
	Done:     "mote",
	Fields: map[string]formField{
		"attendance":    {ID: "present", Label: presentLabel},
		"commonPicture": {ID: "common-picture", Label: "Gemensam bild av barnets situation"},
		"decisions":     {ID: "common-picture", Label: "Beslut"},
		"occurredAt":    {ID: "occurred-date", Label: meetingWhenLabel},
	},
	Choices: meetingChoicesFor,
	Prefill: func(c Case, _ any, f *form) {
		if c.Summons != nil && c.Summons.MeetingAt.Before(time.Now()) {
			onPage(f, "occurred", c.Summons.MeetingAt)
		}
	},
	Send: sendMeeting,
}

const (
	presentLabel     = "Deltagare"
	meetingWhenLabel = "Datum då mötet hölls"
)

type meetingChoices struct {
	Invited  []option // the invitations still standing: whom the meeting was for
	Agencies []agencyDecisionBlock
	Outcomes []option
}

// agencyDecisionBlock is one agency's decision on the form.
type agencyDecisionBlock struct{ UnitID, Name, Kind string }

var decisionOutcomes = []option{
	{Value: "insats", Label: "Verksamheten gör något", Hint: "Skriv vad nedan."},
	{Value: "inget", Label: "Inga fler insatser från verksamheten", Hint: "Skriv varför nedan."},
}

func meetingChoicesFor(_ context.Context, _ *Server, _ *session, c Case) (any, error) {
	ch := meetingChoices{Outcomes: decisionOutcomes}
	if c.Summons != nil {
		for _, inv := range c.Summons.Invitations {
			if inv.Status == "pending" {
				ch.Invited = append(ch.Invited, option{Value: inv.Participant, Label: c.InviteeName(inv.Participant)})
			}
		}
	}
	for _, u := range c.ActiveParticipants() {
		ch.Agencies = append(ch.Agencies, agencyDecisionBlock{UnitID: u.ID, Name: u.Name, Kind: capitalise(unitKindLabel(u.Kind))})
	}
	return ch, nil
}

func sendMeeting(ctx context.Context, api *Client, token, caseID string, f *form) error {
	at, ok := optionalBusinessTime(f, "occurred", meetingWhenLabel)
	if !ok {
		return errInvalid
	}
	req := MeetingRequest{OccurredAt: at, CommonPicture: f.Value("common-picture")}
	for _, p := range f.All("invited") {
		req.Attendance = append(req.Attendance, Attendance{Participant: p, Present: f.Checked("present", p)})
	}
	for _, unit := range f.All("agency") {
		id := "decision-" + unit
		outcome, decision, reason := f.Value(id), f.Value(id+"-text"), f.Value(id+"-reason")
		if outcome == "" && decision == "" && reason == "" {
			continue // no decision recorded for this agency
		}
		name := f.Value("name-" + unit) // the agency's name as the form showed it, for the error summary
		path := fmt.Sprintf("decisions[%d]", len(req.Decisions))
		f.At(path+".unitId", formField{ID: id, Label: name})
		f.At(path+".decision", formField{ID: id + "-text", Label: name + ", vad verksamheten gör"})
		f.At(path+".reason", formField{ID: id + "-reason", Label: name + ", varför inga fler insatser behövs"})
		d := AgencyDecision{UnitID: unit}
		if outcome == "inget" {
			d.NoFurtherAction, d.Reason = true, reason
		} else {
			d.Decision = decision
		}
		req.Decisions = append(req.Decisions, d)
	}
	_, err := api.HoldMeeting(ctx, token, caseID, f.IdempotencyKey, req)
	return err
}
