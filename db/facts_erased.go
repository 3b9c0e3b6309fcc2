package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
)

// StripFacts turns a case's stored facts (report.Facts as JSON, and the opening time the row took
// where the facts had none) into what may be kept once the case is erased: the facts without
// identity and the times the period query selects on. db does not read the facts, so the sweep's
// activity passes it (activities.factsWithoutIdentity).
type StripFacts func(json []byte, openedAt time.Time) (CaseFacts, error)

type erasedFactsModel struct {
	ID             string `gorm:"primaryKey"`
	MunicipalityID string
	OpenedAt       time.Time
	ClosedAt       *time.Time
	Facts          string
}

func (erasedFactsModel) TableName() string { return "erased_case_facts" }

// keepFactsWithoutIdentity writes what of the case's facts the yearly follow-up needs to
// erased_case_facts (migration 0011), under a random ID, before the case's rows go; a case without
// facts keeps nothing.
func keepFactsWithoutIdentity(tx *gorm.DB, caseID string, strip StripFacts) error {
	var ms []caseFactsModel
	if err := tx.Where("case_id = ?", caseID).Limit(1).Find(&ms).Error; err != nil {
		return fmt.Errorf("read facts: %w", err)
	}
	if len(ms) == 0 {
		return nil
	}
	kept, err := strip([]byte(ms[0].Facts), ms[0].OpenedAt.UTC())
	if err != nil {
		return fmt.Errorf("facts without identity: %w", err)
	}
	m := erasedFactsModel{ID: newID(), MunicipalityID: ms[0].MunicipalityID, OpenedAt: utc(kept.OpenedAt), ClosedAt: utcPtr(kept.ClosedAt),
		Facts: string(kept.JSON)}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("keep facts: %w", err)
	}
	return nil
}

// erasedFactsInPeriod are the kept facts of erased cases open at some time in [from, to), as
// FactsInPeriod selects: without a case ID, each as a child of its own (WorkflowID is the random
// row ID), closed.
func (d *DB) erasedFactsInPeriod(ctx context.Context, from, to time.Time, municipalities []string) ([]FactsRow, error) {
	q := d.gorm.WithContext(ctx).Where("opened_at < ? AND (closed_at IS NULL OR closed_at >= ?)", utc(to), utc(from))
	if len(municipalities) > 0 {
		q = q.Where("municipality_id IN ?", municipalities)
	}
	var ms []erasedFactsModel
	if err := q.Order("id").Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("facts of erased cases in period: %w", err)
	}
	out := make([]FactsRow, len(ms))
	for i, m := range ms {
		out[i] = FactsRow{WorkflowID: "erased-" + m.ID, MunicipalityID: m.MunicipalityID, Phase: string(casework.PhaseClosed),
			OpenedAt: m.OpenedAt.UTC(), ClosedAt: utcPtr(m.ClosedAt), JSON: []byte(m.Facts)}
	}
	return out, nil
}
