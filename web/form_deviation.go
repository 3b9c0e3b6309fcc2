package web

import (
	"context"
	"unicode/utf8"
)

// reportDeviationForm is Rapportera avvikelse: anyone with a part in the case reports that a
// routine was not followed, about one of the case's units; it goes to that unit's supervisor (POST
// …/deviations).
var reportDeviationForm = commandForm{
	Command:  "reportDeviation",
	Path:     "rapportera-avvikelse",
	Template: "form_report_deviation.html",
	Done:     "avvikelse",
	Fields: map[string]formField{
		"unitId":      {ID: "unit", Label: "Enhet"},
		"description": {ID: "description", Label: "Vad som hände"},
		"occurredAt":  {ID: "occurred-date", Label: "Datum då det hände"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum då det hände")
		if !ok {
			return errInvalid
		}
		_, err := api.ReportDeviation(ctx, token, caseID, f.IdempotencyKey, DeviationRequest{OccurredAt: at, UnitID: f.Value("unit"), Description: f.Value("description")})
		return err
	},
	Page: func(ctx context.Context, s *Server, sess *session, c Case, _ *form) (any, error) {
		return caseUnits(c, func(id string) string { return s.unitName(ctx, sess, id) }), nil
	},
}

// handleDeviationForm is Hantera avvikelse: the supervisor of the deviation's unit records how it
// was handled (POST …/deviations/{deviationId}/handling), once.
var handleDeviationForm = commandForm{
	Command:  "handleDeviation",
	Path:     "hantera-avvikelse",
	Template: "form_handle_deviation.html",
	Done:     "avvikelse-hanterad",
	Fields: map[string]formField{
		"handling":   {ID: "handling", Label: "Hantering"},
		"occurredAt": {ID: "occurred-date", Label: "Datum för hanteringen"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum för hanteringen")
		if !ok {
			return errInvalid
		}
		_, err := api.HandleDeviation(ctx, token, caseID, f.Target, f.IdempotencyKey, DeviationHandlingRequest{OccurredAt: at, Handling: f.Value("handling")})
		return err
	},
	About: func(c Case, id string) string {
		if d := deviationOf(c, id); d != nil {
			return shorten(d.Description, 60)
		}
		return id
	},
	Page: func(ctx context.Context, s *Server, sess *session, c Case, f *form) (any, error) {
		d := deviationOf(c, f.Target)
		if d == nil {
			return deviationView{}, nil
		}
		return deviationView{Deviation: d, Unit: s.unitName(ctx, sess, d.UnitID), Missed: d.Kind == "missed_deadline"}, nil
	},
}

type deviationView struct {
	*Deviation
	Unit   string
	Missed bool // written by the case when a deadline passed, not by a person
}

func deviationOf(c Case, id string) *Deviation {
	for i := range c.Deviations {
		if c.Deviations[i].ID == id {
			return &c.Deviations[i]
		}
	}
	return nil
}

// shorten cuts a text to at most n characters, at a word where it can, for a button's label.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	for i := len(r) - 1; i > n/2; i-- {
		if r[i] == ' ' {
			return string(r[:i]) + " …"
		}
	}
	return string(r) + "…"
}
