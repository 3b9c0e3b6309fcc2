package web

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
)

// followUpForm is Följ upp planen: the coordinator records what was done in each intervention of the
// plan in force and whether its goal is met, then either books the next follow-up (the plan goes
// on, revised if need be) or closes the case with a reason (POST …/follow-ups).
var followUpForm = commandForm{
	Command:  "followUp",
	Path:     "folj-upp",
	Template: "form_follow_up.html",
	Done:     "uppfoljning",
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		ids := f.Values["fu-id"]
		req := FollowUpRequest{Outcome: f.Value("outcome"), Note: f.Value("note")}
		for i, id := range ids {
			n := strconv.Itoa(i)
			iv := InterventionFollowUp{InterventionID: id, Done: f.Value("fu-" + n + "-done"), Note: f.Value("fu-" + n + "-note")}
			switch f.Value("fu-" + n + "-goal-met") {
			case "ja":
				iv.GoalMet = true
			case "nej":
			default:
				f.Add("fu-"+n+"-goal-met", fmt.Sprintf("Insats %d, målet", i+1), "välj om målet är nått")
			}
			req.Interventions = append(req.Interventions, iv)
		}
		switch req.Outcome {
		case "revise":
			if f.Value("next-date") != "" {
				req.NextFollowUpAt, _ = businessTime(f, "next", "Nästa uppföljning")
			}
		case "close":
			req.CloseReason = f.Value("close-reason")
		}
		at, ok := optionalBusinessTime(f, "occurred", "Datum för uppföljningen")
		if !ok || f.HasErrors() {
			return errInvalid
		}
		req.OccurredAt = at
		_, err := api.RecordFollowUp(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
	FieldAt: followUpField,
	Prefill: func(c Case, _ any, f *form) {
		if p := c.Established(); p != nil {
			for _, iv := range p.Interventions {
				f.Values.Add("fu-id", iv.ID)
			}
		}
	},
	Page: func(_ context.Context, _ *Server, _ *session, c Case, f *form) (any, error) {
		p := followUpPage{Plan: c.Established(), Outcomes: followUpOutcomes, Reasons: closeReasons, YesNo: yesNo}
		if p.Plan == nil {
			return p, nil
		}
		for i, id := range f.Values["fu-id"] {
			for _, iv := range p.Plan.Interventions {
				if iv.ID == id {
					p.Rows = append(p.Rows, followUpRow{N: i + 1, Prefix: "fu-" + strconv.Itoa(i), Intervention: iv})
				}
			}
		}
		return p, nil
	},
}

var followUpOutcomes = []choice{
	{"revise", "Planen fortsätter, eventuellt med ändringar. Boka nästa uppföljning."},
	{"close", "Ärendet avslutas."},
}

type followUpPage struct {
	Plan                     *PlanVersion
	Rows                     []followUpRow
	Outcomes, Reasons, YesNo []choice
}

// followUpRow is one intervention of the plan in force, in the order the form posts them (its
// fu-id values), so that the API's interventions[i] is the form's row i.
type followUpRow struct {
	N      int
	Prefix string
	Intervention
}

var followUpPath = regexp.MustCompile(`^interventions\[([0-9]+)\]\.(\w+)$`)

// followUpField shows the API's problem with interventions[i] at the form's row i.
func followUpField(path string) (formField, bool) {
	if m := followUpPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		prefix, label := fmt.Sprintf("fu-%d", i), fmt.Sprintf("Insats %d", i+1)
		switch m[2] {
		case "goalMet":
			return formField{ID: prefix + "-goal-met", Label: label + ", målet"}, true
		case "note":
			return formField{ID: prefix + "-note", Label: label + ", kommentar"}, true
		default:
			return formField{ID: prefix + "-done", Label: label + ", vad som gjorts"}, true
		}
	}
	ff, ok := map[string]formField{
		"outcome":        {ID: "outcome", Label: "Hur det går vidare"},
		"nextFollowUpAt": {ID: "next-date", Label: "Nästa uppföljning"},
		"closeReason":    {ID: "close-reason", Label: "Varför ärendet avslutas"},
		"note":           {ID: "note", Label: "Kommentar"},
		"occurredAt":     {ID: "occurred-date", Label: "Datum för uppföljningen"},
	}[path]
	return ff, ok
}
