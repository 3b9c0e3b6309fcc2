package audit

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/cases"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// The views of the access log: the case's own log for the supervisor of its named person's unit,
// and for auditors (role admin) the export, the chain's verification, the extract per child for a
// guardian's request, and the alerts. None of them shows case content: the log holds identifiers
// only. Every view is itself an access and is logged (routes in auditRoutes).

// Routes registers the access log's views; each is audited like a case read.
func (s *Handlers) Routes(v1 *gin.RouterGroup) {
	v1.GET("/cases/:caseId/access-log", s.Log.Audited(accesslog.ReadAccessLog), s.caseAccessLog)
	a := v1.Group("/audit")
	a.GET("/access-log", s.Log.Audited(accesslog.ExportAccessLog), s.exportAccessLog)
	a.GET("/access-log/verification", s.Log.Audited(accesslog.VerifyAccessLog), s.verifyAccessLog)
	a.GET("/child-extract", s.Log.Audited(accesslog.ChildExtract), s.childExtract)
	a.GET("/alerts", s.Log.Audited(accesslog.ReadAlerts), s.accessAlerts)
	a.GET("/reviews", s.Log.Audited(accesslog.ReadReviews), s.accessReviews)
	a.POST("/reviews/:reviewId/sign-off", s.Log.Audited(accesslog.SignOffReview), s.signOffReview)
}

var errAuditorsOnly = httpkit.Status(http.StatusForbidden, "endast för granskare (rollen admin)")

// caseAccessLog is who accessed the case, for the supervisor of its named person's unit: the
// supervisor answers for the unit's handling of the case (docs/process.md §1). Anyone else gets 404, as
// for the case itself. The unit comes from the read model, so the log of a closed or superseded
// case stays readable; a case the projection has not reached yet is looked up live.
func (s *Handlers) caseAccessLog(c *gin.Context) {
	caseID := c.Param("caseId")
	who := httpkit.Caller(c)
	if casework.Role(who.Role) != casework.RoleSupervisor {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	unit, err := s.namedPersonUnitOf(c, caseID)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	if unit != who.Unit {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	after, err := queryInt(c, "after")
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	rows, err := s.DB.AccessLog(c.Request.Context(), db.AccessFilter{CaseID: caseID, AfterSeq: after, Limit: db.MaxAccessPage})
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	page := accessPageJSON{CaseID: caseID, Entries: accessEntries(rows)}
	if len(rows) == db.MaxAccessPage {
		page.Next = &rows[len(rows)-1].Seq
	}
	c.JSON(http.StatusOK, page)
}

type accessPageJSON struct {
	CaseID  string            `json:"caseId"`
	Entries []accessEntryJSON `json:"entries"`
	Next    *int64            `json:"next,omitempty"` // pass as ?after= for the next page
}

// namedPersonUnitOf is the case's named person's unit, or httpkit.ErrNotFound.
func (s *Handlers) namedPersonUnitOf(c *gin.Context, caseID string) (string, error) {
	row, err := s.DB.Case(c.Request.Context(), caseID)
	switch {
	case err == nil:
		return row.NamedPersonUnitID, nil
	case !errors.Is(err, db.ErrNotFound):
		return "", err
	}
	_, state, err := cases.Load(c, cases.Source{Temporal: s.Temporal, DB: s.DB, Codec: s.Codec})
	if err != nil {
		return "", err
	}
	if state.NamedPersonUnit == nil {
		return "", httpkit.ErrNotFound
	}
	return state.NamedPersonUnit.ID, nil
}

// exportAccessLog is the auditor's export: ?from=&to= (RFC 3339, or a date in Swedish time; the
// last 30 days when absent), ?unit= (the unit that accessed), ?format=json (default) or csv. It
// streams, so a year of a municipality's log needs no memory; the trailer X-Export-Complete: true
// tells a client that it got every row.
func (s *Handlers) exportAccessLog(c *gin.Context) {
	if casework.Role(httpkit.Caller(c).Role) != casework.RoleAdmin {
		httpkit.WriteError(c, errAuditorsOnly)
		return
	}
	v := &casework.ValidationError{}
	to := queryTime(v, c, "to", s.Now(), true)
	from := queryTime(v, c, "from", to.AddDate(0, 0, -30), false)
	if !from.Before(to) {
		v.Add("from", "ska ligga före to")
	}
	format := exportFormat(v, c)
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	f := db.AccessFilter{From: from, To: to, Unit: c.Query("unit")}
	s.streamAccessLog(c, f, format, "access-log_"+from.UTC().Format("20060102T150405Z")+"_"+to.UTC().Format("20060102T150405Z"))
}

// childExtract is every row about one child's cases, for a guardian's request for the log (the
// right to know who accessed the records, Patientdatalagen 8 kap. 1 §; GDPR art. 15): by
// ?personalNumber=, or ?reserveNumber= with ?municipality=. The identity is turned into the child's
// pseudonym as the API does when a concern arrives; it is neither stored nor logged.
func (s *Handlers) childExtract(c *gin.Context) {
	if casework.Role(httpkit.Caller(c).Role) != casework.RoleAdmin {
		httpkit.WriteError(c, errAuditorsOnly)
		return
	}
	v := &casework.ValidationError{}
	identity := ""
	switch pn, rn := c.Query("personalNumber"), c.Query("reserveNumber"); {
	case pn != "":
		p, err := casework.ParsePersonalNumber(pn, s.Now())
		if err != nil {
			v.Add("personalNumber", err.Error())
		}
		identity = p.Digits()
	case rn != "" && c.Query("municipality") != "":
		identity = "reserve:" + c.Query("municipality") + ":" + strings.ToUpper(rn)
	default:
		v.Add("personalNumber", "ange personnummer, eller reservnummer och kommun")
	}
	part := c.DefaultQuery("part", "access")
	var format string
	switch part {
	case "access":
		format = exportFormat(v, c)
	case "cases":
		format = caseFilesFormat(v, c)
	default:
		v.Add("part", "ska vara access eller cases")
	}
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	ref := casework.ChildPseudonym(s.PseudonymKey, identity)
	accesslog.SetChild(c, ref)
	if part == "cases" {
		s.childCaseFiles(c, ref, format) // child_files.go
		return
	}
	s.streamAccessLog(c, db.AccessFilter{ChildRef: ref}, format, "child-extract_"+ref)
}

// streamAccessLog logs the request, then writes the rows page by page as JSON or CSV.
func (s *Handlers) streamAccessLog(c *gin.Context, f db.AccessFilter, format, name string) {
	if err := s.Log.RecordNow(c, http.StatusOK); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	// The headers may still be set: gin sends them with the first byte of the body, not at
	// WriteHeader, and the trailer must be announced before then.
	h := c.Writer.Header()
	h.Set("Trailer", "X-Export-Complete")
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	var w accessWriter = &jsonAccessWriter{c: c}
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		w = &csvAccessWriter{w: csv.NewWriter(c.Writer)}
	} else {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.begin()
	for {
		rows, err := s.DB.AccessLog(c.Request.Context(), f)
		if err != nil {
			// The status is sent; the missing trailer is what tells the client.
			s.Logger.Error("access log export broke off", "requestId", httpkit.RequestID(c), "error", err)
			return
		}
		for _, r := range rows {
			w.row(entryJSON(r))
		}
		if len(rows) < db.MaxAccessPage {
			break
		}
		f.AfterSeq = rows[len(rows)-1].Seq
	}
	w.end()
	h.Set("X-Export-Complete", "true")
}

// verifyAccessLog runs VerifyChain for the auditor: ?from=&to= are chain positions (seq), both
// optional.
func (s *Handlers) verifyAccessLog(c *gin.Context) {
	if casework.Role(httpkit.Caller(c).Role) != casework.RoleAdmin {
		httpkit.WriteError(c, errAuditorsOnly)
		return
	}
	from, err := queryInt(c, "from")
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	to, err := queryInt(c, "to")
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	rep, err := s.DB.VerifyChain(c.Request.Context(), from, to)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	out := chainReportJSON{From: rep.From, To: rep.To, Checked: rep.Checked, OK: rep.OK(), Breaks: []chainBreakJSON{}}
	for _, b := range rep.Breaks {
		out.Breaks = append(out.Breaks, chainBreakJSON{Seq: b.Seq, Reason: b.Reason})
	}
	c.JSON(http.StatusOK, out)
}

type chainReportJSON struct {
	From    int64            `json:"from"`
	To      int64            `json:"to"`
	Checked int64            `json:"checked"`
	OK      bool             `json:"ok"`
	Breaks  []chainBreakJSON `json:"breaks"`
}

type chainBreakJSON struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// accessAlerts lists the alerts: all of them for an auditor (?unit= narrows), the own unit's for a
// supervisor, who answers for the staff's use of their access.
func (s *Handlers) accessAlerts(c *gin.Context) {
	who := httpkit.Caller(c)
	unit := c.Query("unit")
	switch casework.Role(who.Role) {
	case casework.RoleAdmin:
	case casework.RoleSupervisor:
		unit = who.Unit
	default:
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "endast för chefer och granskare"))
		return
	}
	alerts, err := s.DB.AccessAlerts(c.Request.Context(), unit, 0)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	out := alertsJSON{Alerts: make([]alertJSON, len(alerts))}
	for i, a := range alerts {
		out.Alerts[i] = alertJSON{ID: a.ID, At: auditTime(a.At), User: a.User, Role: a.Role, Unit: a.Unit,
			DistinctCases: a.DistinctCases, LimitPerHour: a.LimitPerHour, TriggerSeq: a.TriggerSeq}
	}
	c.JSON(http.StatusOK, out)
}

type alertsJSON struct {
	Alerts []alertJSON `json:"alerts"`
}

type alertJSON struct {
	ID            int64  `json:"id"`
	At            string `json:"at"`
	User          string `json:"user"`
	Role          string `json:"role"`
	Unit          string `json:"unit"`
	DistinctCases int    `json:"distinctCases"`
	LimitPerHour  int    `json:"limitPerHour"`
	TriggerSeq    int64  `json:"triggerSeq"`
}

// queryInt reads an optional non-negative integer query parameter; absent is 0.
func queryInt(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, httpkit.FieldProblem(name, "ska vara ett heltal, 0 eller större")
	}
	return n, nil
}

// queryTime reads a time as RFC 3339, or as a date in Swedish time: its midnight, or for an end
// (to) the next midnight, so that to=2026-11-30 includes the whole of that day.
func queryTime(v *casework.ValidationError, c *gin.Context, name string, def time.Time, end bool) time.Time {
	s := c.Query(name)
	if s == "" {
		return def
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	d, err := time.ParseInLocation(time.DateOnly, s, casework.Stockholm)
	if err != nil {
		v.Add(name, "ska vara en tidpunkt enligt RFC 3339 eller ett datum, t.ex. 2026-11-26")
		return def
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func exportFormat(v *casework.ValidationError, c *gin.Context) string {
	f := c.DefaultQuery("format", "json")
	if f != "json" && f != "csv" {
		v.Add("format", "ska vara json eller csv")
	}
	return f
}
