package reports_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// The yearly follow-up's figures as the test expects them, derived from the synthetic cases'
// timelines (reports_synthetic_test.go) with a calendar of the test's own, and withheld by the
// rules of report.Yearly's comment as the test reads them – without calling the report's code.

// The test's own calendar of Swedish working days, September 2024 – April 2026: weekends, the
// public holidays of Lag (1989:253) and the eves off by agreement (docs/process.md §7.1), written out.
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

// naiveCounts are the cells of the year: "table|key" (or "deadlines|KIND|within|late|done") → the
// items and their children; days are the working days taken per deadline kind.
type naiveCounts struct {
	from, to time.Time
	cells    map[string]*naiveCell
	days     map[casework.DeadlineKind][]int
}

func (n *naiveCounts) add(key, child string) {
	if n.cells[key] == nil {
		n.cells[key] = &naiveCell{}
	}
	n.cells[key].add(child)
}

func (n *naiveCounts) in(t *time.Time) bool { return t != nil && !t.Before(n.from) && t.Before(n.to) }

// naiveYearly derives the 2025 follow-up of the cases from their timelines.
func naiveYearly(cases []synthCase, ladder []string) naiveFigures {
	n := &naiveCounts{from: time.Date(2025, 1, 1, 0, 0, 0, 0, casework.Stockholm), to: time.Date(2026, 1, 1, 0, 0, 0, 0, casework.Stockholm),
		cells: map[string]*naiveCell{}, days: map[casework.DeadlineKind][]int{}}
	for _, c := range cases {
		if active2025(c) {
			n.countCase(c)
			n.countDeadlines(c)
		}
	}
	f := naiveFigures{values: map[string]string{}}
	n.putTables(&f)
	n.putDeadlines(&f)
	n.putEvents(&f, ladder)
	return f
}

func (n *naiveCounts) countCase(c synthCase) {
	n.add("cases|active", c.child)
	if n.in(&c.opened) {
		n.add("cases|opened", c.child)
	}
	if n.in(c.closed) {
		n.add("cases|closed", c.child)
	}
	before := func(t *time.Time) bool { return t != nil && t.Before(n.to) }
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
	n.add("byPhase|"+phase, c.child)
	n.add("byAgeBand|"+c.ageBand, c.child)
	n.add("byNamedPersonUnitKind|"+string(c.npKind), c.child)
	for _, a := range c.areas {
		n.add("byArea|"+string(a), c.child)
	}
	for _, k := range c.agencies {
		n.add("byAgencyKind|"+string(k), c.child)
	}
	if c.refused {
		n.add("consent|refused", c.child)
	}
	if c.revoked {
		n.add("consent|revoked", c.child)
	}
	if n.in(c.plan) {
		n.add("plans", c.child)
	}
	for _, at := range c.reported {
		if n.in(&at) {
			n.add("deviations|reported", c.child)
		}
	}
	for _, s := range c.escalations {
		if n.in(&s.at) {
			n.add(fmt.Sprintf("escalations|%d:%s", s.step, s.level), c.child)
		}
	}
}

// countDeadlines sorts each deadline by the test's calendar: within when the step was done by the
// end of its due day, late when done after or not done by then (a missed deadline, which writes a
// deviation just after), neither when the case closed before it fell due or it is not yet due.
func (n *naiveCounts) countDeadlines(c synthCase) {
	for _, d := range c.deadlines {
		dueDay, due := naiveDueDate(d.start, d.limit), naiveDueInstant(d.start, d.limit)
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
		if status == "late" && n.in(&due) {
			n.add("deviations|missed_deadline:"+string(d.kind), c.child)
		}
		if status == "" || dueDay.Before(n.from) || !dueDay.Before(n.to) {
			continue
		}
		n.add("deadlines|"+string(d.kind)+"|"+status, c.child)
		if d.done != nil {
			n.add("deadlines|"+string(d.kind)+"|done", c.child)
			n.days[d.kind] = append(n.days[d.kind], naiveWorkingDays(d.start, *d.done))
		}
	}
}

var naiveUnitKinds = []string{"preschool", "school", "upper_secondary", "school_health", "central_school_health", "social_services",
	"kaa", "culture_leisure", "lss", "bvc", "bup", "primary_care", "habilitation", "youth_clinic", "paediatrics", "police"}

var naiveDeadlineKinds = []string{"acknowledge", "summons", "meeting", "acute_meeting", "follow_up", "cost_distribution"}

func (n *naiveCounts) putTables(f *naiveFigures) {
	for _, k := range []string{"active", "opened", "closed"} {
		f.put("cases", k, "cases", n.cells["cases|"+k].value())
	}
	for _, tb := range []struct {
		name      string
		keys      []string
		partition bool
	}{
		{"byPhase", []string{"upptäcka", "kartlägga", "samarbeta", "uppföljning", "avslutat"}, true},
		{"byAgeBand", append(slices.Clone(synthAgeBands), "unknown"), true},
		{"byArea", []string{"hälsa", "utveckling", "lärande", "omsorg", "hemmet", "relationer", "trygghet"}, false},
		{"byNamedPersonUnitKind", append(slices.Clone(naiveUnitKinds), "unknown"), true},
		{"byAgencyKind", naiveUnitKinds, false},
	} {
		values := make([]string, len(tb.keys))
		for i, k := range tb.keys {
			values[i] = n.cells[tb.name+"|"+k].value()
		}
		if tb.partition && f.values["cases|active|cases"] != "<5" {
			hideSmallestIfOneWithheld(values)
		}
		for i, k := range tb.keys {
			f.put(tb.name, k, "cases", values[i])
		}
	}
	// Closed in the year and avslutat at its end are the same cases: the one hidden, the other too.
	if v := f.values["byPhase|avslutat|cases"]; v == "<5" || v == "x" {
		f.values["cases|closed|cases"] = v
	}
}

func (n *naiveCounts) putDeadlines(f *naiveFigures) {
	for _, k := range naiveDeadlineKinds {
		within, late := n.cells["deadlines|"+k+"|within"], n.cells["deadlines|"+k+"|late"]
		w, l := within.value(), late.value()
		share := "x"
		if w != "<5" && l != "<5" {
			share = strconv.FormatFloat(math.Round(float64(within.n)/float64(within.n+late.n)*1000)/1000, 'f', -1, 64)
		}
		med := "<5"
		if done := n.cells["deadlines|"+k+"|done"]; done != nil && len(done.children) >= 5 {
			v := slices.Sorted(slices.Values(n.days[casework.DeadlineKind(k)]))
			m := float64(v[len(v)/2])
			if len(v)%2 == 0 {
				m = float64(v[len(v)/2-1]+v[len(v)/2]) / 2
			}
			med = strconv.FormatFloat(m, 'f', -1, 64)
		}
		f.put("deadlines", k, "within", w)
		f.put("deadlines", k, "late", l)
		f.put("deadlines", k, "share", share)
		f.put("deadlines", k, "medianWorkingDays", med)
	}
}

func (n *naiveCounts) putEvents(f *naiveFigures, ladder []string) {
	f.put("consent", "refused", "cases", n.cells["consent|refused"].value())
	f.put("consent", "revoked", "cases", n.cells["consent|revoked"].value())
	f.put("plansEstablished", "", "cases", n.cells["plans"].value())
	for _, k := range naiveDeadlineKinds {
		f.put("deviations", "missed_deadline:"+k, "count", n.cells["deviations|missed_deadline:"+k].value())
	}
	f.put("deviations", "reported", "count", n.cells["deviations|reported"].value())
	for step, level := range ladder {
		key := fmt.Sprintf("%d:%s", step, level)
		f.put("escalations", key, "count", n.cells["escalations|"+key].value())
	}
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
