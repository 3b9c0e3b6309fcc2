package web

import (
	"net/http"
	"slices"
)

// The header's menu shows each person the pages their role has a use for, and no others, and the
// same table is the door of those pages (pageFor): another role gets 404, so the menu and the door
// cannot disagree. The API still decides what each page shows (a page whose API answers 403 is the
// front end's 404 too); the table only keeps people off pages that would show them nothing – the
// API answers a steering group's case list with an empty list – or that ask the API nothing before
// a form is sent (the access-log export and the child's extract).

// menuItem is one page of the menu.
type menuItem struct {
	Key, Label, Path string
	Roles            []string // who sees it; nil: everyone logged in
}

// caseRoles work with cases; steering and administrators never read case content (casework's reach
// table), and the API refuses them concerns, tasks and lists.
var caseRoles = []string{"reporter", "named_person", "coordinator", "participant", "supervisor"}

var menu = []menuItem{
	{"uppgifter", "Mina uppgifter", pathTasks, caseRoles},
	{"oro", "Anmäl oro", pathNewConcern, caseRoles},
	{"arenden", "Ärenden", pathCases, caseRoles},
	{"tillsyn", "Tillsyn", pathOversight, []string{"supervisor"}},
	{"logguppfoljning", "Logguppföljning", pathReviews, []string{"supervisor", "admin"}},
	{"atkomstlarm", "Åtkomstlarm", pathAlerts, []string{"supervisor", "admin"}},
	{"arsuppfoljning", "Årsuppföljning", pathYearly, []string{"steering", "supervisor"}},
	{"atkomstlogg", "Åtkomstlogg", pathAccessExport, []string{"admin"}},
	{"notiser", "Notiser", pathNotifications, nil},
}

// menuFor is the menu of a role, in the menu's order.
func menuFor(role string) []menuItem {
	var out []menuItem
	for _, m := range menu {
		if m.Roles == nil || slices.Contains(m.Roles, role) {
			out = append(out, m)
		}
	}
	return out
}

// mayUse says whether the role's menu has the page.
func mayUse(role, key string) bool {
	return slices.ContainsFunc(menuFor(role), func(m menuItem) bool { return m.Key == key })
}

// homeOf is where a role starts: the first page of its menu.
func homeOf(role string) string { return menuFor(role)[0].Path }

// pageFor is the door of a page of the menu: a role whose menu lacks it gets 404, whatever the
// API would answer (the API may answer such a role an empty list rather than 403).
func (s *Server) pageFor(key string, h handler) http.Handler {
	return s.page(func(w http.ResponseWriter, r *http.Request, sess *session) {
		if !mayUse(sess.Role, key) {
			s.errorPage(w, r, sess, http.StatusNotFound)
			return
		}
		h(w, r, sess)
	})
}

// readFailed is apiFailed for a page that only reads: a 403 means the page is not the user's, and
// it is not found, as the API answers for a case that is not theirs.
func (s *Server) readFailed(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	if ProblemStatus(err) == http.StatusForbidden {
		s.errorPage(w, r, sess, http.StatusNotFound)
		return
	}
	s.apiFailed(w, r, sess, err)
}
