package web

import (
	"slices"
	"strconv"
	"strings"
)

// The choices the forms of the plan, its follow-up and what keeps the case honest offer, in the
// words a caseworker uses: the API's values stay in the form's value attributes.

// closeReasons are the reasons a case closes (the API's CloseReason), in the list's order.
var closeReasons = []choice{
	{"needs_met", "Barnets behov är tillgodosedda"},
	{"own_organisation", "Behoven kan mötas inom den egna verksamheten"},
	{"consent_refused", "Samtycke saknas eller har återkallats"},
	{"child_moved", "Barnet har flyttat"},
	{"age_limit", "Barnet har nått åldersgränsen"},
	{"social_services_investigation", "Socialtjänsten har tagit över i en utredning"},
}

// principalKinds are the kinds of principal (huvudman) a plan names.
var principalKinds = []choice{
	{"municipality", "Kommunen"},
	{"region", "Regionen"},
	{"police", "Polisen"},
	{"school_owner", "Enskild huvudman för en skola"},
	{"other", "Annan, till exempel en förening"},
}

// overallKinds are the principals that may have the plan's overall responsibility (part 4).
var overallKinds = principalKinds[:2]

var placementKinds = []choice{
	{"planned", "Planerad placering"},
	{"acute", "Akut placering"},
}

var disagreementSubjects = []choice{
	{"responsibility", "Vem som ansvarar för en insats"},
	{"cost", "Vem som betalar"},
}

var approvalMethods = []choice{{"written", "Skriftligt"}, {"oral", "Muntligt"}}

var yesNo = []choice{{"ja", "Ja"}, {"nej", "Nej"}}

func choiceLabel(choices []choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// groupUnits groups the units keep accepts by municipality and kind, as the unit lists show them.
func groupUnits(units []Unit, keep func(Unit) bool) []unitGroup {
	var groups []unitGroup
	index := map[string]int{}
	for _, u := range units {
		if !keep(u) {
			continue
		}
		key := municipalityName(u.Municipality) + ", " + unitKindLabel(u.Kind)
		i, ok := index[key]
		if !ok {
			i, index[key] = len(groups), len(groups)
			groups = append(groups, unitGroup{Label: key})
		}
		groups[i].Units = append(groups[i].Units, u)
	}
	return groups
}

// caseUnits are the units with a part in the case, as the case lists them: the named person's, the
// active participants', the coordinator's and the plan owner's, each once – those a deviation may
// be about.
func caseUnits(c Case, names func(id string) string) []choice {
	var out []choice
	add := func(id, name string) {
		if id == "" || slices.ContainsFunc(out, func(ch choice) bool { return ch.Value == id }) {
			return
		}
		if name == "" {
			name = names(id)
		}
		out = append(out, choice{id, name})
	}
	if u := c.NamedPersonUnit; u != nil {
		add(u.ID, u.Name)
	}
	for _, p := range c.Participants {
		if p.Status == "active" {
			add(p.Unit.ID, p.Unit.Name)
		}
	}
	if co := c.Coordinator; co != nil {
		add(co.Coordinator.UnitID, "")
		if co.PlanOwner != nil {
			add(co.PlanOwner.UnitID, "")
		}
	}
	return out
}

// casePrincipals are the principals the case's plan names, each once: the parties a disagreement or
// a cost distribution is most often between.
func casePrincipals(c Case) []string {
	var out []string
	add := func(name string) {
		if name = strings.TrimSpace(name); name != "" && !slices.ContainsFunc(out, func(n string) bool { return strings.EqualFold(n, name) }) {
			out = append(out, name)
		}
	}
	if p := c.InForce(); p != nil {
		add(p.OverallResponsibility.Name)
		for _, iv := range p.Interventions {
			add(iv.Principal.Name)
		}
	}
	return out
}

// parties reads a list of parties: the principals ticked in the field, then the others typed in
// "<field>-others", one a line.
func parties(f *form, field string) []string {
	var out []string
	for _, p := range f.Values[field] {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	for _, line := range strings.Split(f.Value(field+"-others"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// fieldArgs is what the field partials of partials/fields.html need.
type fieldArgs struct {
	Form            *form
	ID, Label, Hint string
	Choices         []choice
	Groups          []unitGroup
	Empty           string // a select's first, empty option
	Multi           bool   // checkboxes rather than radios
}

// Field partials' arguments, made in the templates: (field $f "id" "Label" "Hint").
func fieldOf(f *form, id, label, hint string) fieldArgs {
	return fieldArgs{Form: f, ID: id, Label: label, Hint: hint}
}

// With gives the field its choices (radios, checkboxes).
func (a fieldArgs) With(choices []choice) fieldArgs { a.Choices = choices; return a }

// Several lets more than one choice be made (checkboxes).
func (a fieldArgs) Several() fieldArgs { a.Multi = true; return a }

// Units gives the field the directory's units to pick from, with the empty option's text.
func (a fieldArgs) Units(groups []unitGroup, empty string) fieldArgs {
	a.Groups, a.Empty = groups, empty
	return a
}

// ChoiceID is the ID of the i-th radio or checkbox: the field's own for the first, so that the
// error summary's link reaches it.
func (a fieldArgs) ChoiceID(i int) string {
	if i == 0 {
		return a.ID
	}
	return a.ID + "-" + strconv.Itoa(i)
}

// Described is the aria-describedby of the field: its hint and its error.
func (a fieldArgs) Described() string {
	var ids []string
	if a.Hint != "" {
		ids = append(ids, a.ID+"-hint")
	}
	if a.Form.Error(a.ID) != "" {
		ids = append(ids, a.ID+"-error")
	}
	return strings.Join(ids, " ")
}
