package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Every form of the front end is a *form: the session's CSRF token, an Idempotency-Key of its own,
// the values typed, and the errors to show at the fields and in the error summary at the top (the
// GOV.UK error summary pattern: a heading, then one link per error to its field).
type form struct {
	CSRF string
	// IdempotencyKey is made when the form is first shown and travels with it, so that a double click
	// or a resent POST reaches the API with the same key and is applied once.
	IdempotencyKey string
	Values         url.Values
	Errors         map[string]string // field ID → the reason, shown at the field
	Summary        []summaryItem     // in the order of the form
	// Restored says the values came back from before a new login (the session had ended).
	Restored bool
	// NotTaken says the API could not take the form now (loaded, or the user's rate): the summary's
	// heading then says so, since nothing in the form is the user's to correct.
	NotTaken bool
	// Target is what in the case the form's command is about, from its address (a version of the
	// plan, a deviation, a disagreement); "" for the case as a whole.
	Target string
	// paths names the form's field for exact JSON paths of the request sent (At), for lists whose
	// items are fields of their own: "decisions[1].reason" is one agency's reason.
	paths map[string]formField
	// Next is where to go after the API took the command, when not back to the case (Send sets it:
	// a user whose own agency lost its part in the case can no longer open it).
	Next string
}

type summaryItem struct {
	FieldID string // "" links to the form as a whole
	Text    string
}

// Form field names every form has besides its own.
const (
	fieldCSRF           = "csrf"
	fieldIdempotencyKey = "idempotency-key"
)

func newForm(sess *session) *form {
	return &form{CSRF: sess.CSRF, IdempotencyKey: randomToken(), Values: url.Values{}, Errors: map[string]string{}}
}

// postedForm is the form as the browser sent it, keeping its Idempotency-Key (a malformed one
// is replaced: the key is ours, not the user's).
func postedForm(r *http.Request, sess *session) *form {
	f := newForm(sess)
	f.Values = r.PostForm
	if k := r.PostForm.Get(fieldIdempotencyKey); validToken(k) {
		f.IdempotencyKey = k
	}
	return f
}

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func validToken(s string) bool { return tokenPattern.MatchString(s) }

// Value is what was typed in the field.
func (f *form) Value(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Checked says whether value is among the field's chosen values (checkboxes, radios, options).
func (f *form) Checked(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Error is the reason to show at the field, "" when it is fine.
func (f *form) Error(id string) string { return f.Errors[id] }

// Field is what a field's template needs to show its error (partials/form.html, "fieldError").
func (f *form) Field(id string) fieldView { return fieldView{ID: id, Error: f.Errors[id]} }

type fieldView struct{ ID, Error string }

// HasErrors says whether anything is to be shown.
func (f *form) HasErrors() bool { return len(f.Summary) > 0 }

// Add records a problem with a field, labelled as the user sees it.
func (f *form) Add(id, label, reason string) {
	if _, seen := f.Errors[id]; seen && id != "" {
		return // the first problem of a field is the one to fix first
	}
	if id != "" {
		f.Errors[id] = capitalise(reason) // at the field it stands alone, as a sentence
	}
	text := reason
	if label != "" {
		text = label + ": " + reason
	}
	f.Summary = append(f.Summary, summaryItem{FieldID: id, Text: text})
}

// formField is a field of a form as the API names it: the form's field ID and its label.
type formField struct{ ID, Label string }

// At names the form's field for one exact JSON path of the request Send builds, where the item of a
// list is a field of its own ("areas[2].level" is the level of the third area sent).
func (f *form) At(path string, ff formField) {
	if f.paths == nil {
		f.paths = map[string]formField{}
	}
	f.paths[path] = ff
}

// addProblem puts an API's answer on the form: each of its fields at the form's field it names –
// by its exact JSON path (At), else with the index left out ("areas[1]" is the areas field) – the
// rest in the summary. A problem without fields (a 409's reason) goes to the summary as it is.
func (f *form) addProblem(p *Problem, fields map[string]formField) {
	f.addProblemAt(p, func(path string) (formField, bool) {
		ff, ok := fields[arrayIndex.ReplaceAllString(path, "")]
		return ff, ok
	})
}

// addProblemAt is addProblem for a form that finds the field of a JSON path itself (rows).
func (f *form) addProblemAt(p *Problem, fieldAt func(path string) (formField, bool)) {
	for _, fe := range p.Fields {
		ff, ok := f.paths[fe.Field]
		if !ok {
			ff, ok = fieldAt(fe.Field)
		}
		switch {
		case !ok:
			f.Add("", "", fe.Reason)
		case fe.Reason == apiMissing:
			f.Add(ff.ID, "", ff.Label+" saknas") // at the field too, the API's bare word would not say what
		default:
			f.Add(ff.ID, ff.Label, fe.Reason)
		}
	}
	if len(p.Fields) == 0 {
		f.Add("", "", problemText(p))
	}
	// The API refused what it was sent: the next send is a new request, with a key of its own. (A
	// request whose fate is unknown – no answer – keeps its key, so resending it is safe.)
	f.IdempotencyKey = randomToken()
}

// tryAgainLater is the API's answer that it could not take the request now – loaded beyond its
// bound (503 at once, nothing applied), a dependency down (503), or the user's rate (429) – when err
// is one.
func tryAgainLater(err error) (*Problem, bool) {
	var p *Problem
	ok := errors.As(err, &p) && (p.Status == http.StatusServiceUnavailable || p.Status == http.StatusTooManyRequests)
	return p, ok
}

// keepForLater shows the form again with what was typed and why it was not taken. It keeps the
// Idempotency-Key: what was sent was not applied, or its fate is unknown, and sending it again
// under the same key is safe either way (README, "Idempotency").
func (f *form) keepForLater(p *Problem) {
	f.NotTaken = true
	f.Add("", "", problemText(p))
}

var arrayIndex = regexp.MustCompile(`\[[0-9]+\]`)

// apiMissing is the API's whole reason for a required field left out.
const apiMissing = "saknas"

// problemText is what to tell the user about a problem without fields.
func problemText(p *Problem) string {
	switch {
	case p.Detail != "":
		return capitalise(p.Detail)
	case p.Status == http.StatusForbidden:
		return "Det här steget är inte ditt att ta i ärendet"
	case p.Status == http.StatusTooManyRequests:
		return "Du har skickat många förfrågningar på kort tid. Vänta en stund och försök igen"
	default:
		return "Tjänsten kunde inte ta emot det just nu. Försök igen om en stund"
	}
}

// csrfOK is the synchronizer token check: the form's token must equal the session's, compared in
// constant time. The extend endpoint's script sends it in a header instead.
func csrfOK(r *http.Request, sess *session) bool {
	got := r.PostForm.Get(fieldCSRF)
	if h := r.Header.Get("X-CSRF-Token"); got == "" && h != "" {
		got = h
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) == 1
}

// errInvalid says a form's own checks found problems, already on the form.
var errInvalid = errors.New("the form has errors")
