// Package accesslog writes the access log of every request that touches a case's data (db's
// hash-chained access_log), before the request's answer leaves. The views of the log are api/audit.
package accesslog

import (
	"bytes"
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// The access log (db/accesslog.go; Patientdatalagen 4 kap. 3 §, HSLF-FS 2016:40 4 kap. 9 §): every
// authenticated request that touches a case's data writes one row – who (the token's user, role and
// unit), which case, what, the outcome with the final HTTP status, from where, the request ID –
// allowed, denied and failed alike. A route opts in with the Audited middleware; handlers refine the
// row with Refine (the case a concern landed in, the command's update name).
//
// The row is written before the response leaves: the middleware holds the handler's response, writes
// the row with its status, and only then sends it. When the row cannot be written the client gets
// 503 and none of what the handler produced – for reads too, because a read that is not logged
// must not happen. For a command the workflow may already have applied it: its history records the
// command and its actor, and a retry with the same Idempotency-Key returns the first outcome and is
// logged. Requests without a valid token never get this far (authenticate answers 401 first) and are
// not logged here: they reach no case, and logging them would let anyone fill the chain.

// Actions, as the access log names them.
const (
	ReadCase        = "read_case"
	RegisterConcern = "register_concern"
	Command         = "command" // refined to command:<UpdateName> by the command's handler
	// List is a read of a list or an inbox: one row per request without a case, since a list shows
	// the read model's identifiers and deadlines, not a case's content; one row per listed case
	// would multiply writes to the serialised chain by the page size, swamp each case's log with
	// entries that are not openings, and set off the opened-cases alert for browsing.
	List            = "list"
	ReadAccessLog   = "read_access_log"
	ExportAccessLog = "export_access_log"
	VerifyAccessLog = "verify_access_log"
	ChildExtract    = "child_extract"
	ReadAlerts      = "read_access_alerts"
	ReadReviews     = "read_access_reviews"
	SignOffReview   = "sign_off_access_review"
	// ReadTimeline: reading the case's history is reading the case.
	ReadTimeline = "read_timeline"
	// Oversight is a read of the oversight: like a list, one row per request without a case.
	Oversight = "oversight"
	// LegalHold is an admin placing or lifting a legal hold on an archived case (issue 13).
	LegalHold = "legal_hold"
)

// Log writes the rows.
type Log struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// AlertPerHour is how many distinct cases one user may open within an hour before an access
	// alert is written; 0 means defaultAlertPerHour.
	AlertPerHour int
}

// defaultAlertPerHour applies when Log.AlertPerHour is 0, as in tests that build a server by hand;
// cmd passes SAMVERKAN_ACCESS_ALERT_PER_HOUR, whose default is the same.
const defaultAlertPerHour = 30

const auditKey = "audit"

// auditRecord is the row a request will write, filled in as the request goes.
type auditRecord struct {
	action   string
	caseID   string
	asked    string // a malformed case ID as the path gave it, escaped and truncated
	childRef string
	written  bool // recordNow wrote it ahead of a streamed response
}

// setCase names the case. An ID that is not well-formed names none, but the row still says what
// was asked for (an auditor looks for guessing), quoted in ASCII and cut at 64 characters so the
// path cannot forge a row's look or fill the log; it goes into the access log only, never into
// the server's log (CaseOf), since it may be anything a user typed – a name, a personal number.
func (r *auditRecord) setCase(caseID string) {
	if pseudonym, ok := casework.CasePseudonym(caseID); ok {
		r.caseID, r.childRef, r.asked = caseID, pseudonym, ""
	} else if caseID != "" && r.caseID == "" {
		r.asked = malformedCase(caseID)
	}
}

// maxAskedRunes bounds the malformed case ID a row keeps.
const maxAskedRunes = 64

func malformedCase(id string) string {
	runes := []rune(id)
	if len(runes) <= maxAskedRunes {
		return "malformed:" + strconv.QuoteToASCII(id)
	}
	q := strconv.QuoteToASCII(string(runes[:maxAskedRunes]))
	return "malformed:" + q[:len(q)-1] + "…\""
}

// Refine is the hook a handler calls to refine its row: the case it touched (when the path did not
// name it) and a more precise action. Empty arguments leave the row as it is.
func Refine(c *gin.Context, caseID, action string) {
	rec := auditOf(c)
	if rec == nil {
		return
	}
	if caseID != "" {
		rec.setCase(caseID)
	}
	if action != "" {
		rec.action = action
	}
}

// SetChild names the child of a request that concerns a child rather than one case.
func SetChild(c *gin.Context, childRef string) {
	if rec := auditOf(c); rec != nil {
		rec.childRef = childRef
	}
}

// auditOf is the request's row, or nil on a route that is not audited.
func auditOf(c *gin.Context) *auditRecord {
	v, _ := c.Get(auditKey)
	rec, _ := v.(*auditRecord)
	return rec
}

// CaseOf is the case the request touched, as its row names it (a well-formed case ID, which is a
// pseudonym, never the child's data), or "".
func CaseOf(c *gin.Context) string {
	if rec := auditOf(c); rec != nil {
		return rec.caseID
	}
	return ""
}

// Audited is the middleware of a route that touches a case's data: one row per request, written
// with the final status before the response is sent.
func (l *Log) Audited(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		rec := &auditRecord{action: action}
		rec.setCase(c.Param("caseId"))
		c.Set(auditKey, rec)
		real := c.Writer
		held := &heldResponse{ResponseWriter: real, status: http.StatusOK}
		c.Writer = held
		defer func() {
			c.Writer = real
			if p := recover(); p != nil {
				// The recover middleware answers 500 without the handler's output; log the attempt.
				_ = l.writeAudit(c, rec, http.StatusInternalServerError)
				panic(p)
			}
		}()
		c.Next()
		c.Writer = real
		if rec.written || held.through {
			return
		}
		if err := l.writeAudit(c, rec, held.status); err != nil {
			l.Logger.Error("access log unavailable: request refused", "requestId", httpkit.RequestID(c), "route", c.FullPath(), "error", err)
			for k := range real.Header() {
				if k != "X-Request-Id" {
					real.Header().Del(k)
				}
			}
			httpkit.WriteError(c, errUnavailable)
			return
		}
		real.WriteHeader(held.status)
		_, _ = real.Write(held.body.Bytes())
	}
}

var errUnavailable = httpkit.Status(http.StatusServiceUnavailable, "åtkomstloggen kan inte skrivas just nu; försök igen om en stund")

// RecordNow writes the row at once with the given status and lets the rest of the response through
// unheld: for a streamed answer (the auditor's export), which may be too large to hold. The row says
// the request was allowed; a stream that breaks off afterwards is in the server's log.
func (l *Log) RecordNow(c *gin.Context, status int) error {
	rec := auditOf(c)
	held, ok := c.Writer.(*heldResponse)
	if rec == nil || !ok {
		return nil
	}
	if err := l.writeAudit(c, rec, status); err != nil {
		l.Logger.Error("access log unavailable: request refused", "requestId", httpkit.RequestID(c), "route", c.FullPath(), "error", err)
		return errUnavailable
	}
	rec.written = true
	held.release(status)
	return nil
}

// RecordCase writes a row of its own for one case a request touched, beside the request's row: for
// a request that may touch many cases, such as the codec endpoint's decoding of a page of history
// (api/codec_access.go), where each case read must be in that case's log.
func (l *Log) RecordCase(c *gin.Context, caseID, action string, status int) error {
	rec := &auditRecord{action: action}
	rec.setCase(caseID)
	if err := l.writeAudit(c, rec, status); err != nil {
		l.Logger.Error("access log unavailable: request refused", "requestId", httpkit.RequestID(c), "route", c.FullPath(), "error", err)
		return errUnavailable
	}
	return nil
}

// writeAudit appends the row. It does not stop when the client goes away: an access that happened
// is logged whether or not anyone still listens.
func (l *Log) writeAudit(c *gin.Context, rec *auditRecord, status int) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 10*time.Second)
	defer cancel()
	who := httpkit.Caller(c)
	limit := l.AlertPerHour
	if limit == 0 {
		limit = defaultAlertPerHour
	}
	fwd := c.GetHeader("X-Forwarded-For")
	if len(fwd) > 200 {
		fwd = fwd[:200]
	}
	_, alert, err := l.DB.AppendAccess(ctx, db.AccessEntry{
		At: l.Now(), User: who.User, Role: who.Role, Unit: who.Unit, CaseID: cmp.Or(rec.caseID, rec.asked), ChildRef: rec.childRef,
		Action: rec.action, Outcome: db.OutcomeOf(status), Status: status,
		ClientAddr: c.RemoteIP(), ForwardedFor: fwd, RequestID: httpkit.RequestID(c),
	}, limit)
	if alert != nil {
		l.Logger.Warn("access alert: a user opened many cases within an hour", "alertId", alert.ID,
			"user", alert.User, "unit", alert.Unit, "distinctCases", alert.DistinctCases, "limit", alert.LimitPerHour)
	}
	return err
}

// heldResponse keeps a handler's status and body until the access-log row is written. Headers go to
// the real writer's map at once (they are not sent before WriteHeader), so Location, Content-Type
// and the like need no copying.
type heldResponse struct {
	gin.ResponseWriter
	status  int
	body    bytes.Buffer
	through bool // released: everything goes straight to the real writer
}

func (w *heldResponse) WriteHeader(code int) {
	if w.through {
		w.ResponseWriter.WriteHeader(code)
	} else if code > 0 {
		w.status = code
	}
}

func (w *heldResponse) WriteHeaderNow() {
	if w.through {
		w.ResponseWriter.WriteHeaderNow()
	}
}

func (w *heldResponse) Write(b []byte) (int, error) {
	if w.through {
		return w.ResponseWriter.Write(b)
	}
	return w.body.Write(b)
}

func (w *heldResponse) WriteString(s string) (int, error) {
	if w.through {
		return w.ResponseWriter.WriteString(s)
	}
	return w.body.WriteString(s)
}

func (w *heldResponse) Status() int {
	if w.through {
		return w.ResponseWriter.Status()
	}
	return w.status
}

// Size and Written follow gin's meaning: -1 and false until something is written.
func (w *heldResponse) Size() int {
	if w.through {
		return w.ResponseWriter.Size()
	}
	if w.body.Len() == 0 {
		return -1
	}
	return w.body.Len()
}

func (w *heldResponse) Written() bool {
	if w.through {
		return w.ResponseWriter.Written()
	}
	return w.body.Len() > 0
}

func (w *heldResponse) Flush() {
	if w.through {
		w.ResponseWriter.Flush()
	}
}

// release sends what is held with status and passes everything after it through.
func (w *heldResponse) release(status int) {
	w.through = true
	w.ResponseWriter.WriteHeader(status)
	if w.body.Len() > 0 {
		_, _ = w.ResponseWriter.Write(w.body.Bytes())
		w.body.Reset()
	}
}
