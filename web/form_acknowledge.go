package web

import "context"

// acknowledgeForm is Ta emot ärendet: the named person takes the case (POST …/acknowledgement).
// It is the smallest command form, and the pattern the others copy (README.md, "Adding a form").
var acknowledgeForm = commandForm{
	Command:  "acknowledge",
	Path:     "ta-emot",
	Template: "form_acknowledge.html",
	Done:     "ta-emot",
	Fields:   map[string]formField{"occurredAt": {ID: "occurred-date", Label: "Datum då du tog emot ärendet"}},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum då du tog emot ärendet")
		if !ok {
			return errInvalid
		}
		_, err := api.Acknowledge(ctx, token, caseID, f.IdempotencyKey, AcknowledgementRequest{OccurredAt: at})
		return err
	},
}
