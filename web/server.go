package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options configure the front end.
type Options struct {
	// API is the client of /api/v1 every page asks.
	API *Client
	// Sessions keeps the sessions (db.WebSessions in the binary).
	Sessions SessionStore
	OIDC     OIDCSettings
	// PublicURL is where users open the front end ("https://samverkan.example.org"): the base of the
	// login's redirect URI. Empty: the address the browser used (dev only, where the issuer is ours).
	PublicURL string
	// SecureCookies sends the session cookie only over TLS; set it whenever PublicURL is https.
	SecureCookies bool
	// IdleTimeout ends a session nobody used for this long; 0 means 30 minutes.
	IdleTimeout time.Duration
	Logger      *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server serves the pages.
type Server struct {
	api      *Client
	sessions *sessions
	rp       *relyingParty
	public   *url.URL
	log      *slog.Logger
	now      func() time.Time
	pages    *templates

	unitsMu   sync.Mutex
	units     []Unit
	unitsRead time.Time
}

// New checks the options and builds the front end.
func New(o Options) (*Server, error) {
	if o.API == nil || o.Sessions == nil {
		return nil, errors.New("web: the API client and a session store are required")
	}
	if o.OIDC.Issuer == "" || o.OIDC.ClientID == "" {
		return nil, errors.New("web: the OIDC issuer and client ID are required")
	}
	s := &Server{api: o.API, rp: &relyingParty{settings: o.OIDC}, log: o.Logger, now: o.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if o.PublicURL != "" {
		u, err := url.Parse(strings.TrimSuffix(o.PublicURL, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, errors.New("web: the public URL must be absolute")
		}
		s.public = u
	}
	idle := o.IdleTimeout
	if idle <= 0 {
		idle = 30 * time.Minute
	}
	s.sessions = &sessions{store: o.Sessions, idle: idle, secure: o.SecureCookies, now: s.now}
	var err error
	if s.pages, err = loadTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler is the front end: its pages, its assets, and nothing under /api/.
func (s *Server) Handler() http.Handler {
	return securityHeaders(s.routes())
}

// redirectURL is where the issuer sends the browser back after a login.
func (s *Server) redirectURL(r *http.Request) string {
	if s.public != nil {
		return s.public.String() + pathLoginDone
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + pathLoginDone
}

// localPath accepts only a path on this site as a place to return to, never another site's
// address ("//evil.example", "https://…"), so the login cannot be used to send users away.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return pathTasks
	}
	return p
}
