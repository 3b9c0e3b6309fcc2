package db

import (
	"context"
	"fmt"
	"time"
)

// MailWaitingTooLong is how long a mail may wait in the outbox before a supervisor and the metrics
// are told (issue 15): Notify and the sweep retry within minutes, so an hour means the mail server
// or its configuration needs a person.
const MailWaitingTooLong = time.Hour

// MailsWaiting counts the mails not sent – pending, or 'sending' – that were made before before;
// with unitIDs, only mails to people who hold a role in one of those units.
func (d *DB) MailsWaiting(ctx context.Context, before time.Time, unitIDs ...string) (int64, error) {
	q := d.gorm.WithContext(ctx).Table("mail_outbox").
		Where("status IN ? AND created_at < ?", []string{string(MailPending), string(MailSending)}, utc(before))
	if len(unitIDs) > 0 {
		q = q.Where("user_id IN (SELECT user_id FROM user_roles WHERE unit_id IN ?)", unitIDs)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count mails waiting: %w", err)
	}
	return n, nil
}
