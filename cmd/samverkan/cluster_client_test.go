package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// retryingClient is a careful client of the API under faults: it sends every command with an
// Idempotency-Key and sends it again with the same key after a 5xx or a lost connection, as the
// README's Faults section asks of a client. It counts what it met, for the figures.
type retryingClient struct {
	base    string
	timeout time.Duration // how long one command may take in all, retries included

	mu          sync.Mutex
	requests    int      // HTTP requests sent, retries included
	unavailable int      // 503 answers
	serverError int      // other 5xx answers: each is a defect
	dropped     int      // requests that got no answer (connection refused or reset, timeout)
	badProblems []string // 503s without Retry-After or a problem body
}

// send sends one command until it is answered below 500 and returns that answer's status, decoding
// a 2xx body into out. A status of 0 means it was never answered within the client's timeout.
func (r *retryingClient) send(t testing.TB, token, method, path, key string, body, out any) int {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil { // Errorf, not Fatalf: the outage tests send from goroutines of their own
		t.Errorf("encode %s: %v", path, err)
		return 0
	}
	http1 := &http.Client{Timeout: 40 * time.Second}
	give := time.Now().Add(r.timeout)
	for {
		status, answer, header := r.once(http1, token, method, path, key, raw)
		switch {
		case status == http.StatusServiceUnavailable:
			r.count(func() {
				r.unavailable++
				if header.Get("Retry-After") == "" || !strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
					r.badProblems = append(r.badProblems, fmt.Sprintf("%s %s: %s %s", method, path, header, answer))
				}
			})
		case status >= 500:
			r.count(func() { r.serverError++ })
			t.Errorf("%s %s (key %s): %d %s", method, path, key, status, answer)
		case status == 0:
			r.count(func() { r.dropped++ })
		default:
			if status < 300 && out != nil {
				if err := json.Unmarshal(answer, out); err != nil {
					t.Errorf("%s %s: %v in %s", method, path, err, answer)
				}
			}
			if status >= 300 {
				t.Logf("%s %s (key %s): %d %s", method, path, key, status, answer)
			}
			return status
		}
		if time.Now().After(give) {
			return 0
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (r *retryingClient) once(c *http.Client, token, method, path, key string, body []byte) (int, []byte, http.Header) {
	r.count(func() { r.requests++ })
	req, err := http.NewRequest(method, r.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, nil
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil
	}
	return res.StatusCode, answer, res.Header
}

func (r *retryingClient) count(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

// figures says what the client met, in the words of the note.
func (r *retryingClient) figures() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("requests %d, 503 %d (without Retry-After or problem body %d), other 5xx %d, unanswered %d",
		r.requests, r.unavailable, len(r.badProblems), r.serverError, r.dropped)
}
