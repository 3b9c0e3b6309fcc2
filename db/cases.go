package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
)

// CaseRow is a case as the read model holds it: what lists, inboxes and reports need, and no personal
// data (no names, no personal numbers). The Case workflow owns the case; an activity projects it here.
type CaseRow struct {
	CaseID         string
	WorkflowID     string
	MunicipalityID string
	// Phase is the workflow's phase value ("upptäcka", …); a string because db may not import workflows.
	Phase string
	// NamedPersonUnitID is the unit whose named person has the case; empty before routing.
	NamedPersonUnitID string
	Policy            casework.PolicyRef // the version the case started with
	OpenedAt          time.Time
	// NextDeadlineKind and NextDeadlineAt are the earliest open deadline; both empty when none is open.
	NextDeadlineKind casework.DeadlineKind
	NextDeadlineAt   *time.Time
	Overdue          bool
	SuspectsHarm     bool // the reporter suspects harm: the duty to report applies (docs/process.md §8)
	// StateSeq orders the projections of one case: the workflow increments it on every change.
	StateSeq int64
	// UpdatedAt is when the row was last written; UpsertCase sets it.
	UpdatedAt time.Time
}

func (r CaseRow) validate() error {
	var missing []string
	for _, f := range [][2]string{{"case id", r.CaseID}, {"workflow id", r.WorkflowID},
		{"municipality", r.MunicipalityID}, {"phase", r.Phase}, {"policy", r.Policy.ID}} {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	switch {
	case len(missing) > 0:
		return fmt.Errorf("missing %v", missing)
	case r.Policy.Version < 1:
		return errors.New("policy version below 1")
	case r.OpenedAt.IsZero():
		return errors.New("opened at is zero")
	case (r.NextDeadlineKind == "") != (r.NextDeadlineAt == nil):
		return errors.New("next deadline needs both kind and time, or neither")
	}
	return nil
}

// UpsertCase writes the projection of a case when it is newer than the stored one (a greater
// StateSeq) and does nothing otherwise: activities are retried and may arrive out of order, and an
// older projection must never overwrite a newer one. The row's UpdatedAt is ignored; the time of
// writing is stored.
func (d *DB) UpsertCase(ctx context.Context, row CaseRow) error {
	_, err := upsertCase(d.gorm.WithContext(ctx), row, false)
	return err
}

// upsertCase is UpsertCase on tx; written says whether the row was stored, that is, was newer – or,
// with rewrite, as new as the stored one.
func upsertCase(tx *gorm.DB, row CaseRow, rewrite bool) (written bool, err error) {
	if err := row.validate(); err != nil {
		return false, fmt.Errorf("upsert case %q: %w", row.CaseID, err)
	}
	var deadlineKind *string
	var deadlineAt *time.Time
	if row.NextDeadlineAt != nil {
		k, at := string(row.NextDeadlineKind), utc(*row.NextDeadlineAt)
		deadlineKind, deadlineAt = &k, &at
	}
	var unit *string
	if row.NamedPersonUnitID != "" {
		unit = &row.NamedPersonUnitID
	}
	// One statement, so the comparison and the write are atomic on both databases; the WHERE of
	// DO UPDATE is standard in PostgreSQL and SQLite (≥ 3.24).
	newer := "cases.state_seq < excluded.state_seq"
	if rewrite {
		newer = "cases.state_seq <= excluded.state_seq"
	}
	res := tx.Exec(`
		INSERT INTO cases (case_id, workflow_id, municipality_id, phase, named_person_unit_id, policy_id,
			policy_version, opened_at, next_deadline_kind, next_deadline_at, overdue, suspects_harm,
			state_seq, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET
			workflow_id = excluded.workflow_id,
			municipality_id = excluded.municipality_id,
			phase = excluded.phase,
			named_person_unit_id = excluded.named_person_unit_id,
			policy_id = excluded.policy_id,
			policy_version = excluded.policy_version,
			opened_at = excluded.opened_at,
			next_deadline_kind = excluded.next_deadline_kind,
			next_deadline_at = excluded.next_deadline_at,
			overdue = excluded.overdue,
			suspects_harm = excluded.suspects_harm,
			state_seq = excluded.state_seq,
			updated_at = excluded.updated_at
		WHERE `+newer,
		row.CaseID, row.WorkflowID, row.MunicipalityID, row.Phase, unit, row.Policy.ID,
		row.Policy.Version, utc(row.OpenedAt), deadlineKind, deadlineAt, row.Overdue, row.SuspectsHarm,
		row.StateSeq, utc(time.Now()))
	if res.Error != nil {
		return false, fmt.Errorf("upsert case %q: %w", row.CaseID, res.Error)
	}
	// Both databases count no row when the WHERE of DO UPDATE kept the stored one.
	return res.RowsAffected > 0, nil
}

// Case returns one case of the read model, or ErrNotFound.
func (d *DB) Case(ctx context.Context, caseID string) (CaseRow, error) {
	var m caseModel
	if err := d.gorm.WithContext(ctx).Where("case_id = ?", caseID).Take(&m).Error; err != nil {
		return CaseRow{}, notFound(err, fmt.Sprintf("case %q", caseID))
	}
	return m.row(), nil
}

func (m caseModel) row() CaseRow {
	r := CaseRow{
		CaseID:         m.CaseID,
		WorkflowID:     m.WorkflowID,
		MunicipalityID: m.MunicipalityID,
		Phase:          m.Phase,
		Policy:         casework.PolicyRef{ID: m.PolicyID, Version: m.PolicyVersion},
		OpenedAt:       m.OpenedAt.UTC(),
		Overdue:        m.Overdue,
		SuspectsHarm:   m.SuspectsHarm,
		StateSeq:       m.StateSeq,
		UpdatedAt:      m.UpdatedAt.UTC(),
	}
	if m.NamedPersonUnitID != nil {
		r.NamedPersonUnitID = *m.NamedPersonUnitID
	}
	if m.NextDeadlineKind != nil {
		r.NextDeadlineKind = casework.DeadlineKind(*m.NextDeadlineKind)
	}
	if m.NextDeadlineAt != nil {
		at := m.NextDeadlineAt.UTC()
		r.NextDeadlineAt = &at
	}
	return r
}
