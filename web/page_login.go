package web

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// login is GET /logga-in: the way in from a link (?till= says where to go afterwards).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	sess, err := s.sessions.load(r)
	if err != nil {
		s.errorPage(w, r, nil, http.StatusServiceUnavailable)
		return
	}
	if sess.loggedIn() {
		http.Redirect(w, r, localPath(r.URL.Query().Get("till")), http.StatusSeeOther)
		return
	}
	s.startLogin(w, r, sess, r.URL.Query().Get("till"), nil)
}

// startLogin sends the browser to the issuer. The login's secrets (state, nonce, PKCE verifier)
// wait in a session of their own, which the login replaces by a new one: a session ID known before
// the login is worth nothing after it (no session fixation).
func (s *Server) startLogin(w http.ResponseWriter, r *http.Request, sess *session, returnTo string, draft url.Values) {
	if sess == nil || sess.loggedIn() {
		sess = s.sessions.newSession()
	}
	st := &loginState{ReturnTo: localPath(returnTo)}
	if draft != nil {
		st.DraftPath, st.Draft = st.ReturnTo, draft
	}
	authURL, err := s.rp.authCodeURL(r.Context(), s.redirectURL(r), st)
	if err != nil {
		s.log.Error("start login", "error", err)
		s.errorPage(w, r, nil, http.StatusServiceUnavailable)
		return
	}
	sess.Login = st
	if err := s.sessions.save(r.Context(), w, sess); err != nil {
		s.log.Error("save login session", "error", err)
		s.errorPage(w, r, nil, http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, authURL, http.StatusFound)
}

// loginDone is where the issuer sends the browser back with a code.
func (s *Server) loginDone(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(withClientAddr(r.Context(), r.RemoteAddr))
	pending, err := s.sessions.load(r)
	if err != nil || pending == nil || pending.Login == nil {
		s.loginFailed(w, r)
		return
	}
	who, err := s.rp.finish(r.Context(), s.redirectURL(r), pending.Login, r.URL.Query())
	if err != nil {
		s.log.Warn("login not completed", "error", err)
		_ = s.sessions.end(r.Context(), w, pending)
		s.loginFailed(w, r)
		return
	}
	sess := s.sessions.newSession()
	sess.User, sess.Name, sess.Role, sess.Unit = who.User, who.Name, who.Role, who.Unit
	sess.AccessToken, sess.TokenExpiry = who.AccessToken, who.Expiry
	if sess.IdleUntil.After(who.Expiry) {
		sess.IdleUntil = who.Expiry
	}
	if st := pending.Login; st.Draft != nil {
		sess.Drafts = map[string]url.Values{st.DraftPath: st.Draft}
	}
	_ = s.sessions.end(r.Context(), w, pending)
	if err := s.sessions.save(r.Context(), w, sess); err != nil {
		s.log.Error("save session", "error", err)
		s.errorPage(w, r, nil, http.StatusServiceUnavailable)
		return
	}
	s.log.Info("logged in", "user", who.User, "role", who.Role, "unit", who.Unit)
	http.Redirect(w, r, pending.Login.ReturnTo, http.StatusSeeOther)
}

func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusBadRequest, "login_failed.html", view{Title: titled("Inloggningen misslyckades")})
}

// logout is POST /logga-ut: the session ends here and in the store.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.sessions.end(r.Context(), w, sess); err != nil {
		s.log.Error("end session", "error", err)
	}
	s.log.Info("logged out", "user", sess.User)
	http.Redirect(w, r, pathStart+"?klart=utloggad", http.StatusSeeOther)
}

// extendSession is POST /session/forlang, the warning's one action (WCAG 2.2.1): the session lasts
// the idle time again. The script reads the seconds left; without script the page reloads.
func (s *Server) extendSession(w http.ResponseWriter, r *http.Request, sess *session) {
	sess.IdleUntil = s.now().Add(s.sessions.idle)
	if sess.IdleUntil.After(sess.TokenExpiry) {
		sess.IdleUntil = sess.TokenExpiry
	}
	if err := s.sessions.save(r.Context(), w, sess); err != nil {
		s.errorPage(w, r, sess, http.StatusServiceUnavailable)
		return
	}
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"seconds": secondsLeft(sess, s.now())})
		return
	}
	http.Redirect(w, r, localPath(r.PostForm.Get("till")), http.StatusSeeOther)
}

// startPage is /: the way in for someone logged out, the inbox for someone logged in.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.sessions.load(r)
	if sess.loggedIn() {
		http.Redirect(w, r, pathTasks, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "start.html", view{Title: titled("Välkommen"), Flash: flashes[r.URL.Query().Get("klart")]})
}

// accessibilityPage is the accessibility statement (tillgänglighetsredogörelse, required by lag
// 2018:1937 for public-sector digital services), open without login.
func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.sessions.load(r)
	v := view{Title: titled("Tillgänglighet")}
	if sess.loggedIn() {
		v = s.viewFor(r, sess, v.Title, "")
	}
	s.render(w, r, http.StatusOK, "accessibility.html", v)
}
