package web

import "context"

// answerInvitationForm is Svara på kallelsen: someone acting for an agency summoned to the
// collaboration meeting accepts, declines and says why, or proposes another person
// (POST …/summons/invitations/{invitationId}/answer). Which invitation is the API's to say: the one it
// offers the reader in the case's actions – their own agency's – so the form carries no target.
var answerInvitationForm = commandForm{
	Command:  "answerInvitation",
	Path:     "svara-pa-kallelsen",
	Template: "form_answer_invitation.html",
	Done:     "svar-kallelse",
	Fields: map[string]formField{
		"response":            {ID: "response", Label: "Ert svar"},
		"reason":              {ID: "reason", Label: "Varför ni inte kan komma"},
		"proposedPerson":      {ID: "proposed-user", Label: "Den ni föreslår"},
		"proposedPerson.user": {ID: "proposed-user", Label: "Den ni föreslår"},
		"occurredAt":          {ID: "occurred-date", Label: "Datum då ni svarade"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		response := f.Value("response")
		if response == "" {
			f.Add("response", "Ert svar", "välj om ni kommer, inte kan komma eller föreslår en annan person")
		}
		at, ok := optionalBusinessTime(f, "occurred", "Datum då ni svarade")
		if !ok || response == "" {
			return errInvalid
		}
		c, err := api.Case(ctx, token, caseID)
		if err != nil {
			return err
		}
		id, offered := invitationOffered(c)
		if !offered {
			f.Add("", "", "Det finns ingen kallelse att svara på för din verksamhet i ärendet")
			return errInvalid
		}
		req := InvitationAnswerRequest{OccurredAt: at, Response: response, Reason: f.Value("reason")}
		if response == "propose_other" {
			req.ProposedPerson = &PersonRef{User: f.Value("proposed-user")}
		}
		_, err = api.AnswerInvitation(ctx, token, caseID, id, f.IdempotencyKey, req)
		return err
	},
}
