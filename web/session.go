package web

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"
)

// SessionStore keeps the front end's sessions so that they survive a restart and are shared by
// every instance. It sees only opaque bytes: key is a hash of the session ID and data is sealed
// with a key derived from the ID, which only the browser holds – so whoever reads the store (a
// backup, an administrator) finds no usable token in it. db.WebSessions is the one in production;
// MemorySessions serves tests.
type SessionStore interface {
	// LoadSession returns the data stored under key, or nil when there is none or it has expired.
	LoadSession(ctx context.Context, key []byte) ([]byte, error)
	// SaveSession stores data under key until expiresAt, replacing what was there.
	SaveSession(ctx context.Context, key, data []byte, expiresAt time.Time) error
	// DeleteSession removes key; removing what is not there is no error.
	DeleteSession(ctx context.Context, key []byte) error
}

// session is one browser's state on the server. Fields are exported for its JSON form only.
type session struct {
	id string // the cookie's value; never stored

	User        string    `json:"user,omitempty"`
	Name        string    `json:"name,omitempty"`
	Role        string    `json:"role,omitempty"`
	Unit        string    `json:"unit,omitempty"`
	AccessToken string    `json:"accessToken,omitempty"`
	TokenExpiry time.Time `json:"tokenExpiry"`
	// CSRF is the synchronizer token every form of this session carries (form.go).
	CSRF string `json:"csrf"`
	// IdleUntil is when the session ends unless the user does something (WCAG 2.2.1: the page
	// warns before and the user may extend it with one action).
	IdleUntil time.Time `json:"idleUntil"`
	// Login is the state of a login under way (login.go).
	Login *loginState `json:"login,omitempty"`
	// Drafts are forms posted after the session had ended, by path, given back after the new login.
	Drafts map[string]url.Values `json:"drafts,omitempty"`
	// Receipt is the answer to the last concern, shown once on its receipt page.
	Receipt *receipt `json:"receipt,omitempty"`

	saved time.Time // IdleUntil as last stored, to skip writes that change nothing much
}

func (s *session) loggedIn() bool { return s != nil && s.AccessToken != "" }

// takeDraft gives back, once, the form kept for path across a new login.
func (s *session) takeDraft(path string) (url.Values, bool) {
	d, ok := s.Drafts[path]
	delete(s.Drafts, path)
	return d, ok
}

// sessions makes, finds and ends sessions.
type sessions struct {
	store  SessionStore
	idle   time.Duration
	secure bool // Secure cookies, under the __Host- prefix
	now    func() time.Time
}

func (m *sessions) cookieName() string {
	if m.secure {
		return "__Host-samverkan"
	}
	return "samverkan"
}

// newSession starts an empty session with a fresh ID and CSRF token.
func (m *sessions) newSession() *session {
	return &session{id: randomToken(), CSRF: randomToken(), IdleUntil: m.now().Add(m.idle)}
}

// load finds the request's session; nil when it has none or it has ended.
func (m *sessions) load(r *http.Request) (*session, error) {
	c, err := r.Cookie(m.cookieName())
	if err != nil || len(c.Value) != 43 {
		return nil, nil
	}
	storeKey, sealKey := sessionKeys(c.Value)
	sealed, err := m.store.LoadSession(r.Context(), storeKey)
	if err != nil || sealed == nil {
		return nil, err
	}
	s := &session{}
	if err := open(sealKey, storeKey, sealed, s); err != nil {
		return nil, nil // not ours, or damaged: as good as none
	}
	now := m.now()
	if now.After(s.IdleUntil) || s.loggedIn() && now.After(s.TokenExpiry) {
		return nil, m.store.DeleteSession(r.Context(), storeKey)
	}
	s.id, s.saved = c.Value, s.IdleUntil
	return s, nil
}

// save stores s and sets its cookie.
func (m *sessions) save(ctx context.Context, w http.ResponseWriter, s *session) error {
	storeKey, sealKey := sessionKeys(s.id)
	sealed, err := seal(sealKey, storeKey, s)
	if err != nil {
		return err
	}
	if err := m.store.SaveSession(ctx, storeKey, sealed, s.IdleUntil); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	s.saved = s.IdleUntil
	http.SetCookie(w, &http.Cookie{Name: m.cookieName(), Value: s.id, Path: "/", HttpOnly: true, Secure: m.secure,
		SameSite: http.SameSiteLaxMode})
	return nil
}

// touch moves the idle end on after the user did something. It stores the new end only when it
// moved enough to matter – a busy user's every page need not also be a write – and leaves IdleUntil
// as stored, so that the page's warning counts down to the end the store really has.
func (m *sessions) touch(ctx context.Context, w http.ResponseWriter, s *session) error {
	next := m.now().Add(m.idle)
	if s.loggedIn() && next.After(s.TokenExpiry) {
		next = s.TokenExpiry
	}
	if next.Sub(s.saved) < min(30*time.Second, m.idle/10) {
		return nil
	}
	s.IdleUntil = next
	return m.save(ctx, w, s)
}

// end removes s from the store and the browser.
func (m *sessions) end(ctx context.Context, w http.ResponseWriter, s *session) error {
	http.SetCookie(w, &http.Cookie{Name: m.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: m.secure, SameSite: http.SameSiteLaxMode})
	if s == nil {
		return nil
	}
	storeKey, _ := sessionKeys(s.id)
	return m.store.DeleteSession(ctx, storeKey)
}

// sessionKeys derives from the session ID the key it is stored under and the key that seals it.
func sessionKeys(id string) (storeKey, sealKey []byte) {
	derive := func(label string) []byte {
		mac := hmac.New(sha256.New, []byte(id))
		mac.Write([]byte(label))
		return mac.Sum(nil)
	}
	return derive("samverkan web session: store key"), derive("samverkan web session: seal key")
}

// seal is AES-256-GCM over the session's JSON, bound to its store key.
func seal(key, storeKey []byte, s *session) ([]byte, error) {
	plain, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plain, storeKey), nil
}

func open(key, storeKey, sealed []byte, s *session) error {
	aead, err := gcm(key)
	if err != nil {
		return err
	}
	if len(sealed) < aead.NonceSize() {
		return errors.New("sealed session too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], storeKey)
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	return json.Unmarshal(plain, s)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// randomToken is 32 random bytes, base64url without padding (43 characters).
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// secondsLeft is how long the session lasts without activity, for the page's warning script. It is
// rounded up, so that the script never declares the session over while the server still holds it.
func secondsLeft(s *session, now time.Time) int {
	return int(math.Ceil(s.IdleUntil.Sub(now).Seconds()))
}
