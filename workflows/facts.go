package workflows

import (
	"slices"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/report"
)

// projectedFacts are the case's countable facts for the yearly follow-up and the oversight (docs/process.md
// §12): computed from the state alone, without identities.
func projectedFacts(s *CaseState) *report.Facts {
	f := &report.Facts{
		AgeBand:  ageBand(s.Child.BirthDate, s.OpenedAt),
		Areas:    append([]casework.WheelArea{}, s.Areas...),
		OpenedAt: s.OpenedAt,
	}
	if u := s.NamedPersonUnit; u != nil {
		f.NamedPersonUnitKind = u.Kind
	}
	for _, p := range s.Participants {
		if !slices.Contains(f.AgencyKinds, p.Unit.Kind) {
			f.AgencyKinds = append(f.AgencyKinds, p.Unit.Kind)
		}
	}
	if c := s.Closed; c != nil {
		at := c.OccurredAt
		f.ClosedAt, f.CloseReason = &at, string(c.Reason)
	}
	cal := casework.NewCalendar(s.Policy.DaysOffByAgreement)
	for _, d := range s.Deadlines {
		df := report.DeadlineFact{Kind: d.Kind, StartedAt: d.StartedAt, DueAt: d.DueAt, DoneAt: d.DoneAt, Status: string(d.Status)}
		if d.DoneAt != nil {
			n := cal.WorkingDaysBetween(d.StartedAt, *d.DoneAt)
			df.WorkingDays = &n
		}
		f.Deadlines = append(f.Deadlines, df)
	}
	for _, c := range s.Consents {
		f.ConsentRefused = f.ConsentRefused || !c.Given && !c.Revoked
		f.ConsentRevoked = f.ConsentRevoked || c.Revoked
	}
	for _, p := range s.Plans {
		if p.EstablishedAt == nil {
			continue
		}
		f.PlansEstablished++
		if f.FirstPlanAt == nil || p.EstablishedAt.Before(*f.FirstPlanAt) {
			at := *p.EstablishedAt
			f.FirstPlanAt = &at
		}
	}
	for _, d := range s.Deviations {
		f.Deviations = append(f.Deviations, report.DeviationFact{ID: d.ID, Kind: string(d.Kind), DeadlineKind: d.DeadlineKind,
			UnitID: d.UnitID, OccurredAt: d.OccurredAt, Handled: d.Handled != nil, Withdrawn: d.WithdrawnAt != nil})
	}
	for _, d := range s.Disagreements {
		for i, st := range d.Steps {
			f.Escalations = append(f.Escalations, report.EscalationFact{Disagreement: d.ID, Step: i, Level: st.Level,
				StartedAt: st.StartedAt, Decided: st.Decision != "", Open: d.Open() && i == len(d.Steps)-1})
		}
	}
	if p := s.Placement; p != nil {
		f.Placement = string(p.Kind)
	}
	f.HandedOver, f.Reopened = len(s.Handovers), len(s.Reopenings)
	return f
}

// ageOn is the child's age in whole years at the instant at, in Stockholm; false without a readable
// birth date.
func (ch Child) ageOn(at time.Time) (int, bool) {
	birth, err := time.ParseInLocation(time.DateOnly, ch.BirthDate, casework.Stockholm)
	if err != nil {
		return 0, false
	}
	return casework.AgeOn(birth, at.In(casework.Stockholm)), true
}

// ageBand is the child's age at the first concern in the bands the yearly follow-up counts; the
// birth date itself never leaves the workflow.
func ageBand(birthDate string, at time.Time) string {
	age, ok := Child{BirthDate: birthDate}.ageOn(at)
	if !ok || at.IsZero() {
		return ""
	}
	switch {
	case age <= 5:
		return "0-5"
	case age <= 9:
		return "6-9"
	case age <= 12:
		return "10-12"
	case age <= 15:
		return "13-15"
	case age <= 17:
		return "16-17"
	default:
		return "18-20"
	}
}
