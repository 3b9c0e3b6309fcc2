package db

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CaseSnapshot is a case's whole state as of StateSeq (migration 0012), sealed (archive.SealState):
// what the API reads a case from instead of querying its workflow (docs/architecture.md "Reads from
// the snapshot").
type CaseSnapshot struct {
	CaseID   string
	StateSeq int64
	State    []byte // sealed
}

func (s CaseSnapshot) validate() error {
	if s.CaseID == "" || s.StateSeq < 1 || len(s.State) == 0 {
		return errors.New("snapshot: case, a state sequence from 1 and the state are required")
	}
	return nil
}

// upsertSnapshot writes s when it is newer than the stored snapshot (with rewrite, as new), under the
// rule of the case's row (upsertCase) but on its own state_seq: the API may have stored the state a
// command left before the projection of that state arrives.
func upsertSnapshot(tx *gorm.DB, s CaseSnapshot, rewrite bool) error {
	if err := s.validate(); err != nil {
		return err
	}
	newer := "case_snapshots.state_seq < excluded.state_seq"
	if rewrite {
		newer = "case_snapshots.state_seq <= excluded.state_seq"
	}
	err := tx.Exec(`
		INSERT INTO case_snapshots (case_id, state_seq, state, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET
			state_seq = excluded.state_seq,
			state = excluded.state,
			updated_at = excluded.updated_at
		WHERE `+newer,
		s.CaseID, s.StateSeq, base64.StdEncoding.EncodeToString(s.State), utc(time.Now())).Error
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// StoreCaseSnapshot writes the state a command left, as the API read it back to answer the command,
// when it is newer than the stored snapshot; an older one is ignored. So the command's effect is
// what the next read shows, before the workflow's own projection of it arrives.
func (d *DB) StoreCaseSnapshot(ctx context.Context, s CaseSnapshot) error {
	if err := upsertSnapshot(d.gorm.WithContext(ctx), s, false); err != nil {
		return fmt.Errorf("case %q: %w", s.CaseID, err)
	}
	return nil
}

// CaseSnapshot returns the case's snapshot, or ErrNotFound when it has none, or only one older than
// the case's row: a release before snapshots (after a rollback) projected the row without one, so
// the stored snapshot no longer shows the case as the read model does.
func (d *DB) CaseSnapshot(ctx context.Context, caseID string) (CaseSnapshot, error) {
	var rows []struct {
		StateSeq int64
		State    string
	}
	err := d.gorm.WithContext(ctx).Raw(`
		SELECT s.state_seq, s.state FROM case_snapshots s LEFT JOIN cases c ON c.case_id = s.case_id
		WHERE s.case_id = ? AND (c.state_seq IS NULL OR c.state_seq <= s.state_seq)`, caseID).Scan(&rows).Error
	if err != nil {
		return CaseSnapshot{}, fmt.Errorf("read snapshot of case %q: %w", caseID, err)
	}
	if len(rows) == 0 {
		return CaseSnapshot{}, fmt.Errorf("snapshot of case %q: %w", caseID, ErrNotFound)
	}
	state, err := base64.StdEncoding.DecodeString(rows[0].State)
	if err != nil {
		return CaseSnapshot{}, fmt.Errorf("read snapshot of case %q: %w", caseID, err)
	}
	return CaseSnapshot{CaseID: caseID, StateSeq: rows[0].StateSeq, State: state}, nil
}
