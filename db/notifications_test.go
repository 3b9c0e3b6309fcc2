package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func notification(key, user string, created time.Time) db.Notification {
	due := created.Add(48 * time.Hour)
	return db.Notification{Key: key, UserID: user, CaseID: "case-1", Kind: "reminder",
		DeadlineKind: casework.DeadlineAcknowledge, DueAt: &due, Subject: "Påminnelse: ärende case-1",
		Text: "Ärendet ska tas emot senast " + due.Format("2006-01-02") + ".", CreatedAt: created}
}

func TestNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	base := time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)

	t.Run("a notification recorded twice is stored once, as first recorded", func(t *testing.T) {
		first, created, err := d.RecordNotification(ctx, notification("k-once", "bertil.rektor", base))
		require.NoError(t, err)
		require.True(t, created)
		again := notification("k-once", "bertil.rektor", base.Add(time.Hour))
		again.Text = "en annan text"
		second, created, err := d.RecordNotification(ctx, again)
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, first, second)
		require.Equal(t, "Ärendet ska tas emot senast 2026-11-28.", second.Text)
		require.True(t, base.Equal(second.CreatedAt))
		require.Equal(t, casework.DeadlineAcknowledge, second.DeadlineKind)

		other, created, err := d.RecordNotification(ctx, notification("k-once", "david.chef", base))
		require.NoError(t, err)
		require.True(t, created, "the same key is another notification for another user")
		require.NotEqual(t, first.ID, other.ID)
	})

	t.Run("a user's list is theirs, newest first, a page at a time", func(t *testing.T) {
		for i := range 5 {
			_, _, err := d.RecordNotification(ctx, notification(fmt.Sprintf("k-list-%d", i), "frida.bup", base.Add(time.Duration(i)*time.Minute)))
			require.NoError(t, err)
		}
		// Two at the same instant: the ID orders them, and the cursor neither repeats nor skips one.
		for _, k := range []string{"k-list-tie-a", "k-list-tie-b"} {
			_, _, err := d.RecordNotification(ctx, notification(k, "frida.bup", base.Add(2*time.Minute)))
			require.NoError(t, err)
		}
		_, _, err := d.RecordNotification(ctx, notification("k-list-other", "karin.verksamhetschef", base.Add(time.Hour)))
		require.NoError(t, err)

		var keys []string
		cursor := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			page, err := d.ListNotifications(ctx, db.NotificationQuery{UserID: "frida.bup", Limit: 2, Cursor: cursor})
			require.NoError(t, err)
			require.EqualValues(t, 7, page.Unread)
			for _, n := range page.Items {
				require.Equal(t, "frida.bup", n.UserID)
				keys = append(keys, n.Key)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		require.Len(t, keys, 7)
		require.Equal(t, []string{"k-list-4", "k-list-3"}, keys[:2])
		require.ElementsMatch(t, []string{"k-list-2", "k-list-tie-a", "k-list-tie-b"}, keys[2:5])
		require.Equal(t, []string{"k-list-1", "k-list-0"}, keys[5:])
	})

	t.Run("reading marks only the owner's, once, and the unread list leaves it out", func(t *testing.T) {
		mine, _, err := d.RecordNotification(ctx, notification("k-read", "cecilia.socialsekreterare", base))
		require.NoError(t, err)
		_, err = d.MarkNotificationRead(ctx, "bertil.rektor", mine.ID, base)
		require.ErrorIs(t, err, db.ErrNotFound, "another user's notification is not found")
		_, err = d.MarkNotificationRead(ctx, "cecilia.socialsekreterare", "no-such-id", base)
		require.ErrorIs(t, err, db.ErrNotFound)

		readAt := base.Add(3 * time.Hour)
		read, err := d.MarkNotificationRead(ctx, "cecilia.socialsekreterare", mine.ID, readAt)
		require.NoError(t, err)
		require.NotNil(t, read.ReadAt)
		require.True(t, readAt.Equal(*read.ReadAt))
		again, err := d.MarkNotificationRead(ctx, "cecilia.socialsekreterare", mine.ID, readAt.Add(time.Hour))
		require.NoError(t, err)
		require.True(t, readAt.Equal(*again.ReadAt), "the first reading stays")

		_, _, err = d.RecordNotification(ctx, notification("k-unread", "cecilia.socialsekreterare", base.Add(time.Minute)))
		require.NoError(t, err)
		page, err := d.ListNotifications(ctx, db.NotificationQuery{UserID: "cecilia.socialsekreterare", UnreadOnly: true})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.Equal(t, "k-unread", page.Items[0].Key)
		require.EqualValues(t, 1, page.Unread)
		page, err = d.ListNotifications(ctx, db.NotificationQuery{UserID: "cecilia.socialsekreterare"})
		require.NoError(t, err)
		require.Len(t, page.Items, 2)
	})

	t.Run("a cursor nobody gave out is refused", func(t *testing.T) {
		_, err := d.ListNotifications(ctx, db.NotificationQuery{UserID: "frida.bup", Cursor: "not-a-cursor"})
		require.ErrorIs(t, err, db.ErrInvalidCursor)
	})
}

func TestMailOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	now := time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)
	mail := func(key, to string) db.OutboxMail {
		return db.OutboxMail{Key: key, UserID: "bertil.rektor", To: to, Subject: "Påminnelse", Body: "Öppna ärendet", CreatedAt: now}
	}

	t.Run("a mail enqueued twice is one row, as first enqueued", func(t *testing.T) {
		first, err := d.EnqueueMail(ctx, mail("k-enqueue", "bertil@example.org"))
		require.NoError(t, err)
		require.Equal(t, db.MailPending, first.Status)
		second, err := d.EnqueueMail(ctx, mail("k-enqueue", "annan@example.org"))
		require.NoError(t, err)
		require.Equal(t, first, second)
	})

	t.Run("a user without an address gets no_address, which is never claimed", func(t *testing.T) {
		row, err := d.EnqueueMail(ctx, mail("k-none", ""))
		require.NoError(t, err)
		require.Equal(t, db.MailNoAddress, row.Status)
		_, claimed, err := d.ClaimMail(ctx, "k-none", "bertil.rektor", now, now.Add(time.Minute))
		require.NoError(t, err)
		require.False(t, claimed)
	})

	t.Run("claim, fail, claim again, send: then nothing claims it", func(t *testing.T) {
		_, err := d.EnqueueMail(ctx, mail("k-life", "bertil@example.org"))
		require.NoError(t, err)
		row, claimed, err := d.ClaimMail(ctx, "k-life", "bertil.rektor", now, now.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, claimed)
		require.Equal(t, db.MailSending, row.Status)
		require.Equal(t, 1, row.Attempts)

		_, claimed, err = d.ClaimMail(ctx, "k-life", "bertil.rektor", now.Add(30*time.Second), now.Add(90*time.Second))
		require.NoError(t, err)
		require.False(t, claimed, "another attempt's lease is running")

		require.NoError(t, d.ReleaseMail(ctx, "k-life", "bertil.rektor", "dial: connection refused"))
		row, err = d.OutboxMail(ctx, "k-life", "bertil.rektor")
		require.NoError(t, err)
		require.Equal(t, db.MailPending, row.Status)
		require.Equal(t, "dial: connection refused", row.LastError)

		row, claimed, err = d.ClaimMail(ctx, "k-life", "bertil.rektor", now, now.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, claimed)
		require.Equal(t, 2, row.Attempts)
		require.NoError(t, d.MarkMailSent(ctx, "k-life", "bertil.rektor", now.Add(time.Second)))
		row, err = d.OutboxMail(ctx, "k-life", "bertil.rektor")
		require.NoError(t, err)
		require.Equal(t, db.MailSent, row.Status)
		require.NotNil(t, row.SentAt)
		require.Empty(t, row.LastError)
		require.Nil(t, row.LeaseUntil)

		_, claimed, err = d.ClaimMail(ctx, "k-life", "bertil.rektor", now.Add(time.Hour), now.Add(2*time.Hour))
		require.NoError(t, err)
		require.False(t, claimed, "a sent mail is never claimed again")
		require.NoError(t, d.ReleaseMail(ctx, "k-life", "bertil.rektor", "late"), "releasing a sent mail changes nothing")
		row, err = d.OutboxMail(ctx, "k-life", "bertil.rektor")
		require.NoError(t, err)
		require.Equal(t, db.MailSent, row.Status)
	})

	t.Run("the lease of an attempt that died runs out, and the next attempt takes it", func(t *testing.T) {
		_, err := d.EnqueueMail(ctx, mail("k-dead", "bertil@example.org"))
		require.NoError(t, err)
		_, claimed, err := d.ClaimMail(ctx, "k-dead", "bertil.rektor", now, now.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, claimed)
		row, claimed, err := d.ClaimMail(ctx, "k-dead", "bertil.rektor", now.Add(61*time.Second), now.Add(121*time.Second))
		require.NoError(t, err)
		require.True(t, claimed)
		require.Equal(t, 2, row.Attempts)
	})

	t.Run("a claim returns the row as stored", func(t *testing.T) {
		_, err := d.EnqueueMail(ctx, mail("k-returning", "bertil@example.org"))
		require.NoError(t, err)
		claimedRow, claimed, err := d.ClaimMail(ctx, "k-returning", "bertil.rektor", now, now.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, claimed)
		stored, err := d.OutboxMail(ctx, "k-returning", "bertil.rektor")
		require.NoError(t, err)
		require.Equal(t, stored, claimedRow)
		require.Equal(t, now.Add(time.Minute), *claimedRow.LeaseUntil)
	})

	t.Run("a notice stores the notification and its mail once, as first recorded", func(t *testing.T) {
		n := db.Notification{Key: "k-notice", UserID: "bertil.rektor", CaseID: "case-1", Kind: "reminder",
			Subject: "Påminnelse", Text: "Tidsgränsen går ut", CreatedAt: now}
		first, err := d.RecordNotice(ctx, n, mail("k-notice", "bertil@example.org"))
		require.NoError(t, err)
		require.Equal(t, db.MailPending, first.Status)
		again, err := d.RecordNotice(ctx, n, mail("k-notice", "annan@example.org"))
		require.NoError(t, err)
		require.Equal(t, first, again)
		page, err := d.ListNotifications(ctx, db.NotificationQuery{UserID: "bertil.rektor"})
		require.NoError(t, err)
		found := 0
		for _, item := range page.Items {
			if item.Key == "k-notice" {
				found++
			}
		}
		require.Equal(t, 1, found)

		_, err = d.RecordNotice(ctx, db.Notification{Key: "k-other", UserID: "bertil.rektor", CaseID: "case-1", Kind: "reminder",
			Subject: "Påminnelse", Text: "Tidsgränsen går ut"}, mail("k-notice-2", "bertil@example.org"))
		require.Error(t, err, "a mail that is not the notification's")
		bodiless := mail("k-bad", "bertil@example.org")
		bodiless.Body = ""
		_, err = d.RecordNotice(ctx, db.Notification{Key: "k-bad", UserID: "bertil.rektor", CaseID: "case-1", Kind: "reminder",
			Subject: "Påminnelse", Text: "Tidsgränsen går ut", CreatedAt: now}, bodiless)
		require.Error(t, err, "a mail without a body")
		page, err = d.ListNotifications(ctx, db.NotificationQuery{UserID: "bertil.rektor"})
		require.NoError(t, err)
		for _, item := range page.Items {
			require.NotEqual(t, "k-bad", item.Key, "the notification of a notice whose mail was refused is not stored")
		}
	})

	t.Run("of attempts claiming at once exactly one gets it", func(t *testing.T) {
		_, err := d.EnqueueMail(ctx, mail("k-race", "bertil@example.org"))
		require.NoError(t, err)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 8 {
			wg.Go(func() {
				_, claimed, err := d.ClaimMail(ctx, "k-race", "bertil.rektor", now, now.Add(time.Minute))
				assert.NoError(t, err)
				if claimed {
					mu.Lock()
					won++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		require.Equal(t, 1, won)
	})
}

func TestUsersWithRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	users, err := d.UsersWithRole(ctx, school, casework.RoleSupervisor)
	require.NoError(t, err)
	require.Len(t, users, 1)
	require.Equal(t, "david.chef", users[0].ID)
	require.NotEmpty(t, users[0].Email)

	users, err = d.UsersWithRole(ctx, school, casework.RoleSteering)
	require.NoError(t, err)
	require.Empty(t, users)

	_, err = d.UsersWithRole(ctx, "no-such-unit", casework.RoleSupervisor)
	require.ErrorIs(t, err, db.ErrNotFound)
}
