package activities

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// TestNotifyMarksSentOnTheReplyToDataNotToQuit: the server has answered 250 to the end of the
// message and then never answers QUIT (or the worker dies in that round trip). The mail is the
// server's from that 250, so the outbox must say `sent` by then: before issue 15 it said so only
// after QUIT's reply, and a worker killed meanwhile left a `sending` row that a retry sent again –
// a duplicate window as long as the send timeout (20 s), not the round trip the README admits.
func TestNotifyMarksSentOnTheReplyToDataNotToQuit(t *testing.T) {
	f := newNotifyFixture(t)
	req := reminderTo("case-x/acknowledge/1/1", casework.Assignee{UserID: "bertil.rektor"})
	quitting := make(chan struct{}, 1)
	// One message per connection, so that the goodbye follows the message at once (issue 16 keeps
	// connections open between messages; one is said goodbye to after its last).
	f.a.Mail.Mailer = &SMTPMailer{Addr: f.server.addr, MaxMessagesPerConn: 1, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &quitStallingConn{Conn: c, quitting: quitting, closed: make(chan struct{})}, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = f.a.Notify(ctx, req)
	}()
	select {
	case <-quitting:
	case <-time.After(30 * time.Second):
		t.Fatal("the send never reached QUIT")
	}
	require.Len(t, f.server.received(), 1, "the server has the message")
	require.Eventually(t, func() bool {
		return f.outbox(t, req.Key, "bertil.rektor").Status == db.MailSent
	}, 3*time.Second, 20*time.Millisecond, "the outbox does not say sent while QUIT's reply is awaited")
	cancel() // the worker goes away before QUIT's reply
	<-done
	require.Equal(t, db.MailSent, f.outbox(t, req.Key, "bertil.rektor").Status)

	// The retry a dead worker's activity gets sends nothing more.
	f.a.Mail.Mailer = &SMTPMailer{Addr: f.server.addr}
	res, err := f.a.Notify(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, 1, res.AlreadySent)
	require.Len(t, f.server.received(), 1)
}

// quitStallingConn passes everything but QUIT, which it holds until the connection is closed.
type quitStallingConn struct {
	net.Conn
	quitting  chan<- struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *quitStallingConn) Write(p []byte) (int, error) {
	if string(p) == "QUIT\r\n" {
		c.quitting <- struct{}{}
		<-c.closed
		return 0, net.ErrClosed
	}
	return c.Conn.Write(p)
}

func (c *quitStallingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
