package web

import "context"

// handoverForm is Lämna över ärendet: when the child moves, the named person or the coordinator
// hands the case to another unit's named person, picked from the directory (POST …/handover). The
// new unit's named person takes it with Ta emot ärendet.
var handoverForm = commandForm{
	Command:  "handover",
	Path:     "lamna-over",
	Template: "form_handover.html",
	Done:     "lamna-over",
	Fields: map[string]formField{
		"toUnitId":   {ID: "to-unit", Label: "Enhet som tar över"},
		"reason":     {ID: "reason", Label: "Anledning"},
		"occurredAt": {ID: "occurred-date", Label: "Datum för överlämningen"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		at, ok := optionalBusinessTime(f, "occurred", "Datum för överlämningen")
		if !ok {
			return errInvalid
		}
		_, err := api.HandOver(ctx, token, caseID, f.IdempotencyKey, HandoverRequest{OccurredAt: at, ToUnitID: f.Value("to-unit"), Reason: f.Value("reason")})
		return err
	},
	Page: func(ctx context.Context, s *Server, sess *session, c Case, _ *form) (any, error) {
		units, err := s.directory(ctx, sess)
		if err != nil {
			return nil, err
		}
		return groupUnits(units, func(u Unit) bool {
			return namedPersonKinds[u.Kind] && (c.NamedPersonUnit == nil || u.ID != c.NamedPersonUnit.ID)
		}), nil
	},
}

// namedPersonKinds are the kinds of unit that have a named person (Barnets bästa-ansvarig), which
// a case can be handed over to (the API's HandoverRequest.toUnitId). The list only narrows what
// the form offers; the API decides, and names the field if the unit has nobody to take the case.
var namedPersonKinds = map[string]bool{"preschool": true, "school": true, "upper_secondary": true, "bvc": true,
	"central_school_health": true, "kaa": true}
