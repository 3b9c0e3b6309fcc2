package web

import (
	"errors"
	"net/http"
	"net/url"
)

// reviewsPage is Logguppföljning, the recurring check of the access log (HSLF-FS 2016:40 4 kap.
// 9 §): a supervisor's opening of it draws last week's sample of their unit's accesses if it has not
// been drawn (the API does, once), shows their reviews with the sampled rows, and lets them sign a
// review off with what they found. An auditor (admin) reads every unit's reviews without drawing.
// ?vecka= draws or shows an earlier week; ?enhet= narrows an auditor's list.
func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	f := &form{Values: q, Errors: map[string]string{}}
	s.renderReviews(w, r, sess, f, "", http.StatusOK)
}

// reviewFields are the page's fields by the API's names.
var reviewFields = map[string]formField{"week": {ID: "review-week", Label: "Vecka"}}

// renderReviews shows the reviews; problems on f are shown at the week's field, or at the note of
// the review failed (the one whose sign-off came back).
func (s *Server) renderReviews(w http.ResponseWriter, r *http.Request, sess *session, f *form, failed string, status int) {
	list, err := s.api.AccessReviews(r.Context(), sess.AccessToken, f.Value("vecka"), f.Value("enhet"))
	switch {
	case err == nil:
	case ProblemStatus(err) == http.StatusBadRequest:
		var p *Problem
		errors.As(err, &p)
		f.addProblem(p, reviewFields)
		status = http.StatusBadRequest
	default:
		s.readFailed(w, r, sess, err)
		return
	}
	p := reviewsPage{Form: f, Supervisor: sess.Role == "supervisor", Failed: failed}
	for _, rev := range list.Reviews {
		row := reviewRow{Review: rev, Unit: s.unitName(r.Context(), sess, rev.Unit), Period: formatDate(rev.From) + " – " + formatDate(rev.To.AddDate(0, 0, -1)),
			Drawn: formatDateTime(rev.DrawnAt), Table: accessTable{ID: "review-" + rev.ID + "-rows", Caption: "Urvalet, " + rev.Week,
				Rows: s.accessRows(r.Context(), sess, rev.Entries), WithCase: true}}
		if so := rev.SignedOff; so != nil {
			row.SignedAt = formatDateTime(so.At)
		}
		p.Reviews = append(p.Reviews, row)
	}
	if !p.Supervisor {
		units, err := s.directory(r.Context(), sess)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		p.Units = units
	}
	v := s.viewFor(r, sess, titled("Logguppföljning"), "logguppfoljning")
	v.Errors, v.Page = f.HasErrors(), p
	s.render(w, r, status, "reviews.html", v)
}

type reviewsPage struct {
	Form       *form
	Supervisor bool   // draws and signs off; an auditor only reads
	Failed     string // the review whose sign-off came back with a problem
	Reviews    []reviewRow
	Units      []Unit // an auditor's choice of unit
}

type reviewRow struct {
	Review
	Unit, Period, Drawn, SignedAt string
	Table                         accessTable
}

// signOffReview is POST /logguppfoljning/{reviewId}/signera: the supervisor signs the review off
// with their note, then sees the list again (POST, redirect, GET).
func (s *Server) signOffReview(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("reviewId")
	note := r.PostForm.Get("note")
	_, err := s.api.SignOffReview(r.Context(), sess.AccessToken, id, SignOffRequest{Note: note})
	if err == nil {
		back := url.Values{"klart": {"granskning-signerad"}}
		if week := r.PostForm.Get("vecka"); week != "" {
			back.Set("vecka", week)
		}
		http.Redirect(w, r, pathReviews+"?"+back.Encode()+"#granskning-"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	var p *Problem
	if !errors.As(err, &p) || p.Status != http.StatusBadRequest && p.Status != http.StatusConflict {
		s.apiFailed(w, r, sess, err)
		return
	}
	f := &form{Values: url.Values{"vecka": {r.PostForm.Get("vecka")}, "note": {note}}, Errors: map[string]string{}}
	f.addProblem(p, map[string]formField{"note": {ID: "note-" + id, Label: "Vad du fann"}})
	s.renderReviews(w, r, sess, f, id, p.Status)
}

// pageFlashes are the confirmations of the pages that are not case commands (flashes holds those).
var pageFlashes = map[string]string{
	"granskning-signerad": "Granskningen är signerad.",
}
