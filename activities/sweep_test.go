package activities

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// TestSweepSendsWhatNotifyGaveUpOnOnce: the mail server is away for longer than Notify's retry
// budget, so the activity gives up and the mails stay pending (before issue 15: for ever). Once
// the server answers, a sweep sends each waiting mail once; another sweep, and Notify's own late
// retry, send nothing more.
func TestSweepSendsWhatNotifyGaveUpOnOnce(t *testing.T) {
	f := newNotifyFixture(t)
	down, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	downAddr := down.Addr().String()
	require.NoError(t, down.Close()) // nothing listens there now
	up := f.a.Mail.Mailer
	f.a.Mail.Mailer = &SMTPMailer{Addr: downAddr, Timeout: 2 * time.Second}
	req := reminderTo("case-x/acknowledge/1/1", casework.Assignee{UnitID: "norrkoping-skola-1", Role: casework.RoleNamedPerson})
	_, err = f.a.Notify(context.Background(), req)
	require.Error(t, err, "the server is away")
	res, err := f.a.SweepMailOutbox(context.Background())
	require.NoError(t, err)
	require.Zero(t, res.Waiting, "a fresh mail is left to its own activity")

	f.clock.Advance(time.Hour + time.Minute)
	waiting := func() int64 {
		n, err := f.db.MailsWaiting(context.Background(), f.clock.Now().Add(-db.MailWaitingTooLong), "norrkoping-skola-1")
		require.NoError(t, err)
		return n
	}
	require.Positive(t, waiting(), "the unit's supervisor sees mails waiting over an hour")
	_, err = f.a.SweepMailOutbox(context.Background())
	require.Error(t, err, "the server is still away: the sweep fails, the schedule's next run tries again")
	require.Empty(t, f.server.received())

	f.a.Mail.Mailer = up
	res, err = f.a.SweepMailOutbox(context.Background())
	require.NoError(t, err)
	require.Positive(t, res.Waiting)
	require.Equal(t, res.Waiting, res.Mailed)
	sent := len(f.server.received())
	require.Equal(t, res.Mailed, sent)

	res, err = f.a.SweepMailOutbox(context.Background())
	require.NoError(t, err)
	require.Zero(t, res.Waiting)
	late, err := f.a.Notify(context.Background(), req)
	require.NoError(t, err)
	require.Zero(t, late.Mailed)
	require.Len(t, f.server.received(), sent, "exactly once")
	require.Zero(t, waiting())
	require.Equal(t, db.MailSent, f.outbox(t, req.Key, "bertil.rektor").Status)
}
