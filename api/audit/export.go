package audit

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/db"
)

// accessEntryJSON is an access-log row as the views and the export show it: every field the hash
// covers, spelt as it was hashed (the time in UTC to the microsecond), so an auditor can recompute
// each hash from the export alone (db.AccessRecord.ComputeHash says how).
type accessEntryJSON struct {
	Seq          int64  `json:"seq"`
	At           string `json:"at"`
	User         string `json:"user"`
	Role         string `json:"role"`
	Unit         string `json:"unit"`
	CaseID       string `json:"caseId"`
	ChildRef     string `json:"childRef"`
	Action       string `json:"action"`
	Outcome      string `json:"outcome"`
	Status       int    `json:"status"`
	ClientAddr   string `json:"clientAddr"`
	ForwardedFor string `json:"forwardedFor"`
	RequestID    string `json:"requestId"`
	PrevHash     string `json:"prevHash"`
	Hash         string `json:"hash"`
}

// auditTime is the access log's spelling of a time: UTC to the microsecond, as hashed.
func auditTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func entryJSON(r db.AccessRecord) accessEntryJSON {
	return accessEntryJSON{Seq: r.Seq, At: auditTime(r.At), User: r.User, Role: r.Role, Unit: r.Unit,
		CaseID: r.CaseID, ChildRef: r.ChildRef, Action: r.Action, Outcome: string(r.Outcome), Status: r.Status,
		ClientAddr: r.ClientAddr, ForwardedFor: r.ForwardedFor, RequestID: r.RequestID, PrevHash: r.PrevHash, Hash: r.Hash}
}

func accessEntries(rows []db.AccessRecord) []accessEntryJSON {
	out := make([]accessEntryJSON, len(rows))
	for i, r := range rows {
		out[i] = entryJSON(r)
	}
	return out
}

// accessWriter writes a streamed export. The response is under way when it writes, so a failed
// write can only end the stream early; the missing X-Export-Complete trailer then says so.
type accessWriter interface {
	begin()
	row(e accessEntryJSON)
	end()
}

// jsonAccessWriter writes {"entries":[…]}, one row at a time.
type jsonAccessWriter struct {
	c     *gin.Context
	count int
}

func (w *jsonAccessWriter) begin() { _, _ = w.c.Writer.WriteString(`{"entries":[`) }

func (w *jsonAccessWriter) row(e accessEntryJSON) {
	b, _ := json.Marshal(e) // a struct of strings and numbers always marshals
	if w.count > 0 {
		_, _ = w.c.Writer.WriteString(",")
	}
	w.count++
	_, _ = w.c.Writer.Write(b)
}

func (w *jsonAccessWriter) end() { _, _ = w.c.Writer.WriteString("]}") }

// csvAccessWriter writes RFC 4180 CSV with a header row of the JSON names.
type csvAccessWriter struct{ w *csv.Writer }

func (w *csvAccessWriter) begin() {
	_ = w.w.Write([]string{"seq", "at", "user", "role", "unit", "caseId", "childRef", "action", "outcome", "status",
		"clientAddr", "forwardedFor", "requestId", "prevHash", "hash"})
}

func (w *csvAccessWriter) row(e accessEntryJSON) {
	_ = w.w.Write([]string{strconv.FormatInt(e.Seq, 10), e.At, e.User, e.Role, e.Unit, e.CaseID, e.ChildRef, e.Action,
		e.Outcome, strconv.Itoa(e.Status), e.ClientAddr, e.ForwardedFor, e.RequestID, e.PrevHash, e.Hash})
}

func (w *csvAccessWriter) end() { w.w.Flush() }
