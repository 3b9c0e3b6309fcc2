package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/stretchr/testify/assert"
)

// TestAnEmptyTimeOfDayIsNeverAhead: a step dated today without a time is recorded at noon in the
// afternoon, but at the current minute in the morning – noon would be in the future, and the API
// refuses that (a caseworker recording at 00:40 what happened a moment ago got that refusal).
func TestAnEmptyTimeOfDayIsNeverAhead(t *testing.T) {
	at := func(clock string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+clock, casework.Stockholm)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	defer func(old func() time.Time) { clockNow = old }(clockNow)
	read := func(now time.Time, date, clock string) string {
		clockNow = func() time.Time { return now }
		f := &form{Values: url.Values{"x-date": {date}, "x-time": {clock}}, Errors: map[string]string{}}
		got, ok := businessTime(f, "x", "När")
		assert.True(t, ok, f.Errors)
		return got
	}
	assert.Equal(t, "2026-12-07T00:40:00+01:00", read(at("00:40"), "2026-12-07", ""), "today before noon: now")
	assert.Equal(t, "2026-12-07T12:00:00+01:00", read(at("15:10"), "2026-12-07", ""), "today after noon: noon")
	assert.Equal(t, "2026-12-06T12:00:00+01:00", read(at("00:40"), "2026-12-06", ""), "another day: noon")
	assert.Equal(t, "2026-12-07T09:30:00+01:00", read(at("08:00"), "2026-12-07", "09.30"), "a time typed is kept, even ahead (the API says no)")
}
