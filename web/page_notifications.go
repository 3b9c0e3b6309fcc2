package web

import "net/http"

// notificationsPage lists what samverkan told the user – the same as it mailed them – newest first.
func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	list, err := s.api.MyNotifications(r.Context(), sess.AccessToken, false, r.URL.Query().Get("sida"), 50)
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	v := s.viewFor(r, sess, titled("Notiser"), "notiser")
	v.Page = list
	s.render(w, r, http.StatusOK, "notifications.html", v)
}

// readNotification marks one read and opens its case.
func (s *Server) readNotification(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.api.MarkNotificationRead(r.Context(), sess.AccessToken, r.PathValue("id")); err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	http.Redirect(w, r, casePage(r.PostForm.Get("arende")), http.StatusSeeOther)
}
