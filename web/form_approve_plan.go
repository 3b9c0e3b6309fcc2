package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// approvePlanForm is Registrera godkännande av planen: the coordinator records one party's answer –
// a guardian's or the child's – to the version awaiting approval (POST …/plans/{version}/approvals).
// The version is established when every party the case needs has approved it; a "no" declines it.
var approvePlanForm = commandForm{
	Command:  "approvePlan",
	Path:     "godkann-plan",
	Template: "form_approve_plan.html",
	Done:     "godkannande",
	Fields: map[string]formField{
		"party":      {ID: "who", Label: "Vem som svarar"},
		"partyName":  {ID: "party-name", Label: "Vårdnadshavarens namn"},
		"approved":   {ID: "approved", Label: "Svar"},
		"method":     {ID: "method", Label: "Hur svaret gavs"},
		"comment":    {ID: "comment", Label: "Kommentar"},
		"occurredAt": {ID: "occurred-date", Label: "Datum för svaret"},
		"version":    {ID: "who", Label: "Planens version"},
	},
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		version, err := strconv.Atoi(f.Target)
		if err != nil {
			f.Add("", "", "Planens version finns inte i ärendet")
		}
		req := ApprovalRequest{Method: f.Value("method"), Comment: f.Value("comment")}
		switch who := f.Value("who"); {
		case who == partyChild:
			req.Party = "child"
		case who == partyOtherGuardian:
			req.Party, req.PartyName = "guardian", f.Value("party-name")
		case strings.HasPrefix(who, partyGuardianPrefix):
			req.Party, req.PartyName = "guardian", strings.TrimPrefix(who, partyGuardianPrefix)
		}
		// No answer must never be taken for "no": a "no" declines the whole version.
		switch f.Value("approved") {
		case "ja":
			req.Approved = ptr(true)
		case "nej":
			req.Approved = ptr(false)
		default:
			f.Add("approved", "Svar", "välj om planen godkänns eller inte")
		}
		at, ok := optionalBusinessTime(f, "occurred", "Datum för svaret")
		if !ok || f.HasErrors() {
			return errInvalid
		}
		req.OccurredAt = at
		_, err = api.ApprovePlan(ctx, token, caseID, version, f.IdempotencyKey, req)
		return err
	},
	About: func(_ Case, version string) string { return "version " + version },
	Page: func(_ context.Context, _ *Server, _ *session, c Case, f *form) (any, error) {
		n, _ := strconv.Atoi(f.Target)
		p := approvalPage{Version: c.Version(n), Methods: approvalMethods, Answers: yesNo}
		if p.Version == nil {
			return p, nil
		}
		p.Parties = approvalParties(c, *p.Version)
		return p, nil
	},
}

func ptr[T any](v T) *T { return &v }

// The values of the "who" radios: a consenting guardian by name, the child, another guardian.
const (
	partyGuardianPrefix = "vardnadshavare:"
	partyChild          = "barnet"
	partyOtherGuardian  = "annan"
)

type approvalPage struct {
	Version          *PlanVersion
	Parties          []choice
	Methods, Answers []choice
}

// approvalParties are who may answer the version still: the guardians who gave consent, by name,
// the child, and another guardian – less those who have answered it.
func approvalParties(c Case, v PlanVersion) []choice {
	answered := func(party, name string) bool {
		return slices.ContainsFunc(v.Approvals, func(a PlanApproval) bool {
			return a.Party == party && (party == "child" || strings.EqualFold(a.PartyName, name))
		})
	}
	var out []choice
	if c.Consent != nil {
		for _, r := range c.Consent.Records {
			name := strings.TrimSpace(r.PartyName)
			if r.Party != "guardian" || !r.Given || r.Revoked || name == "" || answered("guardian", name) ||
				slices.ContainsFunc(out, func(ch choice) bool { return strings.EqualFold(ch.Label, "Vårdnadshavare: "+name) }) {
				continue
			}
			out = append(out, choice{partyGuardianPrefix + name, "Vårdnadshavare: " + name})
		}
	}
	if !answered("child", "") {
		label := "Barnet"
		if c.Child != nil {
			label += ": " + c.Child.Name
		}
		out = append(out, choice{partyChild, label})
	}
	return append(out, choice{partyOtherGuardian, "En annan vårdnadshavare"})
}
