package reports_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/report"
)

// A synthetic year for the yearly follow-up's test (reports_test.go): a few hundred cases drawn by
// a seeded random source as timelines – opened, taken, consent, plan, closed – with their deadlines,
// deviations and escalations, most of them around Easter and Christmas 2025. The test writes each
// case's facts as the workflow would compute them (with casework's calendar) through the
// ProjectCase activity, and derives the figures it expects from the timelines alone, with a
// calendar of its own (naive* below): it never calls the report's code.

var synthAsOf = time.Date(2026, 3, 2, 12, 0, 0, 0, casework.Stockholm)

type synthDeadline struct {
	kind  casework.DeadlineKind
	start time.Time
	limit int        // the policy's working days
	done  *time.Time // when the step was done; nil: not done
	// withdrawn: the step was done in time but entered late, so the automatic deviation was
	// written and then withdrawn.
	withdrawn bool
}

type synthStep struct {
	step  int
	level string
	at    time.Time
}

type synthCase struct {
	id, child, municipality string
	policy                  casework.PolicyRef
	opened                  time.Time
	acked, consent, plan    *time.Time
	closed                  *time.Time
	ageBand                 string
	areas                   []casework.WheelArea
	npKind                  casework.UnitKind
	agencies                []casework.UnitKind
	refused, revoked        bool
	deadlines               []synthDeadline
	reported                []time.Time // reported deviations
	escalations             []synthStep
	unitID                  string
	ladder                  []string
	reusedChild             bool
}

type synthGen struct {
	r *rand.Rand
}

func (g synthGen) chance(p float64) bool { return g.r.Float64() < p }

// at is a local time on the day, at a working hour or, now and then, late in the evening (the UTC
// date then differs from the Swedish one).
func (g synthGen) at(y int, m time.Month, d int) time.Time {
	hour := 7 + g.r.IntN(11)
	if g.chance(0.1) {
		hour = 23
	}
	return time.Date(y, m, d, hour, g.r.IntN(60), 0, 0, casework.Stockholm)
}

func (g synthGen) between(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	d := from.AddDate(0, 0, g.r.IntN(days))
	return g.at(d.Year(), d.Month(), d.Day())
}

func (g synthGen) later(t time.Time, minDays, maxDays int) *time.Time {
	d := t.AddDate(0, 0, minDays+g.r.IntN(maxDays-minDays+1))
	at := g.at(d.Year(), d.Month(), d.Day())
	if !at.After(t) {
		at = t.Add(time.Hour)
	}
	return &at
}

// openedAt draws when a case is opened: many around Easter and Christmas 2025.
func (g synthGen) openedAt() time.Time {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, casework.Stockholm) }
	switch x := g.r.Float64(); {
	case x < 0.2:
		return g.between(day(2024, 9, 1), day(2024, 12, 31))
	case x < 0.27:
		return g.between(day(2024, 12, 15), day(2025, 1, 8))
	case x < 0.47:
		return g.between(day(2025, 4, 7), day(2025, 4, 25))
	case x < 0.67:
		return g.between(day(2025, 12, 10), day(2026, 1, 3))
	case x < 0.95:
		return g.between(day(2025, 1, 1), day(2025, 12, 31))
	}
	return g.between(day(2026, 1, 3), day(2026, 2, 20))
}

var (
	synthAgeBands = []string{"0-5", "6-9", "10-12", "13-15", "16-17", "18-20"}
	synthNPKinds  = []casework.UnitKind{casework.UnitSchool, casework.UnitSchool, casework.UnitSchool, casework.UnitPreschool,
		casework.UnitBVC, casework.UnitUpperSecondary, casework.UnitKAA}
	synthAgencies = []casework.UnitKind{casework.UnitSocialServices, casework.UnitBUP, casework.UnitSchoolHealth, casework.UnitPrimaryCare}
)

// newCase draws one case's timeline. Whatever would happen after synthAsOf has not happened.
func (g synthGen) newCase(i int, municipality string, policy casework.PolicyRef, ladder []string) synthCase {
	c := synthCase{id: fmt.Sprintf("case-%s-%03d", municipality, i), child: fmt.Sprintf("child-%s-%03d", municipality, i),
		municipality: municipality, policy: policy, ladder: ladder, opened: g.openedAt(), unitID: municipality + "-skola-1"}
	c.ageBand = synthAgeBands[g.r.IntN(5)]
	if g.chance(0.06) {
		c.ageBand = "18-20"
	}
	for _, a := range casework.WheelAreas {
		if g.chance(0.35) {
			c.areas = append(c.areas, a)
		}
	}
	c.npKind = synthNPKinds[g.r.IntN(len(synthNPKinds))]
	last := c.opened
	if g.chance(0.9) {
		c.acked = g.later(c.opened, 0, 6)
		last = *c.acked
	}
	c.deadlines = append(c.deadlines, synthDeadline{kind: casework.DeadlineAcknowledge, start: c.opened, limit: 2, done: c.acked})
	switch {
	case c.acked != nil && g.chance(0.65):
		c.consent = g.later(*c.acked, 2, 25)
		last = *c.consent
		g.collaborate(&c, &last)
	case c.acked != nil && g.chance(0.3):
		c.refused = true
	}
	if g.chance(0.1) {
		c.reported = append(c.reported, *g.later(c.opened, 3, 60))
	}
	if g.chance(0.5) {
		c.closed = g.later(last, 5, 90)
	}
	c.cut()
	return c
}

// collaborate draws summons, meeting, plan, follow-up, cost distribution and escalations after
// consent.
func (g synthGen) collaborate(c *synthCase, last *time.Time) {
	for _, a := range synthAgencies {
		if g.chance(0.5) {
			c.agencies = append(c.agencies, a)
		}
	}
	c.revoked = g.chance(0.08)
	var summons, meeting *time.Time
	if g.chance(0.92) {
		summons = g.later(*c.consent, 0, 12)
	}
	c.deadlines = append(c.deadlines, synthDeadline{kind: casework.DeadlineSummons, start: *c.consent, limit: 5, done: summons})
	kind, limit := casework.DeadlineMeeting, 10
	if g.chance(0.04) {
		kind, limit = casework.DeadlineAcuteMeeting, 1
	}
	if g.chance(0.9) {
		meeting = g.later(*c.consent, 1, 20)
		*last = *meeting
	}
	c.deadlines = append(c.deadlines, synthDeadline{kind: kind, start: *c.consent, limit: limit, done: meeting})
	if meeting != nil && g.chance(0.75) {
		c.plan = g.later(*meeting, 1, 15)
		*last = *c.plan
		var followed *time.Time
		if g.chance(0.8) {
			followed = g.later(*c.plan, 20, 40)
			*last = *followed
		}
		c.deadlines = append(c.deadlines, synthDeadline{kind: casework.DeadlineFollowUp, start: *c.plan, limit: 20, done: followed})
	}
	if g.chance(0.03) {
		start := c.consent.Add(24 * time.Hour)
		c.deadlines = append(c.deadlines, synthDeadline{kind: casework.DeadlineCostDistribution, start: start, limit: 10, done: g.later(start, 3, 20)})
	}
	if g.chance(0.12) {
		at := *g.later(*c.consent, 3, 20)
		for step, level := range c.ladder {
			if step > 0 && !g.chance(0.5) {
				break
			}
			c.escalations = append(c.escalations, synthStep{step: step, level: level, at: at})
			at = at.AddDate(0, 0, 14)
		}
	}
	for i := range c.deadlines {
		c.deadlines[i].withdrawn = g.chance(0.1)
	}
}

// cut removes what would happen after synthAsOf, or after the case closed.
func (c *synthCase) cut() {
	after := func(t *time.Time, limit time.Time) *time.Time {
		if t == nil || t.After(limit) {
			return nil
		}
		return t
	}
	c.closed = after(c.closed, synthAsOf)
	end := synthAsOf
	if c.closed != nil {
		end = *c.closed
	}
	c.acked, c.consent, c.plan = after(c.acked, end), after(c.consent, end), after(c.plan, end)
	var kept []synthDeadline
	for _, d := range c.deadlines {
		if d.start.After(end) {
			continue
		}
		d.done = after(d.done, end)
		kept = append(kept, d)
	}
	c.deadlines = kept
	c.reported = slices.DeleteFunc(c.reported, func(t time.Time) bool { return t.After(end) })
	c.escalations = slices.DeleteFunc(c.escalations, func(s synthStep) bool { return s.at.After(end) })
}

// synthYear draws the cases of three municipalities: Norrköping large, Luleå middling, Eskilstuna
// tiny (six cases of four children). A few children have a second case after the first closed; in
// Norrköping five cases of five children had LSS take part, and six cases of three children the
// police.
func synthYear() []synthCase {
	g := synthGen{r: rand.New(rand.NewPCG(7, 2025))}
	var out []synthCase
	for _, m := range []struct {
		id     string
		policy casework.Policy
		n      int
	}{{"norrkoping", casework.Norrkoping(), 260}, {"lulea", casework.Norrbus(), 45}, {"eskilstuna", casework.Sormland(), 4}} {
		start := len(out)
		for i := range m.n {
			c := g.newCase(i, m.id, m.policy.PolicyRef, m.policy.EscalationLadder)
			// Now and then the child of an earlier case that closed before this one opened.
			if g.chance(0.08) {
				for j := start; j < len(out); j++ {
					if p := out[j]; p.closed != nil && p.closed.Before(c.opened) && !p.reusedChild {
						c.child, out[j].reusedChild = p.child, true
						break
					}
				}
			}
			out = append(out, c)
		}
	}
	// Eskilstuna: two of its four children come back with a second case.
	esk := slices.IndexFunc(out, func(c synthCase) bool { return c.municipality == "eskilstuna" })
	for k := range 2 {
		first := out[esk+k]
		second := first
		second.id = first.id + "-b"
		closed := time.Date(2025, 3, 3, 10, 0, 0, 0, casework.Stockholm)
		out[esk+k].opened, out[esk+k].closed = closed.AddDate(0, -2, 0), &closed
		out[esk+k].cut()
		second.opened = closed.AddDate(0, 2, 0)
		second.acked, second.consent, second.plan, second.closed = nil, nil, nil, nil
		second.deadlines = []synthDeadline{{kind: casework.DeadlineAcknowledge, start: second.opened, limit: 2}}
		second.reported, second.escalations = nil, nil
		out = append(out, second)
	}
	// LSS in five cases of five children, the police in six cases of three: three pairs of cases.
	lss := 0
	for i := range out {
		if c := &out[i]; c.municipality == "norrkoping" && c.consent != nil && !c.reusedChild && c.child == "child-norrkoping-"+c.id[len("case-norrkoping-"):] && active2025(*c) && lss < 5 {
			c.agencies = append(c.agencies, casework.UnitLSS)
			lss++
		}
	}
	for k := range 3 {
		first := time.Date(2025, 1, 10+k, 9, 0, 0, 0, casework.Stockholm)
		closed := first.AddDate(0, 1, 0)
		a := synthCase{id: fmt.Sprintf("case-norrkoping-police-%da", k), child: fmt.Sprintf("child-norrkoping-police-%d", k),
			municipality: "norrkoping", policy: casework.Norrkoping().PolicyRef, ladder: casework.Norrkoping().EscalationLadder,
			opened: first, acked: &first, consent: &first, closed: &closed, ageBand: "13-15", npKind: casework.UnitSchool,
			agencies: []casework.UnitKind{casework.UnitPolice}, unitID: "norrkoping-skola-1"}
		a.deadlines = []synthDeadline{{kind: casework.DeadlineAcknowledge, start: first, limit: 2, done: &first},
			{kind: casework.DeadlineSummons, start: first, limit: 5, done: &first}}
		b := a
		second := closed.AddDate(0, 1, 0)
		b.id, b.opened, b.closed, b.acked, b.consent = fmt.Sprintf("case-norrkoping-police-%db", k), second, nil, &second, &second
		b.deadlines = []synthDeadline{{kind: casework.DeadlineAcknowledge, start: second, limit: 2, done: &second},
			{kind: casework.DeadlineSummons, start: second, limit: 5, done: &second}}
		out = append(out, a, b)
	}
	return out
}

func active2025(c synthCase) bool {
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, casework.Stockholm), time.Date(2026, 1, 1, 0, 0, 0, 0, casework.Stockholm)
	return c.opened.Before(to) && (c.closed == nil || !c.closed.Before(from))
}

// phaseNow is the case's phase at synthAsOf, as its row in the read model says.
func (c synthCase) phaseNow() casework.Phase {
	switch {
	case c.closed != nil:
		return casework.PhaseClosed
	case c.plan != nil:
		return casework.PhaseUppfoljning
	case c.consent != nil:
		return casework.PhaseSamarbeta
	case c.acked != nil:
		return casework.PhaseKartlagga
	}
	return casework.PhaseUpptacka
}

// facts are the case's facts as the workflow computes them: due instants, statuses and working days
// by casework's calendar.
func (c synthCase) facts() report.Facts {
	cal := casework.NewCalendar(true)
	f := report.Facts{AgeBand: c.ageBand, Areas: c.areas, NamedPersonUnitKind: c.npKind, AgencyKinds: c.agencies,
		OpenedAt: c.opened, ClosedAt: c.closed, ConsentRefused: c.refused, ConsentRevoked: c.revoked, FirstPlanAt: c.plan}
	if c.plan != nil {
		f.PlansEstablished = 1
	}
	for _, d := range c.deadlines {
		due := cal.EndOfWorkingDay(d.start, d.limit)
		df := report.DeadlineFact{Kind: d.kind, StartedAt: d.start, DueAt: due, DoneAt: d.done}
		switch {
		case d.done != nil:
			n := cal.WorkingDaysBetween(d.start, *d.done)
			df.WorkingDays, df.Status = &n, "met"
			if d.done.After(due) {
				df.Status = "missed"
			}
		case c.closed != nil && c.closed.Before(due):
			df.Status = "cancelled"
		case due.Before(synthAsOf):
			df.Status = "missed"
		default:
			df.Status = "open"
		}
		f.Deadlines = append(f.Deadlines, df)
		if df.Status == "missed" || df.Status == "met" && d.withdrawn {
			f.Deviations = append(f.Deviations, report.DeviationFact{ID: fmt.Sprintf("avv-%d", len(f.Deviations)+1),
				Kind: "missed_deadline", DeadlineKind: d.kind, UnitID: c.unitID, OccurredAt: due.Add(time.Nanosecond),
				Withdrawn: df.Status == "met"})
		}
	}
	for _, at := range c.reported {
		f.Deviations = append(f.Deviations, report.DeviationFact{ID: fmt.Sprintf("avv-%d", len(f.Deviations)+1),
			Kind: "reported", UnitID: c.unitID, OccurredAt: at})
	}
	for i, s := range c.escalations {
		f.Escalations = append(f.Escalations, report.EscalationFact{Disagreement: "oen-1", Step: s.step, Level: s.level,
			StartedAt: s.at, Open: i == len(c.escalations)-1 && c.closed == nil})
	}
	return f
}
