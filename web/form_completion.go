package web

import (
	"context"
	"slices"
)

// completionForm is Avsluta kartläggningen (POST …/assessment/completion): either the own
// organisation handles it – followed up there, or the case closes – or collaboration is needed with
// the agencies picked from the directory, about the areas picked from the wheel, and then their
// consent is asked (docs/process.md §6.2). Only the chosen outcome's answers are sent.
var completionForm = commandForm{
	Command:  "completeAssessment",
	Path:     "avsluta-kartlaggning",
	Template: "form_completion.html",
	Done:     "avsluta-kartlaggning",
	Fields: map[string]formField{
		"outcome":          {ID: "outcome", Label: completionOutcomeLabel},
		"proposedAgencies": {ID: "proposed-agencies", Label: "Verksamheter som behövs"},
		"relevantAreas":    {ID: "relevant-areas", Label: "Områden som samverkan gäller"},
		"acute":            {ID: "acute", Label: "Akut"},
		"ownFollowUp":      {ID: "own-follow-up", Label: "Uppföljning i den egna verksamheten"},
		"occurredAt":       {ID: "occurred-date", Label: completionWhenLabel},
	},
	Choices: completionChoicesFor,
	Prefill: prefillCompletion,
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", completionWhenLabel)
		req := CompletionRequest{OccurredAt: at, Outcome: f.Value("outcome")}
		switch req.Outcome {
		case "collaboration":
			req.ProposedAgencies, req.RelevantAreas = f.All("proposed-agencies"), f.All("relevant-areas")
			req.Acute = f.Checked("acute", "ja")
		case "own_organisation":
			req.OwnFollowUp = f.Checked("own-follow-up", "ja")
		default:
			f.Add("outcome", "", "Välj om barnet behöver stöd från andra verksamheter")
			return errInvalid
		}
		if !ok {
			return errInvalid
		}
		_, err := api.CompleteAssessment(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
}

const completionWhenLabel = "Datum då kartläggningen avslutades"

const completionOutcomeLabel = "Kartläggningens resultat"

type completionChoices struct {
	Outcomes, Agencies, Areas, Acute, OwnFollowUp []option
}

var completionOutcomes = []option{
	{Value: "collaboration", Label: "Barnet behöver stöd från andra verksamheter", Hint: "Samtycke från vårdnadshavarna och barnet hämtas in. Sedan kallar du till ett samverkansmöte."},
	{Value: "own_organisation", Label: "Det räcker med stöd från den egna verksamheten", Hint: "Ingen samverkan behövs."},
}

func completionChoicesFor(ctx context.Context, s *Server, sess *session, c Case) (any, error) {
	units, err := s.municipalityUnits(ctx, sess, c)
	if err != nil {
		return nil, err
	}
	ch := completionChoices{Outcomes: completionOutcomes,
		Acute:       []option{{Value: "ja", Label: "Det är akut", Hint: "Mötet ska då hållas så snart som möjligt, med kortare tidsfrist."}},
		OwnFollowUp: []option{{Value: "ja", Label: "Vi följer upp barnet i den egna verksamheten", Hint: "Annars avslutas ärendet nu."}}}
	for _, u := range units {
		if c.NamedPersonUnit == nil || u.ID != c.NamedPersonUnit.ID {
			ch.Agencies = append(ch.Agencies, unitOption(UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind}))
		}
	}
	for _, a := range wheelAreas() {
		ch.Areas = append(ch.Areas, option{Value: a, Label: areaName(a), Hint: capitalise(wheelHints[a])})
	}
	return ch, nil
}

// prefillCompletion proposes what the assessment said: the agencies that may be needed going
// forward, and the areas with a concern.
func prefillCompletion(c Case, _ any, f *form) {
	a := c.Assessment
	if a == nil {
		return
	}
	for _, id := range a.Partners.Forward {
		f.Values.Add("proposed-agencies", id)
	}
	for _, area := range a.Areas {
		if area.Level != "ingen" && !slices.Contains(f.Values["relevant-areas"], area.Area) {
			f.Values.Add("relevant-areas", area.Area)
		}
	}
}
