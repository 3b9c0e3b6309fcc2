package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// The dev mail catcher: a real SMTP server on this machine that accepts every message and keeps it,
// and a small web inbox that shows them, so a demo of `samverkan dev` shows the notification mails
// the worker sends – through the same SMTP client as production.
//
// Why not Mailpit (github.com/axllent/mailpit), the usual catcher: its module can be fetched, but
// its SMTP server and storage are internal packages (internal/smtpd, internal/storage), so they
// cannot be imported from here. Its only exported entry point is its command (cmd.Execute), which
// parses os.Args, exits the process on an error and has no way to stop, and the module would lift
// modernc.org/sqlite – shared with the embedded Temporal server – to another version. Running it as
// a second program would need a separate download or build. So this is a minimal catcher on
// github.com/emersion/go-smtp (the server half of a maintained SMTP library) instead.
//
// Messages are kept as .eml files under the data folder, so they survive a restart like the rest of
// dev's state; delete the folder to empty the inbox.

// devMailOptions say where the catcher listens and keeps its mail. UIPort 0 means no web inbox.
type devMailOptions struct {
	IP       string
	SMTPPort int
	UIPort   int
	Dir      string
	Logger   *slog.Logger
}

type devMail struct {
	dir      string
	smtp     *smtp.Server
	web      *http.Server
	smtpAddr string
	uiURL    string // "" without a web inbox
	seq      atomic.Int64
}

// startDevMail starts the catcher; Stop stops it.
func startDevMail(opts devMailOptions) (*devMail, error) {
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("dev mail folder: %w", err)
	}
	m := &devMail{dir: opts.Dir}
	m.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &devMailSession{mail: m}, nil }))
	m.smtp.Domain = "localhost"
	m.smtp.MaxMessageBytes = 10 << 20
	m.smtp.MaxRecipients = 100
	m.smtp.ReadTimeout, m.smtp.WriteTimeout = time.Minute, time.Minute
	m.smtp.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.IP, strconv.Itoa(opts.SMTPPort)))
	if err != nil {
		return nil, fmt.Errorf("SAMVERKAN_DEV_MAIL_PORT %d: %w", opts.SMTPPort, err)
	}
	m.smtpAddr = ln.Addr().String()
	go func() { _ = m.smtp.Serve(ln) }()
	if opts.UIPort != 0 {
		uiLn, err := net.Listen("tcp", net.JoinHostPort(opts.IP, strconv.Itoa(opts.UIPort)))
		if err != nil {
			_ = m.smtp.Close()
			return nil, fmt.Errorf("SAMVERKAN_DEV_MAIL_UI_PORT %d: %w", opts.UIPort, err)
		}
		m.uiURL = "http://" + uiLn.Addr().String()
		m.web = &http.Server{Handler: m.inbox(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = m.web.Serve(uiLn) }()
	}
	opts.Logger.Info("dev mail catcher listening", "smtp", m.smtpAddr, "inbox", m.uiURL)
	return m, nil
}

// Stop closes the SMTP server and the inbox.
func (m *devMail) Stop() {
	_ = m.smtp.Close()
	if m.web != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = m.web.Shutdown(ctx)
	}
}

// devMailSession accepts any sender and recipient on this machine; only a message whose DATA was
// completed is kept, as a real server does.
type devMailSession struct {
	mail *devMail
	from string
	to   []string
}

func (s *devMailSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *devMailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *devMailSession) Reset()        { s.from, s.to = "", nil }
func (s *devMailSession) Logout() error { return nil }

func (s *devMailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	// The envelope leads the file as Mailpit and Maildir deliveries do, so an inbox shows whom the
	// server was asked to deliver to, whatever the headers say.
	var b bytes.Buffer
	fmt.Fprintf(&b, "Return-Path: <%s>\r\nX-Envelope-To: %s\r\n", s.from, strings.Join(s.to, ", "))
	b.Write(data)
	return s.mail.store(b.Bytes())
}

// store writes a message to a file of its own, named so that names sort by arrival.
func (m *devMail) store(msg []byte) error {
	name := fmt.Sprintf("%019d-%06d.eml", time.Now().UnixNano(), m.seq.Add(1)%1_000_000)
	tmp := filepath.Join(m.dir, "."+name)
	if err := os.WriteFile(tmp, msg, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(m.dir, name))
}

var devMailName = regexp.MustCompile(`^[0-9]{19}-[0-9]{6}\.eml$`)

// devMailItem is a message as the inbox shows it.
type devMailItem struct {
	ID      string    `json:"id"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Date    time.Time `json:"date"`
	Body    string    `json:"body,omitempty"`
}

// messages reads the newest limit messages, newest first.
func (m *devMail) messages(limit int) ([]devMailItem, error) {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if devMailName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	slices.Reverse(names)
	items := []devMailItem{}
	for _, name := range names[:min(limit, len(names))] {
		if it, err := m.message(name, false); err == nil {
			items = append(items, it)
		}
	}
	return items, nil
}

// message reads one stored message; with body, its text decoded.
func (m *devMail) message(id string, body bool) (devMailItem, error) {
	if !devMailName.MatchString(id) {
		return devMailItem{}, os.ErrNotExist
	}
	raw, err := os.ReadFile(filepath.Join(m.dir, id))
	if err != nil {
		return devMailItem{}, err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return devMailItem{}, err
	}
	dec := new(mime.WordDecoder)
	header := func(name string) string {
		v, err := dec.DecodeHeader(msg.Header.Get(name))
		if err != nil {
			return msg.Header.Get(name)
		}
		return v
	}
	it := devMailItem{ID: id, From: header("From"), To: header("To"), Subject: header("Subject")}
	it.Date, _ = msg.Header.Date()
	if body {
		var r io.Reader = msg.Body
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			r = quotedprintable.NewReader(r)
		}
		b, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			return devMailItem{}, err
		}
		it.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	return it, nil
}

// inbox serves the web inbox: the list at /, one message at /messages/ID (its source at
// /messages/ID/raw), and the list as JSON at /api/messages.
func (m *devMail) inbox() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		items, err := m.messages(500)
		if err != nil {
			http.Error(w, "cannot read the inbox", http.StatusInternalServerError)
			return
		}
		renderDevMail(w, devInboxPage, items)
	})
	mux.HandleFunc("GET /messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		it, err := m.message(r.PathValue("id"), true)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		renderDevMail(w, devMessagePage, it)
	})
	mux.HandleFunc("GET /messages/{id}/raw", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !devMailName.MatchString(id) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		http.ServeFile(w, r, filepath.Join(m.dir, id))
	})
	mux.HandleFunc("GET /api/messages", func(w http.ResponseWriter, r *http.Request) {
		items, err := m.messages(500)
		if err != nil {
			http.Error(w, "cannot read the inbox", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(items)
	})
	return mux
}

func renderDevMail(w http.ResponseWriter, page *template.Template, data any) {
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		http.Error(w, "cannot show the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(b.Bytes())
}

const devMailStyle = `<style>body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4em;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}.muted{color:#666}</style>`

var devInboxPage = template.Must(template.New("inbox").Parse(`<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>samverkan dev – e-post</title>` + devMailStyle + `</head><body>
<h1>E-post från samverkan dev</h1>
<p class="muted">Alla brev som samverkan dev har skickat fångas här och lämnar aldrig datorn. Nyast först; ladda om sidan för nya brev.</p>
{{if .}}<table><tr><th>Mottagen</th><th>Till</th><th>Ämne</th></tr>
{{range .}}<tr><td>{{.Date.Format "2006-01-02 15:04:05"}}</td><td>{{.To}}</td><td><a href="/messages/{{.ID}}">{{.Subject}}</a></td></tr>
{{end}}</table>{{else}}<p>Inga brev ännu.</p>{{end}}
</body></html>`))

var devMessagePage = template.Must(template.New("message").Parse(`<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>{{.Subject}}</title>` + devMailStyle + `</head><body>
<p><a href="/">← Alla brev</a></p>
<h1>{{.Subject}}</h1>
<table><tr><th>Från</th><td>{{.From}}</td></tr><tr><th>Till</th><td>{{.To}}</td></tr>
<tr><th>Datum</th><td>{{.Date.Format "2006-01-02 15:04:05 -0700"}}</td></tr></table>
<pre>{{.Body}}</pre>
<p class="muted"><a href="/messages/{{.ID}}/raw">Visa källan</a></p>
</body></html>`))
