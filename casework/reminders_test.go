package casework

import (
	"testing"
	"time"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Stockholm)
}

func TestReminderTimes(t *testing.T) {
	cal := ReminderCalendar{Calendar: NewCalendar(true), Hours: DefaultReminderHours}
	cases := []struct {
		name     string
		due, now time.Time
		lead     int
		want     []time.Time
	}{
		{"two working days before and the morning of the day",
			cal.EndOfWorkingDay(at(2026, 11, 2, 10, 0), 5), at(2026, 11, 2, 10, 0), 2,
			[]time.Time{at(2026, 11, 5, 8, 0), at(2026, 11, 9, 8, 0)}},
		{"the lead day skips the weekend and the holiday",
			// Due Monday 7 December 2026: two working days before is Thursday 3 December.
			cal.EndOfWorkingDay(at(2026, 12, 7, 9, 0), 0), at(2026, 11, 30, 9, 0), 2,
			[]time.Time{at(2026, 12, 3, 8, 0), at(2026, 12, 7, 8, 0)}},
		{"over Christmas: julafton, juldagen, annandag jul and the weekend are skipped",
			// Due Monday 28 December 2026: one working day before is Wednesday 23, two is Tuesday 22.
			cal.EndOfWorkingDay(at(2026, 12, 28, 9, 0), 0), at(2026, 12, 1, 9, 0), 2,
			[]time.Time{at(2026, 12, 22, 8, 0), at(2026, 12, 28, 8, 0)}},
		{"a deadline opened late gets only the reminders ahead of it",
			cal.EndOfWorkingDay(at(2026, 11, 2, 10, 0), 1), at(2026, 11, 2, 10, 0), 2,
			[]time.Time{at(2026, 11, 3, 8, 0)}},
		{"a follow-up booked on a Saturday is reminded on the Friday",
			at(2026, 11, 28, 23, 59), at(2026, 11, 16, 9, 0), 2,
			[]time.Time{at(2026, 11, 25, 8, 0), at(2026, 11, 27, 8, 0)}},
		{"a clock-time deadline due before 08:00 gets no morning reminder",
			at(2026, 11, 4, 7, 0), at(2026, 11, 3, 7, 30), 0,
			nil},
		{"no lead: only the morning of the day",
			at(2026, 11, 4, 16, 0), at(2026, 11, 1, 7, 30), 0,
			[]time.Time{at(2026, 11, 4, 8, 0)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := cal.ReminderTimes(c.due, c.now, c.lead)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if !got[i].Equal(c.want[i]) {
					t.Errorf("reminder %d: got %v, want %v", i, got[i], c.want[i])
				}
				if !cal.IsWorkingDay(got[i]) {
					t.Errorf("reminder %d on a day off: %v", i, got[i])
				}
			}
		})
	}
}

func TestNextSendTime(t *testing.T) {
	cal := ReminderCalendar{Calendar: NewCalendar(true), Hours: DefaultReminderHours}
	cases := []struct {
		name   string
		t, out time.Time
	}{
		{"within the hours of a working day: at once", at(2026, 11, 26, 10, 15), at(2026, 11, 26, 10, 15)},
		{"early morning: 08:00 the same day", at(2026, 11, 26, 6, 0), at(2026, 11, 26, 8, 0)},
		{"evening: 08:00 the next working day", at(2026, 11, 26, 17, 0), at(2026, 11, 27, 8, 0)},
		{"Friday evening: Monday", at(2026, 11, 27, 18, 0), at(2026, 11, 30, 8, 0)},
		{"julafton by agreement: 28 December", at(2026, 12, 24, 9, 0), at(2026, 12, 28, 8, 0)},
	}
	for _, c := range cases {
		if got := cal.NextSendTime(c.t); !got.Equal(c.out) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.out)
		}
	}
}

// Every reminder of every deadline over two years lands on a working day within the hours, before
// the deadline, at most two of them: the properties the coordinator relies on.
func TestReminderTimesProperties(t *testing.T) {
	for _, byAgreement := range []bool{true, false} {
		cal := ReminderCalendar{Calendar: NewCalendar(byAgreement), Hours: DefaultReminderHours}
		for start := at(2026, 1, 1, 9, 30); start.Year() < 2028; start = start.Add(24 * time.Hour) {
			for _, n := range []int{0, 1, 2, 5, 10} {
				due := cal.EndOfWorkingDay(start, n)
				got := cal.ReminderTimes(due, start, 2)
				if len(got) > 2 {
					t.Fatalf("%v +%d: %d reminders", start, n, len(got))
				}
				for _, r := range got {
					if !cal.IsWorkingDay(r) || r.Hour() != DefaultReminderHours.From || !r.After(start) || !r.Before(due) {
						t.Fatalf("%v +%d (due %v): bad reminder %v", start, n, due, r)
					}
				}
				if n >= 1 && (len(got) == 0 || dateOf(got[len(got)-1]) != dateOf(due)) {
					t.Fatalf("%v +%d: no reminder on the morning of the due day %v: %v", start, n, due, got)
				}
			}
		}
	}
}

func TestReminderHoursOfAPolicy(t *testing.T) {
	p := Norrkoping()
	if p.Reminders().Hours != DefaultReminderHours {
		t.Fatalf("a policy without hours has the product default, got %+v", p.Reminders().Hours)
	}
	p.ReminderHours = &HourWindow{From: 0, To: 24}
	if got := p.Reminders().NextSendTime(at(2026, 11, 26, 23, 30)); !got.Equal(at(2026, 11, 26, 23, 30)) {
		t.Errorf("round the clock on a working day: got %v", got)
	}
	if got := p.Reminders().NextSendTime(at(2026, 11, 28, 12, 0)); !got.Equal(at(2026, 11, 30, 0, 0)) {
		t.Errorf("still never on a Saturday: got %v", got)
	}
	for _, bad := range []HourWindow{{From: 17, To: 8}, {From: -1, To: 10}, {From: 8, To: 25}, {From: 9, To: 9}} {
		p.ReminderHours = &bad
		if p.Validate() == nil {
			t.Errorf("hours %+v accepted", bad)
		}
	}
}

func TestSubtractWorkingDaysUndoesAddWorkingDays(t *testing.T) {
	cal := NewCalendar(true)
	for start := at(2026, 1, 5, 0, 0); start.Year() < 2028; start = start.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(start) {
			continue
		}
		for _, n := range []int{1, 2, 5, 20} {
			if back := cal.SubtractWorkingDays(cal.AddWorkingDays(start, n), n); !back.Equal(start) {
				t.Fatalf("%s + %d − %d working days = %s", start.Format(time.DateOnly), n, n, back)
			}
		}
	}
}
