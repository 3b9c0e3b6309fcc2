package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samverkan/samverkan/casework"
)

// yearlyPage is Årsuppföljning, the steering group's yearly follow-up (docs/process.md §12): the API's
// figures (GET /api/v1/reports/yearly) in the front end's own page, read in the user's session –
// the API's page of the same figures needs a bearer token in a header, which a browser does not
// send. The figures hold no identities; cells of fewer than five children are the API's "<5".
// ?ar= chooses the year, ?kommun= one municipality of the reader's reach (default all of it).
func (s *Server) yearlyPage(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	q := r.URL.Query()
	f := &form{Values: q, Errors: map[string]string{}}
	year := 0
	if y := f.Value("ar"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			f.Add("report-year", "År", "skriv året med fyra siffror, till exempel 2025")
		}
		year = n
	}
	municipality := f.Value("kommun")
	// The reach – the municipalities to choose among – is the whole report's; it is also where a
	// reader without the role gets the API's 403, and this page's 404.
	whole, err := s.api.YearlyReport(ctx, sess.AccessToken, 0, "")
	if err != nil {
		s.readFailed(w, r, sess, err)
		return
	}
	p := yearlyPage{Form: f, CSV: yearlyCSVPath(q)}
	for _, m := range whole.Municipalities {
		p.Municipalities = append(p.Municipalities, choice{m, municipalityName(m)})
	}
	if !f.HasErrors() {
		rep := whole
		if year != 0 || municipality != "" {
			rep, err = s.api.YearlyReport(ctx, sess.AccessToken, year, municipality)
		}
		switch {
		case err == nil:
			p.fill(rep)
			if f.Value("ar") == "" {
				f.Values = cloneValues(q)
				f.Values.Set("ar", strconv.Itoa(rep.Year))
			}
		case ProblemStatus(err) == http.StatusBadRequest || ProblemStatus(err) == http.StatusForbidden:
			f.addYearlyProblem(err)
		default:
			s.apiFailed(w, r, sess, err)
			return
		}
	}
	status := http.StatusOK
	if f.HasErrors() {
		status = http.StatusBadRequest
	}
	v := s.viewFor(r, sess, titled("Årsuppföljning"), "arsuppfoljning")
	v.Errors, v.Page = f.HasErrors(), p
	s.render(w, r, status, "yearly.html", v)
}

var yearlyFields = map[string]formField{
	"year":         {ID: "report-year", Label: "År"},
	"municipality": {ID: "report-municipality", Label: "Kommun"},
}

// addYearlyProblem shows the API's refusal at the fields: a 403 here is a municipality outside the
// reader's reach (the reach itself was read).
func (f *form) addYearlyProblem(err error) {
	if ProblemStatus(err) == http.StatusForbidden {
		f.Add("report-municipality", "Kommun", "kommunen ingår inte i det du följer upp")
		return
	}
	var p *Problem
	if errors.As(err, &p) {
		f.addProblem(p, yearlyFields)
	}
}

type yearlyPage struct {
	Form           *form
	Municipalities []choice
	CSV            string // the download of the figures shown
	Report         *YearlyReport
	Scope          string
	Computed       string
	Key            []countRow
	Tables         []countTable
	Deadlines      []deadlineFigures
	MinChildren    int
}

type deadlineFigures struct {
	Kind, Within, Late, Share, Median string
}

func (p *yearlyPage) fill(rep YearlyReport) {
	p.Report, p.MinChildren = &rep, rep.MinChildren
	names := make([]string, len(rep.Municipalities))
	for i, m := range rep.Municipalities {
		names[i] = municipalityName(m)
	}
	p.Scope, p.Computed = strings.Join(names, ", "), formatDateTime(rep.ComputedAt)
	p.Key = []countRow{{"Ärenden under året", string(rep.Cases.Active)}, {"Nya ärenden", string(rep.Cases.Opened)},
		{"Avslutade ärenden", string(rep.Cases.Closed)}, {"Fastställda planer (SIP)", string(rep.PlansEstablished)},
		{"Samtycke nekat", string(rep.Consent.Refused)}, {"Samtycke återkallat", string(rep.Consent.Revoked)}}
	p.Tables = []countTable{
		reportTable("Ärenden efter fas vid årets slut", "Fas", rep.ByPhase, phaseLabel),
		reportTable("Ärenden efter barnets ålder", "Ålder", rep.ByAgeBand, ageBandLabel),
		reportTable("Ärenden efter område i Barnets bästa-hjulet", "Område", rep.ByArea, capitalise),
		reportTable("Ärenden efter barnets bästa-ansvarigs verksamhet", "Verksamhet", rep.ByNamedPersonUnitKind, unitKindTitle),
		reportTable("Verksamheter som deltagit", "Verksamhet", rep.ByAgencyKind, unitKindTitle),
	}
	deviations := countTable{Caption: "Avvikelser", Key: "Slag"}
	for _, d := range rep.Deviations {
		what := "Rapporterade avvikelser"
		if d.Kind == "missed_deadline" {
			what = "Missad tidsfrist: " + strings.ToLower(casework.DeadlineKind(d.DeadlineKind).Title())
		}
		deviations.Rows = append(deviations.Rows, countRow{what, string(d.Count)})
	}
	escalations := countTable{Caption: "Oenighet som nått ett steg på eskaleringstrappan", Key: "Steg"}
	for _, e := range rep.Escalations {
		escalations.Rows = append(escalations.Rows, countRow{stepLabel(e.Step, e.Level), string(e.Count)})
	}
	p.Tables = append(p.Tables, deviations, escalations)
	for _, d := range rep.Deadlines {
		p.Deadlines = append(p.Deadlines, deadlineFigures{Kind: casework.DeadlineKind(d.Kind).Title(), Within: string(d.Within),
			Late: string(d.Late), Share: percent(d.Share), Median: string(d.MedianWorkingDays)})
	}
}

func reportTable(caption, key string, rows []ReportRow, label func(string) string) countTable {
	t := countTable{Caption: caption, Key: key}
	for _, r := range rows {
		t.Rows = append(t.Rows, countRow{label(r.Key), string(r.Cases)})
	}
	return t
}

func unitKindTitle(kind string) string {
	if kind == "unknown" {
		return "Ännu inte fördelat"
	}
	return capitalise(unitKindLabel(kind))
}

// percent is a share as a percentage ("87 %"), or its mark.
func percent(f Figure) string {
	if f.Withheld() {
		return string(f)
	}
	v, _ := strconv.ParseFloat(string(f), 64)
	return strconv.FormatFloat(v*100, 'f', 0, 64) + " %"
}

// yearlyCSV is GET /arsuppfoljning/fil: the figures as CSV, one a row, passed on from the API.
func (s *Server) yearlyCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	year, _ := strconv.Atoi(r.URL.Query().Get("ar")) // not a number: the API's default year
	d, err := s.api.YearlyReportCSV(r.Context(), sess.AccessToken, year, r.URL.Query().Get("kommun"))
	if err != nil {
		s.readFailed(w, r, sess, err)
		return
	}
	s.sendDownload(w, r, d)
}

func yearlyCSVPath(q url.Values) string {
	out := url.Values{}
	for _, k := range []string{"ar", "kommun"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if len(out) == 0 {
		return pathYearlyCSV
	}
	return pathYearlyCSV + "?" + out.Encode()
}
