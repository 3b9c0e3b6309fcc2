package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// YearlyInput is what the yearly follow-up is computed from.
type YearlyInput struct {
	Year int
	// AsOf is when the report is computed. While the year runs, a case's phase is today's.
	AsOf time.Time
	// Cases are the cases open at some time in the year (and any others, which are left out).
	Cases []Case
	// Ladders are the escalation ladders of the policies in scope: every step of them is a row of
	// Escalations, reached or not.
	Ladders [][]string
}

// Yearly is the yearly follow-up of docs/process.md §12 for one year and one municipality or several:
// aggregated, without identities, every figure a Figure so that small cells can be withheld.
//
// Which cases count. The year is the calendar year in Swedish time, from 1 January 00:00 to
// 31 December 24:00 Europe/Stockholm. A case counts for the year when it was open at some time
// during it: opened before the year's end and not closed before its start (a reopened case counts
// from its opening; the facts keep only its latest closing). A case whose workflow has not projected
// facts yet is not counted. Every table of cases counts these
// "active" cases, each once however many concerns it gathered:
//   - Cases: active; opened in the year; closed in the year.
//   - ByPhase: the phase at the year's end. While the year runs, the phase today. For a year that
//     is over, the phase is dated by the facts' business times: avslutat when closed by then,
//     uppföljning when a plan was in force, samarbeta when consent was complete (the summons or
//     meeting deadline had started), kartlägga when the named person had taken the case, else
//     upptäcka. The facts carry no time for the assessment's completion, so the days between it and
//     complete consent count as kartlägga.
//   - ByAgeBand (age at the first concern), ByNamedPersonUnitKind: each case in one row.
//   - ByArea, ByAgencyKind: a case in each of its wheel areas and each kind of agency that took
//     part within the consent at any time, so these rows add up to more than the cases.
//   - Consent: the active cases in which a party refused consent / consent was revoked, wholly or
//     in part (the facts do not date these).
//   - PlansEstablished: the cases whose first plan (SIP) came into force in the year.
//
// Deadlines count in the year their due instant falls in, once settled: met counts as within the
// policy's deadline, missed as late; a deadline still open (not yet due) or cancelled (the step no
// longer needed) does not count. Share is within / (within + late), to three decimals.
// MedianWorkingDays is the median, over those deadlines whose step was done (in time or late), of
// the working days from the deadline's start to the step by the case's policy calendar (docs/process.md
// §7.1) – the mean of the middle two for an even number. So the figures of a year are final once
// its last deadline has fallen due, which is by its end.
//
// Deviations count in the year they occurred, by kind (a missed deadline per deadline kind, or a
// reported deviation); an automatic deviation withdrawn because the step turned out to be done in
// time is not a deviation. Escalations count the steps disagreements reached in the year, by step
// (0 is the first level, where a disagreement is raised) and the policy's name for it.
//
// Small cells. A count is withheld as "<5" when fewer than MinChildren distinct children lie behind
// it (a child with two cases in a year is one child), zero included. In the tables whose rows part
// the cases (ByPhase, ByAgeBand, ByNamedPersonUnitKind), when exactly one row is "<5" the smallest
// shown row is withheld too, as "x", so the total less the rest does not give it away. A share is
// shown only when both its counts are (else "x"); a median only when at least MinChildren children
// lie behind it (else "<5"). Cases.Closed counts the same cases as ByPhase's avslutat and is withheld
// with it. Other differences between figures of separate tables (active less opened) are not
// controlled.
type Yearly struct {
	Year                  int           `json:"year"`
	Cases                 CaseCounts    `json:"cases"`
	ByPhase               []Row         `json:"byPhase"`
	ByAgeBand             []Row         `json:"byAgeBand"`
	ByArea                []Row         `json:"byArea"`
	ByNamedPersonUnitKind []Row         `json:"byNamedPersonUnitKind"`
	ByAgencyKind          []Row         `json:"byAgencyKind"`
	Deadlines             []Compliance  `json:"deadlines"`
	Consent               ConsentCounts `json:"consent"`
	PlansEstablished      Figure        `json:"plansEstablished"`
	Deviations            []Deviations  `json:"deviations"`
	Escalations           []Escalations `json:"escalations"`
}

// CaseCounts are the year's cases.
type CaseCounts struct {
	Active Figure `json:"active"`
	Opened Figure `json:"opened"`
	Closed Figure `json:"closed"`
}

// Row is one row of a table of cases.
type Row struct {
	Key   string `json:"key"`
	Cases Figure `json:"cases"`
}

// Compliance is how one kind of deadline was kept.
type Compliance struct {
	Kind              casework.DeadlineKind `json:"kind"`
	Within            Figure                `json:"within"`
	Late              Figure                `json:"late"`
	Share             Figure                `json:"share"`
	MedianWorkingDays Figure                `json:"medianWorkingDays"`
}

// ConsentCounts are the cases with a refusal or a revocation of consent.
type ConsentCounts struct {
	Refused Figure `json:"refused"`
	Revoked Figure `json:"revoked"`
}

// Deviations counts one kind of deviation.
type Deviations struct {
	Kind         string                `json:"kind"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	Count        Figure                `json:"count"`
}

// Escalations counts the disagreements that reached one step.
type Escalations struct {
	Step  int    `json:"step"`
	Level string `json:"level"`
	Count Figure `json:"count"`
}

// AgeBands are the bands of CaseFacts.AgeBand, youngest first.
var AgeBands = []string{"0-5", "6-9", "10-12", "13-15", "16-17", "18-20"}

// Phases are the phases in the order of the process.
var Phases = []casework.Phase{casework.PhaseUpptacka, casework.PhaseKartlagga, casework.PhaseSamarbeta,
	casework.PhaseUppfoljning, casework.PhaseClosed}

// DeadlineKinds are the deadlines the report follows, in the order of the process.
var DeadlineKinds = []casework.DeadlineKind{casework.DeadlineAcknowledge, casework.DeadlineSummons,
	casework.DeadlineMeeting, casework.DeadlineAcuteMeeting, casework.DeadlineFollowUp, casework.DeadlineCostDistribution}

// YearBounds are the first instant of the year in Swedish time and the first of the next.
func YearBounds(year int) (from, to time.Time) {
	return time.Date(year, 1, 1, 0, 0, 0, 0, casework.Stockholm), time.Date(year+1, 1, 1, 0, 0, 0, 0, casework.Stockholm)
}

// within reports whether t falls in [from, to).
func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// ComputeYearly computes the yearly follow-up.
func ComputeYearly(in YearlyInput) Yearly {
	from, to := YearBounds(in.Year)
	t := newTally()
	for _, c := range in.Cases {
		f := c.Facts
		if !c.HasFacts || !f.OpenedAt.Before(to) || f.ClosedAt != nil && f.ClosedAt.Before(from) {
			continue
		}
		t.countCase(c, from, to, in.AsOf.Before(to))
	}
	return t.yearly(in.Year, in.Ladders)
}

// tally gathers the cells of one year.
type tally struct {
	active, opened, closed, refused, revoked, plans cell
	phase, ageBand, area, npKind, agencyKind        map[string]*cell
	within, late, done                              map[casework.DeadlineKind]*cell
	workingDays                                     map[casework.DeadlineKind][]int
	deviations                                      map[[2]string]*cell
	escalations                                     map[escalationKey]*cell
}

type escalationKey struct {
	step  int
	level string
}

func newTally() *tally {
	return &tally{phase: map[string]*cell{}, ageBand: map[string]*cell{}, area: map[string]*cell{},
		npKind: map[string]*cell{}, agencyKind: map[string]*cell{}, within: map[casework.DeadlineKind]*cell{},
		late: map[casework.DeadlineKind]*cell{}, done: map[casework.DeadlineKind]*cell{},
		workingDays: map[casework.DeadlineKind][]int{}, deviations: map[[2]string]*cell{}, escalations: map[escalationKey]*cell{}}
}

func at[K comparable](m map[K]*cell, k K) *cell {
	c, ok := m[k]
	if !ok {
		c = &cell{}
		m[k] = c
	}
	return c
}

func (t *tally) countCase(c Case, from, to time.Time, running bool) {
	f, child := c.Facts, c.Child
	t.active.add(child)
	if within(f.OpenedAt, from, to) {
		t.opened.add(child)
	}
	if f.ClosedAt != nil && within(*f.ClosedAt, from, to) {
		t.closed.add(child)
	}
	at(t.phase, string(phaseAt(c, to, running))).add(child)
	at(t.ageBand, orUnknown(f.AgeBand)).add(child)
	at(t.npKind, orUnknown(string(f.NamedPersonUnitKind))).add(child)
	for _, a := range uniq(f.Areas) {
		at(t.area, string(a)).add(child)
	}
	for _, k := range uniq(f.AgencyKinds) {
		at(t.agencyKind, string(k)).add(child)
	}
	if f.ConsentRefused {
		t.refused.add(child)
	}
	if f.ConsentRevoked {
		t.revoked.add(child)
	}
	if f.FirstPlanAt != nil && within(*f.FirstPlanAt, from, to) {
		t.plans.add(child)
	}
	for _, d := range f.Deadlines {
		if !within(d.DueAt, from, to) || d.Status != StatusMet && d.Status != StatusMissed {
			continue
		}
		if d.Status == StatusMet {
			at(t.within, d.Kind).add(child)
		} else {
			at(t.late, d.Kind).add(child)
		}
		if d.DoneAt != nil && d.WorkingDays != nil {
			at(t.done, d.Kind).add(child)
			t.workingDays[d.Kind] = append(t.workingDays[d.Kind], *d.WorkingDays)
		}
	}
	for _, d := range f.Deviations {
		if !d.Withdrawn && within(d.OccurredAt, from, to) {
			at(t.deviations, deviationKey(d)).add(child)
		}
	}
	for _, e := range f.Escalations {
		if within(e.StartedAt, from, to) {
			at(t.escalations, escalationKey{e.Step, e.Level}).add(child)
		}
	}
}

func deviationKey(d DeviationFact) [2]string {
	if d.Kind == DeviationMissedDeadline {
		return [2]string{d.Kind, string(d.DeadlineKind)}
	}
	return [2]string{d.Kind, ""}
}

// phaseAt is the case's phase at the year's end, as Yearly's comment says.
func phaseAt(c Case, end time.Time, running bool) casework.Phase {
	if running && c.Phase != "" {
		return c.Phase
	}
	f := c.Facts
	before := func(t *time.Time) bool { return t != nil && t.Before(end) }
	if before(f.ClosedAt) {
		return casework.PhaseClosed
	}
	if before(f.FirstPlanAt) {
		return casework.PhaseUppfoljning
	}
	phase := casework.PhaseUpptacka
	for _, d := range f.Deadlines {
		switch {
		case d.Kind == casework.DeadlineSummons || d.Kind == casework.DeadlineMeeting || d.Kind == casework.DeadlineAcuteMeeting:
			if d.StartedAt.Before(end) {
				return casework.PhaseSamarbeta
			}
		case d.Kind == casework.DeadlineAcknowledge && before(d.DoneAt):
			phase = casework.PhaseKartlagga
		}
	}
	return phase
}

func (t *tally) yearly(year int, ladders [][]string) Yearly {
	y := Yearly{Year: year, Cases: CaseCounts{Active: t.active.figure(), Opened: t.opened.figure(), Closed: t.closed.figure()},
		Consent: ConsentCounts{Refused: t.refused.figure(), Revoked: t.revoked.figure()}, PlansEstablished: t.plans.figure()}
	phases := make([]string, len(Phases))
	for i, p := range Phases {
		phases[i] = string(p)
	}
	areas := make([]string, len(casework.WheelAreas))
	for i, a := range casework.WheelAreas {
		areas[i] = string(a)
	}
	kinds := make([]string, len(casework.UnitKinds))
	for i, k := range casework.UnitKinds {
		kinds[i] = string(k)
	}
	y.ByPhase = rows(t.phase, phases)
	y.ByAgeBand = rows(t.ageBand, append(slices.Clone(AgeBands), Unknown))
	y.ByNamedPersonUnitKind = rows(t.npKind, append(slices.Clone(kinds), Unknown))
	for _, part := range [][]Row{y.ByPhase, y.ByAgeBand, y.ByNamedPersonUnitKind} {
		hideComplement(y.Cases.Active, part)
	}
	// The cases closed in the year are the cases in avslutat at its end: withheld with that row.
	if closed := y.ByPhase[len(y.ByPhase)-1]; closed.Key == string(casework.PhaseClosed) && closed.Cases.Withheld() {
		y.Cases.Closed = closed.Cases
	}
	y.ByArea = rows(t.area, areas)
	y.ByAgencyKind = rows(t.agencyKind, kinds)
	for _, k := range DeadlineKinds {
		in, late, done := at(t.within, k), at(t.late, k), at(t.done, k)
		c := Compliance{Kind: k, Within: in.figure(), Late: late.figure(), MedianWorkingDays: Figure{Mark: FewerThanFive}}
		c.Share = share(c.Within, c.Late, in.n, late.n)
		if len(done.children) >= MinChildren {
			c.MedianWorkingDays = Figure{Value: median(t.workingDays[k])}
		}
		y.Deadlines = append(y.Deadlines, c)
	}
	for _, k := range DeadlineKinds {
		y.Deviations = append(y.Deviations, Deviations{Kind: DeviationMissedDeadline, DeadlineKind: k,
			Count: at(t.deviations, [2]string{DeviationMissedDeadline, string(k)}).figure()})
	}
	y.Deviations = append(y.Deviations, Deviations{Kind: DeviationReported, Count: at(t.deviations, [2]string{DeviationReported, ""}).figure()})
	for _, k := range escalationKeys(ladders, t.escalations) {
		y.Escalations = append(y.Escalations, Escalations{Step: k.step, Level: k.level, Count: at(t.escalations, k).figure()})
	}
	return y
}

// rows is one row per key, in the order given; keys the facts hold beyond them (a value added to
// the domain later) follow in sorted order rather than being lost.
func rows(cells map[string]*cell, keys []string) []Row {
	var extra []string
	for k := range cells {
		if !slices.Contains(keys, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	out := []Row{}
	for _, k := range append(keys, extra...) {
		out = append(out, Row{Key: k, Cases: at(cells, k).figure()})
	}
	return out
}

// escalationKeys are the steps of the ladders and any other step reached, by step and then name.
func escalationKeys(ladders [][]string, reached map[escalationKey]*cell) []escalationKey {
	var keys []escalationKey
	for _, ladder := range ladders {
		for i, level := range ladder {
			if k := (escalationKey{i, level}); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	for k := range reached {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b escalationKey) int {
		return cmp.Or(cmp.Compare(a.step, b.step), strings.Compare(a.level, b.level))
	})
	return keys
}

func uniq[T comparable](xs []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
