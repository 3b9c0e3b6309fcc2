package casework

import (
	"fmt"
	"testing"
	"time"
)

// startsOn are the instants of one local date a deadline is started from in the property test:
// both ends of the day, office hours, the hour the clocks change, and UTC instants either side of
// Stockholm's midnight.
func startsOn(d time.Time) []time.Time {
	y, m, dd := d.Date()
	local := func(h, min, sec, nsec int) time.Time { return time.Date(y, m, dd, h, min, sec, nsec, Stockholm) }
	return []time.Time{
		local(0, 0, 0, 0),
		local(2, 30, 0, 0), // missing on the spring change day, twice over on the autumn one
		local(8, 0, 0, 0),
		local(16, 59, 0, 0),
		local(23, 59, 0, 0),
		local(23, 59, 59, 999999999),
		time.Date(y, m, dd, 22, 30, 0, 0, time.UTC),
		time.Date(y, m, dd, 23, 30, 0, 0, time.UTC),
	}
}

func TestADeadlineIsNeverEarly(t *testing.T) {
	for _, s := range bothSettings {
		t.Run(s.name, func(t *testing.T) {
			c, model := NewCalendar(s.byAgreement), newLawCalendar(2024, 2036, s.byAgreement)
			failures := 0
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf(format, args...)
				if failures++; failures == 20 {
					t.FailNow()
				}
			}
			last := time.Date(2035, 12, 31, 0, 0, 0, 0, time.UTC)
			for d := model.first; !d.After(last); d = d.AddDate(0, 0, 1) {
				for _, start := range startsOn(d) {
					startWorking := model.working[model.index(start)]
					for n := 0; n <= 12; n++ {
						due := c.EndOfWorkingDay(start, n)
						at := fmt.Sprintf("n=%d from %s", n, start.In(Stockholm))
						if due.Before(start) {
							fail("%s: due %s is before the start", at, due)
						}
						local := due.In(Stockholm)
						if due.Location() != Stockholm || local.Hour() != 23 || local.Minute() != 59 ||
							local.Second() != 59 || local.Nanosecond() != 999999999 {
							fail("%s: due %s is not the end of a Stockholm day", at, due)
						}
						if next := due.Add(time.Nanosecond).In(Stockholm); next.Hour() != 0 || next.Day() == local.Day() {
							fail("%s: the nanosecond after due, %s, is not the next midnight", at, next)
						}
						if !model.working[model.index(due)] {
							fail("%s: due %s is not a working day", at, due)
						}
						// n working days follow the start's date; n = 0 on a day off means the next
						// working day, which is one.
						want := n
						if n == 0 && !startWorking {
							want = 1
						}
						if got := model.between(start, due); got != want {
							fail("%s: due %s is %d working days after the start", at, due, got)
						}
						if got := c.WorkingDaysBetween(start, due); got != want {
							fail("%s: WorkingDaysBetween(start, due) = %d, want %d", at, got, want)
						}
					}
				}
			}
		})
	}
}

func TestEndOfWorkingDay(t *testing.T) {
	tests := []struct {
		name        string
		from        string
		n           int
		byAgreement bool
		want        string // the local date the deadline ends with
	}{
		{"a concern on Friday 18 December 2026 with 2 working days is due at the end of Tuesday 22nd",
			"2026-12-18 14:00", 2, true, "2026-12-22"},
		{"Norrbus' summons 5 working days after consent on 23 December 2026 is due on 5 January with the agreed days off",
			"2026-12-23 10:00", 5, true, "2027-01-05"},
		{"the same summons by the law alone is due on nyårsafton",
			"2026-12-23 10:00", 5, false, "2026-12-31"},
		{"0 working days from a working day ends that day", "2026-12-18 14:00", 0, true, "2026-12-18"},
		{"0 working days from a Saturday ends on Monday", "2026-12-19 14:00", 0, true, "2026-12-21"},
		{"the Friday before the spring clock change ends at 23:59 CET", "2026-03-27 08:00", 0, true, "2026-03-27"},
		{"one working day after the Friday before the autumn change is Monday", "2026-10-23 08:00", 1, true, "2026-10-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewCalendar(tt.byAgreement).EndOfWorkingDay(stockholmDate(t, tt.from), tt.n)
			want := stockholmDate(t, tt.want+" 00:00").AddDate(0, 0, 1).Add(-time.Nanosecond)
			if !got.Equal(want) || got.Location() != Stockholm {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
	t.Run("the end of a Monday after the autumn change is 22:59:59.999999999 UTC", func(t *testing.T) {
		got := NewCalendar(true).EndOfWorkingDay(stockholmDate(t, "2026-10-23 08:00"), 1)
		if want := time.Date(2026, 10, 26, 22, 59, 59, 999999999, time.UTC); !got.Equal(want) {
			t.Fatalf("got %s, want %s", got.UTC(), want)
		}
	})
}

func TestDueAt(t *testing.T) {
	lawOnly := Norrbus()
	lawOnly.DaysOffByAgreement = false
	acute := Norrbus()
	acute.Deadlines = map[DeadlineKind]DeadlineRule{DeadlineAcuteMeeting: Hours(24 * time.Hour)}
	tests := []struct {
		name   string
		policy Policy
		kind   DeadlineKind
		start  time.Time
		want   time.Time
	}{
		{"Norrbus' acknowledgement of a Friday concern is due at the end of Tuesday", Norrbus(), DeadlineAcknowledge,
			time.Date(2026, 12, 18, 13, 15, 0, 0, time.UTC), time.Date(2026, 12, 22, 23, 59, 59, 999999999, Stockholm)},
		{"Norrbus' summons after consent on 23 December is due on 5 January", Norrbus(), DeadlineSummons,
			time.Date(2026, 12, 23, 10, 0, 0, 0, Stockholm), time.Date(2027, 1, 5, 23, 59, 59, 999999999, Stockholm)},
		{"the same summons without the agreed days off is due on nyårsafton", lawOnly, DeadlineSummons,
			time.Date(2026, 12, 23, 10, 0, 0, 0, Stockholm), time.Date(2026, 12, 31, 23, 59, 59, 999999999, Stockholm)},
		{"24 hours across the spring clock change end at 13:00 local", acute, DeadlineAcuteMeeting,
			time.Date(2026, 3, 28, 12, 0, 0, 0, Stockholm), time.Date(2026, 3, 29, 13, 0, 0, 0, Stockholm)},
		{"24 hours across the autumn clock change end at 11:00 local", acute, DeadlineAcuteMeeting,
			time.Date(2026, 10, 24, 12, 0, 0, 0, Stockholm), time.Date(2026, 10, 25, 11, 0, 0, 0, Stockholm)},
		{"24 hours run over julafton and juldagen alike", acute, DeadlineAcuteMeeting,
			time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 25, 10, 0, 0, 0, Stockholm)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.policy.DueAt(tt.kind, tt.start)
			if !ok || !got.Equal(tt.want) || got.Location() != Stockholm {
				t.Fatalf("got %s, %v; want %s in Stockholm", got, ok, tt.want)
			}
		})
	}
	t.Run("a deadline the policy does not set has no due time", func(t *testing.T) {
		if got, ok := Norrbus().DueAt(DeadlineFollowUp, time.Date(2026, 12, 18, 9, 0, 0, 0, Stockholm)); ok {
			t.Fatalf("got %s, want none", got)
		}
	})
}

func TestMissed(t *testing.T) {
	due := time.Date(2026, 12, 22, 23, 59, 59, 999999999, Stockholm)
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"the due instant itself is in time", due, false},
		{"the same instant seen in UTC is in time", due.UTC(), false},
		{"one nanosecond before is in time", due.Add(-time.Nanosecond), false},
		{"one nanosecond later, the next midnight, is missed", due.Add(time.Nanosecond), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Missed(due, tt.at); got != tt.want {
				t.Fatalf("Missed(%s, %s) = %v", due, tt.at, got)
			}
		})
	}
}

func BenchmarkEndOfWorkingDay(b *testing.B) {
	c := NewCalendar(true)
	// Over the turn of the year, so the walker works out two years' holidays.
	start := time.Date(2026, 12, 23, 10, 0, 0, 0, Stockholm)
	for b.Loop() {
		c.EndOfWorkingDay(start, 10)
	}
}
