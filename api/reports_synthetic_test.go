package api

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
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
func (c synthCase) facts() activities.CaseFacts {
	cal := casework.NewCalendar(true)
	f := activities.CaseFacts{AgeBand: c.ageBand, Areas: c.areas, NamedPersonUnitKind: c.npKind, AgencyKinds: c.agencies,
		OpenedAt: c.opened, ClosedAt: c.closed, ConsentRefused: c.refused, ConsentRevoked: c.revoked, FirstPlanAt: c.plan}
	if c.plan != nil {
		f.PlansEstablished = 1
	}
	for _, d := range c.deadlines {
		due := cal.EndOfWorkingDay(d.start, d.limit)
		df := activities.DeadlineFact{Kind: d.kind, StartedAt: d.start, DueAt: due, DoneAt: d.done}
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
			f.Deviations = append(f.Deviations, activities.DeviationFact{ID: fmt.Sprintf("avv-%d", len(f.Deviations)+1),
				Kind: "missed_deadline", DeadlineKind: d.kind, UnitID: c.unitID, OccurredAt: due.Add(time.Nanosecond),
				Withdrawn: df.Status == "met"})
		}
	}
	for _, at := range c.reported {
		f.Deviations = append(f.Deviations, activities.DeviationFact{ID: fmt.Sprintf("avv-%d", len(f.Deviations)+1),
			Kind: "reported", UnitID: c.unitID, OccurredAt: at})
	}
	for i, s := range c.escalations {
		f.Escalations = append(f.Escalations, activities.EscalationFact{Disagreement: "oen-1", Step: s.step, Level: s.level,
			StartedAt: s.at, Open: i == len(c.escalations)-1 && c.closed == nil})
	}
	return f
}

// The test's own calendar of Swedish working days, September 2024 – April 2026: weekends, the
// public holidays of Lag (1989:253) and the eves off by agreement (DOMAIN.md §7.1), written out.
var naiveDaysOff = map[string]bool{
	"2024-11-01": true, "2024-12-24": true, "2024-12-25": true, "2024-12-26": true, "2024-12-31": true,
	"2025-01-01": true, "2025-01-06": true, "2025-04-18": true, "2025-04-21": true, "2025-05-01": true,
	"2025-05-29": true, "2025-06-06": true, "2025-06-20": true, "2025-12-24": true, "2025-12-25": true,
	"2025-12-26": true, "2025-12-31": true, "2026-01-01": true, "2026-01-06": true, "2026-04-03": true,
	"2026-04-06": true,
}

func naiveDate(t time.Time) time.Time {
	l := t.In(casework.Stockholm)
	return time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, casework.Stockholm)
}

func naiveWorking(d time.Time) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !naiveDaysOff[d.Format(time.DateOnly)]
}

// naiveDueDate is the limit-th working day after the start's date.
func naiveDueDate(start time.Time, limit int) time.Time {
	d := naiveDate(start)
	for n := 0; n < limit; {
		d = d.AddDate(0, 0, 1)
		if naiveWorking(d) {
			n++
		}
	}
	return d
}

// naiveDueInstant is the first instant after the due date, as a deviation is written.
func naiveDueInstant(start time.Time, limit int) time.Time {
	d := naiveDueDate(start, limit)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, casework.Stockholm)
}

func naiveWorkingDays(start, done time.Time) int {
	n := 0
	for d, last := naiveDate(start).AddDate(0, 0, 1), naiveDate(done); !d.After(last); d = d.AddDate(0, 0, 1) {
		if naiveWorking(d) {
			n++
		}
	}
	return n
}

// naiveCell counts items and their children.
type naiveCell struct {
	n        int
	children map[string]bool
}

func (c *naiveCell) add(child string) {
	if c.children == nil {
		c.children = map[string]bool{}
	}
	c.n++
	c.children[child] = true
}

func (c *naiveCell) value() string {
	if c == nil || len(c.children) < 5 {
		return "<5"
	}
	return strconv.Itoa(c.n)
}

// naiveFigures is the expected report as "table|key|measure" → value, and the keys in order.
type naiveFigures struct {
	order  []string
	values map[string]string
}

func (f *naiveFigures) put(table, key, measure, value string) {
	k := table + "|" + key + "|" + measure
	f.order = append(f.order, k)
	f.values[k] = value
}

// naiveYearly derives the 2025 follow-up of the cases from their timelines.
func naiveYearly(cases []synthCase, ladder []string) naiveFigures {
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, casework.Stockholm), time.Date(2026, 1, 1, 0, 0, 0, 0, casework.Stockholm)
	in := func(t *time.Time) bool { return t != nil && !t.Before(from) && t.Before(to) }
	cells := map[string]*naiveCell{}
	add := func(key, child string) {
		if cells[key] == nil {
			cells[key] = &naiveCell{}
		}
		cells[key].add(child)
	}
	days := map[casework.DeadlineKind][]int{}
	for _, c := range cases {
		if !active2025(c) {
			continue
		}
		add("cases|active", c.child)
		if in(&c.opened) {
			add("cases|opened", c.child)
		}
		if in(c.closed) {
			add("cases|closed", c.child)
		}
		before := func(t *time.Time) bool { return t != nil && t.Before(to) }
		phase := "upptäcka"
		switch {
		case before(c.closed):
			phase = "avslutat"
		case before(c.plan):
			phase = "uppföljning"
		case before(c.consent):
			phase = "samarbeta"
		case before(c.acked):
			phase = "kartlägga"
		}
		add("byPhase|"+phase, c.child)
		add("byAgeBand|"+c.ageBand, c.child)
		add("byNamedPersonUnitKind|"+string(c.npKind), c.child)
		for _, a := range c.areas {
			add("byArea|"+string(a), c.child)
		}
		for _, k := range c.agencies {
			add("byAgencyKind|"+string(k), c.child)
		}
		if c.refused {
			add("consent|refused", c.child)
		}
		if c.revoked {
			add("consent|revoked", c.child)
		}
		if in(c.plan) {
			add("plans", c.child)
		}
		for _, d := range c.deadlines {
			dueDay := naiveDueDate(d.start, d.limit)
			due := naiveDueInstant(d.start, d.limit)
			status := ""
			switch {
			case d.done != nil && !naiveDate(*d.done).After(dueDay):
				status = "within"
			case d.done != nil:
				status = "late"
			case c.closed != nil && c.closed.Before(due):
			case due.Before(synthAsOf):
				status = "late"
			}
			if status == "late" && due.Before(synthAsOf) && in(&due) {
				add("deviations|missed_deadline:"+string(d.kind), c.child)
			}
			dueInYear := !dueDay.Before(from) && dueDay.Before(to)
			if status == "" || !dueInYear {
				continue
			}
			add("deadlines|"+string(d.kind)+"|"+status, c.child)
			if d.done != nil {
				add("deadlines|"+string(d.kind)+"|done", c.child)
				days[d.kind] = append(days[d.kind], naiveWorkingDays(d.start, *d.done))
			}
		}
		for _, at := range c.reported {
			if in(&at) {
				add("deviations|reported", c.child)
			}
		}
		for _, s := range c.escalations {
			if in(&s.at) {
				add(fmt.Sprintf("escalations|%d:%s", s.step, s.level), c.child)
			}
		}
	}
	f := naiveFigures{values: map[string]string{}}
	for _, k := range []string{"active", "opened", "closed"} {
		f.put("cases", k, "cases", cells["cases|"+k].value())
	}
	unitKinds := []string{"preschool", "school", "upper_secondary", "school_health", "central_school_health", "social_services",
		"kaa", "culture_leisure", "lss", "bvc", "bup", "primary_care", "habilitation", "youth_clinic", "paediatrics", "police"}
	tables := []struct {
		name      string
		keys      []string
		partition bool
	}{
		{"byPhase", []string{"upptäcka", "kartlägga", "samarbeta", "uppföljning", "avslutat"}, true},
		{"byAgeBand", append(slices.Clone(synthAgeBands), "unknown"), true},
		{"byArea", []string{"hälsa", "utveckling", "lärande", "omsorg", "hemmet", "relationer", "trygghet"}, false},
		{"byNamedPersonUnitKind", append(slices.Clone(unitKinds), "unknown"), true},
		{"byAgencyKind", unitKinds, false},
	}
	for _, tb := range tables {
		values := make([]string, len(tb.keys))
		for i, k := range tb.keys {
			values[i] = cells[tb.name+"|"+k].value()
		}
		if tb.partition && f.values["cases|active|cases"] != "<5" {
			hideSmallestIfOneWithheld(values)
		}
		for i, k := range tb.keys {
			f.put(tb.name, k, "cases", values[i])
		}
	}
	kinds := []casework.DeadlineKind{"acknowledge", "summons", "meeting", "acute_meeting", "follow_up", "cost_distribution"}
	for _, k := range kinds {
		within, late := cells["deadlines|"+string(k)+"|within"], cells["deadlines|"+string(k)+"|late"]
		w, l := within.value(), late.value()
		share := "x"
		if w != "<5" && l != "<5" {
			share = strconv.FormatFloat(math.Round(float64(within.n)/float64(within.n+late.n)*1000)/1000, 'f', -1, 64)
		}
		med := "<5"
		if done := cells["deadlines|"+string(k)+"|done"]; done != nil && len(done.children) >= 5 {
			v := slices.Sorted(slices.Values(days[k]))
			m := float64(v[len(v)/2])
			if len(v)%2 == 0 {
				m = float64(v[len(v)/2-1]+v[len(v)/2]) / 2
			}
			med = strconv.FormatFloat(m, 'f', -1, 64)
		}
		f.put("deadlines", string(k), "within", w)
		f.put("deadlines", string(k), "late", l)
		f.put("deadlines", string(k), "share", share)
		f.put("deadlines", string(k), "medianWorkingDays", med)
	}
	f.put("consent", "refused", "cases", cells["consent|refused"].value())
	f.put("consent", "revoked", "cases", cells["consent|revoked"].value())
	f.put("plansEstablished", "", "cases", cells["plans"].value())
	for _, k := range kinds {
		f.put("deviations", "missed_deadline:"+string(k), "count", cells["deviations|missed_deadline:"+string(k)].value())
	}
	f.put("deviations", "reported", "count", cells["deviations|reported"].value())
	for step, level := range ladder {
		key := fmt.Sprintf("%d:%s", step, level)
		f.put("escalations", key, "count", cells["escalations|"+key].value())
	}
	return f
}

// hideSmallestIfOneWithheld: when exactly one value is "<5", the smallest shown one (the last of
// equals) becomes "x".
func hideSmallestIfOneWithheld(values []string) {
	withheld, smallest, min := 0, -1, 0
	for i, v := range values {
		if v == "<5" {
			withheld++
			continue
		}
		if n, _ := strconv.Atoi(v); smallest < 0 || n <= min {
			smallest, min = i, n
		}
	}
	if withheld == 1 && smallest >= 0 {
		values[smallest] = "x"
	}
}
