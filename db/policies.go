package db

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
)

// Policy returns one stored version of a policy, or ErrNotFound. A running case asks for the version
// it started with, so the answer for an (id, version) never changes.
func (d *DB) Policy(ctx context.Context, id string, version int) (casework.Policy, error) {
	ref := casework.PolicyRef{ID: id, Version: version}
	var r policyRow
	if err := d.gorm.WithContext(ctx).Where("id = ? AND version = ?", id, version).Take(&r).Error; err != nil {
		return casework.Policy{}, notFound(err, "policy "+ref.String())
	}
	return decodePolicy(r)
}

// newestPolicy is the highest stored version of a policy: the one new cases start with.
func (d *DB) newestPolicy(ctx context.Context, id string) (casework.Policy, error) {
	var r policyRow
	if err := d.gorm.WithContext(ctx).Where("id = ?", id).Order("version DESC").Take(&r).Error; err != nil {
		return casework.Policy{}, notFound(err, fmt.Sprintf("policy %q", id))
	}
	return decodePolicy(r)
}

func decodePolicy(r policyRow) (casework.Policy, error) {
	var p casework.Policy
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		return casework.Policy{}, fmt.Errorf("policy %s@v%d: stored body: %w", r.ID, r.Version, err)
	}
	if p.ID != r.ID || p.Version != r.Version {
		return casework.Policy{}, fmt.Errorf("policy %s@v%d: stored body says %s", r.ID, r.Version, p.PolicyRef)
	}
	return p, nil
}

// SavePolicy stores a new version of a policy after validating it (a *casework.ValidationError,
// wrapped, when it is not valid). Versions only grow: a new version must be greater than the newest
// stored one. A stored version is immutable because running cases depend on it: saving the same
// policy again is a no-op (so seeding is idempotent), saving a different body under a stored
// version is ErrConflict, as is a version not above the newest.
func (d *DB) SavePolicy(ctx context.Context, p casework.Policy) error {
	ref := p.PolicyRef
	if err := p.Validate(); err != nil {
		return fmt.Errorf("save policy %s: %w", ref, err)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("save policy %s: %w", ref, err)
	}
	// On SQLite the transaction holds the write lock from its start (BEGIN IMMEDIATE), so the check
	// and the insert cannot interleave with another save. On PostgreSQL two concurrent saves of the
	// same version end with one primary-key violation, which is the right outcome too.
	err = d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var stored []policyRow
		if err := tx.Where("id = ? AND version = ?", p.ID, p.Version).Limit(1).Find(&stored).Error; err != nil {
			return err
		}
		if len(stored) == 1 {
			if sameBody(stored[0].Body, body) {
				return nil
			}
			return fmt.Errorf("%w: a stored version never changes; save the change as a new version", ErrConflict)
		}
		var newest int
		if err := tx.Raw("SELECT COALESCE(MAX(version), 0) FROM policies WHERE id = ?", p.ID).Scan(&newest).Error; err != nil {
			return err
		}
		if p.Version <= newest {
			return fmt.Errorf("%w: version %d is not above the newest stored version %d", ErrConflict, p.Version, newest)
		}
		return tx.Create(&policyRow{ID: p.ID, Version: p.Version, Name: p.Name, Body: string(body),
			CreatedAt: utc(time.Now())}).Error
	})
	if err != nil {
		return fmt.Errorf("save policy %s: %w", ref, err)
	}
	return nil
}

// sameBody compares by meaning, not by bytes: the stored body is decoded and encoded again, so a
// body written by an older release compares equal when it says the same. A field added to
// casework.Policy since then still makes the two differ, which is what it should do.
func sameBody(stored string, body []byte) bool {
	var p casework.Policy
	if err := json.Unmarshal([]byte(stored), &p); err != nil {
		return false
	}
	again, err := json.Marshal(p)
	return err == nil && bytes.Equal(again, body)
}
