package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
)

// commandLabels name every command the API may offer in a case's `actions`, as its button reads
// (klarspråk: a verb first).
var commandLabels = map[string]string{
	"acknowledge":          "Ta emot ärendet",
	"delegate":             "Utse kollega att kartlägga",
	"harmReport":           "Registrera orosanmälan till socialtjänsten",
	"assessment":           "Kartlägg barnets situation",
	"completeAssessment":   "Avsluta kartläggningen",
	"consent":              "Registrera samtycke",
	"revokeConsent":        "Registrera återkallat samtycke",
	"summons":              "Kalla till samverkansmöte",
	"answerInvitation":     "Svara på kallelsen",
	"meeting":              "Registrera samverkansmötet",
	"appointCoordinator":   "Utse samordnare",
	"proposePlan":          "Föreslå plan (SIP)",
	"approvePlan":          "Registrera godkännande av planen",
	"followUp":             "Följ upp planen",
	"reportDeviation":      "Rapportera avvikelse",
	"handleDeviation":      "Hantera avvikelse",
	"raiseDisagreement":    "Anmäl oenighet",
	"decideDisagreement":   "Registrera beslut om oenighet",
	"escalateDisagreement": "Lyft oenigheten vidare",
	"placement":            "Registrera placering",
	"healthExamination":    "Registrera hälsoundersökning",
	"costDistribution":     "Registrera kostnadsfördelning",
	"handover":             "Lämna över ärendet",
	"close":                "Avsluta ärendet",
	"reopen":               "Öppna ärendet igen",
}

// commandForm is one form that posts one case command. Every command form is one of these, its
// template, and its client method (README.md, "Adding a form"): the GET and POST handlers below are
// shared, so a form says only what is its own.
type commandForm struct {
	Command  string // the API's command ID in `actions` ("acknowledge")
	Path     string // the form's address under the case: /arenden/{caseId}/<Path>
	Template string // its page in templates/
	// Done is the confirmation the case's page shows after it (a key of flashes).
	Done string
	// Fields names, for each JSON path of the command's body, the form's field and its label, so
	// that the API's 400 is shown at the right field.
	Fields map[string]formField
	// Send reads the posted form and sends the command with the form's Idempotency-Key. Problems it
	// finds itself go on the form, and it returns errInvalid; the API's *Problem is returned as it is.
	Send func(ctx context.Context, api *Client, token, caseID string, f *form) error
}

// commandForms are the forms there are. The case's page shows a button for each action the API
// offers that has a form here.
var commandForms = []commandForm{acknowledgeForm, delegateForm, answerInvitationForm}

func formFor(command string) (commandForm, bool) {
	i := slices.IndexFunc(commandForms, func(f commandForm) bool { return f.Command == command })
	if i < 0 {
		return commandForm{}, false
	}
	return commandForms[i], true
}

type commandPage struct {
	Case    Case
	Label   string
	Form    *form
	Offered bool // the API offers the command now (or says nothing of actions yet)
}

// commandForm is GET of a command's form.
func (s *Server) commandForm(f commandForm) handler {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		c, err := s.api.Case(r.Context(), sess.AccessToken, r.PathValue("caseId"))
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		fm := newForm(sess)
		if draft, ok := sess.takeDraft(r.URL.Path); ok {
			fm.Values, fm.Restored = draft, true
			if k := draft.Get(fieldIdempotencyKey); validToken(k) {
				fm.IdempotencyKey = k
			}
			_ = s.sessions.save(r.Context(), w, sess)
		}
		s.renderCommand(w, r, sess, f, c, fm, http.StatusOK)
	}
}

// commandPost sends the command and, when the API took it, goes back to the case (POST, redirect,
// GET: a reload does not send it again, and a resend would carry the same key anyway).
func (s *Server) commandPost(f commandForm) handler {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		caseID := r.PathValue("caseId")
		fm := postedForm(r, sess)
		err := f.Send(r.Context(), s.api, sess.AccessToken, caseID, fm)
		if err == nil {
			http.Redirect(w, r, casePage(caseID)+"?klart="+f.Done, http.StatusSeeOther)
			return
		}
		var p *Problem
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, errInvalid):
		case errors.As(err, &p) && (p.Status == http.StatusBadRequest || p.Status == http.StatusConflict ||
			p.Status == http.StatusForbidden || p.Status == http.StatusUnprocessableEntity):
			fm.addProblem(p, f.Fields)
			status = p.Status
		default:
			s.apiFailed(w, r, sess, err)
			return
		}
		c, err := s.api.Case(r.Context(), sess.AccessToken, caseID)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		s.renderCommand(w, r, sess, f, c, fm, status)
	}
}

func (s *Server) renderCommand(w http.ResponseWriter, r *http.Request, sess *session, f commandForm, c Case, fm *form, status int) {
	label := commandLabels[f.Command]
	v := s.viewFor(r, sess, titled(label, "Ärende "+c.CaseID), "")
	v.Errors = fm.HasErrors()
	offered := c.Actions == nil || slices.ContainsFunc(c.Actions, func(a Action) bool { return a.Command == f.Command })
	v.Page = commandPage{Case: c, Label: label, Form: fm, Offered: offered}
	s.render(w, r, status, f.Template, v)
}
