package web

import (
	"context"
)

// summonsForm is Kalla till samverkansmöte (POST …/summons): when and where, and whom – the agencies
// that take part within the consent, the child and the guardians (docs/process.md §6.3). The form
// proposes to invite them all, as the process does; the policy's deadlines for the summons and the
// meeting are shown.
var summonsForm = commandForm{
	Command:  "summons",
	Path:     "kalla-till-mote",
	Template: "form_summons.html",
	Done:     "kallat",
	Fields: map[string]formField{
		"meetingAt":  {ID: "meeting-at-date", Label: meetingAtLabel},
		"place":      {ID: "place", Label: "Plats"},
		"agencies":   {ID: "agencies", Label: "Verksamheter som kallas"},
		"occurredAt": {ID: "occurred-date", Label: summonsWhenLabel},
	},
	Choices: func(_ context.Context, _ *Server, _ *session, c Case) (any, error) {
		ch := summonsChoices{Invite: inviteOptions, Summons: c.OpenDeadline("summons"), Meeting: c.OpenDeadline("meeting")}
		if ch.Meeting == nil {
			ch.Meeting = c.OpenDeadline("acute_meeting")
		}
		for _, u := range c.ActiveParticipants() {
			ch.Agencies = append(ch.Agencies, unitOption(u))
		}
		return ch, nil
	},
	Prefill: func(c Case, _ any, f *form) {
		for _, u := range c.ActiveParticipants() {
			f.Values.Add("agencies", u.ID)
		}
		for _, o := range inviteOptions {
			f.Values.Add("invite", o.Value)
		}
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		meetingAt, ok := businessTime(f, "meeting-at", meetingAtLabel)
		at, atOK := optionalBusinessTime(f, "occurred", summonsWhenLabel)
		if !ok || !atOK {
			return errInvalid
		}
		req := SummonsRequest{OccurredAt: at, MeetingAt: meetingAt, Place: f.Value("place"), Agencies: f.All("agencies"),
			InviteChild: f.Checked("invite", "child"), InviteGuardians: f.Checked("invite", "guardians")}
		_, err := api.SendSummons(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
}

const (
	meetingAtLabel   = "Mötets datum och tid"
	summonsWhenLabel = "Datum då kallelsen skickades"
)

type summonsChoices struct {
	Agencies, Invite []option
	Summons, Meeting *Deadline // the open deadlines, nil when none
}

var inviteOptions = []option{
	{Value: "child", Label: "Barnet"},
	{Value: "guardians", Label: "Vårdnadshavarna"},
}
