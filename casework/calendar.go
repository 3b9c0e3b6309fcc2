package casework

import (
	"encoding/binary"
	"math"
	"sync"
	"time"
	// Embedded so that Stockholm loads on machines and containers without a zoneinfo database.
	_ "time/tzdata"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/se"
)

// Stockholm is the zone every working-day rule is read in (docs/process.md §7.1): a deadline falls at
// the end of a Swedish day wherever the caller's clock is.
var Stockholm = loadStockholm()

// stockholmRule is Sweden's rule since 1996 (the EU's common summer time): CET, and CEST from the
// last Sunday of March 02:00 to the last Sunday of October 03:00, in POSIX TZ form.
const stockholmRule = "CET-1CEST,M3.5.0,M10.5.0/3"

// loadStockholm prefers the zoneinfo database. With time/tzdata embedded the load cannot fail short
// of a broken build, but a panic at package init would take every binary down with it, and a fixed
// +01:00 would put every summer deadline an hour wrong without a sound. The fallback is the
// current rule itself, which agrees with the database for every instant since 1996 (tested), so
// it is right for every case this system will hold.
func loadStockholm() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	if loc, err := stockholmFromRule(); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}

// stockholmFromRule builds the location from stockholmRule. The standard library reads a POSIX
// rule only as the footer of a TZif file (RFC 8536), so this writes the smallest such file: no
// transitions, one zone type (CET), and the rule, which then governs every instant.
func stockholmFromRule() (*time.Location, error) {
	var b []byte
	block := func() {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		// isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		for _, n := range []uint32{0, 0, 0, 0, 1, 4} {
			b = binary.BigEndian.AppendUint32(b, n)
		}
		b = binary.BigEndian.AppendUint32(b, 3600) // utoff
		b = append(b, 0, 0)                        // isdst, abbreviation index
		b = append(b, "CET\x00"...)
	}
	block() // version 1 data, which readers of version 2 skip
	block()
	b = append(b, "\n"+stockholmRule+"\n"...)
	return time.LoadLocationFromTZData("Europe/Stockholm", b)
}

// dayOff is one kind of day that is not a working day, with its Swedish name for messages.
type dayOff struct {
	holiday *cal.Holiday
	name    string
	// byAgreement: not a public holiday by law, but off across the public sector by agreement
	// (docs/process.md §7.1); a policy setting.
	byAgreement bool
}

// daysOff are the public holidays of Lag (1989:253) and the three eves. The dates come from
// rickar/cal's Swedish table; the names are the law's. Påskdagen and pingstdagen are always
// Sundays, so they change no deadline, but messages should call them by name.
var daysOff = [...]dayOff{
	{se.Nyarsdagen, "nyårsdagen", false},
	{se.TrettondedagJul, "trettondedag jul", false},
	{se.Langfredagen, "långfredagen", false},
	{se.Paskdagen, "påskdagen", false},
	{se.AnnandagPask, "annandag påsk", false},
	{se.ForstaMaj, "första maj", false},
	{se.KristiHimmelfardsdag, "Kristi himmelsfärdsdag", false},
	{se.Pingstdagen, "pingstdagen", false},
	{se.Nationaldagen, "Sveriges nationaldag", false},
	{se.Midsommarafton, "midsommarafton", true},
	{se.Midsommardagen, "midsommardagen", false},
	{se.AllaHelgonsDag, "alla helgons dag", false},
	{se.Julafton, "julafton", true},
	{se.Juldagen, "juldagen", false},
	{se.AnnandagJul, "annandag jul", false},
	{se.Nyarsafton, "nyårsafton", true},
}

// Calendar is the Swedish working-day calendar (docs/process.md §7.1). Saturdays, Sundays and the public
// holidays are never working days; midsommarafton, julafton and nyårsafton are not either when the
// policy says so. The zero value is the law alone. It is a small value, safe to copy and to use
// from many goroutines: it keeps no cache.
type Calendar struct {
	daysOffByAgreement bool
}

// NewCalendar returns the calendar of a policy's Policy.DaysOffByAgreement setting.
func NewCalendar(daysOffByAgreement bool) Calendar {
	return Calendar{daysOffByAgreement: daysOffByAgreement}
}

// IsWorkingDay reports whether t's date in Stockholm is a working day.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	_, off := c.DayOff(t)
	return !off
}

// DayOff reports why t's date in Stockholm is not a working day: the holiday's name, or "lördag" or
// "söndag". A holiday on a weekend is named as the holiday.
func (c Calendar) DayOff(t time.Time) (name string, off bool) {
	w := walker{c: c}
	return w.dayOff(dateOf(t))
}

// AddWorkingDays returns midnight in Stockholm of the n-th working day after from's date there.
// n = 0 gives from's own date when it is a working day, else the next working day; a negative n
// counts as 0.
func (c Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	y, m, d := c.nthWorkingDay(dateOf(from), n).civil()
	return time.Date(y, m, d, 0, 0, 0, 0, Stockholm)
}

// SubtractWorkingDays returns midnight in Stockholm of the n-th working day before from's date; from
// itself does not count. A case that entered its phase before it has been in it more than n working
// days.
func (c Calendar) SubtractWorkingDays(from time.Time, n int) time.Time {
	y, m, d := c.workingDaysBefore(dateOf(from), n).civil()
	return time.Date(y, m, d, 0, 0, 0, 0, Stockholm)
}

// EndOfWorkingDay is "within n working days after from" (docs/process.md §7.1): the last nanosecond of
// the n-th working day after from's date in Stockholm, so that Missed holds from the next midnight.
func (c Calendar) EndOfWorkingDay(from time.Time, n int) time.Time {
	y, m, d := c.nthWorkingDay(dateOf(from), n).civil()
	// The next midnight by the calendar, not by +24h: a local day is 23 or 25 hours when the clocks
	// change (though both changes fall on a Sunday, which is never the due day).
	return time.Date(y, m, d+1, 0, 0, 0, 0, Stockholm).Add(-time.Nanosecond)
}

// WorkingDaysBetween counts the working days after from's date up to and including to's date, both
// in Stockholm; 0 when to's date is not after from's. It is the inverse of AddWorkingDays for a
// working start date, and what the statistics mean by "working days taken".
func (c Calendar) WorkingDaysBetween(from, to time.Time) int {
	w := walker{c: c}
	n := 0
	for d, last := dateOf(from)+1, dateOf(to); d <= last; d++ {
		if _, off := w.dayOff(d); !off {
			n++
		}
	}
	return n
}

func (c Calendar) nthWorkingDay(d localDay, n int) localDay {
	w := walker{c: c}
	if n <= 0 {
		for _, off := w.dayOff(d); off; _, off = w.dayOff(d) {
			d++
		}
		return d
	}
	for n > 0 {
		d++
		if _, off := w.dayOff(d); !off {
			n--
		}
	}
	return d
}

// localDay is a calendar date as a day number, days since 1 January 1970: stepping a day is adding
// one, which no clock change can disturb.
type localDay int64

const secondsPerDay = 24 * 60 * 60

// dateOf is t's calendar date in Stockholm.
func dateOf(t time.Time) localDay {
	y, m, d := t.In(Stockholm).Date()
	return civilDate(y, m, d)
}

func civilDate(y int, m time.Month, d int) localDay {
	return localDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

func (d localDay) civil() (year int, month time.Month, day int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

func (d localDay) weekday() time.Weekday {
	return time.Weekday((int64(d)%7 + 7 + 4) % 7) // 1 January 1970 was a Thursday
}

// yearDaysOff is one year's dates of every entry of daysOff, whichever the setting; noDate where a
// holiday does not fall in the year.
type yearDaysOff struct {
	first, last localDay // 1 January and 31 December
	day         [len(daysOff)]localDay
}

const noDate = localDay(math.MinInt64)

// Working a year out through rickar/cal costs about 1.5 µs, several times the rest of a deadline,
// so the years a case can live in are worked out once, on first use, and only read afterwards.
const firstTabled, lastTabled = 2000, 2099

var tabledYears = sync.OnceValue(func() []yearDaysOff {
	years := make([]yearDaysOff, 0, lastTabled-firstTabled+1)
	for y := firstTabled; y <= lastTabled; y++ {
		years = append(years, daysOffIn(y))
	}
	return years
})

func daysOfYear(year int) yearDaysOff {
	if year >= firstTabled && year <= lastTabled {
		return tabledYears()[year-firstTabled]
	}
	return daysOffIn(year)
}

func daysOffIn(year int) yearDaysOff {
	y := yearDaysOff{first: civilDate(year, time.January, 1), last: civilDate(year, time.December, 31)}
	for i, h := range daysOff {
		// Holiday.Calc rather than cal.Calendar.IsHoliday: the latter's optional cache is an unlocked
		// map, and only the date is needed. Calc answers at midnight in cal.DefaultLoc (the
		// machine's zone), so only its year, month and day are read.
		actual, _ := h.holiday.Calc(year)
		hy, hm, hd := actual.Date()
		y.day[i] = noDate
		if !actual.IsZero() && hy == year {
			y.day[i] = civilDate(year, hm, hd)
		}
	}
	return y
}

// walker answers for a run of dates of one calendar, looking a year up when it enters it. Its zero
// value (with c set) is ready.
type walker struct {
	c      Calendar
	loaded bool
	year   yearDaysOff
}

func (w *walker) dayOff(d localDay) (string, bool) {
	if !w.loaded || d < w.year.first || d > w.year.last {
		y, _, _ := d.civil()
		w.year, w.loaded = daysOfYear(y), true
	}
	for i, h := range w.year.day {
		if h == d && (w.c.daysOffByAgreement || !daysOff[i].byAgreement) {
			return daysOff[i].name, true
		}
	}
	switch d.weekday() {
	case time.Saturday:
		return "lördag", true
	case time.Sunday:
		return "söndag", true
	}
	return "", false
}
