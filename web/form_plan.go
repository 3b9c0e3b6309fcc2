package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// proposePlanForm is Föreslå plan (SIP): the coordinator proposes a version of the coordinated
// individual plan with its four statutory parts – the interventions (1), each with its responsible
// principal (2), the measures by others than the municipality and the region or that there are none
// (3), the principal with overall responsibility (4) – and the booked follow-up (POST …/plans). The
// form has a row per intervention and a button that adds one; the plan is shown to check before it
// is proposed (GOV.UK "check answers"). A revision is a new version that starts from the plan in
// force.
var proposePlanForm = commandForm{
	Command:  "proposePlan",
	Path:     "foresla-plan",
	Template: "form_propose_plan.html",
	Done:     "plan",
	FieldAt:  planField,
	Send:     sendPlan,
	Prefill:  prefillPlan,
	Page:     planPage,
}

// The plan form's buttons (its "action"): the row ones show the form again, "granska" the plan to
// check, "skicka" proposes it.
const (
	planAdd    = "lagg-till"
	planRemove = "ta-bort-"
	planCheck  = "granska"
	planChange = "andra"
	planSend   = "skicka"
)

// sendPlan does what the pressed button asks. The case is read again to number new interventions.
func sendPlan(ctx context.Context, api *Client, token, caseID string, f *form) error {
	action := f.Value("action")
	switch {
	case action == planAdd:
		addRow(f)
		return errShowAgain
	case strings.HasPrefix(action, planRemove):
		i, _ := strconv.Atoi(strings.TrimPrefix(action, planRemove))
		removeRow(f, i-1)
		return errShowAgain
	case action == planChange:
		return errShowAgain
	}
	c, err := api.Case(ctx, token, caseID)
	if err != nil {
		return err
	}
	compactRows(f, c)
	req, ok := planRequest(f)
	switch {
	case !ok:
		return errInvalid
	case action != planSend:
		return errShowAgain // the plan to check: planPage shows it
	}
	_, err = api.ProposePlan(ctx, token, caseID, f.IdempotencyKey, req)
	return err
}

// planRequest reads the plan from the form. Only the dates are the form's to check; whether the
// plan has its four parts is the API's, which names every field it misses.
func planRequest(f *form) (PlanRequest, bool) {
	req := PlanRequest{Interventions: []InterventionInput{}, NoMeasuresByOthers: f.Value("no-measures") == "ja",
		ChildParticipation: f.Value("child-participation")}
	ok := true
	for i, r := range rows(f) {
		p := rowPrefix(i) + "-"
		iv := InterventionInput{ID: first(r["id"]), Description: f.Value(p + "description"), Goal: f.Value(p + "goal"),
			Principal: Principal{Kind: f.Value(p + "principal-kind"), Name: f.Value(p + "principal-name")},
			UnitID:    f.Value(p + "unit"), Performer: f.Value(p + "performer"), Extent: f.Value(p + "extent"),
			Areas: r["areas"], FollowUpHow: f.Value(p + "follow-up-how")}
		if iv.Areas == nil {
			iv.Areas = []string{}
		}
		if f.Value(p+"follow-up-date") != "" {
			at, fine := businessTime(f, p+"follow-up", "Insats "+strconv.Itoa(i+1)+", egen uppföljning")
			iv.FollowUpAt, ok = at, ok && fine
		}
		req.Interventions = append(req.Interventions, iv)
	}
	if kind, name := f.Value("overall-kind"), f.Value("overall-name"); kind != "" || name != "" {
		req.OverallResponsibility = &Principal{Kind: kind, Name: name}
	}
	if f.Value("follow-up-date") != "" {
		at, fine := businessTime(f, "follow-up", "Uppföljning")
		req.FollowUpAt, ok = at, ok && fine
	}
	at, fine := optionalBusinessTime(f, "occurred", "Datum för planen")
	req.OccurredAt = at
	return req, ok && fine
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// prefillPlan starts a new version from the plan in force (or the newest version): its
// interventions keep their IDs, so that the follow-ups of the two versions speak of the same ones.
// The follow-up is booked anew.
func prefillPlan(c Case, _ any, f *form) {
	p := c.InForce()
	if p == nil {
		return
	}
	var rs []map[string][]string
	for _, iv := range p.Interventions {
		r := map[string][]string{"id": {iv.ID}, "description": {iv.Description}, "goal": {iv.Goal},
			"principal-kind": {iv.Principal.Kind}, "principal-name": {iv.Principal.Name}, "unit": {iv.UnitID},
			"performer": {iv.Performer}, "extent": {iv.Extent}, "areas": iv.Areas, "follow-up-how": {iv.FollowUpHow}}
		if iv.FollowUpAt != nil && iv.FollowUpAt.After(time.Now()) {
			r["follow-up-date"] = []string{formatDate(*iv.FollowUpAt)}
			r["follow-up-time"] = []string{iv.FollowUpAt.In(casework.Stockholm).Format("15:04")}
		}
		rs = append(rs, r)
	}
	setRows(f, rs)
	f.Values.Set("overall-kind", p.OverallResponsibility.Kind)
	f.Values.Set("overall-name", p.OverallResponsibility.Name)
	if p.NoMeasuresByOthers {
		f.Values.Set("no-measures", "ja")
	}
	f.Values.Set("child-participation", p.ChildParticipation)
}
