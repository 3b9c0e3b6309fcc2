package db

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/casework"
)

// ArchivedCase is a closed case's file as the archive holds it (migration 0009): the sealed content
// and, in clear, what lists and the retention sweep select on – no name, no personal number.
type ArchivedCase struct {
	CaseID            string
	WorkflowID        string
	RunIDs            []string
	MunicipalityID    string
	NamedPersonUnitID string
	Policy            casework.PolicyRef
	OpenedAt          time.Time
	ClosedAt          time.Time
	ArchivedAt        time.Time
	EraseAfter        time.Time
	LegalHold         *LegalHold
	// Content is the sealed case file (archive.Seal); empty where a query leaves it out.
	Content []byte
}

// LegalHold keeps an archived case past its erase-after time until an admin lifts it.
type LegalHold struct {
	Reason string
	By     string
	At     time.Time
}

type archiveModel struct {
	CaseID            string `gorm:"primaryKey"`
	WorkflowID        string
	RunIDs            string `gorm:"column:run_ids"`
	MunicipalityID    string
	NamedPersonUnitID *string
	PolicyID          string
	PolicyVersion     int
	OpenedAt          time.Time
	ClosedAt          time.Time
	ArchivedAt        time.Time
	EraseAfter        time.Time
	LegalHold         bool
	LegalHoldReason   *string
	LegalHoldBy       *string
	LegalHoldAt       *time.Time
	Content           string // base64 of the sealed file
}

func (archiveModel) TableName() string { return "case_archive" }

// Erasure is the record that the retention sweep erased a case.
type Erasure struct {
	CaseID            string
	MunicipalityID    string
	NamedPersonUnitID string
	ClosedAt          time.Time
	EraseAfter        time.Time
	ErasedAt          time.Time
}

type erasureModel struct {
	CaseID            string `gorm:"primaryKey"`
	MunicipalityID    string
	NamedPersonUnitID *string
	ClosedAt          time.Time
	EraseAfter        time.Time
	ErasedAt          time.Time
}

func (erasureModel) TableName() string { return "case_erasures" }

func (a ArchivedCase) model() (archiveModel, error) {
	runs, err := json.Marshal(a.RunIDs)
	if err != nil {
		return archiveModel{}, err
	}
	m := archiveModel{CaseID: a.CaseID, WorkflowID: a.WorkflowID, RunIDs: string(runs), MunicipalityID: a.MunicipalityID,
		PolicyID: a.Policy.ID, PolicyVersion: a.Policy.Version, OpenedAt: a.OpenedAt.UTC(), ClosedAt: a.ClosedAt.UTC(),
		ArchivedAt: a.ArchivedAt.UTC(), EraseAfter: a.EraseAfter.UTC(), Content: base64.StdEncoding.EncodeToString(a.Content)}
	if a.NamedPersonUnitID != "" {
		m.NamedPersonUnitID = &a.NamedPersonUnitID
	}
	return m, nil
}

func (m archiveModel) archived() (ArchivedCase, error) {
	a := ArchivedCase{CaseID: m.CaseID, WorkflowID: m.WorkflowID, MunicipalityID: m.MunicipalityID,
		Policy: casework.PolicyRef{ID: m.PolicyID, Version: m.PolicyVersion}, OpenedAt: m.OpenedAt.UTC(),
		ClosedAt: m.ClosedAt.UTC(), ArchivedAt: m.ArchivedAt.UTC(), EraseAfter: m.EraseAfter.UTC()}
	content, err := base64.StdEncoding.DecodeString(m.Content)
	if err != nil {
		return a, fmt.Errorf("archived case %s: content: %w", m.CaseID, err)
	}
	a.Content = content
	if m.NamedPersonUnitID != nil {
		a.NamedPersonUnitID = *m.NamedPersonUnitID
	}
	if err := json.Unmarshal([]byte(m.RunIDs), &a.RunIDs); err != nil {
		return a, fmt.Errorf("archived case %s: run ids: %w", m.CaseID, err)
	}
	if m.LegalHold {
		h := LegalHold{}
		if m.LegalHoldReason != nil {
			h.Reason = *m.LegalHoldReason
		}
		if m.LegalHoldBy != nil {
			h.By = *m.LegalHoldBy
		}
		if m.LegalHoldAt != nil {
			h.At = m.LegalHoldAt.UTC()
		}
		a.LegalHold = &h
	}
	return a, nil
}

// ArchiveCase writes a closed case's file once, and deletes the case's snapshot: a second call for the same case – a retried
// activity, or `samverkan archive` over a case its workflow archived already – changes nothing and
// reports created false.
func (d *DB) ArchiveCase(ctx context.Context, a ArchivedCase) (created bool, err error) {
	if a.CaseID == "" || a.WorkflowID == "" || a.MunicipalityID == "" || len(a.Content) == 0 || a.ClosedAt.IsZero() || a.EraseAfter.IsZero() {
		return false, fmt.Errorf("archive case %q: case id, workflow id, municipality, content, closing and erase-after are required", a.CaseID)
	}
	m, err := a.model()
	if err != nil {
		return false, fmt.Errorf("archive case %s: %w", a.CaseID, err)
	}
	err = d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
		if res.Error != nil {
			return res.Error
		}
		created = res.RowsAffected == 1
		// The file holds the final state; the API reads an archived case from it (api/cases/archived.go),
		// so the snapshot would only be a second copy of the child's data.
		return tx.Exec("DELETE FROM case_snapshots WHERE case_id = ?", a.CaseID).Error
	})
	if err != nil {
		return false, fmt.Errorf("archive case %s: %w", a.CaseID, err)
	}
	return created, nil
}

// ArchivedCase returns a case's archived file, or ErrNotFound while the case is live or after it
// was erased.
func (d *DB) ArchivedCase(ctx context.Context, caseID string) (ArchivedCase, error) {
	var m archiveModel
	if err := d.gorm.WithContext(ctx).Where("case_id = ?", caseID).Take(&m).Error; err != nil {
		return ArchivedCase{}, notFound(err, "archived case "+caseID)
	}
	return m.archived()
}

// ArchivedCasesOfWorkflow are the archived files of one child's workflow ID, oldest closing first:
// the earlier cases a new case of the child links to, and a child's extract.
func (d *DB) ArchivedCasesOfWorkflow(ctx context.Context, workflowID string, withContent bool) ([]ArchivedCase, error) {
	q := d.gorm.WithContext(ctx).Where("workflow_id = ?", workflowID).Order("closed_at, case_id")
	if !withContent {
		q = q.Omit("content")
	}
	var ms []archiveModel
	if err := q.Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("archived cases of %s: %w", workflowID, err)
	}
	out := make([]ArchivedCase, 0, len(ms))
	for _, m := range ms {
		a, err := m.archived()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// SetLegalHold places (hold) or lifts a legal hold on an archived case; ErrNotFound when the case
// is not archived.
func (d *DB) SetLegalHold(ctx context.Context, caseID string, hold bool, reason, by string, at time.Time) (ArchivedCase, error) {
	updates := map[string]any{"legal_hold": hold, "legal_hold_reason": nil, "legal_hold_by": nil, "legal_hold_at": nil}
	if hold {
		at := at.UTC()
		updates["legal_hold_reason"], updates["legal_hold_by"], updates["legal_hold_at"] = reason, by, at
	}
	res := d.gorm.WithContext(ctx).Model(&archiveModel{}).Where("case_id = ?", caseID).Updates(updates)
	if res.Error != nil {
		return ArchivedCase{}, fmt.Errorf("legal hold of %s: %w", caseID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ArchivedCase{}, fmt.Errorf("archived case %s: %w", caseID, ErrNotFound)
	}
	return d.ArchivedCase(ctx, caseID)
}

// DueForErasure are up to limit archived cases past their erase-after time at now and under no legal
// hold, oldest due first, without their content.
func (d *DB) DueForErasure(ctx context.Context, now time.Time, limit int) ([]ArchivedCase, error) {
	var ms []archiveModel
	err := d.gorm.WithContext(ctx).Omit("content").Where("erase_after < ? AND NOT legal_hold", now.UTC()).
		Order("erase_after, case_id").Limit(limit).Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("cases due for erasure: %w", err)
	}
	out := make([]ArchivedCase, 0, len(ms))
	for _, m := range ms {
		a, err := m.archived()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// EraseCase erases an archived case everywhere in the application database, in one transaction:
// its notifications and mails, its read-model rows (the case row, and with it its tasks, access rows,
// events, any snapshot left, and facts, of which strip keeps what has no identity for the yearly follow-up), and the archive
// row, leaving a record of the erasure. The access log stays: it keeps its
// own rule and holds only pseudonyms. Erasing a case erased already does nothing and is no error,
// so a sweep killed half-way is run again safely. A case placed under a legal hold since it was
// selected is left alone (erased false).
func (d *DB) EraseCase(ctx context.Context, a ArchivedCase, now time.Time, strip StripFacts) (erased bool, err error) {
	err = d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var held []bool
		if err := tx.Model(&archiveModel{}).Where("case_id = ?", a.CaseID).Pluck("legal_hold", &held).Error; err != nil {
			return err
		}
		if len(held) == 0 || held[0] {
			return nil
		}
		if err := keepFactsWithoutIdentity(tx, a.CaseID, strip); err != nil {
			return err
		}
		steps := []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM notifications WHERE case_id = ?", []any{a.CaseID}},
			// Mails carry no case ID column. What the case tells its people is keyed by the case ID
			// (workflows' tellKey); the rest by the workflow's ID (activities.NotifyRequest), which the
			// child's later cases share, so of those only the ones made before this case was archived go.
			{"DELETE FROM mail_outbox WHERE notify_key LIKE ?", []any{a.CaseID + "/%"}},
			{"DELETE FROM mail_outbox WHERE notify_key LIKE ? AND created_at <= ?", []any{a.WorkflowID + "/%", a.ArchivedAt.UTC()}},
			{"DELETE FROM case_tasks WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM case_access WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM case_facts WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM case_events WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM case_snapshots WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM cases WHERE case_id = ?", []any{a.CaseID}},
			{"DELETE FROM case_archive WHERE case_id = ?", []any{a.CaseID}},
		}
		for _, s := range steps {
			if err := tx.Exec(s.sql, s.args...).Error; err != nil {
				return err
			}
		}
		rec := erasureModel{CaseID: a.CaseID, MunicipalityID: a.MunicipalityID, ClosedAt: a.ClosedAt.UTC(), EraseAfter: a.EraseAfter.UTC(), ErasedAt: now.UTC()}
		if a.NamedPersonUnitID != "" {
			rec.NamedPersonUnitID = &a.NamedPersonUnitID
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rec).Error; err != nil {
			return err
		}
		erased = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("erase case %s: %w", a.CaseID, err)
	}
	return erased, nil
}

// Erasures are the cases of the named person's units erased since, newest first: the supervisors'
// oversight shows those of the last year.
func (d *DB) Erasures(ctx context.Context, units []string, since time.Time) ([]Erasure, error) {
	var ms []erasureModel
	err := d.gorm.WithContext(ctx).Where("named_person_unit_id IN ? AND erased_at >= ?", units, since.UTC()).
		Order("erased_at DESC, case_id").Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("erasures: %w", err)
	}
	out := make([]Erasure, len(ms))
	for i, m := range ms {
		out[i] = Erasure{CaseID: m.CaseID, MunicipalityID: m.MunicipalityID, ClosedAt: m.ClosedAt.UTC(),
			EraseAfter: m.EraseAfter.UTC(), ErasedAt: m.ErasedAt.UTC()}
		if m.NamedPersonUnitID != nil {
			out[i].NamedPersonUnitID = *m.NamedPersonUnitID
		}
	}
	return out, nil
}

// ReleaseErasedPages makes sure erased rows leave no trace in the database files: on SQLite the
// connections overwrite deleted content (secure_delete, sqliteDSN) and this moves the write-ahead
// log into the database and truncates it, so no old page survives in the WAL file. PostgreSQL's
// autovacuum reclaims the dead rows; nothing to do here.
func (d *DB) ReleaseErasedPages(ctx context.Context) error {
	if d.dialect != DialectSQLite {
		return nil
	}
	if err := d.gorm.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return fmt.Errorf("checkpoint the write-ahead log: %w", err)
	}
	return nil
}
