package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The SMTP mailer keeps its connections between messages (issue 16). These tests talk to a real
// SMTP server and check that reuse never loses, doubles or mixes up a message.

// sendOne sends a message to to and reports whether accepted was called.
func sendOne(t *testing.T, m *SMTPMailer, to string) (accepted bool, err error) {
	t.Helper()
	msg := []byte("Subject: test\r\n\r\nmail to " + to + "\r\n")
	err = m.Send(context.Background(), "noreply@samverkan.example", to, msg, func() { accepted = true })
	return accepted, err
}

func TestSMTPMailerSendsManyMessagesOverOneConnection(t *testing.T) {
	server := startMailServer(t)
	m := &SMTPMailer{Addr: server.addr}
	for i := range 5 {
		accepted, err := sendOne(t, m, fmt.Sprintf("user%d@example.org", i))
		require.NoError(t, err)
		require.True(t, accepted)
	}
	got := server.received()
	require.Len(t, got, 5)
	for i, r := range got {
		assert.Equal(t, []string{fmt.Sprintf("user%d@example.org", i)}, r.To, "message %d has its own envelope", i)
	}
	connections, _ := server.counts()
	assert.Equal(t, 1, connections)

	require.NoError(t, m.Close())
	require.Eventually(t, func() bool {
		server.mu.Lock()
		defer server.mu.Unlock()
		return server.open == 0
	}, 5*time.Second, 10*time.Millisecond, "Close says goodbye to the idle connection")
	_, err := sendOne(t, m, "late@example.org")
	require.NoError(t, err, "a closed mailer still sends, one connection a message")
	require.Len(t, server.received(), 6)
}

func TestSMTPMailerSendsOverANewConnectionWhenThePooledOneWentStale(t *testing.T) {
	server := startMailServer(t)
	m := &SMTPMailer{Addr: server.addr}
	_, err := sendOne(t, m, "first@example.org")
	require.NoError(t, err)
	server.hangUpAll() // the server restarted, or timed out the idle client

	accepted, err := sendOne(t, m, "second@example.org")
	require.NoError(t, err)
	require.True(t, accepted)
	got := server.received()
	require.Len(t, got, 2, "each message once")
	assert.Equal(t, []string{"second@example.org"}, got[1].To)
	connections, _ := server.counts()
	assert.Equal(t, 2, connections)
}

func TestSMTPMailerToAServerThatHangsUpAfterEachMessage(t *testing.T) {
	server := startMailServer(t)
	server.set(func(ms *mailServer) { ms.perConnection = 1 })
	m := &SMTPMailer{Addr: server.addr}
	for i := range 3 {
		accepted, err := sendOne(t, m, fmt.Sprintf("user%d@example.org", i))
		require.NoError(t, err, "message %d", i)
		require.True(t, accepted)
	}
	require.Len(t, server.received(), 3, "each message once")
	connections, _ := server.counts()
	assert.Equal(t, 3, connections)
}

func TestSMTPMailerARefusedRecipientLeavesTheConnectionCleanForTheNext(t *testing.T) {
	server := startMailServer(t)
	server.set(func(ms *mailServer) { ms.refuseRcpt = "nobody@example.org" })
	m := &SMTPMailer{Addr: server.addr}

	accepted, err := sendOne(t, m, "nobody@example.org")
	var refused *MailRejectedError
	require.True(t, errors.As(err, &refused), "got %v", err)
	require.Equal(t, "RCPT", refused.Stage)
	require.False(t, accepted)

	accepted, err = sendOne(t, m, "somebody@example.org")
	require.NoError(t, err)
	require.True(t, accepted)
	got := server.received()
	require.Len(t, got, 1)
	assert.Equal(t, []string{"somebody@example.org"}, got[0].To, "nothing of the refused transaction is left")
	connections, _ := server.counts()
	assert.Equal(t, 1, connections, "the refusal did not cost the connection")
}

func TestSMTPMailerAFailedSendDoesNotReturnItsConnection(t *testing.T) {
	server := startMailServer(t)
	m := &SMTPMailer{Addr: server.addr}
	server.dropNextData(1)
	accepted, err := sendOne(t, m, "first@example.org")
	require.Error(t, err)
	require.False(t, accepted)

	accepted, err = sendOne(t, m, "first@example.org")
	require.NoError(t, err)
	require.True(t, accepted)
	require.Len(t, server.received(), 1)
	connections, _ := server.counts()
	assert.Equal(t, 2, connections)
}

func TestSMTPMailerOpensAtMostMaxConns(t *testing.T) {
	server := startMailServer(t)
	m := &SMTPMailer{Addr: server.addr, MaxConns: 2}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := []byte(fmt.Sprintf("Subject: %d\r\n\r\nbody\r\n", i))
			errs <- m.Send(context.Background(), "noreply@samverkan.example", fmt.Sprintf("user%d@example.org", i), msg, nil)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, server.received(), 20)
	connections, mostOpen := server.counts()
	assert.LessOrEqual(t, mostOpen, 2)
	assert.LessOrEqual(t, connections, 2, "the connections were reused")
}

// BenchmarkSMTPMailerSend: one message at a time to a real SMTP server on the loopback, over a
// new connection per message (as before issue 16) and over a kept one.
func BenchmarkSMTPMailerSend(b *testing.B) {
	for _, bc := range []struct {
		name    string
		perConn int
	}{{"connection_per_message", 1}, {"kept_connection", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			server := startMailServer(b)
			m := &SMTPMailer{Addr: server.addr, MaxMessagesPerConn: bc.perConn}
			defer m.Close()
			msg := []byte("Subject: bench\r\n\r\nbody\r\n")
			for b.Loop() {
				if err := m.Send(context.Background(), "noreply@samverkan.example", "user@example.org", msg, nil); err != nil {
					b.Fatal(err)
				}
			}
			connections, _ := server.counts()
			b.ReportMetric(float64(connections)/float64(b.N), "connections/op")
		})
	}
}
