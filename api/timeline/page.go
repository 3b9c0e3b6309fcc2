package timeline

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/workflows"
)

// The timeline as a page to print for the case file: plain HTML rendered on the server, with a print
// style sheet; no script runs and nothing is fetched (the same policy as the docs page).

var timelineKindLabels = map[timelineKind]string{
	kindConcernRegistered:      "Oro anmäld",
	kindConcernRouted:          "Fördelat",
	kindCaseAcknowledged:       "Mottaget",
	kindAssessmentDelegated:    "Kartläggning delegerad",
	kindHarmReportRecorded:     "Anmälan till socialtjänsten",
	kindAssessmentRecorded:     "Kartläggning",
	kindAssessmentCompleted:    "Kartläggning avslutad",
	kindConsentGiven:           "Samtycke",
	kindConsentRefused:         "Samtycke saknas",
	kindConsentRevoked:         "Samtycke återkallat",
	kindSummonsSent:            "Kallelse",
	kindInvitationAnswered:     "Svar på kallelse",
	kindMeetingHeld:            "Samverkansmöte",
	kindAgencyDecision:         "Beslut",
	kindCoordinatorAppointed:   "Samordnare",
	kindPlanProposed:           "Plan (SIP)",
	kindPlanApproved:           "Planen godkänd",
	kindPlanDeclined:           "Planen inte godkänd",
	kindPlanEstablished:        "Planen fastställd",
	kindFollowUpRecorded:       "Uppföljning",
	kindReminderSent:           "Påminnelse",
	kindNotificationSent:       "Meddelande",
	kindDeadlineMissed:         "Tidsgräns passerad",
	kindDeviationWithdrawn:     "Avvikelse återkallad",
	kindDeviationReported:      "Avvikelse",
	kindDeviationHandled:       "Avvikelse hanterad",
	kindDisagreementRaised:     "Oenighet",
	kindDisagreementEscalated:  "Oenighet vidare",
	kindDisagreementAutoEscal:  "Oenighet vidare automatiskt",
	kindDisagreementDecided:    "Oenighet avgjord",
	kindPlacementRecorded:      "Placering",
	kindHealthExamRecorded:     "Hälsoundersökning",
	kindCostDistributionSettle: "Kostnadsfördelning",
	kindCaseHandedOver:         "Överlämnat",
	kindCaseClosed:             "Avslutat",
	kindCaseReopened:           "Öppnat igen",
}

type timelinePageData struct {
	CaseID, Child, Unit, Phase string
	Until, Printed, Reader     string
	Events                     []timelinePageEvent
}

type timelinePageEvent struct {
	When, Recorded, Kind, Text string
	Late, System               bool
	Name, Role, Unit           string
}

// enteredLater: a step entered this long after it happened shows when it was entered.
const enteredLater = 15 * time.Minute

func (s *Handlers) timelinePage(c *gin.Context, state workflows.CaseState, view timelineJSON, reader auth.Claims) {
	d := timelinePageData{CaseID: view.CaseID, Child: childLine(state.Child), Printed: clockText(s.Now()), Reader: reader.User}
	if u := state.NamedPersonUnit; u != nil {
		d.Unit = u.Name
	}
	if view.Until != nil {
		d.Until = clockText(time.Time(*view.Until))
	} else {
		d.Phase = string(state.Phase) // what the case is now: not for a reader whose view ends earlier
	}
	for _, e := range view.Events {
		p := timelinePageEvent{When: clockText(e.occurredAt), Recorded: clockText(e.recordedAt), Kind: timelineKindLabels[e.Kind],
			Text: e.Text, Late: e.recordedAt.Sub(e.occurredAt) > enteredLater, System: e.By == nil}
		if e.By != nil {
			p.Name, p.Role, p.Unit = e.By.Name, roleName(e.By.Role), e.By.UnitName
		}
		d.Events = append(d.Events, p)
	}
	var buf bytes.Buffer
	if err := timelineTemplate.Execute(&buf, d); err != nil {
		httpkit.WriteError(c, fmt.Errorf("render timeline page: %w", err))
		return
	}
	c.Header("Content-Security-Policy", httpkit.PageCSP)
	c.Header("Cache-Control", "no-store") // the child's case: no copy in caches
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// childLine identifies the child in the case file: name, and personal or reserve number.
func childLine(ch workflows.Child) string {
	switch {
	case len(ch.PersonalNumber) == 12: // stored as its 12 digits (workflows.Child)
		return ch.Name + ", " + ch.PersonalNumber[:8] + "-" + ch.PersonalNumber[8:]
	case ch.PersonalNumber != "":
		return ch.Name + ", " + ch.PersonalNumber
	case ch.ReserveNumber != "":
		return ch.Name + ", reservnummer " + ch.ReserveNumber
	}
	return ch.Name
}

var timelineTemplate = template.Must(template.New("timeline").Parse(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidslinje – ärende {{.CaseID}}</title>
<style>
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 68rem; padding: 0 1.5rem; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
.meta { margin: 0 0 1.2rem; color: #333; }
.meta span { margin-right: 1.2rem; white-space: nowrap; }
.notice { border-left: 4px solid #a61b1b; background: #fbeeee; padding: .6rem 1rem; margin: 0 0 1.2rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .45rem .55rem; border-bottom: 1px solid #d4d4d4; }
th { font-size: .8em; text-transform: uppercase; letter-spacing: .04em; color: #444; border-bottom: 2px solid #222; }
td.when { white-space: nowrap; width: 8.5rem; font-variant-numeric: tabular-nums; }
td.who { width: 14rem; font-size: .92em; }
.kind { display: block; font-size: .75em; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: #3b5b7a; }
.late { display: block; font-size: .8em; color: #8a4b00; }
.role { color: #555; }
tr.system td { background: #f4f6f8; }
tr.system .kind { color: #6b6b6b; }
footer { margin-top: 1.5rem; font-size: .8em; color: #555; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  tr.system td { background: none; }
}
</style>
</head>
<body>
<header>
<h1>Ärendets tidslinje</h1>
<p class="meta"><span>Ärende {{.CaseID}}</span><span>{{.Child}}</span>{{if .Unit}}<span>Barnets bästa-ansvarig: {{.Unit}}</span>{{end}}{{if .Phase}}<span>Fas nu: {{.Phase}}</span>{{end}}</p>
</header>
{{if .Until}}<p class="notice">Samtycket för din verksamhet återkallades {{.Until}}. Du ser ärendet fram till dess och inget av det som hänt efter.</p>
{{end}}<table>
<thead><tr><th>När</th><th>Vad hände</th><th>Vem</th></tr></thead>
<tbody>
{{range .Events}}<tr{{if .System}} class="system"{{end}}>
<td class="when">{{.When}}{{if .Late}}<span class="late">registrerat {{.Recorded}}</span>{{end}}</td>
<td><span class="kind">{{.Kind}}</span>{{.Text}}</td>
<td class="who">{{if .System}}Systemet{{else}}{{.Name}}<br><span class="role">{{.Role}}, {{.Unit}}</span>{{end}}</td>
</tr>
{{else}}<tr><td colspan="3">Inga händelser.</td></tr>
{{end}}</tbody>
</table>
<footer>Utskriven {{.Printed}} av {{.Reader}}. Tidslinjen är läst ur ärendets historik: varje händelse står vid den tid då den hände, och den som registrerades mer än en kvart senare visar också när. Tider i svensk tid. Läsningen är loggad.</footer>
</body>
</html>
`))
