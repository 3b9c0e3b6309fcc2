package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MailStatus is where one recipient's mail of a notification stands (mail_outbox.status).
type MailStatus string

const (
	MailPending   MailStatus = "pending"    // not sent yet: never tried, a failed attempt, or mail is off
	MailSending   MailStatus = "sending"    // an attempt holds the lease and may be talking to the server
	MailSent      MailStatus = "sent"       // the server answered 250 to the end of DATA
	MailNoAddress MailStatus = "no_address" // the user has no mail address: in-app only
)

// MailStatuses lists every status.
var MailStatuses = []MailStatus{MailPending, MailSending, MailSent, MailNoAddress}

// OutboxMail is one recipient's mail of a notification.
type OutboxMail struct {
	Key        string
	UserID     string
	To         string // '' when Status is MailNoAddress
	Subject    string
	Body       string
	Status     MailStatus
	Attempts   int
	LastError  string
	LeaseUntil *time.Time
	CreatedAt  time.Time
	SentAt     *time.Time
}

type outboxModel struct {
	NotifyKey  string `gorm:"primaryKey"`
	UserID     string `gorm:"primaryKey"`
	ToAddress  string
	Subject    string
	Body       string
	Status     string
	Attempts   int
	LastError  *string
	LeaseUntil *time.Time
	CreatedAt  time.Time
	SentAt     *time.Time
}

func (outboxModel) TableName() string { return "mail_outbox" }

func (m outboxModel) mail() OutboxMail {
	return OutboxMail{Key: m.NotifyKey, UserID: m.UserID, To: m.ToAddress, Subject: m.Subject, Body: m.Body,
		Status: MailStatus(m.Status), Attempts: m.Attempts, LastError: deref(m.LastError),
		LeaseUntil: utcPtr(m.LeaseUntil), CreatedAt: m.CreatedAt.UTC(), SentAt: utcPtr(m.SentAt)}
}

// EnqueueMail stores m – 'pending', or 'no_address' when m.To is empty – unless the row of (m.Key,
// m.UserID) exists, and returns the stored row: a retry finds the first attempt's row, with its
// status, address and text. m.CreatedAt defaults to now.
func (d *DB) EnqueueMail(ctx context.Context, m OutboxMail) (OutboxMail, error) {
	if m.Key == "" || m.UserID == "" || m.Subject == "" || m.Body == "" {
		return OutboxMail{}, errors.New("enqueue mail: key, user, subject and body are required")
	}
	status := MailPending
	if m.To == "" {
		status = MailNoAddress
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	err := d.gorm.WithContext(ctx).Exec(`INSERT INTO mail_outbox
			(notify_key, user_id, to_address, subject, body, status, attempts, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (notify_key, user_id) DO NOTHING`,
		m.Key, m.UserID, m.To, m.Subject, m.Body, string(status), utc(m.CreatedAt)).Error
	if err != nil {
		return OutboxMail{}, fmt.Errorf("enqueue mail %q for %q: %w", m.Key, m.UserID, err)
	}
	return d.OutboxMail(ctx, m.Key, m.UserID)
}

// RecordNotice stores user n.UserID's notification n and its mail m, each unless it exists, in
// one transaction, and returns the outbox row as stored: Notify's first step for one recipient
// (issue 16: one transaction where there were two, and never a notification without its mail).
// n and m are as for RecordNotification and EnqueueMail; m.Key and m.UserID must be n's.
func (d *DB) RecordNotice(ctx context.Context, n Notification, m OutboxMail) (OutboxMail, error) {
	if m.Key != n.Key || m.UserID != n.UserID {
		return OutboxMail{}, errors.New("record notice: the mail is not the notification's")
	}
	var row OutboxMail
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := &DB{gorm: tx, dialect: d.dialect, log: d.log}
		if _, err := in.insertNotification(ctx, &n); err != nil {
			return err
		}
		var err error
		row, err = in.EnqueueMail(ctx, m)
		return err
	})
	return row, err
}

// OutboxMail returns the row of (key, userID), or ErrNotFound.
func (d *DB) OutboxMail(ctx context.Context, key, userID string) (OutboxMail, error) {
	var row outboxModel
	if err := d.gorm.WithContext(ctx).Where("notify_key = ? AND user_id = ?", key, userID).Take(&row).Error; err != nil {
		return OutboxMail{}, notFound(err, fmt.Sprintf("mail %q for %q", key, userID))
	}
	return row.mail(), nil
}

// ClaimMail takes the mail of (key, userID) for one attempt to send it: when it is pending, or
// 'sending' under a lease that ran out before now (its attempt died), it becomes 'sending' with one
// more attempt and a lease until leaseUntil, and claimed is true. Otherwise – sent, no address, or
// another attempt's lease still running – nothing changes and claimed is false; the row says why.
// One conditional UPDATE decides, so two attempts never both claim it.
func (d *DB) ClaimMail(ctx context.Context, key, userID string, now, leaseUntil time.Time) (row OutboxMail, claimed bool, err error) {
	// RETURNING hands back the claimed row in the same statement (issue 16: one round trip less
	// per mail); only a row not claimed is read again, to say why.
	var rows []outboxModel
	err = d.gorm.WithContext(ctx).Raw(`UPDATE mail_outbox SET status = ?, attempts = attempts + 1, lease_until = ?
		WHERE notify_key = ? AND user_id = ?
		  AND (status = ? OR (status = ? AND (lease_until IS NULL OR lease_until < ?)))
		RETURNING `+outboxColumns,
		string(MailSending), utc(leaseUntil), key, userID, string(MailPending), string(MailSending), utc(now)).Scan(&rows).Error
	if err != nil {
		return OutboxMail{}, false, fmt.Errorf("claim mail %q for %q: %w", key, userID, err)
	}
	if len(rows) == 1 {
		return rows[0].mail(), true, nil
	}
	row, err = d.OutboxMail(ctx, key, userID)
	return row, false, err
}

// outboxColumns are outboxModel's columns, for a RETURNING clause.
const outboxColumns = "notify_key, user_id, to_address, subject, body, status, attempts, last_error, lease_until, created_at, sent_at"

// MarkMailSent records that the server accepted the mail. Only a claimed row changes; marking a
// sent row again is a no-op.
func (d *DB) MarkMailSent(ctx context.Context, key, userID string, at time.Time) error {
	err := d.gorm.WithContext(ctx).Exec(`UPDATE mail_outbox SET status = ?, sent_at = ?, lease_until = NULL, last_error = NULL
		WHERE notify_key = ? AND user_id = ? AND status = ?`,
		string(MailSent), utc(at), key, userID, string(MailSending)).Error
	if err != nil {
		return fmt.Errorf("mark mail %q for %q sent: %w", key, userID, err)
	}
	return nil
}

// ReleaseMail gives a claimed mail back after a failed attempt: pending again, with the reason,
// for the next attempt to send. lastError must not hold the address.
func (d *DB) ReleaseMail(ctx context.Context, key, userID, lastError string) error {
	err := d.gorm.WithContext(ctx).Exec(`UPDATE mail_outbox SET status = ?, lease_until = NULL, last_error = ?
		WHERE notify_key = ? AND user_id = ? AND status = ?`,
		string(MailPending), lastError, key, userID, string(MailSending)).Error
	if err != nil {
		return fmt.Errorf("release mail %q for %q: %w", key, userID, err)
	}
	return nil
}

// MailsToSweep returns up to limit mails that still wait to be sent – pending, or 'sending' under
// a lease that ran out (its attempt died) – made before createdBefore, oldest first: the work of
// the MailOutboxSweep (issue 15), for mails whose Notify activity gave up while the server was away.
func (d *DB) MailsToSweep(ctx context.Context, now, createdBefore time.Time, limit int) ([]OutboxMail, error) {
	var rows []outboxModel
	err := d.gorm.WithContext(ctx).
		Where("created_at < ? AND (status = ? OR (status = ? AND (lease_until IS NULL OR lease_until < ?)))",
			utc(createdBefore), string(MailPending), string(MailSending), utc(now)).
		Order("created_at, notify_key, user_id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("mails to sweep: %w", err)
	}
	out := make([]OutboxMail, len(rows))
	for i, r := range rows {
		out[i] = r.mail()
	}
	return out, nil
}
