package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// casesPage is Ärenden: the cases of the user's unit – or those they work on themselves – from the
// API's list, filtered by phase, overdue and municipality, a page at a time. The filters are a GET
// form, so the list works without script and a filtered list can be kept as a bookmark; nothing in
// its address is personal (a phase, a municipality, the API's opaque cursor). The list has no names
// and no personal numbers: the API's list has none (the read model holds none); each row opens the
// case, whose page is the API's read of it with its own access rule.
func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	p := casesPage{Form: &form{Values: q, Errors: map[string]string{}}, Scope: q.Get("omfattning")}
	if p.Scope == "" {
		p.Scope = scopeUnit
	}
	query, ok := p.apiQuery(q)
	query.Limit = casesPageSize
	if ok {
		list, err := s.api.Cases(r.Context(), sess.AccessToken, query)
		switch {
		case err == nil:
			p.fill(s.now(), list, q)
		case ProblemStatus(err) == http.StatusBadRequest:
			p.Form.addListProblem(err)
		default:
			s.readFailed(w, r, sess, err)
			return
		}
	}
	units, err := s.directory(r.Context(), sess)
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	p.Municipalities = municipalityChoices(units)
	p.Phases = phaseChoices()
	status := http.StatusOK
	if p.Form.HasErrors() {
		status = http.StatusBadRequest
	}
	v := s.viewFor(r, sess, titled("Ärenden"), "arenden")
	v.Errors, v.Page = p.Form.HasErrors(), p
	s.render(w, r, status, "cases.html", v)
}

// casesPageSize is how many cases a page of the list shows.
const casesPageSize = 25

// The list's scopes as the address names them.
const (
	scopeUnit = "enhet" // my unit's cases (the API's scope=unit)
	scopeMine = "mina"  // the cases I work on (scope=mine)
)

// caseListFields are the filters' fields, by the API's names of its query parameters.
var caseListFields = map[string]formField{
	"scope":        {ID: "filter-scope", Label: "Vilka ärenden"},
	"phase":        {ID: "filter-phase", Label: "Fas"},
	"overdue":      {ID: "filter-overdue", Label: "Försenade"},
	"municipality": {ID: "filter-municipality", Label: "Kommun"},
}

type casesPage struct {
	Form           *form
	Scope          string
	Phases         []choice
	Municipalities []choice
	Rows           []caseRow
	Listed         bool   // the API answered: Rows is the list (maybe empty)
	Filtered       bool   // a filter narrows the list
	NextPage       string // the address of the next page; "" on the last
	FirstPage      string // the address of the first page, when this is a later one
}

type caseRow struct {
	CaseID, Link, Phase, Municipality, Unit, Deadline, Opened, Parts string
	Overdue                                                          bool
}

// apiQuery reads the filters into the API's query; what only the form can check (its own choices)
// goes on the form.
func (p *casesPage) apiQuery(q url.Values) (CaseListQuery, bool) {
	out := CaseListQuery{Phase: q.Get("fas"), Municipality: q.Get("kommun"), Cursor: q.Get("sida")}
	switch p.Scope {
	case scopeUnit:
		out.Scope = "unit"
	case scopeMine:
		out.Scope = "mine"
	default:
		p.Form.Add("filter-scope", "Vilka ärenden", "välj ett av alternativen")
	}
	switch q.Get("forsenade") {
	case "":
	case "ja":
		out.Overdue = "true"
	case "nej":
		out.Overdue = "false"
	default:
		p.Form.Add("filter-overdue", "Försenade", "välj ett av alternativen")
	}
	p.Filtered = out.Phase != "" || out.Municipality != "" || out.Overdue != ""
	return out, !p.Form.HasErrors()
}

// addListProblem shows the API's 400 at the filters. A cursor it does not know (an old bookmark
// of a later page) is said in words, with the way back to the first page.
func (f *form) addListProblem(err error) {
	var p *Problem
	if !errors.As(err, &p) {
		return
	}
	for _, fe := range p.Fields {
		if fe.Field == "cursor" || fe.Field == "limit" {
			f.Add("", "", "Sidan finns inte längre. Börja om från första sidan")
			return
		}
	}
	f.addProblem(p, caseListFields)
}

func (p *casesPage) fill(now time.Time, list CaseList, q url.Values) {
	p.Listed = true
	for _, it := range list.Items {
		row := caseRow{CaseID: it.CaseID, Link: casePage(it.CaseID), Phase: phaseLabel(it.Phase), Overdue: it.Overdue,
			Municipality: municipalityName(it.Municipality), Opened: formatDate(it.OpenedAt), Parts: relationWords(it.Relations)}
		if it.NamedPersonUnit != nil {
			row.Unit = it.NamedPersonUnit.Name
		}
		if d := it.NextDeadline; d != nil {
			row.Deadline = casework.DeadlineKind(d.Kind).Title() + ": " + deadlineText(d.DueAt, now)
		}
		p.Rows = append(p.Rows, row)
	}
	if list.NextCursor != nil {
		next := cloneValues(q)
		next.Set("sida", *list.NextCursor)
		p.NextPage = pathCases + "?" + next.Encode()
	}
	if q.Get("sida") != "" {
		first := cloneValues(q)
		first.Del("sida")
		p.FirstPage = pathCases + "?" + first.Encode()
	}
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		if len(v) > 0 && v[0] != "" {
			out[k] = v[:1]
		}
	}
	return out
}

var relationLabels = map[string]string{
	"named_person": "din enhet är barnets bästa-ansvarig", "supervisor": "du är chef för en enhet i ärendet",
	"assessor": "du kartlägger", "coordinator": "du är samordnare", "plan_owner": "du är planansvarig",
	"participant": "din enhet deltar i samverkan",
}

// relationWords says the user's parts in a case as a sentence's start: "Du är samordnare, din enhet …".
func relationWords(relations []string) string {
	words := make([]string, len(relations))
	for i, rel := range relations {
		words[i] = labelOr(relationLabels, rel)
	}
	if len(words) == 0 {
		return ""
	}
	return capitalise(strings.Join(words, ", "))
}

func phaseChoices() []choice {
	out := make([]choice, 0, len(casePhases)+1)
	for _, ph := range append(casePhases[:len(casePhases):len(casePhases)], "avslutat") {
		out = append(out, choice{ph, phaseLabel(ph)})
	}
	return out
}
