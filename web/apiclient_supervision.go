package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The supervisors' and auditors' reads: the oversight, a case's access log, the weekly log review
// and its sign-off, the access alerts, and the access-log downloads.

// Oversight is GET /api/v1/oversight: a supervisor's units at a glance.
type Oversight struct {
	Units              []UnitRef            `json:"units"`
	ComputedAt         time.Time            `json:"computedAt"`
	DueSoonWorkingDays int                  `json:"dueSoonWorkingDays"`
	OpenCases          OpenCases            `json:"openCases"`
	DueSoon            []OversightDeadline  `json:"dueSoon"`
	Overdue            []OversightDeadline  `json:"overdue"`
	NotAcknowledged    []OversightDeadline  `json:"notAcknowledged"`
	Deviations         []OversightDeviation `json:"deviations"`
	Escalations        OversightEscalations `json:"escalations"`
}

// OpenCases counts the open cases of the oversight's units.
type OpenCases struct {
	Total     int              `json:"total"`
	ByPhase   []OversightCount `json:"byPhase"`
	ByAgeBand []OversightCount `json:"byAgeBand"`
}

// OversightCount is one row of a count.
type OversightCount struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// OversightDeadline is a case's deadline in the oversight.
type OversightDeadline struct {
	CaseID            string     `json:"caseId"`
	NamedPersonUnitID string     `json:"namedPersonUnitId"`
	Kind              string     `json:"kind"`
	DueAt             *time.Time `json:"dueAt"`
	Overdue           bool       `json:"overdue"`
}

// OversightDeviation is a deviation awaiting its handling. Case is null when the supervisor's unit
// has no part in the case but the deviation.
type OversightDeviation struct {
	CaseID       string    `json:"caseId"`
	Case         *string   `json:"case"`
	DeviationID  string    `json:"deviationId"`
	Kind         string    `json:"kind"`
	DeadlineKind string    `json:"deadlineKind,omitempty"`
	UnitID       string    `json:"unitId"`
	OccurredAt   time.Time `json:"occurredAt"`
}

// OversightEscalations are the disagreements by the step of the ladder they wait at.
type OversightEscalations struct {
	ByStep []EscalationStepCount `json:"byStep"`
	Items  []OversightEscalation `json:"items"`
}

// EscalationStepCount is how many disagreements wait at one step.
type EscalationStepCount struct {
	Step  int    `json:"step"`
	Level string `json:"level"`
	Count int    `json:"count"`
}

// OversightEscalation is one disagreement waiting at a step.
type OversightEscalation struct {
	CaseID         string    `json:"caseId"`
	DisagreementID string    `json:"disagreementId"`
	Step           int       `json:"step"`
	Level          string    `json:"level"`
	Since          time.Time `json:"since"`
}

// AccessEntry is an access-log row.
type AccessEntry struct {
	Seq     int    `json:"seq"`
	At      string `json:"at"` // UTC to the microsecond, as hashed
	User    string `json:"user"`
	Role    string `json:"role"`
	Unit    string `json:"unit"`
	CaseID  string `json:"caseId"`
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
	Status  int    `json:"status"`
}

// AccessPage is GET /api/v1/cases/{caseId}/access-log: a page of the case's log, oldest first.
type AccessPage struct {
	CaseID  string        `json:"caseId"`
	Entries []AccessEntry `json:"entries"`
	Next    *int          `json:"next,omitempty"`
}

// Review is a week's sample of a unit's accesses, for its supervisor to check and sign off.
type Review struct {
	ID         string        `json:"id"`
	Unit       string        `json:"unit"`
	Week       string        `json:"week"`
	From       time.Time     `json:"from"`
	To         time.Time     `json:"to"`
	Population int           `json:"population"`
	SampleSize int           `json:"sampleSize"`
	DrawnAt    time.Time     `json:"drawnAt"`
	DrawnBy    string        `json:"drawnBy"`
	SignedOff  *SignOff      `json:"signedOff"`
	Entries    []AccessEntry `json:"entries"`
}

// SignOff is the supervisor's sign-off of a review.
type SignOff struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note"`
}

// ReviewList is GET /api/v1/audit/reviews.
type ReviewList struct {
	Reviews []Review `json:"reviews"`
}

// SignOffRequest is POST /api/v1/audit/reviews/{reviewId}/sign-off.
type SignOffRequest struct {
	Note string `json:"note"`
}

// Alert says a user opened more cases within an hour than the limit.
type Alert struct {
	ID            int    `json:"id"`
	At            string `json:"at"`
	User          string `json:"user"`
	Role          string `json:"role"`
	Unit          string `json:"unit"`
	DistinctCases int    `json:"distinctCases"`
	LimitPerHour  int    `json:"limitPerHour"`
	TriggerSeq    int    `json:"triggerSeq"`
}

// AlertList is GET /api/v1/audit/alerts.
type AlertList struct {
	Alerts []Alert `json:"alerts"`
}

// Oversight is GET /api/v1/oversight (oversight): one unit ("" the token's), or all of the caller's
// units in a municipality.
func (cl *Client) Oversight(ctx context.Context, token, unit, municipality string) (Oversight, error) {
	var out Oversight
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/oversight", query: nonEmpty("unit", unit, "municipality", municipality), token: token}, &out)
	return out, err
}

// CaseAccessLog is GET /api/v1/cases/{caseId}/access-log (caseAccessLog): the rows after the chain
// position after (0: from the first).
func (cl *Client) CaseAccessLog(ctx context.Context, token, caseID string, after int) (AccessPage, error) {
	q := url.Values{}
	if after > 0 {
		q.Set("after", strconv.Itoa(after))
	}
	var out AccessPage
	err := cl.do(ctx, call{method: http.MethodGet, path: casePath(caseID, "access-log"), query: q, token: token}, &out)
	return out, err
}

// AccessReviews is GET /api/v1/audit/reviews (accessReviews): for a supervisor, draws the week's
// review if it has not been ("" the last complete week).
func (cl *Client) AccessReviews(ctx context.Context, token, week, unit string) (ReviewList, error) {
	var out ReviewList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/audit/reviews", query: nonEmpty("week", week, "unit", unit), token: token}, &out)
	return out, err
}

// SignOffReview is POST /api/v1/audit/reviews/{reviewId}/sign-off (signOffReview).
func (cl *Client) SignOffReview(ctx context.Context, token, reviewID string, req SignOffRequest) (Review, error) {
	var out Review
	err := cl.do(ctx, call{method: http.MethodPost, path: "/api/v1/audit/reviews/" + url.PathEscape(reviewID) + "/sign-off", token: token, body: req}, &out)
	return out, err
}

// AccessAlerts is GET /api/v1/audit/alerts (accessAlerts).
func (cl *Client) AccessAlerts(ctx context.Context, token, unit string) (AlertList, error) {
	var out AlertList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/audit/alerts", query: nonEmpty("unit", unit), token: token}, &out)
	return out, err
}

// AccessLogExportQuery is what the auditor's export covers: from and to as dates or RFC 3339 (""
// the API's default), the unit that accessed, json or csv.
type AccessLogExportQuery struct {
	From, To, Unit, Format string
}

// ExportAccessLog is GET /api/v1/audit/access-log (exportAccessLog), streamed.
func (cl *Client) ExportAccessLog(ctx context.Context, token string, q AccessLogExportQuery) (*Download, error) {
	query := nonEmpty("from", q.From, "to", q.To, "unit", q.Unit, "format", q.Format)
	return cl.download(ctx, call{method: http.MethodGet, path: "/api/v1/audit/access-log", query: query, token: token})
}

// ChildExtractQuery names the child: a personal number, or a reserve number and its municipality.
type ChildExtractQuery struct {
	PersonalNumber, ReserveNumber, Municipality, Format string
}

// ChildExtract is GET /api/v1/audit/child-extract (childExtract), streamed. The API takes the
// personal number in its query string only; the front end sends it there from a form's body, so
// it is in no address the browser shows, keeps or sends on (api/server.go logs routes, not paths).
func (cl *Client) ChildExtract(ctx context.Context, token string, q ChildExtractQuery) (*Download, error) {
	query := nonEmpty("personalNumber", q.PersonalNumber, "reserveNumber", q.ReserveNumber, "municipality", q.Municipality, "format", q.Format)
	return cl.download(ctx, call{method: http.MethodGet, path: "/api/v1/audit/child-extract", query: query, token: token})
}

// nonEmpty is a query of the name–value pairs whose value is not empty.
func nonEmpty(pairs ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	return q
}
