package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdempotencyKeyKept is how long a key is remembered with its request: far longer than any client
// retries (minutes), so a reuse within it is a mistake and refused.
const IdempotencyKeyKept = 30 * 24 * time.Hour

// ClaimIdempotencyKey records that keyHash was sent with the request requestHash, unless it was sent
// before: then it says whether it was with the same request (a retry, true) or another (false).
// Keys older than IdempotencyKeyKept are forgotten on the way (an indexed delete).
func (d *DB) ClaimIdempotencyKey(ctx context.Context, keyHash, requestHash string, at time.Time) (bool, error) {
	var first string
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM idempotency_keys WHERE created_at < ?`, utc(at.Add(-IdempotencyKeyKept))).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO idempotency_keys (key_hash, request_hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (key_hash) DO NOTHING`, keyHash, requestHash, utc(at)).Error; err != nil {
			return err
		}
		return tx.Raw(`SELECT request_hash FROM idempotency_keys WHERE key_hash = ?`, keyHash).Scan(&first).Error
	})
	if err != nil {
		return false, fmt.Errorf("claim idempotency key: %w", err)
	}
	return first == requestHash, nil
}

// ReleaseIdempotencyKey forgets keyHash as claimed for requestHash: the request was refused and
// changed nothing, so the client may correct it and send it again under the same key (the front
// end keeps a form's key when it shows the form again with the problem).
func (d *DB) ReleaseIdempotencyKey(ctx context.Context, keyHash, requestHash string) error {
	err := d.gorm.WithContext(ctx).Exec(`DELETE FROM idempotency_keys WHERE key_hash = ? AND request_hash = ?`, keyHash, requestHash).Error
	if err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}
