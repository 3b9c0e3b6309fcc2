package casework

import "time"

// Reminder hours (DOMAIN.md §7.2, product defaults): reminders go out on working days between 08:00
// and 17:00 Stockholm time, the morning ones at 08:00.
const (
	ReminderWindowStartHour = 8
	ReminderWindowEndHour   = 17
)

// ReminderTimes are the instants reminders of a deadline due at due should go out: 08:00 on the
// working day leadDays working days before the due day, and 08:00 on the due day itself (DOMAIN.md
// §7.2). Only instants after now and before due are returned, earliest first, without repeats – a
// deadline opened late in the game gets only the reminders still ahead of it. A due day that is not a
// working day (a clock-time deadline, or a follow-up booked on a holiday) is reminded on the working
// day before it instead.
func (c Calendar) ReminderTimes(due, now time.Time, leadDays int) []time.Time {
	dueDay := dateOf(due)
	morningOfDue := c.lastWorkingDayOnOrBefore(dueDay)
	candidates := []localDay{morningOfDue}
	if leadDays > 0 {
		candidates = []localDay{c.workingDaysBefore(morningOfDue, leadDays), morningOfDue}
	}
	var out []time.Time
	for _, d := range candidates {
		y, m, dd := d.civil()
		at := time.Date(y, m, dd, ReminderWindowStartHour, 0, 0, 0, Stockholm)
		if at.After(now) && at.Before(due) && (len(out) == 0 || at.After(out[len(out)-1])) {
			out = append(out, at)
		}
	}
	return out
}

// NextSendTime is the earliest instant at or after t when a reminder may go out: t itself within the
// hours of a working day, else 08:00 of the next working day. A reminder whose instant passed while
// the system was down is sent late, never at night or on a holiday.
func (c Calendar) NextSendTime(t time.Time) time.Time {
	local := t.In(Stockholm)
	if c.IsWorkingDay(local) && local.Hour() >= ReminderWindowStartHour && local.Hour() < ReminderWindowEndHour {
		return t
	}
	d := dateOf(local)
	if c.IsWorkingDay(local) && local.Hour() < ReminderWindowStartHour {
		y, m, dd := d.civil()
		return time.Date(y, m, dd, ReminderWindowStartHour, 0, 0, 0, Stockholm)
	}
	next := c.nthWorkingDay(d, 1)
	y, m, dd := next.civil()
	return time.Date(y, m, dd, ReminderWindowStartHour, 0, 0, 0, Stockholm)
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
