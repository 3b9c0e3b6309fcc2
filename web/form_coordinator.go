package web

import (
	"context"
)

// coordinatorForm is Utse samordnare (POST …/coordinator): the child is asked first whom they want
// – or why they could not be asked – and a coordinator other than the child's wish needs a special
// reason, written down; a coordinator from neither social services nor health care needs a plan
// owner from one of them (docs/process.md §6.4). Those rules are the case's: the form asks in that order
// and shows the API's answer at the field.
//
// People are named by user name: the API has no list of the professionals of a unit to pick from
// (see the form's hint).
var coordinatorForm = commandForm{
	Command:  "appointCoordinator",
	Path:     "utse-samordnare",
	Template: "form_coordinator.html",
	Done:     "samordnare",
	Fields: map[string]formField{
		"childWish":        {ID: "child-asked", Label: childAskedLabel},
		"childWish.user":   {ID: "child-wish", Label: childWishLabel},
		"childNotAskedWhy": {ID: "child-not-asked", Label: "Varför barnet inte kunde tillfrågas"},
		"coordinator":      {ID: "coordinator", Label: coordinatorLabel},
		"coordinator.user": {ID: "coordinator", Label: coordinatorLabel},
		"specialReason":    {ID: "special-reason", Label: "Särskilt skäl"},
		"planOwner":        {ID: "plan-owner", Label: planOwnerLabel},
		"planOwner.user":   {ID: "plan-owner", Label: planOwnerLabel},
		"occurredAt":       {ID: "occurred-date", Label: "Datum då samordnaren utsågs"},
	},
	Choices: func(context.Context, *Server, *session, Case) (any, error) { return childAskedOptions, nil },
	Send:    sendCoordinator,
}

const (
	childAskedLabel  = "Barnets önskan"
	childWishLabel   = "Den som barnet önskar"
	coordinatorLabel = "Samordnare"
	planOwnerLabel   = "Planansvarig"
)

var childAskedOptions = []option{
	{Value: "ja", Label: "Ja, barnet har tillfrågats"},
	{Value: "nej", Label: "Nej, barnet kunde inte tillfrågas", Hint: "Skriv varför nedan."},
}

func sendCoordinator(ctx context.Context, api *Client, token, caseID string, f *form) error {
	at, ok := optionalBusinessTime(f, "occurred", "Datum då samordnaren utsågs")
	req := CoordinatorRequest{OccurredAt: at, SpecialReason: f.Value("special-reason")}
	switch f.Value("child-asked") {
	case "ja":
		if wish := f.Value("child-wish"); wish != "" {
			req.ChildWish = &PersonRef{User: wish}
		} else {
			f.Add("child-wish", "", "Skriv användarnamnet på den som barnet vill ha som samordnare")
			ok = false
		}
	case "nej":
		req.ChildNotAskedWhy = f.Value("child-not-asked")
		// Without a wish the case asks why the child was not asked: say so at that field.
		f.At("childWish", formField{ID: "child-not-asked", Label: "Varför barnet inte kunde tillfrågas"})
	default:
		f.Add("child-asked", "", "Barnet ska tillfrågas först. Välj om barnet har fått säga vem barnet vill ha")
		ok = false
	}
	switch coordinator := f.Value("coordinator"); {
	case coordinator != "":
		req.Coordinator = PersonRef{User: coordinator}
	case req.ChildWish != nil:
		req.Coordinator = *req.ChildWish // the child's wish, as the form's hint says
	case f.Value("child-asked") == "nej":
		f.Add("coordinator", "", "Skriv användarnamnet på den som blir samordnare")
		ok = false
	}
	if owner := f.Value("plan-owner"); owner != "" {
		req.PlanOwner = &PersonRef{User: owner}
	}
	if !ok {
		return errInvalid
	}
	_, err := api.AppointCoordinator(ctx, token, caseID, f.IdempotencyKey, req)
	return err
}
