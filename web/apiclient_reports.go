package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The steering group's yearly follow-up (GET /api/v1/reports/yearly), rendered by the front end's
// own template: the API's page of it needs a bearer token in a header, which no browser sends.

// Figure is a figure of the yearly follow-up as the API writes it: a number ("12", "0.875"), or
// "<5" when fewer than five children lie behind it, or "x" when showing it would give a withheld one
// away.
type Figure string

// UnmarshalJSON reads a number or one of the two marks.
func (f *Figure) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = Figure(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("a figure is a number or a mark")
	}
	*f = Figure(s)
	return nil
}

// Withheld says the figure is not shown (a mark, not a number).
func (f Figure) Withheld() bool {
	_, err := strconv.ParseFloat(string(f), 64)
	return err != nil
}

// YearlyReport is the yearly follow-up's figures.
type YearlyReport struct {
	Year                  int                  `json:"year"`
	Municipality          *string              `json:"municipality"`
	Municipalities        []string             `json:"municipalities"`
	MinChildren           int                  `json:"minChildren"`
	ComputedAt            time.Time            `json:"computedAt"`
	Cases                 ReportCases          `json:"cases"`
	ByPhase               []ReportRow          `json:"byPhase"`
	ByAgeBand             []ReportRow          `json:"byAgeBand"`
	ByArea                []ReportRow          `json:"byArea"`
	ByNamedPersonUnitKind []ReportRow          `json:"byNamedPersonUnitKind"`
	ByAgencyKind          []ReportRow          `json:"byAgencyKind"`
	Deadlines             []DeadlineCompliance `json:"deadlines"`
	Consent               ReportConsent        `json:"consent"`
	PlansEstablished      Figure               `json:"plansEstablished"`
	Deviations            []DeviationCount     `json:"deviations"`
	Escalations           []EscalationCount    `json:"escalations"`
}

// ReportCases are the year's cases: open at some time in it, opened in it, closed in it.
type ReportCases struct {
	Active Figure `json:"active"`
	Opened Figure `json:"opened"`
	Closed Figure `json:"closed"`
}

// ReportRow is one row of a table of cases.
type ReportRow struct {
	Key   string `json:"key"`
	Cases Figure `json:"cases"`
}

// DeadlineCompliance is how one kind of deadline was kept in the year.
type DeadlineCompliance struct {
	Kind              string `json:"kind"`
	Within            Figure `json:"within"`
	Late              Figure `json:"late"`
	Share             Figure `json:"share"`
	MedianWorkingDays Figure `json:"medianWorkingDays"`
}

// ReportConsent counts consent refused and revoked.
type ReportConsent struct {
	Refused Figure `json:"refused"`
	Revoked Figure `json:"revoked"`
}

// DeviationCount counts the year's deviations of a kind.
type DeviationCount struct {
	Kind         string `json:"kind"`
	DeadlineKind string `json:"deadlineKind,omitempty"`
	Count        Figure `json:"count"`
}

// EscalationCount counts disagreements that reached a step of the ladder in the year.
type EscalationCount struct {
	Step  int    `json:"step"`
	Level string `json:"level"`
	Count Figure `json:"count"`
}

// YearlyReport is GET /api/v1/reports/yearly (yearlyReport) as JSON: year 0 is the API's default
// (this year), municipality "" the caller's whole reach.
func (cl *Client) YearlyReport(ctx context.Context, token string, year int, municipality string) (YearlyReport, error) {
	var out YearlyReport
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/reports/yearly", query: yearlyQuery(year, municipality, ""), token: token}, &out)
	return out, err
}

// YearlyReportCSV is the same figures as CSV, one a row, streamed.
func (cl *Client) YearlyReportCSV(ctx context.Context, token string, year int, municipality string) (*Download, error) {
	return cl.download(ctx, call{method: http.MethodGet, path: "/api/v1/reports/yearly", query: yearlyQuery(year, municipality, "csv"), token: token})
}

func yearlyQuery(year int, municipality, format string) url.Values {
	y := ""
	if year != 0 {
		y = strconv.Itoa(year)
	}
	return nonEmpty("year", y, "municipality", municipality, "format", format)
}
