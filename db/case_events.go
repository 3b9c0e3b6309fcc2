package db

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CaseEventRow is one recorded event of a case (migration 0010): in clear what orders it and who did
// it, and its body sealed (archive.SealEvent).
type CaseEventRow struct {
	CaseID     string
	Seq        int64
	Kind       string
	OccurredAt time.Time
	RecordedAt time.Time
	ByUser     string // "": the system
	ByRole     string
	ByUnit     string
	Body       []byte
}

type caseEventModel struct {
	CaseID     string `gorm:"primaryKey"`
	Seq        int64  `gorm:"primaryKey"`
	Kind       string
	OccurredAt time.Time
	RecordedAt time.Time
	ByUser     *string
	ByRole     *string
	ByUnit     *string
	Body       string // base64 of the sealed event
}

func (caseEventModel) TableName() string { return "case_events" }

// insertCaseEvents writes events a case has not written yet: a row of the same case and number is
// kept as it is, so a retried projection writes each event once.
func insertCaseEvents(tx *gorm.DB, events []CaseEventRow) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]caseEventModel, len(events))
	for i, e := range events {
		if e.CaseID == "" || e.Seq < 1 || e.Kind == "" || len(e.Body) == 0 {
			return fmt.Errorf("case event %d: case, a number from 1, kind and body are required", i)
		}
		rows[i] = caseEventModel{CaseID: e.CaseID, Seq: e.Seq, Kind: e.Kind, OccurredAt: utc(e.OccurredAt), RecordedAt: utc(e.RecordedAt),
			ByUser: nullable(e.ByUser), ByRole: nullable(e.ByRole), ByUnit: nullable(e.ByUnit), Body: base64.StdEncoding.EncodeToString(e.Body)}
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return fmt.Errorf("insert case events: %w", err)
	}
	return nil
}

// CaseEvents are the recorded events of a case, in the order the workflow recorded them.
func (d *DB) CaseEvents(ctx context.Context, caseID string) ([]CaseEventRow, error) {
	var rows []caseEventModel
	if err := d.gorm.WithContext(ctx).Where("case_id = ?", caseID).Order("seq").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read events of case %q: %w", caseID, err)
	}
	out := make([]CaseEventRow, len(rows))
	for i, r := range rows {
		body, err := base64.StdEncoding.DecodeString(r.Body)
		if err != nil {
			return nil, fmt.Errorf("read event %d of case %q: %w", r.Seq, caseID, err)
		}
		out[i] = CaseEventRow{CaseID: r.CaseID, Seq: r.Seq, Kind: r.Kind, OccurredAt: r.OccurredAt.UTC(), RecordedAt: r.RecordedAt.UTC(),
			ByUser: deref(r.ByUser), ByRole: deref(r.ByRole), ByUnit: deref(r.ByUnit), Body: body}
	}
	return out, nil
}
