package web

import "context"

// Placement outside the home: social services record their decision, planned (the health
// examination and the cost distribution first) or acute (both may follow); the health examination
// and the cost distribution each have a form of their own for after an acute placement.

var costFields = map[string]formField{
	"costDistribution":           {ID: "cost-agreement", Label: "Kostnadsfördelning"},
	"costDistribution.agreement": {ID: "cost-agreement", Label: "Hur kostnaden fördelas"},
	"costDistribution.parties":   {ID: "cost-parties", Label: "Vilka som delar kostnaden"},
	"agreement":                  {ID: "cost-agreement", Label: "Hur kostnaden fördelas"},
	"parties":                    {ID: "cost-parties", Label: "Vilka som delar kostnaden"},
}

// placementForm is Registrera placering (POST …/placement).
var placementForm = commandForm{
	Command:  "placement",
	Path:     "placering",
	Template: "form_placement.html",
	Done:     "placering",
	Fields: withFields(costFields, map[string]formField{
		"kind":                {ID: "kind", Label: "Typ av placering"},
		"healthExaminationAt": {ID: "health-date", Label: "Hälsoundersökningen"},
		"occurredAt":          {ID: "occurred-date", Label: "Datum för beslutet"},
	}),
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, okAt := optionalBusinessTime(f, "occurred", "Datum för beslutet")
		health, okHealth := optionalBusinessTime(f, "health", "Hälsoundersökningen")
		if !okAt || !okHealth {
			return errInvalid
		}
		req := PlacementRequest{OccurredAt: at, Kind: f.Value("kind"), HealthExaminationAt: health}
		if cost := costInput(f); cost.Agreement != "" || len(cost.Parties) > 0 {
			req.CostDistribution = &cost
		}
		_, err := api.RecordPlacement(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
	Page: func(_ context.Context, _ *Server, _ *session, c Case, _ *form) (any, error) {
		return placementChoices{Kinds: placementKinds, Parties: principalChoices(c)}, nil
	},
}

type placementChoices struct{ Kinds, Parties []choice }

func costInput(f *form) CostDistributionInput {
	return CostDistributionInput{Agreement: f.Value("cost-agreement"), Parties: parties(f, "cost-parties")}
}

// healthExaminationForm is Registrera hälsoundersökning: when the placed child's health
// examination was held (POST …/placement/health-examination).
var healthExaminationForm = commandForm{
	Command:  "healthExamination",
	Path:     "halsoundersokning",
	Template: "form_health_examination.html",
	Done:     "halsoundersokning",
	Fields:   map[string]formField{"occurredAt": {ID: "occurred-date", Label: "Datum för hälsoundersökningen"}},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum för hälsoundersökningen")
		if !ok {
			return errInvalid
		}
		_, err := api.RecordHealthExamination(ctx, token, caseID, f.IdempotencyKey, HealthExaminationRequest{OccurredAt: at})
		return err
	},
}

// costDistributionForm is Registrera kostnadsfördelning (POST …/placement/cost-distribution).
var costDistributionForm = commandForm{
	Command:  "costDistribution",
	Path:     "kostnadsfordelning",
	Template: "form_cost_distribution.html",
	Done:     "kostnadsfordelning",
	Fields:   withFields(costFields, map[string]formField{"occurredAt": {ID: "occurred-date", Label: "Datum för överenskommelsen"}}),
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum för överenskommelsen")
		if !ok {
			return errInvalid
		}
		cost := costInput(f)
		_, err := api.SettleCostDistribution(ctx, token, caseID, f.IdempotencyKey, CostDistributionRequest{OccurredAt: at, Agreement: cost.Agreement, Parties: cost.Parties})
		return err
	},
	Page: func(_ context.Context, _ *Server, _ *session, c Case, _ *form) (any, error) {
		return placementChoices{Parties: principalChoices(c)}, nil
	},
}

// withFields is the fields of both maps.
func withFields(a, b map[string]formField) map[string]formField {
	out := map[string]formField{}
	for _, m := range []map[string]formField{a, b} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
