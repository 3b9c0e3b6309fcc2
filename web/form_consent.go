package web

import (
	"context"
)

// consentForm is Registrera samtycke (POST …/consents): one party's answer – a guardian's or the
// child's – given or refused, how it was given, and for which of the proposed agencies (docs/process.md
// §5). Who must answer is the case's rule; the page shows the answers so far and the case's status.
var consentForm = commandForm{
	Command:  "consent",
	Path:     "samtycke",
	Template: "form_consent.html",
	Done:     "samtycke",
	Fields: map[string]formField{
		"party":      {ID: "party", Label: partyLabel},
		"partyName":  {ID: "party-name", Label: partyNameLabel},
		"custody":    {ID: "custody", Label: "Vårdnad"},
		"given":      {ID: "given", Label: "Samtycke"},
		"scope":      {ID: "scope", Label: "Verksamheter som samtycket gäller"},
		"method":     {ID: "method", Label: "Hur svaret lämnades"},
		"occurredAt": {ID: "occurred-date", Label: consentWhenLabel},
	},
	Choices: func(_ context.Context, _ *Server, _ *session, c Case) (any, error) {
		return consentChoices{Parties: partyOptions, Custody: custodyOptions, Given: givenOptions, Methods: methodOptions,
			Agencies: proposedAgencyOptions(c)}, nil
	},
	Prefill: func(c Case, _ any, f *form) {
		if c.Consent != nil {
			f.Values.Set("custody", c.Consent.Custody)
		}
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", consentWhenLabel)
		req := ConsentRequest{OccurredAt: at, Party: f.Value("party"), Method: f.Value("method")}
		ok = partyChosen(f) && ok
		if req.Party == "guardian" {
			req.PartyName, req.Custody = f.Value("party-name"), f.Value("custody")
		}
		switch f.Value("given") {
		case "ja":
			req.Given, req.Scope = true, f.All("scope")
		case "nej":
		default:
			f.Add("given", "", "Välj om samtycke lämnas eller inte")
			ok = false
		}
		if req.Method == "" {
			f.Add("method", "", "Välj om svaret lämnades skriftligt eller muntligt")
			ok = false
		}
		if !ok {
			return errInvalid
		}
		_, err := api.RecordConsent(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
}

const (
	partyLabel       = "Vem som har svarat"
	partyNameLabel   = "Vårdnadshavarens namn"
	consentWhenLabel = "Datum då svaret lämnades"
)

type consentChoices struct {
	Parties, Custody, Given, Methods, Agencies []option
}

var (
	partyOptions = []option{
		{Value: "guardian", Label: "En vårdnadshavare"},
		{Value: "child", Label: "Barnet självt", Hint: "Barnets eget samtycke väger tyngre ju äldre barnet är."},
	}
	custodyOptions = []option{
		{Value: "joint", Label: "Gemensam vårdnad", Hint: "Båda vårdnadshavarna behöver samtycka."},
		{Value: "sole", Label: "Ensam vårdnad"},
	}
	givenOptions = []option{
		{Value: "ja", Label: "Ja, samtycker"},
		{Value: "nej", Label: "Nej, samtycker inte", Hint: "Då fortsätter arbetet inom den egna verksamhetens uppdrag."},
	}
	methodOptions = []option{
		{Value: "written", Label: "Skriftligt"},
		{Value: "oral", Label: "Muntligt"},
	}
)

// partyChosen checks that the form says who answered: a guardian (the API asks for the name) or the
// child.
func partyChosen(f *form) bool {
	switch f.Value("party") {
	case "guardian", "child":
		return true
	}
	f.Add("party", "", "Välj om det är en vårdnadshavare eller barnet självt")
	return false
}

// proposedAgencyOptions are the agencies the assessment proposed: those whose consent is asked.
func proposedAgencyOptions(c Case) []option {
	var out []option
	if c.Assessment != nil {
		for _, u := range c.Assessment.ProposedAgencies {
			out = append(out, unitOption(u))
		}
	}
	return out
}
