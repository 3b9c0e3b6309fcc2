package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed templates
var templateFiles embed.FS

// templates are the pages: each file of templates/ except layout.html is one page, parsed together
// with the layout (which defines "layout" and calls the page's "title" and "main").
type templates struct {
	byName map[string]*template.Template
}

func loadTemplates() (*templates, error) {
	layout, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	pages, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{byName: map[string]*template.Template{}}
	for _, p := range pages {
		name := path.Base(p)
		if name == "layout.html" {
			continue
		}
		clone, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if t.byName[name], err = clone.ParseFS(templateFiles, p); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
	}
	return t, nil
}

// view is what the layout shows around every page.
type view struct {
	Title string // the page's title: never a name or a personal number
	// Errors makes the title start "Fel:", as a screen reader hears first when a form came back.
	Errors bool
	User   *userView // nil when nobody is logged in
	// Unread is the user's unread notifications, for the header.
	Unread int
	CSRF   string
	// SessionSeconds is how long the session lasts without activity, for the warning script.
	SessionSeconds int
	Nav            string // which item of the menu is this page's
	Menu           []menuItem
	Flash          string
	Page           any // the page's own data
}

type userView struct {
	ID, Name, Role, UnitName string
}

// render writes a page whole, or a generic error page if it cannot be made: never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.log.Error("no such page template", "template", name)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render page", "template", name, "error", err)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// viewFor fills the layout's part for a logged-in user.
func (s *Server) viewFor(r *http.Request, sess *session, title, nav string) view {
	v := view{Title: title, Nav: nav}
	if !sess.loggedIn() {
		return v
	}
	v.User = &userView{ID: sess.User, Name: sess.Name, Role: roleLabel(sess.Role), UnitName: s.unitName(r.Context(), sess, sess.Unit)}
	if v.User.Name == "" {
		v.User.Name = sess.User
	}
	v.CSRF = sess.CSRF
	v.Menu = menuFor(sess.Role)
	v.SessionSeconds = secondsLeft(sess, s.now())
	if n, err := s.api.MyNotifications(r.Context(), sess.AccessToken, true, "", 1); err == nil {
		v.Unread = n.Unread
	}
	v.Flash = flashText(r.URL.Query().Get("klart"))
	return v
}

// flashText is the confirmation of a flash key, from the forms' flashes or the other pages'.
func flashText(key string) string {
	if t, ok := flashes[key]; ok {
		return t
	}
	return pageFlashes[key]
}

// titled is a page title with the service's name after it.
func titled(parts ...string) string {
	return strings.Join(append(parts, "samverkan"), " – ")
}
