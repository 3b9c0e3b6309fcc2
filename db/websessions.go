package db

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// WebSessions is the front end's session store (web.SessionStore, migration 0007): opaque sealed
// bytes under a hashed key, until they expire.
type WebSessions struct{ d *DB }

// WebSessions returns the session store on d.
func (d *DB) WebSessions() WebSessions { return WebSessions{d} }

type webSessionRow struct {
	SessionKey string `gorm:"primaryKey"`
	Data       string
	ExpiresAt  time.Time
}

func (webSessionRow) TableName() string { return "web_sessions" }

// LoadSession returns the data under key, or nil when there is none or it has expired.
func (s WebSessions) LoadSession(ctx context.Context, key []byte) ([]byte, error) {
	var row webSessionRow
	err := s.d.gorm.WithContext(ctx).Where("session_key = ? AND expires_at > ?", hex.EncodeToString(key), utc(time.Now())).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load web session: %w", err)
	}
	data, err := base64.StdEncoding.DecodeString(row.Data)
	if err != nil {
		return nil, fmt.Errorf("load web session: %w", err)
	}
	return data, nil
}

// SaveSession stores data under key until expiresAt, replacing what was there, and removes the
// sessions that have expired (an indexed delete: sessions end by the thousand a day, not by the
// million).
func (s WebSessions) SaveSession(ctx context.Context, key, data []byte, expiresAt time.Time) error {
	return s.d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM web_sessions WHERE expires_at <= ?`, utc(time.Now())).Error; err != nil {
			return fmt.Errorf("remove expired web sessions: %w", err)
		}
		err := tx.Exec(`INSERT INTO web_sessions (session_key, data, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (session_key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
			hex.EncodeToString(key), base64.StdEncoding.EncodeToString(data), utc(expiresAt)).Error
		if err != nil {
			return fmt.Errorf("save web session: %w", err)
		}
		return nil
	})
}

// DeleteSession removes key; removing what is not there is no error.
func (s WebSessions) DeleteSession(ctx context.Context, key []byte) error {
	if err := s.d.gorm.WithContext(ctx).Exec(`DELETE FROM web_sessions WHERE session_key = ?`, hex.EncodeToString(key)).Error; err != nil {
		return fmt.Errorf("delete web session: %w", err)
	}
	return nil
}
