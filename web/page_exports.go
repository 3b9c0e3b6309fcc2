package web

import (
	"errors"
	"io"
	"net/http"
)

// The auditor's downloads of the access log: the export (a period, optionally one unit's accesses)
// and a child's extract for a guardian's request (Patientdatalagen 8 kap. 1 §; GDPR art. 15). Both
// are forms posted with the session's CSRF token, and the answer to the post is the file, passed on
// from the API as it streams. The child's personal number travels only in the form's body – never
// in an address, a title or a log line of the front end.

const (
	exportTemplate  = "access_export.html"
	extractTemplate = "child_extract.html"
)

var exportFields = map[string]formField{
	"from": {ID: "export-from", Label: "Från och med"}, "to": {ID: "export-to", Label: "Till och med"},
	"unit": {ID: "export-unit", Label: "Enhet"}, "format": {ID: "export-format", Label: "Filformat"},
}

var extractFields = map[string]formField{
	"personalNumber": {ID: "extract-pnr", Label: "Barnets personnummer"}, "reserveNumber": {ID: "extract-reserve", Label: "Reservnummer"},
	"municipality": {ID: "extract-municipality", Label: "Kommun"}, "format": {ID: "extract-format", Label: "Filformat"},
}

type exportPage struct {
	Form           *form
	FormatID       string // the file format's field
	Dates          []dateInput
	Units          []Unit
	Municipalities []choice
}

type dateInput struct{ ID, Name, Label, Hint string }

// exportDates are the export's period.
var exportDates = []dateInput{
	{"export-from", "from", "Från och med", "ÅÅÅÅ-MM-DD. Lämna tomt för 30 dagar före slutdatumet."},
	{"export-to", "to", "Till och med", "ÅÅÅÅ-MM-DD. Lämna tomt för i dag."},
}

// accessExportForm is GET /atkomstlogg: the export's form, for auditors.
func (s *Server) accessExportForm(w http.ResponseWriter, r *http.Request, sess *session) {
	s.exportForm(w, r, sess, exportTemplate, "Åtkomstlogg", http.StatusOK)
}

// childExtractForm is GET /atkomstlogg/barn: the child extract's form, for auditors.
func (s *Server) childExtractForm(w http.ResponseWriter, r *http.Request, sess *session) {
	s.exportForm(w, r, sess, extractTemplate, "Utdrag ur åtkomstloggen för ett barn", http.StatusOK)
}

// exportForm shows an export's form, with what was typed before a new login when the session had
// ended.
func (s *Server) exportForm(w http.ResponseWriter, r *http.Request, sess *session, page, title string, status int) {
	f := newForm(sess)
	if draft, ok := sess.takeDraft(r.URL.Path); ok {
		f.Values, f.Restored = draft, true
		_ = s.sessions.save(r.Context(), w, sess)
	}
	s.renderExport(w, r, sess, f, page, title, status)
}

func (s *Server) renderExport(w http.ResponseWriter, r *http.Request, sess *session, f *form, page, title string, status int) {
	units, err := s.directory(r.Context(), sess)
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	v := s.viewFor(r, sess, titled(title), "atkomstlogg")
	p := exportPage{Form: f, FormatID: "extract-format", Units: units, Municipalities: municipalityChoices(units)}
	if page == exportTemplate {
		p.FormatID, p.Dates = "export-format", exportDates
	}
	v.Errors, v.Page = f.HasErrors(), p
	s.render(w, r, status, page, v)
}

// accessExportPost is POST /atkomstlogg: the export, or the form with the API's problems.
func (s *Server) accessExportPost(w http.ResponseWriter, r *http.Request, sess *session) {
	f := postedForm(r, sess)
	d, err := s.api.ExportAccessLog(r.Context(), sess.AccessToken, AccessLogExportQuery{From: f.Value("from"), To: f.Value("to"),
		Unit: f.Value("unit"), Format: f.Value("format")})
	s.downloadOrForm(w, r, sess, f, d, err, exportFields, exportTemplate, "Åtkomstlogg")
}

// childExtractPost is POST /atkomstlogg/barn: the child's extract, or the form with the API's problems.
func (s *Server) childExtractPost(w http.ResponseWriter, r *http.Request, sess *session) {
	f := postedForm(r, sess)
	d, err := s.api.ChildExtract(r.Context(), sess.AccessToken, ChildExtractQuery{PersonalNumber: f.Value("pnr"),
		ReserveNumber: f.Value("reserve"), Municipality: f.Value("municipality"), Format: f.Value("format")})
	s.downloadOrForm(w, r, sess, f, d, err, extractFields, extractTemplate, "Utdrag ur åtkomstloggen för ett barn")
}

func (s *Server) downloadOrForm(w http.ResponseWriter, r *http.Request, sess *session, f *form, d *Download, err error,
	fields map[string]formField, page, title string) {
	var p *Problem
	switch {
	case err == nil:
		s.sendDownload(w, r, d)
	case errors.As(err, &p) && p.Status == http.StatusBadRequest:
		f.addProblem(p, fields)
		s.renderExport(w, r, sess, f, page, title, http.StatusBadRequest)
	default:
		s.readFailed(w, r, sess, err)
	}
}

// sendDownload passes a file of the API on to the browser as it arrives. A file the API did not
// send whole (an export whose stream broke off lacks its completeness trailer) must not look whole
// in the browser: the connection is then cut before the end, so the browser reports the download
// as failed rather than keeping a file with rows missing.
func (s *Server) sendDownload(w http.ResponseWriter, r *http.Request, d *Download) {
	defer d.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", d.Disposition)
	w.WriteHeader(http.StatusOK)
	_, err := io.Copy(w, d.Body())
	if err == nil && d.Complete() {
		return
	}
	s.log.Error("download broke off", "path", r.URL.Path, "error", err)
	panic(http.ErrAbortHandler)
}
