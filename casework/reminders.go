package casework

import "time"

// ReminderCalendar is when a policy's reminders may go out: on working days of its calendar, within
// its hours (docs/process.md §7.2: 08:00–17:00 by default), the morning ones when the hours begin.
type ReminderCalendar struct {
	Calendar
	Hours HourWindow
}

// ReminderTimes are the instants reminders of a deadline due at due should go out: when the hours
// begin (08:00) on the working day leadDays working days before the due day, and on the due day
// itself (docs/process.md §7.2). Only instants after now and before due are returned, earliest first, without repeats – a
// deadline opened late in the game gets only the reminders still ahead of it. A due day that is not a
// working day (a clock-time deadline, or a follow-up booked on a holiday) is reminded on the working
// day before it instead.
func (c ReminderCalendar) ReminderTimes(due, now time.Time, leadDays int) []time.Time {
	dueDay := dateOf(due)
	morningOfDue := c.lastWorkingDayOnOrBefore(dueDay)
	candidates := []localDay{morningOfDue}
	if leadDays > 0 {
		candidates = []localDay{c.workingDaysBefore(morningOfDue, leadDays), morningOfDue}
	}
	var out []time.Time
	for _, d := range candidates {
		y, m, dd := d.civil()
		at := time.Date(y, m, dd, c.Hours.From, 0, 0, 0, Stockholm)
		if at.After(now) && at.Before(due) && (len(out) == 0 || at.After(out[len(out)-1])) {
			out = append(out, at)
		}
	}
	return out
}

// NextSendTime is the earliest instant at or after t when a reminder may go out: t itself within the
// hours of a working day, else when the hours begin on the next working day. A reminder whose instant passed while
// the system was down is sent late, never at night or on a holiday.
func (c ReminderCalendar) NextSendTime(t time.Time) time.Time {
	local := t.In(Stockholm)
	if c.IsWorkingDay(local) && local.Hour() >= c.Hours.From && local.Hour() < c.Hours.To {
		return t
	}
	d := dateOf(local)
	if c.IsWorkingDay(local) && local.Hour() < c.Hours.From {
		y, m, dd := d.civil()
		return time.Date(y, m, dd, c.Hours.From, 0, 0, 0, Stockholm)
	}
	next := c.nthWorkingDay(d, 1)
	y, m, dd := next.civil()
	return time.Date(y, m, dd, c.Hours.From, 0, 0, 0, Stockholm)
}

func (c Calendar) lastWorkingDayOnOrBefore(d localDay) localDay {
	w := walker{c: c}
	for _, off := w.dayOff(d); off; _, off = w.dayOff(d) {
		d--
	}
	return d
}

func (c Calendar) workingDaysBefore(d localDay, n int) localDay {
	w := walker{c: c}
	for n > 0 {
		d--
		if _, off := w.dayOff(d); !off {
			n--
		}
	}
	return d
}
