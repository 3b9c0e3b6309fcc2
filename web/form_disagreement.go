package web

import "context"

// The disagreement between principals (oenighet): raised about responsibility or cost, it climbs
// the regional policy's ladder by itself when a step stays undecided; the forms record a decision
// or take it to the next step sooner.

// raiseDisagreementForm is Anmäl oenighet (POST …/disagreements).
var raiseDisagreementForm = commandForm{
	Command:  "raiseDisagreement",
	Path:     "anmal-oenighet",
	Template: "form_raise_disagreement.html",
	Done:     "oenighet",
	Fields: map[string]formField{
		"subject":    {ID: "subject", Label: "Vad oenigheten gäller"},
		"question":   {ID: "question", Label: "Frågan"},
		"parties":    {ID: "parties", Label: "Parter"},
		"occurredAt": {ID: "occurred-date", Label: "Datum"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum")
		if !ok {
			return errInvalid
		}
		_, err := api.RaiseDisagreement(ctx, token, caseID, f.IdempotencyKey, DisagreementRequest{OccurredAt: at,
			Subject: f.Value("subject"), Question: f.Value("question"), Parties: parties(f, "parties")})
		return err
	},
	Page: func(_ context.Context, _ *Server, _ *session, c Case, _ *form) (any, error) {
		return disagreementChoices{Subjects: disagreementSubjects, Parties: principalChoices(c)}, nil
	},
}

type disagreementChoices struct{ Subjects, Parties []choice }

// principalChoices are the plan's principals as choices.
func principalChoices(c Case) []choice {
	var out []choice
	for _, p := range casePrincipals(c) {
		out = append(out, choice{p, p})
	}
	return out
}

// decideDisagreementForm is Registrera beslut om oenighet: the decision of the step the
// disagreement is at, which resolves it (POST …/disagreements/{id}/decision).
var decideDisagreementForm = commandForm{
	Command:  "decideDisagreement",
	Path:     "besluta-oenighet",
	Template: "form_decide_disagreement.html",
	Done:     "oenighet-beslutad",
	Fields: map[string]formField{
		"decision":   {ID: "decision", Label: "Beslut"},
		"occurredAt": {ID: "occurred-date", Label: "Datum för beslutet"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum för beslutet")
		if !ok {
			return errInvalid
		}
		_, err := api.DecideDisagreement(ctx, token, caseID, f.Target, f.IdempotencyKey, DecisionRequest{OccurredAt: at, Decision: f.Value("decision")})
		return err
	},
	About: disagreementAbout,
	Page:  disagreementPage,
}

// escalateDisagreementForm is Lyft oenigheten vidare: to the ladder's next step before its time is
// up, with the reason (POST …/disagreements/{id}/escalation).
var escalateDisagreementForm = commandForm{
	Command:  "escalateDisagreement",
	Path:     "lyft-oenighet",
	Template: "form_escalate_disagreement.html",
	Done:     "oenighet-lyft",
	Fields: map[string]formField{
		"reason":     {ID: "reason", Label: "Anledning"},
		"occurredAt": {ID: "occurred-date", Label: "Datum"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum")
		if !ok {
			return errInvalid
		}
		_, err := api.EscalateDisagreement(ctx, token, caseID, f.Target, f.IdempotencyKey, EscalationRequest{OccurredAt: at, Reason: f.Value("reason")})
		return err
	},
	About: disagreementAbout,
	Page:  disagreementPage,
}

func disagreementOf(c Case, id string) *Disagreement {
	for i := range c.Disagreements {
		if c.Disagreements[i].ID == id {
			return &c.Disagreements[i]
		}
	}
	return nil
}

func disagreementAbout(c Case, id string) string {
	if d := disagreementOf(c, id); d != nil {
		return shorten(d.Question, 60)
	}
	return id
}

// disagreementView is a disagreement as its forms show it.
type disagreementView struct {
	*Disagreement
	Subject string
	Step    *EscalationStep
}

func disagreementPage(_ context.Context, _ *Server, _ *session, c Case, f *form) (any, error) {
	d := disagreementOf(c, f.Target)
	if d == nil {
		return disagreementView{}, nil
	}
	return disagreementView{Disagreement: d, Subject: choiceLabel(disagreementSubjects, d.Subject), Step: d.Current()}, nil
}
