package web

import (
	"context"
	"sync"
	"time"
)

// MemorySessions is a SessionStore in memory, for tests and for a front end that may forget its
// sessions on restart.
type MemorySessions struct {
	mu   sync.Mutex
	rows map[string]memorySession
	Now  func() time.Time // nil: time.Now
}

type memorySession struct {
	data      []byte
	expiresAt time.Time
}

func (m *MemorySessions) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// LoadSession implements SessionStore.
func (m *MemorySessions) LoadSession(_ context.Context, key []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	row, ok := m.rows[string(key)]
	if !ok || m.now().After(row.expiresAt) {
		return nil, nil
	}
	return append([]byte(nil), row.data...), nil
}

// SaveSession implements SessionStore.
func (m *MemorySessions) SaveSession(_ context.Context, key, data []byte, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rows == nil {
		m.rows = map[string]memorySession{}
	}
	m.rows[string(key)] = memorySession{data: append([]byte(nil), data...), expiresAt: expiresAt}
	return nil
}

// DeleteSession implements SessionStore.
func (m *MemorySessions) DeleteSession(_ context.Context, key []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rows, string(key))
	return nil
}

// Len is how many sessions it holds.
func (m *MemorySessions) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rows)
}
