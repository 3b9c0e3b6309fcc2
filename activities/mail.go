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
type SMTPMailer struct {
	Addr     string // host:port
	Username string
	Password string
	// Timeout bounds one message's whole exchange, within ctx's deadline; 0 means 30 s.
	Timeout time.Duration
	// DialContext opens the connection; nil means a plain TCP dial. Tests use it to break a send
	// half-way through.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Send delivers msg to one recipient. A cancelled ctx closes the connection at once, whatever the
// client is waiting for, so a message whose DATA was not finished is discarded by the server.
func (m *SMTPMailer) Send(ctx context.Context, from, to string, msg []byte, accepted func()) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dial := m.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("connect to mail server: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("mail server greeting: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("mail server STARTTLS: %w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fmt.Errorf("mail server authentication: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail server MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return rejected("RCPT", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail server DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail server DATA: %w", err)
	}
	// Close sends the final "." and waits for the server's reply: nil here is its 250.
	if err := w.Close(); err != nil {
		return rejected("DATA", err)
	}
	if accepted != nil {
		accepted()
	}
	_ = c.Quit() // the message is the server's now; a failed goodbye changes nothing
	return nil
}

// rejected turns a permanent (5xx) reply into a *MailRejectedError; anything else – a 4xx, a lost
// connection – stays an error worth retrying.
func rejected(stage string, err error) error {
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 {
		return &MailRejectedError{Stage: stage, Code: reply.Code, Msg: reply.Msg}
	}
	return fmt.Errorf("mail server %s: %w", stage, err)
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
