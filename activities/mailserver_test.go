package activities

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServer is a real SMTP server on the loopback (github.com/emersion/go-smtp) that keeps what it
// accepts – as a real one does, only a message whose DATA ended with the final "." – and can be told
// to misbehave.
type mailServer struct {
	addr string

	mu       sync.Mutex
	messages []receivedMail
	// dropDataTimes: the next this many DATA transfers are cut off by the server after a few
	// bytes, the connection closed without a reply.
	dropDataTimes int
	// refuseRcpt: RCPT TO this address is refused with 550.
	refuseRcpt string
	// user and password, when set, must authenticate with PLAIN before MAIL.
	user, password string
	// perConnection, when not 0, is how many messages one connection may carry: after the 250 to
	// the last of them the server hangs up, as servers that limit a session may.
	perConnection int
	// connections counts the connections accepted; open and mostOpen those open now and at most.
	connections, open, mostOpen int
	live                        map[*smtp.Conn]bool
}

type receivedMail struct {
	From string
	To   []string
	Data []byte
}

func startMailServer(t testing.TB) *mailServer {
	t.Helper()
	ms := &mailServer{live: map[*smtp.Conn]bool{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ms.mu.Lock()
		defer ms.mu.Unlock()
		ms.connections++
		ms.open++
		ms.mostOpen = max(ms.mostOpen, ms.open)
		ms.live[c] = true
		return &mailSession{server: ms, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // a test's log may not be written after it ended
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ms
}

func (ms *mailServer) received() []receivedMail {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]receivedMail(nil), ms.messages...)
}

// counts returns how many connections the server accepted and how many were open at once at most.
func (ms *mailServer) counts() (connections, mostOpen int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.connections, ms.mostOpen
}

// hangUpAll closes every open connection without a word, as a server restarting or timing out
// idle clients does.
func (ms *mailServer) hangUpAll() {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for c := range ms.live {
		_ = c.Conn().Close()
	}
}

func (ms *mailServer) dropNextData(times int) {
	ms.set(func(ms *mailServer) { ms.dropDataTimes = times })
}

// set changes how the server behaves, under its lock.
func (ms *mailServer) set(change func(*mailServer)) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	change(ms)
}

// get reads the settings under the lock.
func (ms *mailServer) get() (refuseRcpt, user, password string) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.refuseRcpt, ms.user, ms.password
}

type mailSession struct {
	server   *mailServer
	conn     *smtp.Conn
	authed   bool
	from     string
	to       []string
	accepted int // messages taken over this connection
}

func (s *mailSession) AuthMechanisms() []string {
	if _, user, _ := s.server.get(); user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if _, u, p := s.server.get(); user != u || password != p {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if _, user, _ := s.server.get(); user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if refuse, _, _ := s.server.get(); to == refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here: " + to}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	s.server.mu.Lock()
	drop := s.server.dropDataTimes > 0
	if drop {
		s.server.dropDataTimes--
	}
	s.server.mu.Unlock()
	if drop {
		_, _ = io.ReadFull(r, make([]byte, 16))
		_ = s.conn.Conn().Close() // the line goes dead in the middle of the message
		return errors.New("connection lost")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err // DATA not completed: the transaction is discarded
	}
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	s.server.messages = append(s.server.messages, receivedMail{From: s.from, To: s.to, Data: data})
	s.accepted++
	return nil
}

// Reset follows every transaction, after the server's reply to its end.
func (s *mailSession) Reset() {
	s.from, s.to = "", nil
	s.server.mu.Lock()
	full := s.server.perConnection > 0 && s.accepted >= s.server.perConnection
	s.server.mu.Unlock()
	if full {
		_ = s.conn.Conn().Close()
	}
}
func (s *mailSession) Logout() error {
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	if s.server.live[s.conn] {
		delete(s.server.live, s.conn)
		s.server.open--
	}
	return nil
}

// stallingDialer connects to the server and, once the message itself is being written after DATA,
// passes on only its first bytes and then stalls, as a dying network or process would. It reports
// on stalled when that happens; the write returns only when the connection is closed.
func stallingDialer(stalled chan<- struct{}) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &stallingConn{Conn: c, stalled: stalled, closed: make(chan struct{})}, nil
	}
}

type stallingConn struct {
	net.Conn
	stalled   chan<- struct{}
	closed    chan struct{}
	closeOnce sync.Once
	sawData   bool
}

func (c *stallingConn) Write(p []byte) (int, error) {
	if !c.sawData {
		c.sawData = string(p) == "DATA\r\n"
		return c.Conn.Write(p)
	}
	n, err := c.Conn.Write(p[:min(len(p), 32)])
	if err != nil {
		return n, err
	}
	c.stalled <- struct{}{}
	<-c.closed
	return n, net.ErrClosed
}

func (c *stallingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
