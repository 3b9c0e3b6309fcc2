package web

import "net/http"

// timelinePage is Tidslinje: everything that happened in the case, as the API reads it from the
// workflow's history, in the user's session (the API's own page needs a bearer token in a header).
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request, sess *session) {
	tl, err := s.api.Timeline(r.Context(), sess.AccessToken, r.PathValue("caseId"))
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	v := s.viewFor(r, sess, titled("Tidslinje", "Ärende "+tl.CaseID), "")
	v.Page = tl
	s.render(w, r, http.StatusOK, "timeline.html", v)
}
