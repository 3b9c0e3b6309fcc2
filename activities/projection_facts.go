package activities

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/report"
)

// factsRow is how the read model keeps a case's facts: the JSON of report.Facts,
// which the reports read back, and beside it what the queries select on. Nil facts (a workflow
// older than them) give nil, which removes the stored facts with the rest of the old projection.
// Facts without an opening time take the case's, so that they never stall the projection.
func factsRow(f *report.Facts, caseOpenedAt time.Time) (*db.CaseFacts, error) {
	if f == nil {
		return nil, nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	row := &db.CaseFacts{OpenedAt: f.OpenedAt, ClosedAt: f.ClosedAt, JSON: b}
	if row.OpenedAt.IsZero() {
		row.OpenedAt = caseOpenedAt
	}
	for _, d := range f.Deviations {
		row.PendingDeviations = row.PendingDeviations || d.Pending()
	}
	return row, nil
}

// factsWithoutIdentity is what of a case's stored facts the read model keeps once the retention
// sweep erases the case (db.StripFacts): report.Facts.WithoutIdentity, with the row's opening time
// where the facts had none, as factsRow stored them.
func factsWithoutIdentity(stored []byte, openedAt time.Time) (db.CaseFacts, error) {
	f, err := report.ParseFacts(stored)
	if err != nil {
		return db.CaseFacts{}, err
	}
	if f.OpenedAt.IsZero() {
		f.OpenedAt = openedAt
	}
	kept := f.WithoutIdentity()
	b, err := json.Marshal(kept)
	if err != nil {
		return db.CaseFacts{}, fmt.Errorf("facts: %w", err)
	}
	return db.CaseFacts{OpenedAt: kept.OpenedAt, ClosedAt: kept.ClosedAt, JSON: b}, nil
}
