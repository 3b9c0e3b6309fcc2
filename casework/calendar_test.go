package casework

import (
	"testing"
	"time"
)

// The expectations below are built from Lag (1989:253) with an Easter computed independently of
// rickar/cal (which uses Meeus/Jones/Butcher): this is Knuth's epact method, TAOCP vol. 1,
// §1.3.2 exercise 14.
func easter(year int) time.Time {
	g := year%19 + 1                  // golden number
	c := year/100 + 1                 // century
	x := 3*c/4 - 12                   // years like 1900 that dropped a leap day
	z := (8*c+5)/25 - 5               // the moon's correction
	d := 5*year/4 - x - 10            // March ((-d) mod 7) is a Sunday
	e := ((11*g+20+z-x)%30 + 30) % 30 // epact
	if (e == 25 && g > 11) || e == 24 {
		e++
	}
	n := 44 - e // the full moon, as a day of March
	if n < 21 {
		n += 30
	}
	n += 7 - (d+n)%7 // the Sunday after it
	return time.Date(year, time.March, n, 0, 0, 0, 0, time.UTC)
}

// lawDaysOff is the test's own reading of docs/process.md §7.1 for one year: date → Swedish name.
func lawDaysOff(year int, byAgreement bool) map[time.Time]string {
	date := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	saturdayIn := func(m time.Month, first int) time.Time {
		d := date(m, first)
		for d.Weekday() != time.Saturday {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	e := easter(year)
	midsommardagen := saturdayIn(time.June, 20) // the Saturday in 20–26 June
	off := map[time.Time]string{
		date(time.January, 1):        "nyårsdagen",
		date(time.January, 6):        "trettondedag jul",
		e.AddDate(0, 0, -2):          "långfredagen",
		e:                            "påskdagen",
		e.AddDate(0, 0, 1):           "annandag påsk",
		date(time.May, 1):            "första maj",
		e.AddDate(0, 0, 39):          "Kristi himmelsfärdsdag",
		e.AddDate(0, 0, 49):          "pingstdagen",
		date(time.June, 6):           "Sveriges nationaldag",
		midsommardagen:               "midsommardagen",
		saturdayIn(time.October, 31): "alla helgons dag", // the Saturday in 31 Oct–6 Nov
		date(time.December, 25):      "juldagen",
		date(time.December, 26):      "annandag jul",
	}
	if byAgreement {
		off[midsommardagen.AddDate(0, 0, -1)] = "midsommarafton"
		off[date(time.December, 24)] = "julafton"
		off[date(time.December, 31)] = "nyårsafton"
	}
	return off
}

// lawCalendar is the test's model over whole years: for each date from 1 January of first, whether
// it is a working day, and how many working days lie from the first date up to and including it.
type lawCalendar struct {
	first   time.Time
	names   []string
	working []bool
	upTo    []int
}

func newLawCalendar(first, last int, byAgreement bool) *lawCalendar {
	m := &lawCalendar{first: time.Date(first, time.January, 1, 0, 0, 0, 0, time.UTC)}
	count := 0
	for y := first; y <= last; y++ {
		off := lawDaysOff(y, byAgreement)
		for d := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			name, isOff := off[d]
			if !isOff && d.Weekday() == time.Saturday {
				name, isOff = "lördag", true
			}
			if !isOff && d.Weekday() == time.Sunday {
				name, isOff = "söndag", true
			}
			if !isOff {
				count++
			}
			m.names = append(m.names, name)
			m.working = append(m.working, !isOff)
			m.upTo = append(m.upTo, count)
		}
	}
	return m
}

// index is the position of t's date in Stockholm.
func (m *lawCalendar) index(t time.Time) int {
	y, mo, d := t.In(Stockholm).Date()
	return int(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Sub(m.first) / (24 * time.Hour))
}

// between counts the working days after from's date up to and including to's date.
func (m *lawCalendar) between(from, to time.Time) int {
	return m.upTo[m.index(to)] - m.upTo[m.index(from)]
}

var bothSettings = []struct {
	name        string
	byAgreement bool
}{
	{"with midsommarafton, julafton and nyårsafton off by agreement", true},
	{"by the law alone", false},
}

func TestTheTestsEasterAgreesWithPublishedDates(t *testing.T) {
	published := []string{"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01",
		"2030-04-21", "2031-04-13", "2032-03-28", "2033-04-17", "2034-04-09", "2035-03-25"}
	for i, want := range published {
		if got := easter(2024 + i).Format(time.DateOnly); got != want {
			t.Errorf("easter(%d) = %s, want %s", 2024+i, got, want)
		}
	}
}

func TestCalendarAgreesWithTheLawEveryDay2024To2035(t *testing.T) {
	for _, s := range bothSettings {
		t.Run(s.name, func(t *testing.T) {
			c, model := NewCalendar(s.byAgreement), newLawCalendar(2024, 2035, s.byAgreement)
			for i, wantWorking := range model.working {
				d := model.first.AddDate(0, 0, i)
				// Both ends of the local day, so the Stockholm date is what counts.
				for _, at := range []time.Time{
					time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Stockholm),
					time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 999999999, Stockholm),
				} {
					name, off := c.DayOff(at)
					if got := c.IsWorkingDay(at); got != wantWorking || off == wantWorking || name != model.names[i] {
						t.Fatalf("%s: IsWorkingDay %v, DayOff (%q, %v); want working %v, name %q",
							at, got, name, off, wantWorking, model.names[i])
					}
				}
			}
		})
	}
}

func TestCalendarKnownDates(t *testing.T) {
	tests := []struct {
		name        string
		date        string
		byAgreement bool
		wantOff     string // "" for a working day
	}{
		{"långfredagen 2025 is 18 April", "2025-04-18", false, "långfredagen"},
		{"skärtorsdagen 2025 is a working day", "2025-04-17", true, ""},
		{"annandag påsk 2026 is 6 April", "2026-04-06", false, "annandag påsk"},
		{"Kristi himmelsfärdsdag 2030 is 30 May", "2030-05-30", false, "Kristi himmelsfärdsdag"},
		{"the day after Kristi himmelsfärdsdag is a working day (klämdag)", "2030-05-31", true, ""},
		{"midsommarafton 2026 is 19 June by agreement", "2026-06-19", true, "midsommarafton"},
		{"midsommarafton 2026 is a working day by the law alone", "2026-06-19", false, ""},
		{"midsommardagen 2026 is 20 June", "2026-06-20", false, "midsommardagen"},
		{"Sveriges nationaldag on a Saturday is named as the holiday", "2026-06-06", false, "Sveriges nationaldag"},
		{"Sveriges nationaldag 2028 falls on a Tuesday", "2028-06-06", false, "Sveriges nationaldag"},
		{"alla helgons dag 2026 is 31 October", "2026-10-31", false, "alla helgons dag"},
		{"alla helgons dag 2027 is 6 November", "2027-11-06", false, "alla helgons dag"},
		{"julafton 2026 is off by agreement", "2026-12-24", true, "julafton"},
		{"julafton 2026 is a working day by the law alone", "2026-12-24", false, ""},
		{"nyårsafton 2026 is off by agreement", "2026-12-31", true, "nyårsafton"},
		{"trettondedag jul 2027 is a Wednesday off", "2027-01-06", false, "trettondedag jul"},
		{"an ordinary Saturday is lördag", "2026-03-14", false, "lördag"},
		{"an ordinary Sunday is söndag", "2026-03-15", false, "söndag"},
		{"an ordinary Wednesday is a working day", "2026-03-11", false, ""},
		{"långfredagen 1999, before the precomputed years, is 2 April", "1999-04-02", false, "långfredagen"},
		{"juldagen 2100, after the precomputed years, is a Saturday off", "2100-12-25", false, "juldagen"},
		{"Kristi himmelsfärdsdag 2100 is 6 May", "2100-05-06", false, "Kristi himmelsfärdsdag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := time.ParseInLocation(time.DateOnly, tt.date, Stockholm)
			if err != nil {
				t.Fatal(err)
			}
			name, off := NewCalendar(tt.byAgreement).DayOff(d.Add(12 * time.Hour))
			if name != tt.wantOff || off != (tt.wantOff != "") {
				t.Fatalf("DayOff = (%q, %v), want %q", name, off, tt.wantOff)
			}
		})
	}
}

func TestAnInstantIsJudgedByItsDateInStockholm(t *testing.T) {
	c := NewCalendar(true)
	tests := []struct {
		name        string
		at          time.Time
		wantWorking bool
	}{
		{"23:30 UTC on 23 December is julafton in Stockholm", time.Date(2026, 12, 23, 23, 30, 0, 0, time.UTC), false},
		{"22:30 UTC on 23 December is still the 23rd in Stockholm", time.Date(2026, 12, 23, 22, 30, 0, 0, time.UTC), true},
		{"a Monday morning in New York is Monday in Stockholm", time.Date(2026, 3, 16, 8, 0, 0, 0, time.FixedZone("EDT", -4*3600)), true},
		{"a Sunday evening in New York is Monday in Stockholm", time.Date(2026, 3, 15, 20, 0, 0, 0, time.FixedZone("EDT", -4*3600)), true},
		{"a Friday evening in New York is Saturday in Stockholm", time.Date(2026, 3, 13, 20, 0, 0, 0, time.FixedZone("EDT", -4*3600)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.at); got != tt.wantWorking {
				t.Fatalf("IsWorkingDay(%s) = %v", tt.at, got)
			}
		})
	}
}

// stockholmDate parses "2006-01-02 15:04" in Stockholm.
func stockholmDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, Stockholm)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		name        string
		from        string
		n           int
		byAgreement bool
		want        string
	}{
		{"0 on a working day is that day", "2026-12-18 09:00", 0, true, "2026-12-18"},
		{"0 on julafton with the agreement is the next working day", "2026-12-24 09:00", 0, true, "2026-12-28"},
		{"0 on julafton by the law alone is julafton", "2026-12-24 09:00", 0, false, "2026-12-24"},
		{"1 after a Friday is the Monday", "2026-12-18 16:59", 1, true, "2026-12-21"},
		{"1 after a Saturday is the Monday", "2026-12-19 10:00", 1, true, "2026-12-21"},
		{"1 after skärtorsdagen skips the whole Easter weekend", "2026-04-02 12:00", 1, false, "2026-04-07"},
		{"a negative count is taken as 0", "2026-12-19 10:00", -3, true, "2026-12-21"},
		{"10 after a Friday before midsommar", "2026-06-12 12:00", 10, true, "2026-06-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewCalendar(tt.byAgreement).AddWorkingDays(stockholmDate(t, tt.from), tt.n)
			want := stockholmDate(t, tt.want+" 00:00")
			if !got.Equal(want) || got.Location() != Stockholm {
				t.Fatalf("got %s, want %s in Stockholm", got, want)
			}
		})
	}
	t.Run("a start at 23:30 UTC on Friday counts from Saturday, its date in Stockholm", func(t *testing.T) {
		got := NewCalendar(true).AddWorkingDays(time.Date(2026, 12, 18, 23, 30, 0, 0, time.UTC), 0)
		if want := stockholmDate(t, "2026-12-21 00:00"); !got.Equal(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
	t.Run("the Monday after the spring clock change starts at 00:00 CEST", func(t *testing.T) {
		got := NewCalendar(true).AddWorkingDays(stockholmDate(t, "2026-03-27 12:00"), 1)
		if want := time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
}

func TestWorkingDaysBetween(t *testing.T) {
	tests := []struct {
		name        string
		from, to    string
		byAgreement bool
		want        int
	}{
		{"none when to is before from", "2026-12-22 10:00", "2026-12-18 10:00", true, 0},
		{"none on the same date, however many hours apart", "2026-12-18 00:00", "2026-12-18 23:59", true, 0},
		{"Friday to Monday is one", "2026-12-18 15:00", "2026-12-21 08:00", true, 1},
		{"Friday to the Tuesday after is two", "2026-12-18 15:00", "2026-12-22 08:00", true, 2},
		{"Christmas 2026 with the agreement", "2026-12-23 10:00", "2027-01-05 10:00", true, 5},
		{"Christmas 2026 by the law alone", "2026-12-23 10:00", "2027-01-05 10:00", false, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewCalendar(tt.byAgreement).WorkingDaysBetween(stockholmDate(t, tt.from), stockholmDate(t, tt.to))
			if got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestStockholm(t *testing.T) {
	t.Run("is the zone database's Europe/Stockholm", func(t *testing.T) {
		if Stockholm.String() != "Europe/Stockholm" {
			t.Fatalf("got %s", Stockholm)
		}
	})
	t.Run("the fallback rule agrees with the zone database every half hour 1997–2040", func(t *testing.T) {
		rule, err := stockholmFromRule()
		if err != nil {
			t.Fatal(err)
		}
		end := time.Date(2041, 1, 1, 0, 0, 0, 0, time.UTC)
		for at := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC); at.Before(end); at = at.Add(30 * time.Minute) {
			wantName, wantOffset := at.In(Stockholm).Zone()
			if name, offset := at.In(rule).Zone(); name != wantName || offset != wantOffset {
				t.Fatalf("%s: rule says %s %d, database %s %d", at, name, offset, wantName, wantOffset)
			}
		}
	})
}
