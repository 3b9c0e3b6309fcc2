package cases

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// A user's notifications (issue 5): reminders before deadlines, missed deadlines and deviations to
// supervisors, escalations, handed-over cases – what the Notify activity recorded for the caller,
// and mailed. They hold the case reference, what is due and a fixed Swedish text, no personal data
// about the child; opening the case goes through GET /cases/{caseId} and its need-to-know check.
// Every read and write here names the caller as the owner: nobody sees another's notifications.

type notificationJSON struct {
	ID     string `json:"id"`
	CaseID string `json:"caseId"`
	// Kind is what it is about: reminder, deadline_missed, deviation_reported, escalated,
	// case_handed_over, concern_joined, case_reopened, new_case, summoned, appointed.
	Kind         string                 `json:"kind"`
	DeadlineKind *casework.DeadlineKind `json:"deadlineKind"` // the deadline it is about, if any
	DueAt        *httpkit.LocalTime     `json:"dueAt"`
	Subject      string                 `json:"subject"`
	Text         string                 `json:"text"`
	CreatedAt    httpkit.LocalTime      `json:"createdAt"`
	ReadAt       *httpkit.LocalTime     `json:"readAt"` // null while unread
}

type notificationListJSON struct {
	Items      []notificationJSON `json:"items"`
	NextCursor *string            `json:"nextCursor"`
	Unread     int64              `json:"unread"` // all the caller's unread notifications, not just this page's
}

func toNotificationJSON(n db.Notification) notificationJSON {
	out := notificationJSON{ID: n.ID, CaseID: n.CaseID, Kind: n.Kind, DueAt: httpkit.LocalTimePtr(n.DueAt), Subject: n.Subject,
		Text: n.Text, CreatedAt: httpkit.LocalTime(n.CreatedAt), ReadAt: httpkit.LocalTimePtr(n.ReadAt)}
	if n.DeadlineKind != "" {
		kind := n.DeadlineKind
		out.DeadlineKind = &kind
	}
	return out
}

// myNotifications is GET /api/v1/me/notifications: the caller's notifications, newest first, a page
// at a time by an opaque cursor; unread=true leaves out those already read. They are the user's
// whatever role or unit their token acts in: each was addressed to the person.
func (s *Handlers) myNotifications(c *gin.Context) {
	v := &casework.ValidationError{}
	params := httpkit.QueryParams(c, v, "limit", "cursor", "unread")
	q := db.NotificationQuery{UserID: httpkit.Caller(c).User}
	q.Limit, q.Cursor = pageParams(v, params)
	switch params["unread"] {
	case "", "false":
	case "true":
		q.UnreadOnly = true
	default:
		v.Add("unread", "ska vara true eller false")
	}
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	page, err := s.DB.ListNotifications(c.Request.Context(), q)
	if err != nil {
		httpkit.WriteError(c, cursorProblem(err))
		return
	}
	out := notificationListJSON{Items: make([]notificationJSON, len(page.Items)), NextCursor: cursorJSON(page.NextCursor), Unread: page.Unread}
	for i, n := range page.Items {
		out.Items[i] = toNotificationJSON(n)
	}
	c.JSON(http.StatusOK, out)
}

// notificationID is the form of the IDs db.RecordNotification makes; anything else is not found
// without asking the database.
var notificationID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// markNotificationRead is POST /api/v1/me/notifications/{id}/read: the caller has seen it. Marking
// again keeps the first time; another user's notification is 404, as one that does not exist. It
// takes no body and writes no access-log row: it touches the caller's own notification, not a
// case's content.
func (s *Handlers) markNotificationRead(c *gin.Context) {
	id := c.Param("id")
	if !notificationID.MatchString(id) {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	n, err := s.DB.MarkNotificationRead(c.Request.Context(), httpkit.Caller(c).User, id, s.Now())
	if errors.Is(err, db.ErrNotFound) {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.JSON(http.StatusOK, toNotificationJSON(n))
}
