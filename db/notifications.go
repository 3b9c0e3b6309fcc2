package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Notification is one user's copy of a notification about a case (migration 0005): what the app
// lists under the user's notifications. It carries the case reference, what is due and a fixed
// Swedish text – no personal data about the child.
type Notification struct {
	ID           string
	Key          string // the notification's idempotency key, shared by its recipients
	UserID       string
	CaseID       string
	Kind         string // an activities.NotifyKind
	DeadlineKind casework.DeadlineKind
	DueAt        *time.Time
	Subject      string
	Text         string
	CreatedAt    time.Time
	ReadAt       *time.Time
}

type notificationModel struct {
	ID           string `gorm:"primaryKey"`
	NotifyKey    string
	UserID       string
	CaseID       string
	Kind         string
	DeadlineKind *string
	DueAt        *time.Time
	Subject      string
	Text         string
	CreatedAt    time.Time
	ReadAt       *time.Time
}

func (notificationModel) TableName() string { return "notifications" }

func (m notificationModel) notification() Notification {
	return Notification{ID: m.ID, Key: m.NotifyKey, UserID: m.UserID, CaseID: m.CaseID, Kind: m.Kind,
		DeadlineKind: casework.DeadlineKind(deref(m.DeadlineKind)), DueAt: utcPtr(m.DueAt), Subject: m.Subject,
		Text: m.Text, CreatedAt: m.CreatedAt.UTC(), ReadAt: utcPtr(m.ReadAt)}
}

// RecordNotification stores n for its user unless that user already has the notification of n.Key,
// and returns the stored copy: the first one, whatever a retry passes. created says whether this
// call stored it. n.ID is ignored (a new one is made); n.CreatedAt defaults to now.
func (d *DB) RecordNotification(ctx context.Context, n Notification) (stored Notification, created bool, err error) {
	if created, err = d.insertNotification(ctx, &n); err != nil {
		return Notification{}, false, err
	}
	var m notificationModel
	if err := d.gorm.WithContext(ctx).Where("notify_key = ? AND user_id = ?", n.Key, n.UserID).Take(&m).Error; err != nil {
		return Notification{}, false, notFound(err, fmt.Sprintf("notification %q for %q", n.Key, n.UserID))
	}
	return m.notification(), created, nil
}

// insertNotification is RecordNotification without reading the stored copy back.
func (d *DB) insertNotification(ctx context.Context, n *Notification) (created bool, err error) {
	switch {
	case n.Key == "" || n.UserID == "" || n.CaseID == "" || n.Kind == "":
		return false, fmt.Errorf("record notification: key, user, case and kind are required")
	case n.Subject == "" || n.Text == "":
		return false, fmt.Errorf("record notification %q: subject and text are required", n.Key)
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	var due any
	if n.DueAt != nil {
		due = utc(*n.DueAt)
	}
	res := d.gorm.WithContext(ctx).Exec(`INSERT INTO notifications
			(id, notify_key, user_id, case_id, kind, deadline_kind, due_at, subject, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notify_key, user_id) DO NOTHING`,
		newID(), n.Key, n.UserID, n.CaseID, n.Kind, nullable(string(n.DeadlineKind)), due, n.Subject, n.Text, utc(n.CreatedAt))
	if res.Error != nil {
		return false, fmt.Errorf("record notification %q for %q: %w", n.Key, n.UserID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// NotificationQuery asks for a page of one user's notifications, newest first.
type NotificationQuery struct {
	UserID     string
	UnreadOnly bool
	Limit      int    // DefaultPageSize when 0, at most MaxPageSize
	Cursor     string // from the previous page
}

// NotificationPage is one page; NextCursor is empty on the last page. Unread counts all the user's
// unread notifications, whatever the page.
type NotificationPage struct {
	Items      []Notification
	NextCursor string
	Unread     int64
}

// notificationOrder: newest first; the random ID orders notifications made at the same instant.
var notificationOrder = []sortKey{{col: "created_at", desc: true}, {col: "id", desc: true}}

type notificationCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        string    `json:"i"`
}

// ListNotifications lists the user's notifications, or only the unread ones, newest first, a page
// at a time by keyset. Nobody else's are ever read: every query names the user.
func (d *DB) ListNotifications(ctx context.Context, q NotificationQuery) (NotificationPage, error) {
	if q.UserID == "" {
		return NotificationPage{Items: []Notification{}}, nil
	}
	where, args := []string{"user_id = ?"}, []any{q.UserID}
	if q.UnreadOnly {
		where = append(where, "read_at IS NULL")
	}
	if q.Cursor != "" {
		var cur notificationCursor
		if err := decodeCursor(q.Cursor, &cur); err != nil {
			return NotificationPage{}, err
		}
		more, moreArgs := after(notificationOrder, []any{utc(cur.CreatedAt), cur.ID})
		where, args = append(where, more), append(args, moreArgs...)
	}
	limit := pageSize(q.Limit)
	var rows []notificationModel
	err := d.gorm.WithContext(ctx).Where(strings.Join(where, " AND "), args...).
		Order(orderBy(notificationOrder)).Limit(limit + 1).Find(&rows).Error
	if err != nil {
		return NotificationPage{}, fmt.Errorf("list notifications: %w", err)
	}
	page := NotificationPage{Items: []Notification{}}
	for i, r := range rows {
		if i == limit {
			last := page.Items[i-1]
			page.NextCursor = encodeCursor(notificationCursor{CreatedAt: last.CreatedAt, ID: last.ID})
			break
		}
		page.Items = append(page.Items, r.notification())
	}
	err = d.gorm.WithContext(ctx).Model(&notificationModel{}).
		Where("user_id = ? AND read_at IS NULL", q.UserID).Count(&page.Unread).Error
	if err != nil {
		return NotificationPage{}, fmt.Errorf("count unread notifications: %w", err)
	}
	return page, nil
}

// MarkNotificationRead marks the user's notification id read at at, unless it was read before (the
// first reading stays), and returns it. A notification of another user is ErrNotFound, as one that
// does not exist: whether it exists is not the caller's to learn.
func (d *DB) MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (Notification, error) {
	err := d.gorm.WithContext(ctx).Exec(`UPDATE notifications SET read_at = ?
		WHERE id = ? AND user_id = ? AND read_at IS NULL`, utc(at), id, userID).Error
	if err != nil {
		return Notification{}, fmt.Errorf("mark notification read: %w", err)
	}
	var m notificationModel
	if err := d.gorm.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&m).Error; err != nil {
		return Notification{}, notFound(err, "notification")
	}
	return m.notification(), nil
}

// newID is a random 128-bit identifier in hex.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
