package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
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
	// errShowAgain: nothing was sent, the form is to be shown again (a row added, answers to check).
	Send func(ctx context.Context, api *Client, token, caseID string, f *form) error

	// The rest is for the forms that need more than fields; nil is nothing.

	// About is set for a command about one of several things in the case – the plan's version
	// awaiting approval, a deviation, a disagreement – and says which in words. The form's address
	// then ends in the thing's ID (f.Target), as the API's path does.
	About func(c Case, target string) string
	// FieldAt names the form's field for a JSON path of the API's problem, where Fields cannot: a
	// form with rows shows "interventions[1].extent" at the second row.
	FieldAt func(path string) (formField, bool)
	// Page is what the template needs besides the case and the form (the directory's units, rows).
	Page func(ctx context.Context, s *Server, sess *session, c Case, f *form) (any, error)
	// Choices, when set, reads what the form offers to pick from – the directory's units, the
	// case's agencies – so that nobody types an ID; the template finds it as .Page.Choices. It is read
	// before Prefill, which may use it.
	Choices func(ctx context.Context, s *Server, sess *session, c Case) (any, error)
	// Prefill, when set, fills the form from the case (and the choices) when it is first shown: a
	// command that replaces what was saved before – the assessment – starts from what was saved, a
	// revision of the plan from the plan in force.
	Prefill func(c Case, choices any, f *form)
}

// commandForms are the forms there are. The case's page shows a button for each action the API
// offers that has a form here.
var commandForms = []commandForm{
	acknowledgeForm, delegateForm,
	harmReportForm, assessmentForm, completionForm,
	consentForm, revocationForm, summonsForm, meetingForm, coordinatorForm,
	proposePlanForm, approvePlanForm, followUpForm, reportDeviationForm, handleDeviationForm,
	raiseDisagreementForm, decideDisagreementForm, escalateDisagreementForm,
	placementForm, healthExaminationForm, costDistributionForm,
	handoverForm, closeForm, reopenForm,
	answerInvitationForm,
}

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
	Offered bool   // the API offers the command now (or says nothing of actions yet)
	About   string // which thing in the case the command is about, in words (commandForm.About)
	Choices any    // commandForm.Choices
	Data    any    // commandForm.Page's
}

// errShowAgain says Send sent nothing and the form is to be shown again, without errors.
var errShowAgain = errors.New("show the form again")

// commandForm is GET of a command's form.
func (s *Server) commandForm(f commandForm) handler {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		c, err := s.api.Case(r.Context(), sess.AccessToken, r.PathValue("caseId"))
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		choices, err := s.commandChoices(r.Context(), sess, f, c)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		fm := newForm(sess)
		fm.Target = r.PathValue("target")
		if draft, ok := sess.takeDraft(r.URL.Path); ok {
			fm.Values, fm.Restored = draft, true
			if k := draft.Get(fieldIdempotencyKey); validToken(k) {
				fm.IdempotencyKey = k
			}
			_ = s.sessions.save(r.Context(), w, sess)
		} else if f.Prefill != nil {
			f.Prefill(c, choices, fm)
		}
		s.renderCommand(w, r, sess, f, c, fm, choices, http.StatusOK)
	}
}

// commandPost sends the command and, when the API took it, goes back to the case (POST, redirect,
// GET: a reload does not send it again, and a resend would carry the same key anyway).
func (s *Server) commandPost(f commandForm) handler {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		caseID := r.PathValue("caseId")
		fm := postedForm(r, sess)
		fm.Target = r.PathValue("target")
		err := f.Send(r.Context(), s.api, sess.AccessToken, caseID, fm)
		if err == nil {
			next := casePage(caseID) + "?klart=" + f.Done
			if fm.Next != "" {
				next = fm.Next
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		var p *Problem
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, errShowAgain):
			status = http.StatusOK
		case errors.Is(err, errInvalid):
		case errors.As(err, &p) && (p.Status == http.StatusBadRequest || p.Status == http.StatusConflict ||
			p.Status == http.StatusForbidden || p.Status == http.StatusUnprocessableEntity):
			if f.FieldAt != nil {
				fm.addProblemAt(p, f.FieldAt)
			} else {
				fm.addProblem(p, f.Fields)
			}
			status = p.Status
		default:
			p, later := tryAgainLater(err)
			if !later {
				s.apiFailed(w, r, sess, err)
				return
			}
			fm.keepForLater(p)
			status = p.Status
		}
		c, err := s.api.Case(r.Context(), sess.AccessToken, caseID)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		choices, err := s.commandChoices(r.Context(), sess, f, c)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		s.renderCommand(w, r, sess, f, c, fm, choices, status)
	}
}

func (s *Server) commandChoices(ctx context.Context, sess *session, f commandForm, c Case) (any, error) {
	if f.Choices == nil {
		return nil, nil
	}
	return f.Choices(ctx, s, sess, c)
}

func (s *Server) renderCommand(w http.ResponseWriter, r *http.Request, sess *session, f commandForm, c Case, fm *form, choices any, status int) {
	label := commandLabels[f.Command]
	v := s.viewFor(r, sess, titled(label, "Ärende "+c.CaseID), "")
	v.Errors = fm.HasErrors()
	page := commandPage{Case: c, Label: label, Form: fm, Offered: offers(c, f, fm.Target), Choices: choices}
	if f.About != nil {
		page.About = f.About(c, fm.Target)
	}
	if f.Page != nil {
		data, err := f.Page(r.Context(), s, sess, c, fm)
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		page.Data = data
	}
	v.Page = page
	s.render(w, r, status, f.Template, v)
}

// offers says whether the case offers the form's command now, about target (or says nothing of
// actions yet).
func offers(c Case, f commandForm, target string) bool {
	return c.Actions == nil || slices.ContainsFunc(c.Actions, func(a Action) bool {
		return a.Command == f.Command && actionTarget(c.CaseID, a) == target
	})
}

// actionTarget is what in the case an action is about: the API's paths name it in the segment after
// the collection (/api/v1/cases/{caseId}/plans/2/approvals, …/deviations/avv-1/handling); "" for a
// command about the case as a whole.
func actionTarget(caseID string, a Action) string {
	rest, ok := strings.CutPrefix(a.Path, casePath(caseID)+"/")
	segments := strings.Split(rest, "/")
	if !ok || len(segments) != 3 {
		return ""
	}
	target, err := url.PathUnescape(segments[1])
	if err != nil {
		return ""
	}
	return target
}

// commandChooser is a targeted form's address without its target (where the inbox's task links):
// the one thing the case offers the command about, or the case's page to choose among several.
func (s *Server) commandChooser(f commandForm) handler {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		c, err := s.api.Case(r.Context(), sess.AccessToken, r.PathValue("caseId"))
		if err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
		var targets []string
		for _, a := range c.Actions {
			if a.Command == f.Command {
				targets = append(targets, actionTarget(c.CaseID, a))
			}
		}
		to := casePage(c.CaseID)
		if len(targets) == 1 {
			to = casePage(c.CaseID, f.Path, url.PathEscape(targets[0]))
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}
