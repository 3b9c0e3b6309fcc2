package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
)

// CaseFacts are what the yearly follow-up and the oversight count of a case (report.Facts),
// as the read model keeps them: the JSON the workflow's facts marshal to, which db stores and
// returns without reading it (db may not import activities), and the times and flag that queries
// select on, pulled out of it by the activity.
type CaseFacts struct {
	OpenedAt time.Time
	ClosedAt *time.Time
	// PendingDeviations: a deviation of the case waits for its supervisor's handling.
	PendingDeviations bool
	JSON              []byte
}

type caseFactsModel struct {
	CaseID            string `gorm:"primaryKey"`
	MunicipalityID    string
	OpenedAt          time.Time
	ClosedAt          *time.Time
	PendingDeviations bool
	Facts             string
	StateSeq          int64
}

func (caseFactsModel) TableName() string { return "case_facts" }

func (f *CaseFacts) validate() error {
	switch {
	case f == nil:
		return nil
	case f.OpenedAt.IsZero():
		return errors.New("facts: opened at is zero")
	case len(f.JSON) == 0:
		return errors.New("facts: no JSON")
	}
	return nil
}

// replaceFacts replaces the case's facts with those of the projection being written; ProjectCase
// calls it only when the case's row was written, so the facts follow the row's StateSeq rule. A
// projection without facts (from a workflow older than them) deletes the stored ones, as it empties
// tasks and access: the row and its facts are never of two versions of the case, and the case is
// counted again from its next change.
func replaceFacts(tx *gorm.DB, row CaseRow, f *CaseFacts) error {
	if err := tx.Exec("DELETE FROM case_facts WHERE case_id = ?", row.CaseID).Error; err != nil {
		return fmt.Errorf("delete facts: %w", err)
	}
	if f == nil {
		return nil
	}
	m := caseFactsModel{CaseID: row.CaseID, MunicipalityID: row.MunicipalityID, OpenedAt: utc(f.OpenedAt),
		PendingDeviations: f.PendingDeviations, Facts: string(f.JSON), StateSeq: row.StateSeq}
	if f.ClosedAt != nil {
		at := utc(*f.ClosedAt)
		m.ClosedAt = &at
	}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("insert facts: %w", err)
	}
	return nil
}

// FactsRow is one case's facts with what its row says now: the phase, the named person's unit and
// the policy version. JSON is report.Facts.
type FactsRow struct {
	CaseID string
	// WorkflowID is the child's workflow, one per child across their cases: reports count children by it.
	WorkflowID        string
	MunicipalityID    string
	Phase             string
	NamedPersonUnitID string
	Policy            casework.PolicyRef
	OpenedAt          time.Time
	ClosedAt          *time.Time
	JSON              []byte
	// Visible: the viewers OversightFacts was asked for may open the case (ScopeUnit's rule).
	Visible bool
}

type factsScan struct {
	CaseID            string
	WorkflowID        string
	MunicipalityID    string
	Phase             string
	NamedPersonUnitID *string
	PolicyID          string
	PolicyVersion     int
	CaseOpenedAt      time.Time
	OpenedAt          *time.Time // NULL without facts (LEFT JOIN); not COALESCE'd, which SQLite returns as text
	ClosedAt          *time.Time
	Facts             *string
	Visible           int
}

func (s factsScan) row() FactsRow {
	r := FactsRow{CaseID: s.CaseID, WorkflowID: s.WorkflowID, MunicipalityID: s.MunicipalityID, Phase: s.Phase, NamedPersonUnitID: deref(s.NamedPersonUnitID),
		Policy: casework.PolicyRef{ID: s.PolicyID, Version: s.PolicyVersion}, OpenedAt: s.CaseOpenedAt.UTC(),
		ClosedAt: utcPtr(s.ClosedAt), Visible: s.Visible != 0}
	if s.OpenedAt != nil {
		r.OpenedAt = s.OpenedAt.UTC()
	}
	if s.Facts != nil {
		r.JSON = []byte(*s.Facts)
	}
	return r
}

const factsColumns = `c.case_id, c.workflow_id, c.municipality_id, c.phase, c.named_person_unit_id, c.policy_id, c.policy_version,
	c.opened_at AS case_opened_at, f.opened_at, f.closed_at, f.facts`

// FactsInPeriod lists the facts of the cases that were open at some time in [from, to) – opened
// before to and not closed before from – in the given municipalities (every one when none), by case
// ID, and after them what is kept of erased cases' facts (facts_erased.go), without a case ID. A case
// whose workflow has not projected facts yet is not among them.
func (d *DB) FactsInPeriod(ctx context.Context, from, to time.Time, municipalities []string) ([]FactsRow, error) {
	where := "f.opened_at < ? AND (f.closed_at IS NULL OR f.closed_at >= ?)"
	args := []any{utc(to), utc(from)}
	if len(municipalities) > 0 {
		where, args = where+" AND f.municipality_id IN ?", append(args, municipalities)
	}
	var rows []factsScan
	err := d.gorm.WithContext(ctx).Raw(`SELECT `+factsColumns+`, 0 AS visible
		FROM case_facts f JOIN cases c ON c.case_id = f.case_id WHERE `+where+` ORDER BY c.case_id`, args...).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("facts in period: %w", err)
	}
	out := make([]FactsRow, len(rows))
	for i, r := range rows {
		out[i] = r.row()
	}
	erased, err := d.erasedFactsInPeriod(ctx, from, to, municipalities)
	if err != nil {
		return nil, err
	}
	return append(out, erased...), nil
}

// OversightFacts lists what a supervisor's oversight is made of: the open cases that any of the
// viewers may open as their unit's cases (ListCases' ScopeUnit rule, so a list never shows a case
// its reader may not open), and every case, open or closed, with a deviation waiting for handling –
// which the caller narrows to the viewers' units, since a deviation goes to its unit's supervisor
// whether or not the unit can read the case (Visible says). Open cases not projected with facts yet
// come without JSON (and with their row's opening time). By case ID.
func (d *DB) OversightFacts(ctx context.Context, viewers []Viewer) ([]FactsRow, error) {
	var parts []string
	var accessArgs []any
	for _, v := range viewers {
		if clause, args := v.accessClause(ScopeUnit); clause != "" {
			parts, accessArgs = append(parts, clause), append(accessArgs, args...)
		}
	}
	visible := "1 = 0"
	if len(parts) > 0 {
		visible = "c.case_id IN (SELECT a.case_id FROM case_access a WHERE " + strings.Join(parts, " OR ") + ")"
	}
	args := append(append(append([]any{}, accessArgs...), string(casework.PhaseClosed)), accessArgs...)
	var rows []factsScan
	err := d.gorm.WithContext(ctx).Raw(`SELECT `+factsColumns+`, CASE WHEN `+visible+` THEN 1 ELSE 0 END AS visible
		FROM cases c LEFT JOIN case_facts f ON f.case_id = c.case_id
		WHERE f.pending_deviations OR (c.phase <> ? AND `+visible+`) ORDER BY c.case_id`, args...).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("oversight facts: %w", err)
	}
	out := make([]FactsRow, len(rows))
	for i, r := range rows {
		out[i] = r.row()
	}
	return out, nil
}
