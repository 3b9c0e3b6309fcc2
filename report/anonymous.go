package report

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// WithoutIdentity is what of a case's facts the read model keeps once the case is erased (issue 13,
// docs/process.md §7.2): what the yearly follow-up counts and nothing that links to the case or the
// child. The deviations' and disagreements' IDs and the deviations' units go, and every time becomes
// the first instant of its year in Swedish time. The yearly follow-up compares times only with the
// bounds of Swedish years (Yearly), so it counts the same before and after; the exact times, which
// the access log and the erasure record could be matched against, are not kept. It copies the facts
// whole: a field added to Facts that names or dates anything finer must be cleared here too.
func (f Facts) WithoutIdentity() Facts {
	out := f
	out.OpenedAt = YearOf(f.OpenedAt)
	out.ClosedAt = yearOfPtr(f.ClosedAt)
	out.FirstPlanAt = yearOfPtr(f.FirstPlanAt)
	out.Deadlines = make([]DeadlineFact, len(f.Deadlines))
	for i, d := range f.Deadlines {
		d.StartedAt, d.DueAt, d.DoneAt = YearOf(d.StartedAt), YearOf(d.DueAt), yearOfPtr(d.DoneAt)
		out.Deadlines[i] = d
	}
	out.Deviations = make([]DeviationFact, len(f.Deviations))
	for i, d := range f.Deviations {
		d.ID, d.UnitID, d.OccurredAt = "", "", YearOf(d.OccurredAt)
		out.Deviations[i] = d
	}
	out.Escalations = make([]EscalationFact, len(f.Escalations))
	for i, e := range f.Escalations {
		e.Disagreement, e.StartedAt = "", YearOf(e.StartedAt)
		out.Escalations[i] = e
	}
	return out
}

// YearOf is the first instant of t's year in Swedish time; the zero time stays zero.
func YearOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	from, _ := YearBounds(t.In(casework.Stockholm).Year())
	return from
}

func yearOfPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	y := YearOf(*t)
	return &y
}
