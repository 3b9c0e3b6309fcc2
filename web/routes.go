package web

import (
	"net/http"
	"net/url"
)

// The front end's addresses, in Swedish. /arenden/{caseId} is the address every notification mail
// links to (activities/notify.go). No address ever holds a personal number: a child is reached only
// through its case ID.
const (
	pathStart         = "/"
	pathLogin         = "/logga-in"
	pathLoginDone     = "/logga-in/klar"
	pathLogout        = "/logga-ut"
	pathTasks         = "/uppgifter"
	pathNewConcern    = "/oro/ny"
	pathConcernDone   = "/oro/kvitto"
	pathNotifications = "/notiser"
	pathAccessibility = "/tillganglighet"
	pathExtend        = "/session/forlang"
	pathStatic        = "/static/"

	// The lists and the supervisors', steering group's and auditors' pages.
	pathCases         = "/arenden"
	pathOversight     = "/tillsyn"
	pathReviews       = "/logguppfoljning"
	pathAlerts        = "/atkomstlarm"
	pathYearly        = "/arsuppfoljning"
	pathYearlyCSV     = "/arsuppfoljning/fil"
	pathAccessExport  = "/atkomstlogg"
	pathChildExtract  = "/atkomstlogg/barn"
	caseAccessLogPage = "atkomstlogg" // under the case: /arenden/{caseId}/atkomstlogg
)

// casePage is the address of a case's hub, or of one of its pages ("tidslinje", a form's path).
func casePage(caseID string, rest ...string) string {
	p := "/arenden/" + url.PathEscape(caseID)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// routes is the one place where every page is registered. A new form registers its GET and POST on
// the same path here (README.md, "Adding a form").
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+pathStatic, staticFiles())
	mux.HandleFunc("GET "+pathStart+"{$}", s.startPage)
	mux.HandleFunc("GET "+pathAccessibility, s.accessibilityPage)
	mux.HandleFunc("GET "+pathLogin, s.login)
	mux.HandleFunc("GET "+pathLoginDone, s.loginDone)
	mux.Handle("POST "+pathLogout, s.page(s.logout))
	mux.Handle("POST "+pathExtend, s.page(s.extendSession))

	mux.Handle("GET "+pathTasks, s.page(s.tasksPage))
	mux.Handle("GET "+pathNotifications, s.page(s.notificationsPage))
	mux.Handle("POST "+pathNotifications+"/{id}/last", s.page(s.readNotification))

	mux.Handle("GET "+pathNewConcern, s.page(s.concernForm))
	mux.Handle("POST "+pathNewConcern, s.page(s.concernPost))
	mux.Handle("GET "+pathConcernDone, s.page(s.concernReceipt))

	// The pages of the menu's roles (menu.go): another role gets 404, as from the API.
	mux.Handle("GET "+pathCases, s.pageFor("arenden", s.casesPage))
	mux.Handle("GET "+pathOversight, s.pageFor("tillsyn", s.oversightPage))
	mux.Handle("GET "+pathReviews, s.pageFor("logguppfoljning", s.reviewsPage))
	mux.Handle("POST "+pathReviews+"/{reviewId}/signera", s.pageFor("logguppfoljning", s.signOffReview))
	mux.Handle("GET "+pathAlerts, s.pageFor("atkomstlarm", s.alertsPage))
	mux.Handle("GET "+pathYearly, s.pageFor("arsuppfoljning", s.yearlyPage))
	mux.Handle("GET "+pathYearlyCSV, s.pageFor("arsuppfoljning", s.yearlyCSV))
	mux.Handle("GET "+pathAccessExport, s.pageFor("atkomstlogg", s.accessExportForm))
	mux.Handle("POST "+pathAccessExport, s.pageFor("atkomstlogg", s.accessExportPost))
	mux.Handle("GET "+pathChildExtract, s.pageFor("atkomstlogg", s.childExtractForm))
	mux.Handle("POST "+pathChildExtract, s.pageFor("atkomstlogg", s.childExtractPost))
	mux.Handle("GET /arenden/{caseId}/"+caseAccessLogPage, s.page(s.caseAccessLogPage))

	mux.Handle("GET /arenden/{caseId}", s.page(s.casePage))
	mux.Handle("GET /arenden/{caseId}/tidslinje", s.page(s.timelinePage))
	for _, f := range commandForms {
		path := "/arenden/{caseId}/" + f.Path
		if f.About != nil { // about one thing of several: its ID ends the address
			mux.Handle("GET "+path, s.page(s.commandChooser(f)))
			path += "/{target}"
		}
		mux.Handle("GET "+path, s.page(s.commandForm(f)))
		mux.Handle("POST "+path, s.page(s.commandPost(f)))
	}
	mux.HandleFunc("/", s.notFound)
	return mux
}
