package web

import (
	"context"
	"slices"
)

// revocationForm is Registrera återkallat samtycke (POST …/consent-revocations): a guardian or the
// child withdraws consent, wholly or for some agencies (docs/process.md §5). It takes effect at once: the
// agencies lose access and their invitations are cancelled. When the user's own agency was among
// them, the case is no longer theirs to open, and the form goes to the inbox instead.
var revocationForm = commandForm{
	Command:  "revokeConsent",
	Path:     "aterkalla-samtycke",
	Template: "form_revocation.html",
	Done:     "aterkallat",
	Fields: map[string]formField{
		"party":      {ID: "party", Label: partyLabel},
		"partyName":  {ID: "party-name", Label: partyNameLabel},
		"agencies":   {ID: "agencies", Label: revokedAgenciesLabel},
		"occurredAt": {ID: "occurred-date", Label: revocationWhenLabel},
	},
	Choices: func(_ context.Context, _ *Server, _ *session, c Case) (any, error) {
		ch := revocationChoices{Parties: partyOptions, Extent: revocationExtents}
		for _, o := range proposedAgencyOptions(c) {
			if c.Consent != nil && slices.Contains(c.Consent.Scope, o.Value) {
				o.Hint += ". Har samtycke nu"
			}
			ch.Agencies = append(ch.Agencies, o)
		}
		return ch, nil
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", revocationWhenLabel)
		req := RevocationRequest{OccurredAt: at, Party: f.Value("party")}
		ok = partyChosen(f) && ok
		if req.Party == "guardian" {
			req.PartyName = f.Value("party-name")
		}
		switch f.Value("extent") {
		case "helt":
		case "vissa":
			if req.Agencies = f.All("agencies"); len(req.Agencies) == 0 {
				f.Add("agencies", "", "Välj de verksamheter som samtycket inte längre gäller")
				ok = false
			}
		default:
			f.Add("extent", "", "Välj om samtycket återkallas helt eller för vissa verksamheter")
			ok = false
		}
		if !ok {
			return errInvalid
		}
		c, err := api.RevokeConsent(ctx, token, caseID, f.IdempotencyKey, req)
		if err == nil && c.View == "none" {
			f.Next = pathTasks + "?klart=aterkallat-egen"
		}
		return err
	},
}

const (
	revokedAgenciesLabel = "Verksamheter som samtycket inte längre gäller"
	revocationWhenLabel  = "Datum då samtycket återkallades"
)

type revocationChoices struct {
	Parties, Extent, Agencies []option
}

var revocationExtents = []option{
	{Value: "helt", Label: "Helt, för alla verksamheter", Hint: "Samverkan upphör. Arbetet fortsätter inom den egna verksamhetens uppdrag."},
	{Value: "vissa", Label: "För vissa verksamheter", Hint: "Välj vilka nedan. De andra fortsätter samverka."},
}
