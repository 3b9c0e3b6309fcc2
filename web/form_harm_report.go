package web

import (
	"context"
)

// harmReportForm is Registrera orosanmälan: whether a report to social services was made (SoL 14
// kap. 1 §) and when, or why not (POST …/harm-report). Anyone with a part in the case records it,
// and so may its reporter: the duty to report is each professional's own (docs/process.md §8). The form
// records the answer; the report itself goes to social services, as the page says.
var harmReportForm = commandForm{
	Command:  "harmReport",
	Path:     "orosanmalan",
	Template: "form_harm_report.html",
	Done:     "orosanmalan",
	Fields: map[string]formField{
		"reported":   {ID: "reported", Label: harmReportedLabel},
		"reportedAt": {ID: "reported-at-date", Label: harmWhenLabel},
		"reason":     {ID: "reason", Label: harmReasonLabel},
	},
	Choices: func(context.Context, *Server, *session, Case) (any, error) { return harmReportAnswers, nil },
	Send: func(ctx context.Context, api *Client, token, caseID string, f *form) error {
		var req HarmReportRequest
		switch f.Value("reported") {
		case "ja":
			at, ok := businessTime(f, "reported-at", harmWhenLabel)
			if !ok {
				return errInvalid
			}
			req = HarmReportRequest{Reported: true, ReportedAt: at}
		case "nej":
			req = HarmReportRequest{Reported: false, Reason: f.Value("reason")}
		default:
			f.Add("reported", "", "Välj om en orosanmälan har gjorts till socialtjänsten")
			return errInvalid
		}
		_, err := api.RecordHarmReport(ctx, token, caseID, f.IdempotencyKey, req)
		return err
	},
}

const (
	harmReportedLabel = "Orosanmälan"
	harmWhenLabel     = "Datum för anmälan"
	harmReasonLabel   = "Skäl till att ingen anmälan behövs"
)

var harmReportAnswers = []option{
	{Value: "ja", Label: "Ja, en orosanmälan har gjorts"},
	{Value: "nej", Label: "Nej, ingen orosanmälan behövs"},
}
