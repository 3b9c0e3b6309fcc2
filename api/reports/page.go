package reports

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/report"
)

// yearlyReportPage is GET /api/v1/reports/yearly/page: the yearly follow-up as a page for the
// steering group's meeting – the same figures as the JSON, with bar charts drawn as SVG on the
// server. No script, nothing fetched from elsewhere, so it prints and archives as it is.
func (s *Handlers) yearlyReportPage(c *gin.Context) {
	a, _, err := s.readYearly(c)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := yearlyPageTemplate.Execute(&buf, yearlyPage(a)); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.Header("Content-Security-Policy", httpkit.PageCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// Swedish names of the report's keys, for the page.
var (
	unitKindNames = map[string]string{
		"preschool": "Förskola", "school": "Skola (F–9)", "upper_secondary": "Gymnasieskola", "school_health": "Elevhälsa",
		"central_school_health": "Central elevhälsa", "social_services": "Socialtjänst", "kaa": "KAA",
		"culture_leisure": "Kultur och fritid", "lss": "LSS", "bvc": "BVC", "bup": "BUP", "primary_care": "Primärvård",
		"habilitation": "Habilitering", "youth_clinic": "Ungdomsmottagning", "paediatrics": "Barnmedicin", "police": "Polis",
		report.Unknown: "Ännu inte fördelat",
	}
)

func nameOr(names map[string]string, key string) string {
	if n, ok := names[key]; ok {
		return n
	}
	return key
}

func ageBandName(band string) string {
	if band == report.Unknown {
		return "Okänd"
	}
	return strings.Replace(band, "-", "–", 1) + " år"
}

func capitalised(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}

// Geometry of a bar chart, in SVG user units.
const (
	chartLabelWidth = 190
	chartBarWidth   = 300
	chartRowHeight  = 22
	chartWidth      = chartLabelWidth + chartBarWidth + 60
)

type barChart struct {
	Title  string
	Note   string
	Height int
	Bars   []chartBar
}

type chartBar struct {
	Label    string
	Text     string // the figure, or its mark
	X, Y     int    // the bar's top left
	TextY    int    // the baseline of its texts
	Width    int    // 0 when withheld
	TextX    int
	Withheld bool
}

// newBarChart draws one bar per figure, scaled to the largest shown one (or to max, if above 0).
func newBarChart(title, note string, labels []string, figures []report.Figure, max float64, text func(report.Figure) string) barChart {
	if max <= 0 {
		for _, f := range figures {
			if !f.Withheld() && f.Value > max {
				max = f.Value
			}
		}
	}
	ch := barChart{Title: title, Note: note, Height: len(figures)*chartRowHeight + 6}
	for i, f := range figures {
		b := chartBar{Label: labels[i], Text: text(f), X: chartLabelWidth, Y: 3 + i*chartRowHeight, Withheld: f.Withheld()}
		b.TextY = b.Y + 15
		switch {
		case f.Withheld():
			b.Width = 18 // an empty, dashed box
		case max > 0:
			b.Width = int(f.Value / max * chartBarWidth)
		}
		b.TextX = b.X + b.Width + 6
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

func countChart(title string, rows []report.Row, name func(string) string) barChart {
	labels, figures := make([]string, len(rows)), make([]report.Figure, len(rows))
	for i, r := range rows {
		labels[i], figures[i] = name(r.Key), r.Cases
	}
	return newBarChart(title, "ärenden", labels, figures, 0, report.Figure.String)
}

func percent(f report.Figure) string {
	if f.Withheld() {
		return f.String()
	}
	return strconv.FormatFloat(f.Value*100, 'f', 0, 64) + " %"
}

type yearlyPageData struct {
	Year           int
	Scope          string
	ComputedAt     string
	MinChildren    int
	Key            []keyFigure
	Charts         []barChart
	Deadlines      []deadlineRow
	ChartWidth     int
	ChartLabelEdge int
}

type keyFigure struct {
	Label, Value string
}

type deadlineRow struct {
	Name, Within, Late, Share, Median string
}

func yearlyPage(a yearlyAnswer) yearlyPageData {
	y := a.Yearly
	names := make([]string, len(a.municipalities))
	for i, m := range a.municipalities {
		names[i] = m.Name
	}
	p := yearlyPageData{Year: y.Year, Scope: strings.Join(names, ", "), MinChildren: report.MinChildren,
		ComputedAt: a.computedAt.In(casework.Stockholm).Format("2006-01-02 15:04"), ChartWidth: chartWidth, ChartLabelEdge: chartLabelWidth - 8}
	p.Key = []keyFigure{{"Ärenden under året", y.Cases.Active.String()}, {"Nya ärenden", y.Cases.Opened.String()},
		{"Avslutade ärenden", y.Cases.Closed.String()}, {"Fastställda planer (SIP)", y.PlansEstablished.String()},
		{"Samtycke nekat", y.Consent.Refused.String()}, {"Samtycke återkallat", y.Consent.Revoked.String()}}
	p.Charts = []barChart{
		countChart("Ärenden efter fas vid årets slut", y.ByPhase, capitalised),
		countChart("Barnets ålder", y.ByAgeBand, ageBandName),
		countChart("Områden i Barnets bästa-hjulet", y.ByArea, capitalised),
		countChart("Barnets bästa-ansvarigs verksamhet", y.ByNamedPersonUnitKind, func(k string) string { return nameOr(unitKindNames, k) }),
		countChart("Verksamheter som deltagit", y.ByAgencyKind, func(k string) string { return nameOr(unitKindNames, k) }),
	}
	var labels []string
	var shares []report.Figure
	for _, d := range y.Deadlines {
		labels, shares = append(labels, d.Kind.Title()), append(shares, d.Share)
		p.Deadlines = append(p.Deadlines, deadlineRow{Name: d.Kind.Title(), Within: d.Within.String(), Late: d.Late.String(),
			Share: percent(d.Share), Median: d.MedianWorkingDays.String()})
	}
	p.Charts = append(p.Charts, newBarChart("Tidsfrister som hölls", "andel inom policyns frist", labels, shares, 1, percent))
	labels, shares = nil, nil
	for _, d := range y.Deviations {
		name := "Rapporterad avvikelse"
		if d.Kind == report.DeviationMissedDeadline {
			name = "Missad: " + strings.ToLower(d.DeadlineKind.Title())
		}
		labels, shares = append(labels, name), append(shares, d.Count)
	}
	p.Charts = append(p.Charts, newBarChart("Avvikelser", "antal", labels, shares, 0, report.Figure.String))
	labels, shares = nil, nil
	for _, e := range y.Escalations {
		labels, shares = append(labels, strconv.Itoa(e.Step+1)+". "+e.Level), append(shares, e.Count)
	}
	p.Charts = append(p.Charts, newBarChart("Oenighet efter steg", "antal som nått steget", labels, shares, 0, report.Figure.String))
	return p
}

var yearlyPageTemplate = template.Must(template.New("yearly").Parse(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Årlig uppföljning {{.Year}} – {{.Scope}}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 76rem; margin: 0 auto; padding: 1rem 2rem; color: #1d1d1f; }
h1 { margin-bottom: .2rem; }
.scope { color: #555; margin-top: 0; }
.key { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 1.5rem; }
.key div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .9rem; min-width: 9rem; }
.key b { display: block; font-size: 1.6rem; }
.grid { display: flex; flex-wrap: wrap; gap: 1.25rem 2rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
figcaption small { font-weight: normal; color: #666; }
svg text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
svg .label { text-anchor: end; }
svg .bar { fill: #2f6f9f; }
svg .withheld { fill: none; stroke: #999; stroke-dasharray: 3 2; }
svg .mark { fill: #777; font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.note { color: #555; font-size: 13px; max-width: 60rem; }
</style>
</head>
<body>
<h1>Årlig uppföljning {{.Year}}</h1>
<p class="scope">{{.Scope}} · beräknad {{.ComputedAt}} · utan identiteter</p>
<div class="key">{{range .Key}}<div>{{.Label}}<b>{{.Value}}</b></div>{{end}}</div>
<div class="grid">
{{- range .Charts}}
<figure>
<figcaption>{{.Title}} <small>({{.Note}})</small></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="{{$.ChartWidth}}" height="{{.Height}}" viewBox="0 0 {{$.ChartWidth}} {{.Height}}" role="img" aria-label="{{.Title}}">
{{- range .Bars}}
<text class="label" x="{{$.ChartLabelEdge}}" y="{{.TextY}}">{{.Label}}</text>
<rect class="{{if .Withheld}}withheld{{else}}bar{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="18"/>
<text{{if .Withheld}} class="mark"{{end}} x="{{.TextX}}" y="{{.TextY}}">{{.Text}}</text>
{{- end}}
</svg>
</figure>
{{- end}}
</div>
<h2>Tidsfrister</h2>
<table>
<tr><th>Frist</th><th>Inom frist</th><th>Sena</th><th>Andel inom</th><th>Median arbetsdagar</th></tr>
{{- range .Deadlines}}
<tr><td>{{.Name}}</td><td>{{.Within}}</td><td>{{.Late}}</td><td>{{.Share}}</td><td>{{.Median}}</td></tr>
{{- end}}
</table>
<p class="note">Ärenden som var öppna någon gång under året räknas, vart och ett en gång. En frist räknas det år den
löper ut: hölls den räknas den inom, missades den räknas den som sen; öppna och inställda frister räknas inte.
Arbetsdagar räknas med den svenska kalendern i ärendets policy. En siffra som vilar på färre än {{.MinChildren}} barn visas
som &lt;5; x döljer en siffra som annars skulle låta någon räkna fram en sådan.</p>
</body>
</html>
`))
