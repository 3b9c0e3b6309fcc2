package web

import (
	"errors"
	"net/http"
	"net/url"
)

// handler is a page that needs a logged-in user.
type handler func(w http.ResponseWriter, r *http.Request, sess *session)

// page is every logged-in page's door: it finds the session (or sends the browser to log in),
// checks a POST's CSRF token before anything is read or applied (missing or wrong: 403), and moves
// the session's idle end on.
func (s *Server) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(withClientAddr(r.Context(), r.RemoteAddr))
		sess, err := s.sessions.load(r)
		if err != nil {
			s.log.Error("load session", "error", err)
			s.errorPage(w, r, nil, http.StatusServiceUnavailable)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
			if err := r.ParseForm(); err != nil {
				s.errorPage(w, r, sess, http.StatusBadRequest)
				return
			}
		}
		if !sess.loggedIn() {
			if r.Method == http.MethodPost {
				s.keepDraftAndLogin(w, r, sess)
				return
			}
			s.startLogin(w, r, sess, r.URL.RequestURI(), nil)
			return
		}
		if r.Method == http.MethodPost && !csrfOK(r, sess) {
			s.log.Warn("csrf token missing or wrong", "path", r.URL.Path, "user", sess.User)
			s.errorPage(w, r, sess, http.StatusForbidden)
			return
		}
		if err := s.sessions.touch(r.Context(), w, sess); err != nil {
			s.log.Error("save session", "error", err)
		}
		h(w, r, sess)
	})
}

// keepDraftAndLogin answers a form posted after its session ended: what was typed is kept (sealed
// in the new login's session, never applied) and given back on the form after the login, so that
// nobody loses a long observation to a coffee break (WCAG 2.2.1 without script). Only a form posted
// from this site is kept: another site cannot fill a user's form.
func (s *Server) keepDraftAndLogin(w http.ResponseWriter, r *http.Request, sess *session) {
	if !sameOrigin(r) {
		s.errorPage(w, r, nil, http.StatusForbidden)
		return
	}
	draft := url.Values{}
	for k, v := range r.PostForm {
		if k != fieldCSRF {
			draft[k] = v
		}
	}
	s.startLogin(w, r, sess, r.URL.Path, draft)
}

// sameOrigin says whether the browser says the request came from a page of this site.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
	default:
		return false
	}
	origin, err := url.Parse(r.Header.Get("Origin"))
	return err == nil && origin.Host == r.Host
}

// apiFailed shows what an API call's failure means for the user: a case they may not see is not
// found (exactly as the API answers), an ended token sends them to log in again.
func (s *Server) apiFailed(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	var p *Problem
	switch {
	case errors.As(err, &p) && p.Status == http.StatusUnauthorized:
		_ = s.sessions.end(r.Context(), w, sess)
		s.startLogin(w, r, nil, r.URL.RequestURI(), nil)
	case errors.As(err, &p) && (p.Status == http.StatusNotFound || p.Status == http.StatusForbidden):
		s.errorPage(w, r, sess, p.Status)
	case errors.As(err, &p) && p.Status == http.StatusTooManyRequests:
		s.errorPage(w, r, sess, http.StatusTooManyRequests)
	case errors.As(err, &p) && p.Status == http.StatusServiceUnavailable:
		// The API is loaded beyond its bound or a dependency is down: a state, not a fault here –
		// one warning line per page, and the API's own words, which say which (they are written to
		// be shown).
		s.log.Warn("api unavailable", "path", r.URL.Path)
		s.errorPageSaying(w, r, sess, http.StatusServiceUnavailable, problemText(p)+".")
	default:
		s.log.Error("api call failed", "path", r.URL.Path, "error", err)
		s.errorPage(w, r, sess, http.StatusServiceUnavailable)
	}
}

// errorPage is the page of an HTTP error, in Swedish.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, sess *session, status int) {
	s.errorPageSaying(w, r, sess, status, "")
}

// errorPageSaying is errorPage with text instead of the status's own ("": its own).
func (s *Server) errorPageSaying(w http.ResponseWriter, r *http.Request, sess *session, status int, text string) {
	texts := map[int][2]string{
		http.StatusNotFound:           {"Sidan finns inte", "Adressen leder inte till något du kan se. Om du skrev in den själv: kontrollera den. Ett ärende som du inte har del i visas inte."},
		http.StatusForbidden:          {"Det gick inte att skicka", "Formuläret kunde inte godtas, och inget har ändrats. Gå tillbaka, ladda om sidan och försök igen."},
		http.StatusBadRequest:         {"Det gick inte att läsa det som skickades", "Inget har ändrats. Gå tillbaka och försök igen."},
		http.StatusTooManyRequests:    {"För många förfrågningar", "Vänta en stund och försök sedan igen."},
		http.StatusServiceUnavailable: {"Tjänsten svarar inte just nu", "Inget har ändrats. Försök igen om en stund."},
	}
	t, ok := texts[status]
	if !ok {
		t = texts[http.StatusServiceUnavailable]
	}
	if text != "" {
		t[1] = text
	}
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "5") // as the API's 503 (api/httpkit/unavailable.go)
	}
	v := view{Title: titled(t[0])}
	if sess.loggedIn() {
		v = s.viewFor(r, sess, titled(t[0]), "")
	}
	v.Page = struct{ Heading, Text string }{t[0], t[1]}
	s.render(w, r, status, "error.html", v)
}

// notFound is every address the front end does not have.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.sessions.load(r)
	s.errorPage(w, r, sess, http.StatusNotFound)
}

// flashes are the confirmations a page shows after a redirect (?klart=…): fixed texts, so the
// address carries nothing about the case.
var flashes = map[string]string{
	"utloggad":     "Du är utloggad.",
	"ta-emot":      "Du har tagit emot ärendet.",
	"utse-kollega": "Kartläggningen är överlämnad till din kollega.",
	// the forms of kartlägga and samarbeta (form_harm_report.go … form_coordinator.go)
	"orosanmalan":          "Svaret om orosanmälan är registrerat.",
	"kartlagg":             "Kartläggningen är sparad.",
	"avsluta-kartlaggning": "Kartläggningen är avslutad.",
	"samtycke":             "Svaret om samtycke är registrerat.",
	"aterkallat":           "Återkallelsen av samtycket är registrerad.",
	"aterkallat-egen":      "Återkallelsen av samtycket är registrerad. Din verksamhet har inte längre tillgång till ärendet.",
	"kallat":               "Kallelsen till samverkansmötet är registrerad.",
	"mote":                 "Samverkansmötet är registrerat.",
	"samordnare":           "Samordnaren är utsedd.",
	"last":                 "Notisen är markerad som läst.",
	// The second half of the process (form_plan.go … form_close.go).
	"plan":               "Planen är föreslagen. Registrera vårdnadshavarnas och barnets svar när de har tagit ställning.",
	"godkannande":        "Svaret på planen är registrerat.",
	"uppfoljning":        "Uppföljningen är registrerad. Behöver planen ändras föreslår du en ny version av den.",
	"avvikelse":          "Avvikelsen är rapporterad till chefen för enheten.",
	"avvikelse-hanterad": "Hanteringen av avvikelsen är registrerad.",
	"oenighet":           "Oenigheten är anmäld.",
	"oenighet-beslutad":  "Beslutet om oenigheten är registrerat.",
	"oenighet-lyft":      "Oenigheten är lyft till nästa steg.",
	"placering":          "Placeringen är registrerad.",
	"halsoundersokning":  "Hälsoundersökningen är registrerad.",
	"kostnadsfordelning": "Kostnadsfördelningen är registrerad.",
	"lamna-over":         "Ärendet är överlämnat. Den nya enheten behöver ta emot det.",
	"avsluta":            "Ärendet är avslutat.",
	"oppna-igen":         "Ärendet är öppnat igen. Barnets bästa-ansvarig behöver ta emot det på nytt.",
	"svar-kallelse":      "Ert svar på kallelsen är skickat.",
}
