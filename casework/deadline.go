package casework

import "time"

// DueAt is when the policy's deadline of kind falls due for a start at start, in Stockholm time;
// false when the policy sets no such deadline. A working-day rule ends with the N-th working day
// after the start's date (docs/process.md §7.1), a clock-time rule after the exact duration, holidays and
// clock changes included. Validate rejects a rule with both set; were one to get through, the
// working days win, the reading the agreements use.
func (p Policy) DueAt(kind DeadlineKind, start time.Time) (time.Time, bool) {
	r, ok := p.Deadline(kind)
	if !ok {
		return time.Time{}, false
	}
	if r.WorkingDays != nil {
		return NewCalendar(p.DaysOffByAgreement).EndOfWorkingDay(start, *r.WorkingDays), true
	}
	return start.Add(time.Duration(*r.Within)).In(Stockholm), true
}

// Missed reports whether a deadline due at dueAt has been missed at at. The due instant itself is
// still in time: DueAt returns the last nanosecond that counts.
func Missed(dueAt, at time.Time) bool {
	return at.After(dueAt)
}
