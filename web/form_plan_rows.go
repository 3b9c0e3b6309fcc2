package web

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The plan form's interventions are rows of fields named iv-<row>-<field>, and iv-rows says how
// many rows there are. Without script a row is added or removed by a submit button that shows the
// form again (progressive enhancement): nothing is sent to the API until the plan is proposed.

const (
	fieldRows = "iv-rows"
	maxRows   = 20 // a plan of more interventions than this is no plan a family can follow
)

// rowFields are the fields of one intervention's row, after its prefix.
var rowFields = []string{"id", "description", "goal", "principal-kind", "principal-name", "unit", "performer",
	"extent", "areas", "follow-up-how", "follow-up-date", "follow-up-time"}

func rowPrefix(i int) string { return "iv-" + strconv.Itoa(i) }

// rowCount is how many rows the form has, at most maxRows: one on a new form, none once the empty
// ones are dropped from a plan without interventions (the form then shows one empty row again).
func rowCount(f *form) int {
	n, err := strconv.Atoi(f.Value(fieldRows))
	if err != nil || n < 0 {
		return 1
	}
	return min(n, maxRows)
}

// rows are the rows' values, each keyed by field (without the prefix).
func rows(f *form) []map[string][]string {
	out := make([]map[string][]string, rowCount(f))
	for i := range out {
		out[i] = map[string][]string{}
		for _, name := range rowFields {
			if v := f.Values[rowPrefix(i)+"-"+name]; len(v) > 0 {
				out[i][name] = v
			}
		}
	}
	return out
}

// setRows writes rows back into the form, numbered from 0, and how many there are.
func setRows(f *form, rs []map[string][]string) {
	for key := range f.Values {
		if strings.HasPrefix(key, "iv-") {
			delete(f.Values, key)
		}
	}
	for i, r := range rs {
		for name, v := range r {
			f.Values[rowPrefix(i)+"-"+name] = v
		}
	}
	f.Values.Set(fieldRows, strconv.Itoa(len(rs)))
}

// rowEmpty: nothing typed or chosen in the row (its ID is ours, not the user's).
func rowEmpty(r map[string][]string) bool {
	for name, values := range r {
		if name == "id" {
			continue
		}
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				return false
			}
		}
	}
	return true
}

// addRow gives the form one more, empty, row.
func addRow(f *form) {
	rs := rows(f)
	if len(rs) < maxRows {
		rs = append(rs, map[string][]string{})
	}
	setRows(f, rs)
}

// removeRow takes row i away.
func removeRow(f *form, i int) {
	rs := rows(f)
	if i >= 0 && i < len(rs) {
		rs = slices.Delete(rs, i, i+1)
	}
	setRows(f, rs)
}

// compactRows drops the empty rows and gives every row without one an ID of its own: the next
// "i<n>" that no row and no earlier version of the plan has used, so that an intervention taken
// out of the plan never lends its ID to another (a follow-up refers to interventions by ID).
func compactRows(f *form, c Case) {
	var kept []map[string][]string
	used := map[string]bool{}
	for _, p := range c.Plans {
		for _, iv := range p.Interventions {
			used[iv.ID] = true
		}
	}
	for _, r := range rows(f) {
		if !rowEmpty(r) {
			kept = append(kept, r)
			if len(r["id"]) > 0 {
				used[r["id"][0]] = true
			}
		}
	}
	next := 1
	for _, r := range kept {
		if len(r["id"]) > 0 && r["id"][0] != "" {
			continue
		}
		for used["i"+strconv.Itoa(next)] {
			next++
		}
		r["id"] = []string{"i" + strconv.Itoa(next)}
		used["i"+strconv.Itoa(next)] = true
	}
	setRows(f, kept)
}

// planFieldPath is an API problem's path inside an intervention: interventions[1].principal.kind.
var planFieldPath = regexp.MustCompile(`^interventions\[([0-9]+)\]\.([A-Za-z]+)(\.[A-Za-z]+)?(\[[0-9]+\])?$`)

// rowFieldOf names, for each field of an intervention in the API's request, the row's field and
// how the error summary calls it.
var rowFieldOf = map[string][2]string{
	"id":             {"description", "vad som ska göras"},
	"description":    {"description", "vad som ska göras"},
	"goal":           {"goal", "mål"},
	"principal":      {"principal-kind", "ansvarig huvudman"},
	"principal.kind": {"principal-kind", "ansvarig huvudman"},
	"principal.name": {"principal-name", "huvudmannens namn"},
	"unitId":         {"unit", "ansvarig enhet"},
	"performer":      {"performer", "vem som utför insatsen"},
	"extent":         {"extent", "omfattning"},
	"areas":          {"areas", "områden i hjulet"},
	"followUpHow":    {"follow-up-how", "hur insatsen följs upp"},
	"followUpAt":     {"follow-up-date", "egen uppföljning"},
}

// planFields are the plan's fields outside the rows.
var planFields = map[string]formField{
	"interventions":              {ID: "iv-0-description", Label: "Insatser"},
	"noMeasuresByOthers":         {ID: "no-measures", Label: "Insatser av andra än kommunen och regionen"},
	"overallResponsibility":      {ID: "overall-kind", Label: "Övergripande ansvar"},
	"overallResponsibility.kind": {ID: "overall-kind", Label: "Övergripande ansvar"},
	"overallResponsibility.name": {ID: "overall-name", Label: "Namn på huvudmannen med övergripande ansvar"},
	"followUpAt":                 {ID: "follow-up-date", Label: "Uppföljning"},
	"childParticipation":         {ID: "child-participation", Label: "Barnets delaktighet"},
	"occurredAt":                 {ID: "occurred-date", Label: "Datum för planen"},
}

// planField shows an API problem at the plan form's field: one of an intervention at its row.
func planField(path string) (formField, bool) {
	if m := planFieldPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if of, ok := rowFieldOf[m[2]+m[3]]; ok {
			return formField{ID: rowPrefix(i) + "-" + of[0], Label: fmt.Sprintf("Insats %d, %s", i+1, of[1])}, true
		}
		return formField{ID: rowPrefix(i) + "-description", Label: fmt.Sprintf("Insats %d", i+1)}, true
	}
	ff, ok := planFields[path]
	return ff, ok
}
