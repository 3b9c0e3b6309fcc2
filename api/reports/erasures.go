package reports

import (
	"context"
	"time"

	"github.com/samverkan/samverkan/api/httpkit"
)

// The oversight shows a supervisor the erasures of the last year (issue 13, docs/process.md §7.2): which of
// their units' cases the retention sweep erased, when, and when they had closed – that the rule was
// applied, with nothing of the case left to show.

type oversightErasure struct {
	CaseID            string            `json:"caseId"`
	NamedPersonUnitID string            `json:"namedPersonUnitId"`
	ClosedAt          httpkit.LocalTime `json:"closedAt"`
	EraseAfter        httpkit.LocalTime `json:"eraseAfter"`
	ErasedAt          httpkit.LocalTime `json:"erasedAt"`
}

func (s *Handlers) erasures(ctx context.Context, units []string, now time.Time) ([]oversightErasure, error) {
	rows, err := s.DB.Erasures(ctx, units, now.AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	out := make([]oversightErasure, len(rows))
	for i, r := range rows {
		out[i] = oversightErasure{CaseID: r.CaseID, NamedPersonUnitID: r.NamedPersonUnitID, ClosedAt: httpkit.LocalTime(r.ClosedAt),
			EraseAfter: httpkit.LocalTime(r.EraseAfter), ErasedAt: httpkit.LocalTime(r.ErasedAt)}
	}
	return out, nil
}
