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
	c := &planChecked{Child: optionalText(req.ChildParticipation), FollowUp: requiredText(bookedAt(f, "follow-up")),
		Others: measuresByOthers(req), Overall: missingText}
	if o := req.OverallResponsibility; o != nil {
		c.Overall = principalText(*o)
	}
	for i, iv := range req.Interventions {
		unit := "Ingen vald"
		if iv.UnitID != "" {
			unit = unitName(iv.UnitID)
		}
		own := bookedAt(f, rowPrefix(i)+"-follow-up")
		if own == "" {
			own = "Vid planens uppföljning"
		}
		c.Interventions = append(c.Interventions, checkIntervention{N: i + 1, Rows: []checkRow{
			{"Vad som ska göras", requiredText(iv.Description)},
			{"Mål", optionalText(iv.Goal)},
			{"Ansvarig huvudman", principalText(iv.Principal)},
			{"Ansvarig enhet", unit},
			{"Utförs av", requiredText(iv.Performer)},
			{"Omfattning", requiredText(iv.Extent)},
			{"Områden i hjulet", requiredText(strings.Join(iv.Areas, ", "))},
			{"Hur insatsen följs upp", requiredText(iv.FollowUpHow)},
			{"När insatsen följs upp", own},
		}})
	}
	return c
}

// measuresByOthers is the plan's part 3 as typed: the interventions whose principal is neither
// the municipality nor the region, or the statement that there are none.
func measuresByOthers(req PlanRequest) string {
	var others []string
	for i, iv := range req.Interventions {
		if iv.Principal.Kind != "" && iv.Principal.Kind != "municipality" && iv.Principal.Kind != "region" {
			others = append(others, "insats "+strconv.Itoa(i+1)+" ("+requiredText(iv.Principal.Name)+")")
		}
	}
	switch {
	case len(others) > 0:
		return capitalise(strings.Join(others, ", "))
	case req.NoMeasuresByOthers:
		return "Det finns inga insatser av andra än kommunen och regionen"
	}
	return missingText
}

const missingText = "Inte ifyllt"

func requiredText(s string) string {
	if strings.TrimSpace(s) == "" {
		return missingText
	}
	return s
}

func optionalText(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Inget angivet"
	}
	return s
}

// principalText is a principal's name and what kind it is.
func principalText(p Principal) string {
	switch {
	case p.Kind == "" && p.Name == "":
		return missingText
	case p.Kind == "":
		return p.Name + " (vilken sorts huvudman är inte valt)"
	case p.Name == "":
		return "Namnet är inte ifyllt (" + principalWords[p.Kind] + ")"
	}
	return p.Name + " (" + principalWords[p.Kind] + ")"
}

// bookedAt is a date and time as typed in the fields <prefix>-date and -time, "" without a date.
func bookedAt(f *form, prefix string) string {
	if f.Value(prefix+"-date") == "" {
		return ""
	}
	return strings.TrimSpace(f.Value(prefix+"-date") + " " + f.Value(prefix+"-time"))
}
