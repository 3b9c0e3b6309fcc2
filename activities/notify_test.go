package activities

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

const (
	testCaseID    = "kx7f3q-ab12c"
	testFrom      = "Samverkan <noreply@samverkan.example>"
	testPublicURL = "https://samverkan.example.org/"
	school        = "norrkoping-skola-1"
)

// notifyFixture is a migrated database with the demo directory, a real SMTP server and the
// activities wired to both, with a clock the test moves.
type notifyFixture struct {
	db     *db.DB
	server *mailServer
	a      *Activities
	clock  *testClock
	logs   *syncBuffer
}

func newNotifyFixture(t testing.TB, opts ...db.Options) *notifyFixture {
	t.Helper()
	var d *db.DB
	if len(opts) == 0 {
		d = dbtest.Open(t)
	} else {
		d = dbtest.OpenWith(t, opts[0])
		_, err := d.Migrate(context.Background())
		require.NoError(t, err)
	}
	require.NoError(t, d.SeedDemo(context.Background()))
	f := &notifyFixture{db: d, server: startMailServer(t), clock: &testClock{t: time.Now()}, logs: &syncBuffer{}}
	f.a = &Activities{DB: d, Now: f.clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.MultiWriter(f.logs, testWriter{t}), &slog.HandlerOptions{Level: slog.LevelInfo})),
		Mail:   MailSettings{Mailer: &SMTPMailer{Addr: f.server.addr}, From: testFrom, PublicURL: testPublicURL}}
	return f
}

func reminderTo(key string, recipients ...casework.Assignee) NotifyRequest {
	due := time.Date(2026, 11, 30, 23, 59, 59, 0, casework.Stockholm)
	return NotifyRequest{Key: key, CaseID: testCaseID, Kind: NotifyReminder, DeadlineKind: casework.DeadlineAcknowledge,
		DueAt: &due, Subject: "Påminnelse: ärende " + testCaseID + " ska tas emot",
		Text:       "Tidsgränsen för att ta emot ärende " + testCaseID + " går ut 2026-11-30 23:59. Öppna ärendet och ta ställning.",
		Recipients: recipients}
}

func (f *notifyFixture) mailsTo(t *testing.T, userID string) []*mail.Message {
	t.Helper()
	u, err := f.db.User(context.Background(), userID)
	require.NoError(t, err)
	var out []*mail.Message
	for _, m := range f.server.received() {
		if len(m.To) == 1 && m.To[0] == u.Email {
			msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
			require.NoError(t, err)
			out = append(out, msg)
		}
	}
	return out
}

func (f *notifyFixture) inApp(t *testing.T, userID string) []db.Notification {
	t.Helper()
	page, err := f.db.ListNotifications(context.Background(), db.NotificationQuery{UserID: userID})
	require.NoError(t, err)
	return page.Items
}

func (f *notifyFixture) outbox(t testing.TB, key, userID string) db.OutboxMail {
	t.Helper()
	row, err := f.db.OutboxMail(context.Background(), key, userID)
	require.NoError(t, err)
	return row
}

// TestNotify runs the activity against a real database (SQLite, or PostgreSQL with
// SAMVERKAN_TEST_DATABASE_URL) and a real SMTP server.
func TestNotify(t *testing.T) {
	ctx := context.Background()
	f := newNotifyFixture(t)
	bertil := casework.Assignee{UserID: "bertil.rektor"}

	t.Run("a notification sent twice is one mail and one in-app notification per user", func(t *testing.T) {
		req := reminderTo("case-x/acknowledge/1/1", bertil)
		res, err := f.a.Notify(ctx, req)
		require.NoError(t, err)
		require.Equal(t, NotifyResult{Users: 1, Mailed: 1}, res)
		res, err = f.a.Notify(ctx, req)
		require.NoError(t, err)
		require.Equal(t, NotifyResult{Users: 1, AlreadySent: 1}, res)

		require.Len(t, f.mailsTo(t, "bertil.rektor"), 1)
		require.Len(t, f.inApp(t, "bertil.rektor"), 1)
		row := f.outbox(t, req.Key, "bertil.rektor")
		require.Equal(t, db.MailSent, row.Status)
		require.Equal(t, 1, row.Attempts)
	})

	t.Run("unit and role recipients resolve to their holders, each user once", func(t *testing.T) {
		req := reminderTo("case-x/summon/1/missed",
			casework.Assignee{UnitID: school, Role: casework.RoleSupervisor}, casework.Assignee{UserID: "david.chef"},
			casework.Assignee{UnitID: school, Role: casework.RoleNamedPerson})
		req.Kind = NotifyDeadlineMissed
		res, err := f.a.Notify(ctx, req)
		require.NoError(t, err)
		require.Equal(t, NotifyResult{Users: 2, Mailed: 2}, res, "david.chef as supervisor and by name, bertil.rektor as named person")
		require.Len(t, f.mailsTo(t, "david.chef"), 1)
		require.Len(t, f.mailsTo(t, "bertil.rektor"), 2, "this and the reminder before")
		got := f.inApp(t, "david.chef")
		require.Len(t, got, 1)
		require.Equal(t, string(NotifyDeadlineMissed), got[0].Kind)
		require.Equal(t, testCaseID, got[0].CaseID)
		require.Equal(t, casework.DeadlineAcknowledge, got[0].DeadlineKind)
		require.True(t, req.DueAt.Equal(*got[0].DueAt))
	})

	t.Run("the mail carries the subject, the text and a link to the case, and no personal data", func(t *testing.T) {
		req := reminderTo("case-x/acknowledge/1/2", bertil)
		_, err := f.a.Notify(ctx, req)
		require.NoError(t, err)
		msgs := f.mailsTo(t, "bertil.rektor")
		msg := msgs[len(msgs)-1]
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		require.NoError(t, err)
		require.Equal(t, req.Subject, subject)
		require.NotContains(t, msg.Header.Get("Subject"), "å", "non-ASCII is encoded")
		require.Equal(t, "text/plain; charset=utf-8", msg.Header.Get("Content-Type"))
		require.Equal(t, "auto-generated", msg.Header.Get("Auto-Submitted"))
		from, err := msg.Header.AddressList("From")
		require.NoError(t, err)
		require.Equal(t, "noreply@samverkan.example", from[0].Address)
		date, err := msg.Header.Date()
		require.NoError(t, err)
		require.WithinDuration(t, f.clock.Now(), date, time.Second)
		require.Equal(t, messageID(req.Key, "bertil.rektor", "noreply@samverkan.example"), msg.Header.Get("Message-ID"))

		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		require.NoError(t, err)
		want := req.Text + "\r\n\r\nÖppna ärendet: https://samverkan.example.org/arenden/" + testCaseID + "\r\n\r\n" +
			"Det här mejlet innehåller avsiktligt inga personuppgifter. Logga in i Samverkan för att läsa ärendet.\r\n"
		require.Equal(t, want, string(body))
	})

	t.Run("a text with a personal identity number is refused before anything is recorded", func(t *testing.T) {
		for i, text := range []string{"Gäller 20120315-9817.", "Gäller 201203159817.", "Gäller 120315-9817, se ärendet."} {
			req := reminderTo(fmt.Sprintf("case-x/pnr/%d", i), bertil)
			req.Text = text
			_, err := f.a.Notify(ctx, req)
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr, text)
			require.True(t, appErr.NonRetryable())
			require.Equal(t, ErrKindInvalid, appErr.Type())
			require.NotContains(t, err.Error(), "9817", "the error never quotes it")
			_, err = f.db.OutboxMail(ctx, req.Key, "bertil.rektor")
			require.ErrorIs(t, err, db.ErrNotFound)
		}
		require.False(t, holdsPersonalNumber("Tidsgränsen går ut 2026-11-30 23:59 (ärende "+testCaseID+", 10 arbetsdagar).", time.Now()))
		for _, m := range f.server.received() {
			require.NotContains(t, string(m.Data), "9817")
		}
	})

	t.Run("a user without an address gets the notification in the app only", func(t *testing.T) {
		require.NoError(t, f.db.Gorm().Exec(`INSERT INTO users (id, display_name, title, email) VALUES ('olle.utanadress', 'Olle', '', '')`).Error)
		req := reminderTo("case-x/acknowledge/1/3", casework.Assignee{UserID: "olle.utanadress"})
		for range 2 {
			res, err := f.a.Notify(ctx, req)
			require.NoError(t, err)
			require.Equal(t, NotifyResult{Users: 1, NoAddress: 1}, res)
		}
		require.Len(t, f.inApp(t, "olle.utanadress"), 1)
		require.Equal(t, db.MailNoAddress, f.outbox(t, req.Key, "olle.utanadress").Status)
	})

	t.Run("a recipient who reaches nobody is counted, the others notified", func(t *testing.T) {
		req := reminderTo("case-x/acknowledge/1/4", casework.Assignee{UserID: "no.such.user"},
			casework.Assignee{UnitID: school, Role: casework.RoleSteering}, casework.Assignee{UnitID: "no-such-unit", Role: casework.RoleSupervisor},
			casework.Assignee{UserID: "frida.bup"})
		res, err := f.a.Notify(ctx, req)
		require.NoError(t, err)
		require.Equal(t, NotifyResult{Users: 1, Mailed: 1, Unresolved: 3}, res)
	})

	t.Run("a malformed request is refused for good", func(t *testing.T) {
		for name, req := range map[string]NotifyRequest{
			"no recipients":           reminderTo("case-x/bad/1"),
			"a unit without a role":   reminderTo("case-x/bad/2", casework.Assignee{UnitID: school}),
			"a subject of two lines":  func() NotifyRequest { r := reminderTo("case-x/bad/3", bertil); r.Subject = "a\r\nBcc: x"; return r }(),
			"no key":                  reminderTo("", bertil),
			"an empty text":           func() NotifyRequest { r := reminderTo("case-x/bad/4", bertil); r.Text = " "; return r }(),
			"a role that is no role":  reminderTo("case-x/bad/5", casework.Assignee{UnitID: school, Role: "rektor"}),
			"no case":                 func() NotifyRequest { r := reminderTo("case-x/bad/6", bertil); r.CaseID = ""; return r }(),
			"no kind of notification": func() NotifyRequest { r := reminderTo("case-x/bad/7", bertil); r.Kind = ""; return r }(),
		} {
			_, err := f.a.Notify(ctx, req)
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr, name)
			require.True(t, appErr.NonRetryable(), name)
		}
	})

	t.Run("a recipient the server refuses for good is not retried", func(t *testing.T) {
		frida, err := f.db.User(ctx, "frida.bup")
		require.NoError(t, err)
		f.server.set(func(ms *mailServer) { ms.refuseRcpt = frida.Email })
		defer f.server.set(func(ms *mailServer) { ms.refuseRcpt = "" })
		req := reminderTo("case-x/acknowledge/1/5", casework.Assignee{UserID: "frida.bup"}, bertil)
		res, err := f.a.Notify(ctx, req)
		require.NoError(t, err)
		require.Equal(t, NotifyResult{Users: 2, Mailed: 1, Rejected: 1}, res)
		row := f.outbox(t, req.Key, "frida.bup")
		require.Equal(t, db.MailPending, row.Status)
		require.Contains(t, row.LastError, "550")
		require.NotContains(t, row.LastError, frida.Email, "the reason never holds the address")
	})

	t.Run("with mail off the mails wait in the outbox as pending, and that is said once", func(t *testing.T) {
		off := &Activities{DB: f.db, Logger: f.a.Logger, Now: f.clock.Now, Mail: MailSettings{PublicURL: testPublicURL}}
		before := strings.Count(f.logs.String(), "mail is off")
		for i, key := range []string{"case-x/off/1", "case-x/off/2"} {
			res, err := off.Notify(ctx, reminderTo(key, casework.Assignee{UserID: "cecilia.socialsekreterare"}))
			require.NoError(t, err, i)
			require.Equal(t, NotifyResult{Users: 1, Pending: 1}, res)
			require.Equal(t, db.MailPending, f.outbox(t, key, "cecilia.socialsekreterare").Status)
		}
		require.Len(t, f.inApp(t, "cecilia.socialsekreterare"), 2)
		require.Empty(t, f.mailsTo(t, "cecilia.socialsekreterare"))
		require.Equal(t, before+1, strings.Count(f.logs.String(), "mail is off"))
	})

	t.Run("registered under its name it runs as an activity and heartbeats", func(t *testing.T) {
		var suite testsuite.WorkflowTestSuite
		env := suite.NewTestActivityEnvironment()
		env.RegisterActivityWithOptions(f.a.Notify, activity.RegisterOptions{Name: NameNotify})
		var mu sync.Mutex
		beats := 0
		env.SetOnActivityHeartbeatListener(func(*activity.Info, converter.EncodedValues) { mu.Lock(); beats++; mu.Unlock() })
		val, err := env.ExecuteActivity(NameNotify, reminderTo("case-x/acknowledge/1/6",
			casework.Assignee{UnitID: school, Role: casework.RoleSupervisor}, bertil))
		require.NoError(t, err)
		var res NotifyResult
		require.NoError(t, val.Get(&res))
		require.Equal(t, NotifyResult{Users: 2, Mailed: 2}, res)
		mu.Lock()
		require.Positive(t, beats, "one before each recipient after the first, which the SDK may throttle into fewer")
		beats = 0
		mu.Unlock()

		_, err = env.ExecuteActivity(NameNotify, reminderTo("case-x/acknowledge/1/7", bertil))
		require.NoError(t, err)
		mu.Lock()
		defer mu.Unlock()
		require.Zero(t, beats, "a notification to one user sends no heartbeat: each is a write to the history shard (issue 16)")
	})

	t.Run("logs name users and cases, never an address", func(t *testing.T) {
		require.Contains(t, f.logs.String(), "mail sent")
		require.NotContains(t, f.logs.String(), "@")
	})
}

func TestNotifyAuthenticatesWithPlain(t *testing.T) {
	f := newNotifyFixture(t)
	f.server.set(func(ms *mailServer) { ms.user, ms.password = "samverkan", "hemligt" })
	req := reminderTo("case-x/auth/1", casework.Assignee{UserID: "bertil.rektor"})
	_, err := f.a.Notify(context.Background(), req)
	require.Error(t, err, "without credentials the server refuses MAIL")
	require.Equal(t, db.MailPending, f.outbox(t, req.Key, "bertil.rektor").Status)

	f.a.Mail.Mailer = &SMTPMailer{Addr: f.server.addr, Username: "samverkan", Password: "hemligt"}
	res, err := f.a.Notify(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, 1, res.Mailed)
	require.Len(t, f.server.received(), 1)
}

// TestNotifyRetriedAfterTheServerDropsTheConnectionMidDataMailsOnce: the server cuts the line in the
// middle of the message on the first attempt and so discards it; the retry sends it, once.
func TestNotifyRetriedAfterTheServerDropsTheConnectionMidDataMailsOnce(t *testing.T) {
	ctx := context.Background()
	f := newNotifyFixture(t)
	req := reminderTo("case-x/acknowledge/1/1", casework.Assignee{UserID: "bertil.rektor"}, casework.Assignee{UserID: "david.chef"})
	f.server.dropNextData(1)

	_, err := f.a.Notify(ctx, req)
	require.Error(t, err, "a lost connection fails the attempt, so Temporal retries it")
	require.Len(t, f.server.received(), 1, "the other recipient's mail went out")
	require.Len(t, f.mailsTo(t, "bertil.rektor"), 0, "the cut-off message was discarded")
	row := f.outbox(t, req.Key, "bertil.rektor")
	require.Equal(t, db.MailPending, row.Status)
	require.Equal(t, 1, row.Attempts)
	require.NotEmpty(t, row.LastError)

	res, err := f.a.Notify(ctx, req)
	require.NoError(t, err)
	require.Equal(t, NotifyResult{Users: 2, Mailed: 1, AlreadySent: 1}, res)
	_, err = f.a.Notify(ctx, req)
	require.NoError(t, err)
	require.Len(t, f.mailsTo(t, "bertil.rektor"), 1)
	require.Len(t, f.mailsTo(t, "david.chef"), 1)
	require.Equal(t, 2, f.outbox(t, req.Key, "bertil.rektor").Attempts)
	require.Len(t, f.inApp(t, "bertil.rektor"), 1)
}

// TestNotifyCancelledMidSendMailsOnceOnRetry: the activity's context ends (a timeout, a worker
// shutting down) while the message is half written; the connection is closed at once, the server
// discards the message, the mail is released, and the retry sends it once.
func TestNotifyCancelledMidSendMailsOnceOnRetry(t *testing.T) {
	f := newNotifyFixture(t)
	req := reminderTo("case-x/acknowledge/1/1", casework.Assignee{UserID: "bertil.rektor"})
	stalled := make(chan struct{}, 1)
	f.a.Mail.Mailer = &SMTPMailer{Addr: f.server.addr, DialContext: stallingDialer(stalled)}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := f.a.Notify(ctx, req)
		errc <- err
	}()
	select {
	case <-stalled:
	case <-time.After(30 * time.Second):
		t.Fatal("the send never reached the message")
	}
	cancel()
	select {
	case err := <-errc:
		require.Error(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("a cancelled send did not return")
	}
	require.Equal(t, db.MailPending, f.outbox(t, req.Key, "bertil.rektor").Status, "released for the next attempt")
	require.Empty(t, f.server.received())

	f.a.Mail.Mailer = &SMTPMailer{Addr: f.server.addr}
	res, err := f.a.Notify(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, 1, res.Mailed)
	require.Len(t, f.server.received(), 1)
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
