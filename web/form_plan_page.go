package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/samverkan/samverkan/casework"
)

// What the plan form's page shows: its rows and their choices, or the plan to check.

type planView struct {
	Rows         []planRow
	Kinds        []choice
	OverallKinds []choice
	NoMeasures   []choice
	Areas        []choice
	Units        []unitGroup
	CanAdd       bool
	From         *PlanVersion // the version a revision starts from
	Check        *planChecked // the plan to check before it is proposed; nil on the form
}

// planRow is one intervention's row: its number (from 1) and its fields' prefix.
type planRow struct {
	N         int
	Prefix    string
	Removable bool
}

// Field is the ID of the row's field name.
func (r planRow) Field(name string) string { return r.Prefix + "-" + name }

// planChecked is the plan as the check page reads it.
type planChecked struct {
	Interventions []checkIntervention
	Others        string
	Overall       string
	FollowUp      string
	Child         string
}

type checkIntervention struct {
	N    int
	Rows []checkRow
}

// principalWords say what kind of principal a name is, on the plan to check.
var principalWords = map[string]string{"municipality": "kommunen", "region": "regionen", "police": "polisen",
	"school_owner": "enskild huvudman för skola", "other": "annan huvudman"}

var noMeasuresChoice = []choice{{"ja", "Det finns inga insatser av andra än kommunen och regionen"}}

func planPage(ctx context.Context, s *Server, sess *session, c Case, f *form) (any, error) {
	units, err := s.directory(ctx, sess)
	if err != nil {
		return nil, err
	}
	v := planView{Kinds: principalKinds, OverallKinds: overallKinds, NoMeasures: noMeasuresChoice, From: c.InForce(),
		Units: groupUnits(units, func(Unit) bool { return true }), CanAdd: rowCount(f) < maxRows}
	for _, a := range casework.WheelAreas {
		v.Areas = append(v.Areas, choice{string(a), string(a) + " – " + wheelHints[string(a)]})
	}
	n := max(rowCount(f), 1)
	for i := range n {
		v.Rows = append(v.Rows, planRow{N: i + 1, Prefix: rowPrefix(i), Removable: n > 1})
	}
	if f.Value("action") == planCheck && !f.HasErrors() {
		req, _ := planRequest(f)
		v.Check = checkPlan(req, f, func(id string) string { return s.unitName(ctx, sess, id) })
	}
	return v, nil
}

// checkPlan is the plan in words; a required field left empty says so, for the API will ask for it.
func checkPlan(req PlanRequest, f *form, unitName func(string) string) *planChecked {
	missing := "Inte ifyllt"
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return missing
		}
		return s
	}
	principal := func(p Principal) string {
		switch {
		case p.Kind == "" && p.Name == "":
			return missing
		case p.Kind == "":
			return p.Name + " (vilken sorts huvudman är inte valt)"
		case p.Name == "":
			return "Namnet är inte ifyllt (" + principalWords[p.Kind] + ")"
		}
		return p.Name + " (" + principalWords[p.Kind] + ")"
	}
	when := func(prefix string) string {
		if f.Value(prefix+"-date") == "" {
			return ""
		}
		return strings.TrimSpace(f.Value(prefix+"-date") + " " + f.Value(prefix+"-time"))
	}
	optional := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "Inget angivet"
		}
		return s
	}
	c := &planChecked{Child: optional(req.ChildParticipation), FollowUp: or(when("follow-up"))}
	var others []string
	for i, iv := range req.Interventions {
		if iv.Principal.Kind != "" && iv.Principal.Kind != "municipality" && iv.Principal.Kind != "region" {
			others = append(others, "insats "+strconv.Itoa(i+1)+" ("+or(iv.Principal.Name)+")")
		}
	}
	switch {
	case len(others) > 0:
		c.Others = capitalise(strings.Join(others, ", "))
	case req.NoMeasuresByOthers:
		c.Others = "Det finns inga insatser av andra än kommunen och regionen"
	default:
		c.Others = missing
	}
	if o := req.OverallResponsibility; o != nil {
		c.Overall = principal(*o)
	} else {
		c.Overall = missing
	}
	for i, iv := range req.Interventions {
		unit := "Ingen vald"
		if iv.UnitID != "" {
			unit = unitName(iv.UnitID)
		}
		own := when(rowPrefix(i) + "-follow-up")
		if own == "" {
			own = "Vid planens uppföljning"
		}
		c.Interventions = append(c.Interventions, checkIntervention{N: i + 1, Rows: []checkRow{
			{"Vad som ska göras", or(iv.Description)},
			{"Mål", optional(iv.Goal)},
			{"Ansvarig huvudman", principal(iv.Principal)},
			{"Ansvarig enhet", unit},
			{"Utförs av", or(iv.Performer)},
			{"Omfattning", or(iv.Extent)},
			{"Områden i hjulet", or(strings.Join(iv.Areas, ", "))},
			{"Hur insatsen följs upp", or(iv.FollowUpHow)},
			{"När insatsen följs upp", own},
		}})
	}
	return c
}
