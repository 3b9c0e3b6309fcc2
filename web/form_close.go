package web

import "context"

// closeForm is Avsluta ärendet: the named person, the assessor or the coordinator closes the case
// with a reason from the list (POST …/closing). A concern within the policy's reopening period
// reopens it; after that a new case starts.
var closeForm = commandForm{
	Command:  "close",
	Path:     "avsluta",
	Template: "form_close.html",
	Done:     "avsluta",
	Fields: map[string]formField{
		"reason":     {ID: "reason", Label: "Anledning"},
		"note":       {ID: "note", Label: "Kommentar"},
		"occurredAt": {ID: "occurred-date", Label: "Datum då ärendet avslutades"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum då ärendet avslutades")
		if !ok {
			return errInvalid
		}
		_, err := api.CloseCase(ctx, token, caseID, f.IdempotencyKey, ClosingRequest{OccurredAt: at, Reason: f.Value("reason"), Note: f.Value("note")})
		return err
	},
	Page: func(context.Context, *Server, *session, Case, *form) (any, error) { return closeReasons, nil },
}

// reopenForm is Öppna ärendet igen: within the policy's period after the closing, the named person
// or the coordinator takes the case up again instead of a new one (POST …/reopening).
var reopenForm = commandForm{
	Command:  "reopen",
	Path:     "oppna-igen",
	Template: "form_reopen.html",
	Done:     "oppna-igen",
	Fields: map[string]formField{
		"reason":     {ID: "reason", Label: "Anledning"},
		"occurredAt": {ID: "occurred-date", Label: "Datum då ärendet öppnades igen"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum då ärendet öppnades igen")
		if !ok {
			return errInvalid
		}
		_, err := api.Reopen(ctx, token, caseID, f.IdempotencyKey, ReopeningRequest{OccurredAt: at, Reason: f.Value("reason")})
		return err
	},
}
