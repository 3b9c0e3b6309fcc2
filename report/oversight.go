package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// DueSoonWorkingDays is how far ahead the oversight looks for deadlines falling due: to the end of
// the fifth working day after today.
const DueSoonWorkingDays = 5

// OversightInput is what a supervisor's oversight is computed from.
type OversightInput struct {
	Now time.Time
	// Units are the units the reader supervises in the scope asked: deviations of these units are
	// theirs to handle (docs/process.md §9).
	Units []string
	// Cases are the cases the reader may open (Visible) and the cases with a deviation waiting for
	// handling (of any unit; those of other units are left out).
	Cases []Case
	// Calendars are the working-day calendars of the cases' policy versions; a version missing here
	// counts with the public sector's days off (casework.NewCalendar(true)).
	Calendars map[casework.PolicyRef]casework.Calendar
}

// Oversight is what a supervisor sees at a glance (docs/process.md §1): the open cases of their units by
// phase and age band, deadlines falling due and overdue, deviations waiting for their handling,
// disagreements by the step they wait at, and cases the named person has not taken. Every list is
// of cases the reader may open, except deviations: a deviation goes to its unit's supervisor even
// when the unit has no other part in the case (Visible then false). No suppression: a supervisor
// reads these cases one by one anyway.
type Oversight struct {
	OpenCases       OpenCases
	DueSoon         []DeadlineItem
	Overdue         []DeadlineItem
	Deviations      []DeviationItem
	Escalations     EscalationsOpen
	NotAcknowledged []DeadlineItem
}

// OpenCases counts the open cases the reader may open.
type OpenCases struct {
	Total     int     `json:"total"`
	ByPhase   []Count `json:"byPhase"`
	ByAgeBand []Count `json:"byAgeBand"`
}

// Count is one row of a count.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// DeadlineItem is one deadline of one case.
type DeadlineItem struct {
	CaseID            string
	NamedPersonUnitID string
	Kind              casework.DeadlineKind
	StartedAt         time.Time
	DueAt             time.Time
	Overdue           bool
}

// DeviationItem is one deviation waiting for handling.
type DeviationItem struct {
	CaseID       string
	Visible      bool
	DeviationID  string
	Kind         string
	DeadlineKind casework.DeadlineKind
	UnitID       string
	OccurredAt   time.Time
}

// EscalationsOpen are the open disagreements by the step they wait at.
type EscalationsOpen struct {
	ByStep []StepCount      `json:"byStep"`
	Items  []EscalationItem `json:"items"`
}

// StepCount counts the open disagreements at one step.
type StepCount struct {
	Step  int    `json:"step"`
	Level string `json:"level"`
	Count int    `json:"count"`
}

// EscalationItem is one open disagreement at its step.
type EscalationItem struct {
	CaseID       string
	Disagreement string
	Step         int
	Level        string
	Since        time.Time
}

// ComputeOversight computes the oversight.
func ComputeOversight(in OversightInput) Oversight {
	o := Oversight{DueSoon: []DeadlineItem{}, Overdue: []DeadlineItem{}, Deviations: []DeviationItem{},
		NotAcknowledged: []DeadlineItem{}, Escalations: EscalationsOpen{ByStep: []StepCount{}, Items: []EscalationItem{}}}
	phases, bands := map[string]int{}, map[string]int{}
	for _, c := range in.Cases {
		o.deviationsOf(c, in.Units)
		if !c.Visible || c.Phase == casework.PhaseClosed {
			continue
		}
		o.OpenCases.Total++
		phases[string(c.Phase)]++
		bands[orUnknown(c.Facts.AgeBand)]++
		cal, ok := in.Calendars[c.Policy]
		if !ok {
			cal = casework.NewCalendar(true)
		}
		until := cal.EndOfWorkingDay(in.Now, DueSoonWorkingDays)
		o.deadlinesOf(c, in.Now, until)
		o.escalationsOf(c)
	}
	open := make([]string, 0, len(Phases)-1)
	for _, p := range Phases[:len(Phases)-1] {
		open = append(open, string(p))
	}
	o.OpenCases.ByPhase = counts(phases, open)
	o.OpenCases.ByAgeBand = counts(bands, append(slices.Clone(AgeBands), Unknown))
	byDue := func(a, b DeadlineItem) int { return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.CaseID, b.CaseID)) }
	slices.SortFunc(o.DueSoon, byDue)
	slices.SortFunc(o.Overdue, byDue)
	slices.SortFunc(o.NotAcknowledged, byDue)
	slices.SortFunc(o.Deviations, func(a, b DeviationItem) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.DeviationID, b.DeviationID))
	})
	slices.SortFunc(o.Escalations.Items, func(a, b EscalationItem) int {
		return cmp.Or(cmp.Compare(b.Step, a.Step), a.Since.Compare(b.Since), cmp.Compare(a.CaseID, b.CaseID))
	})
	o.Escalations.ByStep = stepCounts(o.Escalations.Items)
	return o
}

func (o *Oversight) deviationsOf(c Case, units []string) {
	for _, d := range c.Facts.Deviations {
		if d.Pending() && slices.Contains(units, d.UnitID) {
			o.Deviations = append(o.Deviations, DeviationItem{CaseID: c.ID, Visible: c.Visible, DeviationID: d.ID,
				Kind: d.Kind, DeadlineKind: d.DeadlineKind, UnitID: d.UnitID, OccurredAt: d.OccurredAt})
		}
	}
}

// deadlinesOf sorts the case's deadlines whose step is not done: overdue when past due (the timer
// may not have marked it yet), due soon when due by until; an acknowledgement not done also makes
// the case one the named person has not taken. A case without facts is not taken while it is in
// upptäcka.
func (o *Oversight) deadlinesOf(c Case, now, until time.Time) {
	if !c.HasFacts && c.Phase == casework.PhaseUpptacka {
		o.NotAcknowledged = append(o.NotAcknowledged, DeadlineItem{CaseID: c.ID, NamedPersonUnitID: c.NamedPersonUnitID,
			Kind: casework.DeadlineAcknowledge, StartedAt: c.Facts.OpenedAt})
	}
	for _, d := range c.Facts.Deadlines {
		if d.DoneAt != nil || d.Status != StatusOpen && d.Status != StatusMissed {
			continue
		}
		item := DeadlineItem{CaseID: c.ID, NamedPersonUnitID: c.NamedPersonUnitID, Kind: d.Kind, StartedAt: d.StartedAt,
			DueAt: d.DueAt, Overdue: d.Status == StatusMissed || d.DueAt.Before(now)}
		switch {
		case item.Overdue:
			o.Overdue = append(o.Overdue, item)
		case !d.DueAt.After(until):
			o.DueSoon = append(o.DueSoon, item)
		}
		if d.Kind == casework.DeadlineAcknowledge {
			o.NotAcknowledged = append(o.NotAcknowledged, item)
		}
	}
}

func (o *Oversight) escalationsOf(c Case) {
	for _, e := range c.Facts.Escalations {
		if e.Open {
			o.Escalations.Items = append(o.Escalations.Items, EscalationItem{CaseID: c.ID, Disagreement: e.Disagreement,
				Step: e.Step, Level: e.Level, Since: e.StartedAt})
		}
	}
}

func counts(m map[string]int, keys []string) []Count {
	out := []Count{}
	for _, k := range keys {
		out = append(out, Count{Key: k, Count: m[k]})
	}
	return out
}

func stepCounts(items []EscalationItem) []StepCount {
	out := []StepCount{}
	for _, it := range items {
		i := slices.IndexFunc(out, func(s StepCount) bool { return s.Step == it.Step && s.Level == it.Level })
		if i < 0 {
			out = append(out, StepCount{Step: it.Step, Level: it.Level})
			i = len(out) - 1
		}
		out[i].Count++
	}
	slices.SortFunc(out, func(a, b StepCount) int { return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Level, b.Level)) })
	return out
}
