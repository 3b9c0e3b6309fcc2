package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// oversightPage is Tillsyn, the supervisor's view of the units they answer for (docs/process.md §1): the
// open cases by phase and age, the deadlines of the coming working days, those overdue, cases not
// yet taken, the deviations waiting for the supervisor's handling, and disagreements by step – all
// as GET /api/v1/oversight answers, which is for supervisors only (anyone else: this page's 404).
// One unit – the one the user logged in for – or all of theirs in its municipality.
func (s *Server) oversightPage(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	all := r.URL.Query().Get("omfattning") == "kommun"
	municipality := ""
	if all {
		municipality = s.unitMunicipality(ctx, sess, sess.Unit)
	}
	o, err := s.api.Oversight(ctx, sess.AccessToken, "", municipality)
	if err != nil {
		s.readFailed(w, r, sess, err)
		return
	}
	p := oversightPage{O: o, All: all, UnitName: s.unitName(ctx, sess, sess.Unit),
		MunicipalityName: municipalityName(s.unitMunicipality(ctx, sess, sess.Unit)), Computed: formatDateTime(o.ComputedAt)}
	for _, u := range o.Units {
		p.Units = append(p.Units, u.Name)
	}
	now := s.now()
	p.Overdue = s.deadlineRows(ctx, sess, o.Overdue, now, "Inga tidsfrister är försenade.")
	p.DueSoon = s.deadlineRows(ctx, sess, o.DueSoon, now, "Inga tidsfrister går ut de närmaste dagarna.")
	p.NotAcknowledged = s.deadlineRows(ctx, sess, o.NotAcknowledged, now, "Alla ärenden har tagits emot.")
	for _, d := range o.Deviations {
		p.Deviations = append(p.Deviations, s.deviationRow(ctx, sess, d))
	}
	p.ByPhase = countTable{Caption: "Öppna ärenden efter fas", Key: "Fas"}
	for _, c := range o.OpenCases.ByPhase {
		p.ByPhase.Rows = append(p.ByPhase.Rows, countRow{phaseLabel(c.Key), strconv.Itoa(c.Count)})
	}
	p.ByAgeBand = countTable{Caption: "Öppna ärenden efter barnets ålder", Key: "Ålder"}
	for _, c := range o.OpenCases.ByAgeBand {
		p.ByAgeBand.Rows = append(p.ByAgeBand.Rows, countRow{ageBandLabel(c.Key), strconv.Itoa(c.Count)})
	}
	p.EscalationSteps = countTable{Caption: "Oenighet efter steg på eskaleringstrappan", Key: "Steg"}
	for _, e := range o.Escalations.ByStep {
		p.EscalationSteps.Rows = append(p.EscalationSteps.Rows, countRow{stepLabel(e.Step, e.Level), strconv.Itoa(e.Count)})
	}
	for _, e := range o.Escalations.Items {
		p.Escalations = append(p.Escalations, escalationRow{Link: casePage(e.CaseID), CaseID: e.CaseID,
			Step: stepLabel(e.Step, e.Level), Since: formatDate(e.Since)})
	}
	v := s.viewFor(r, sess, titled("Tillsyn"), "tillsyn")
	v.Page = p
	s.render(w, r, http.StatusOK, "oversight.html", v)
}

type oversightPage struct {
	O                                 Oversight
	All                               bool
	UnitName, MunicipalityName        string
	Units                             []string
	Computed                          string
	ByPhase, ByAgeBand                countTable
	Overdue, DueSoon, NotAcknowledged deadlineList
	Deviations                        []deviationRow
	EscalationSteps                   countTable
	Escalations                       []escalationRow
}

// countTable is a table of counts with its caption and the heading of its first column.
type countTable struct {
	Caption, Key string
	Rows         []countRow
}

type countRow struct{ Label, Count string }

// deadlineList is a list of cases' deadlines, with what to say when it is empty.
type deadlineList struct {
	Rows  []deadlineRow
	Empty string
}

type deadlineRow struct {
	CaseID, Link, What, Unit, When string
	Overdue                        bool
}

type deviationRow struct {
	CaseID, What, Unit, When string
	// HandleLink leads to the handling ("" when the front end has no way there); CaseLink to the
	// case, when that is somewhere else; CanOpen says whether the user may open the case at all.
	HandleLink, CaseLink string
	CanOpen              bool
}

type escalationRow struct {
	CaseID, Link, Step, Since string
}

func (s *Server) deadlineRows(ctx context.Context, sess *session, items []OversightDeadline, now time.Time, empty string) deadlineList {
	out := deadlineList{Empty: empty}
	for _, d := range items {
		row := deadlineRow{CaseID: d.CaseID, Link: casePage(d.CaseID), What: casework.DeadlineKind(d.Kind).Title(),
			Unit: s.unitName(ctx, sess, d.NamedPersonUnitID), Overdue: d.Overdue, When: "Tidsfristen är inte beräknad än"}
		if d.DueAt != nil {
			row.When = capitalise(deadlineText(*d.DueAt, now))
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func (s *Server) deviationRow(ctx context.Context, sess *session, d OversightDeviation) deviationRow {
	row := deviationRow{CaseID: d.CaseID, Unit: s.unitName(ctx, sess, d.UnitID), When: formatDate(d.OccurredAt), What: "Rapporterad avvikelse"}
	if d.Kind == "missed_deadline" {
		row.What = "Missad tidsfrist: " + strings.ToLower(casework.DeadlineKind(d.DeadlineKind).Title())
	}
	row.CanOpen = d.Case != nil
	row.HandleLink = handleDeviationLink(d.CaseID, d.DeviationID, row.CanOpen)
	if row.CanOpen && row.HandleLink != casePage(d.CaseID)+"#avvikelser" {
		row.CaseLink = casePage(d.CaseID)
	}
	return row
}

// handleDeviationLink is where the supervisor records a deviation's handling: the handleDeviation
// form, whose address names the deviation (a form about one thing of several, commandForm.About),
// else the case's deviations, from where the case's page offers the step. The form reads the case,
// so for a case the supervisor cannot open neither leads anywhere.
func handleDeviationLink(caseID, deviationID string, caseVisible bool) string {
	if !caseVisible {
		return ""
	}
	if f, ok := formFor("handleDeviation"); ok && f.About != nil {
		return casePage(caseID, f.Path, url.PathEscape(deviationID))
	}
	return casePage(caseID) + "#avvikelser"
}

// unitMunicipality is a unit's municipality in the directory, or "" when it is not there.
func (s *Server) unitMunicipality(ctx context.Context, sess *session, id string) string {
	u, _ := s.unit(ctx, sess, id)
	return u.Municipality
}

// ageBandLabel is an age band as people write it: "6–9 år".
func ageBandLabel(band string) string {
	if band == "unknown" {
		return "Okänd ålder"
	}
	return strings.Replace(band, "-", "–", 1) + " år"
}

// stepLabel is a step of the escalation ladder: "1. kommun" (the API counts from 0).
func stepLabel(step int, level string) string { return strconv.Itoa(step+1) + ". " + level }
