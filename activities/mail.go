package activities

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Mailer hands one message to a mail server. The moment the server takes responsibility for the
// message – its 250 reply to the end of DATA – Send calls accepted (if not nil), before it says
// goodbye, so the outbox records `sent` without waiting for QUIT's round trip: that is the whole
// duplicate window (issue 15). Send returns nil once accepted was called and an error otherwise; a
// *MailRejectedError when the server refused the recipient or the message for good.
type Mailer interface {
	Send(ctx context.Context, from, to string, msg []byte, accepted func()) error
}

// MailSettings say how Notify mails. The zero value is mail off: notifications are shown in the app
// and their mails wait in the outbox as pending.
type MailSettings struct {
	Mailer    Mailer
	From      string // the From header, "Name <address>" or an address; its address is the envelope sender
	PublicURL string // base of the link to the case, e.g. https://samverkan.example.org
}

// MailRejectedError is a refusal by the server that sending again will not change: a 5xx reply to
// RCPT TO (no such mailbox) or to the end of DATA (the message refused).
type MailRejectedError struct {
	Stage string // "RCPT" or "DATA"
	Code  int
	Msg   string
}

func (e *MailRejectedError) Error() string {
	return fmt.Sprintf("mail server refused at %s: %d %s", e.Stage, e.Code, e.Msg)
}

// SMTPMailer sends over SMTP with the standard library's client: STARTTLS whenever the server
// offers it (verifying its certificate), and PLAIN authentication when Username is set – which the
// client refuses over an unencrypted connection to anything but localhost.
//
// It keeps the connections it opened and sends the next message over one of them – a new MAIL FROM
// after the last message's 250, as RFC 5321 §3.3 lets a client – so a morning of reminders is not a
// TCP handshake, greeting, EHLO, STARTTLS, AUTH and QUIT per mail (issue 16). Reuse changes nothing
// of what a message is: each is still one transaction that the server owns only once it answered
// 250 to the final ".", and accepted is still called right then. A connection is reused only after
// a complete exchange; after a refusal (a 4xx or 5xx reply) only if RSET then succeeds; after a lost
// connection, a timeout or a cancelled send, never. A pooled connection the server closed meanwhile
// fails at MAIL FROM, before anything of the message was sent, and the message goes over a new one.
// Close says goodbye to the idle connections.
type SMTPMailer struct {
	Addr     string // host:port
	Username string
	Password string
	// Timeout bounds one message's whole exchange, waiting for a connection included, within ctx's
	// deadline; 0 means 30 s.
	Timeout time.Duration
	// DialContext opens the connection; nil means a plain TCP dial. Tests use it to break a send
	// half-way through.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// MaxConns bounds the connections open at once, so a burst of mails does not open a burst of
	// connections at the server; a send waits for one. 0 means 8.
	MaxConns int
	// MaxMessagesPerConn is how many messages one connection carries before it is closed (servers
	// limit messages per session); 0 means 100.
	MaxMessagesPerConn int
	// IdleTimeout is how long an unused connection is kept; an older one is closed rather than
	// reused, well before a server's own idle timeout (RFC 5321 §4.5.3.2.7: at least 5 minutes) is
	// likely to end it. 0 means 30 s.
	IdleTimeout time.Duration

	init  sync.Once
	slots chan struct{} // one token per open or opening connection
	mu    sync.Mutex
	idle  []*smtpConn // most recently used last
	done  bool        // Close was called: no connection is kept any more
}

// smtpConn is one connection to the server, between messages.
type smtpConn struct {
	net    net.Conn
	client *smtp.Client
	sent   int       // messages the server accepted over it
	since  time.Time // when it was last put back
	reused bool      // it carried a message before this one
}

const (
	defaultSMTPConns          = 8
	defaultSMTPMessagesOnConn = 100
	defaultSMTPIdle           = 30 * time.Second
)

// Send delivers msg to one recipient. A cancelled ctx closes the connection at once, whatever the
// client is waiting for, so a message whose DATA was not finished is discarded by the server.
func (m *SMTPMailer) Send(ctx context.Context, from, to string, msg []byte, accepted func()) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m.init.Do(func() {
		n := m.MaxConns
		if n <= 0 {
			n = defaultSMTPConns
		}
		m.slots = make(chan struct{}, n)
	})
	select {
	case m.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for a connection to the mail server: %w", ctx.Err())
	}
	defer func() { <-m.slots }()
	for retried := false; ; retried = true {
		sc, err := m.take(ctx, retried)
		if err != nil {
			return err
		}
		stage, keep, err := m.transact(ctx, sc, from, to, msg, accepted)
		m.putBack(ctx, sc, keep)
		if err != nil && sc.reused && stage == "MAIL" && !permanent(err) && !retried {
			// The server closed the pooled connection meanwhile (or says it is closing it): nothing
			// of this message was sent, so it goes once more over a new connection; the other idle
			// ones are likely just as dead.
			m.dropIdle()
			continue
		}
		return err
	}
}

// transact runs one mail transaction on sc: MAIL, RCPT, DATA, the message and the final ".", and
// calls accepted on the 250 to it. stage is where it failed; keep says whether sc can carry the
// next message.
func (m *SMTPMailer) transact(ctx context.Context, sc *smtpConn, from, to string, msg []byte, accepted func()) (stage string, keep bool, err error) {
	stop := context.AfterFunc(ctx, func() { sc.net.Close() })
	if deadline, ok := ctx.Deadline(); ok {
		_ = sc.net.SetDeadline(deadline)
	}
	defer func() {
		// A send whose context ended had its connection closed under it.
		keep = stop() && keep && sc.net.SetDeadline(time.Time{}) == nil
	}()
	c := sc.client
	if err := c.Mail(from); err != nil {
		return "MAIL", resetAfter(c, err), fmt.Errorf("mail server MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return "RCPT", resetAfter(c, err), rejected("RCPT", err)
	}
	w, err := c.Data()
	if err != nil {
		return "DATA", resetAfter(c, err), fmt.Errorf("mail server DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return "DATA", false, fmt.Errorf("mail server DATA: %w", err)
	}
	// Close sends the final "." and waits for the server's reply: nil here is its 250.
	if err := w.Close(); err != nil {
		return "DATA", resetAfter(c, err), rejected("DATA", err)
	}
	if accepted != nil {
		accepted()
	}
	sc.sent++
	return "", true, nil
}

// resetAfter ends a transaction the server refused with RSET, and says whether the connection is
// fit for the next message: only after a reply (not a lost connection) and a successful RSET.
func resetAfter(c *smtp.Client, err error) bool {
	var reply *textproto.Error
	return errors.As(err, &reply) && reply.Code != 421 && c.Reset() == nil
}

// take returns an idle connection, or dials one when none is fit or fresh is set.
func (m *SMTPMailer) take(ctx context.Context, fresh bool) (*smtpConn, error) {
	if fresh {
		return m.dial(ctx)
	}
	idleFor := m.IdleTimeout
	if idleFor <= 0 {
		idleFor = defaultSMTPIdle
	}
	m.mu.Lock()
	for len(m.idle) > 0 {
		sc := m.idle[len(m.idle)-1]
		m.idle = m.idle[:len(m.idle)-1]
		if time.Since(sc.since) < idleFor {
			m.mu.Unlock()
			sc.reused = true
			return sc, nil
		}
		m.mu.Unlock()
		sc.quit(ctx)
		m.mu.Lock()
	}
	m.mu.Unlock()
	return m.dial(ctx)
}

// dial opens a connection: the greeting, EHLO, STARTTLS when offered and AUTH when configured.
func (m *SMTPMailer) dial(ctx context.Context) (*smtpConn, error) {
	dial := m.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", m.Addr)
	if err != nil {
		return nil, fmt.Errorf("connect to mail server: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	fail := func(format string, err error) (*smtpConn, error) {
		conn.Close()
		return nil, fmt.Errorf(format, err)
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fail("mail server greeting: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return fail("mail server STARTTLS: %w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fail("mail server authentication: %w", err)
		}
	}
	// After STARTTLS the client talks TLS over conn: its deadline and Close still govern both.
	return &smtpConn{net: conn, client: c}, nil
}

// putBack keeps sc for the next message when it is fit and the mailer still open, else closes it.
func (m *SMTPMailer) putBack(ctx context.Context, sc *smtpConn, keep bool) {
	limit := m.MaxMessagesPerConn
	if limit <= 0 {
		limit = defaultSMTPMessagesOnConn
	}
	if !keep {
		sc.net.Close()
		return
	}
	m.mu.Lock()
	if m.done || sc.sent >= limit {
		m.mu.Unlock()
		sc.quit(ctx)
		return
	}
	sc.since = time.Now()
	m.idle = append(m.idle, sc)
	m.mu.Unlock()
}

// dropIdle closes every idle connection.
func (m *SMTPMailer) dropIdle() {
	m.mu.Lock()
	idle := m.idle
	m.idle = nil
	m.mu.Unlock()
	for _, sc := range idle {
		sc.net.Close()
	}
}

// Close says goodbye (QUIT) to every idle connection and keeps none from now on; a send in flight
// finishes and then closes its connection. The mailer can still send, one connection per message.
func (m *SMTPMailer) Close() error {
	m.mu.Lock()
	idle := m.idle
	m.idle, m.done = nil, true
	m.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, sc := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc.quit(ctx)
		}()
	}
	wg.Wait()
	return nil
}

// quit ends a connection politely, waiting for the server's reply a few seconds at most and not
// beyond ctx.
func (sc *smtpConn) quit(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { sc.net.Close() })
	defer stop()
	_ = sc.net.SetDeadline(time.Now().Add(5 * time.Second))
	_ = sc.client.Quit() // the server has every message it accepted; a failed goodbye changes nothing
	sc.net.Close()
}

// rejected turns a permanent (5xx) reply into a *MailRejectedError; anything else – a 4xx, a lost
// connection – stays an error worth retrying.
func rejected(stage string, err error) error {
	if permanent(err) {
		var reply *textproto.Error
		errors.As(err, &reply)
		return &MailRejectedError{Stage: stage, Code: reply.Code, Msg: reply.Msg}
	}
	return fmt.Errorf("mail server %s: %w", stage, err)
}

// permanent says whether err is a permanent (5xx) reply of the server.
func permanent(err error) bool {
	var reply *textproto.Error
	return errors.As(err, &reply) && reply.Code >= 500
}

// mailBody is what a recipient reads: the workflow's text, the link to the case and why nothing
// more is in it. Only the case reference leaves the system; the case is read after signing in.
func mailBody(text, publicURL, caseID string) string {
	link := strings.TrimRight(publicURL, "/") + "/arenden/" + url.PathEscape(caseID)
	return text + "\n\nÖppna ärendet: " + link + "\n\n" +
		"Det här mejlet innehåller avsiktligt inga personuppgifter. Logga in i Samverkan för att läsa ärendet.\n"
}

// composeMail builds the message as sent. Everything in it is fixed when the outbox row is made –
// the Date is the row's creation – so every attempt sends the same bytes under the same Message-ID,
// and a receiving system that deduplicates on it sees one message.
func composeMail(from *mail.Address, to, subject, body, key, userID string, date time.Time) []byte {
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", (&mail.Address{Address: to}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", date.In(casework.Stockholm).Format(time.RFC1123Z))
	header("Message-ID", messageID(key, userID, from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no out-of-office replies to a robot
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(body)) // line ends become CRLF
	_ = qp.Close()
	return b.Bytes()
}

// messageID is the same for every attempt at one recipient's mail of one notification. It is a
// hash, so the key – which names the case – is not spelt out in the header.
func messageID(key, userID, fromAddress string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + userID))
	domain := "samverkan.invalid"
	if _, d, ok := strings.Cut(fromAddress, "@"); ok && d != "" {
		domain = d
	}
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}
