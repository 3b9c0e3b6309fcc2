package web

import "context"

// delegateForm is Utse kollega: the named person hands the assessment to a colleague in the same
// unit (POST …/delegation).
var delegateForm = commandForm{
	Command:  "delegate",
	Path:     "utse-kollega",
	Template: "form_delegate.html",
	Done:     "utse-kollega",
	Fields: map[string]formField{
		"to":         {ID: "to", Label: "Kollegans användarnamn"},
		"occurredAt": {ID: "occurred-date", Label: "Datum då du lämnade över"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		to := f.Value("to")
		if to == "" {
			f.Add("to", "Kollegans användarnamn", "skriv användarnamnet på den kollega som ska kartlägga")
		}
		at, ok := optionalBusinessTime(f, "occurred", "Datum då du lämnade över")
		if !ok || to == "" {
			return errInvalid
		}
		_, err := api.Delegate(ctx, token, caseID, f.IdempotencyKey, DelegationRequest{To: to, OccurredAt: at})
		return err
	},
}
