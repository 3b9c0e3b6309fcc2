package web

import "net/http"

// alertsPage is Åtkomstlarm: users who opened more cases within an hour than the limit, which may
// be browsing without a reason in the work. A supervisor sees their own unit's (the API ignores
// any other), an auditor every unit's or one (?enhet=); anyone else gets the page's 404.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	unit := ""
	if sess.Role != "supervisor" {
		unit = r.URL.Query().Get("enhet")
	}
	list, err := s.api.AccessAlerts(r.Context(), sess.AccessToken, unit)
	if err != nil {
		s.readFailed(w, r, sess, err)
		return
	}
	p := alertsPage{Auditor: sess.Role != "supervisor", Unit: unit, UnitName: s.unitName(r.Context(), sess, sess.Unit)}
	for _, a := range list.Alerts {
		p.Rows = append(p.Rows, alertRow{When: auditTimeText(a.At), Who: a.User, Role: roleLabel(a.Role),
			Unit: s.unitName(r.Context(), sess, a.Unit), Cases: a.DistinctCases, Limit: a.LimitPerHour, Seq: a.TriggerSeq})
	}
	if p.Auditor {
		if p.Units, err = s.directory(r.Context(), sess); err != nil {
			s.apiFailed(w, r, sess, err)
			return
		}
	}
	v := s.viewFor(r, sess, titled("Åtkomstlarm"), "atkomstlarm")
	v.Page = p
	s.render(w, r, http.StatusOK, "alerts.html", v)
}

type alertsPage struct {
	Auditor        bool
	Unit, UnitName string
	Units          []Unit
	Rows           []alertRow
}

type alertRow struct {
	When, Who, Role, Unit string
	Cases, Limit, Seq     int
}
