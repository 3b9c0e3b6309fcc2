package httpkit

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samverkan/samverkan/casework"
)

// Checks of a request's fields, each adding its problems to v by the field's JSON name, so a client
// hears of every problem at once.

// ClockSkew tolerates a client clock slightly ahead when it says "now".
const ClockSkew = 5 * time.Minute

// ParseTime reads an RFC 3339 time; required says whether it must be given. A time in the future is
// refused: commands record what has happened.
func ParseTime(v *casework.ValidationError, field, value string, now time.Time, required bool) time.Time {
	if value == "" {
		if required {
			v.Add(field, "saknas")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, value)
	switch {
	case err != nil:
		v.Add(field, "ska vara en tidpunkt enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case t.After(now.Add(ClockSkew)):
		v.Add(field, "ligger i framtiden")
	case !Writable(t):
		v.Add(field, ErrTimeRange)
	}
	return t
}

// Writable: the API writes every time back as RFC 3339 in Europe/Stockholm (LocalTime), which needs
// a year of four digits and an offset in whole minutes – Stockholm has had one since 1900, before
// that local mean time, +01:12:12. A time outside is refused rather than written back garbled
// ("-0001-12-31T11:12:12+01:12", "10000-01-02T00:58:59+01:00").
func Writable(t time.Time) bool {
	return !t.Before(earliestWritable) && t.Before(latestWritable)
}

var (
	earliestWritable = time.Date(1900, time.January, 1, 0, 0, 0, 0, casework.Stockholm)
	latestWritable   = time.Date(10000, time.January, 1, 0, 0, 0, 0, casework.Stockholm)
)

const ErrTimeRange = "ska ligga mellan år 1900 och 9999"

const (
	MaxShortRunes = 200   // a name, a place, a unit ID
	MaxTextRunes  = 10000 // an observation, a view, a decision
)

// CheckText checks a free-text field: required or not, and not longer than max.
func CheckText(v *casework.ValidationError, field, value string, required bool, max int) {
	switch {
	case strings.TrimSpace(value) == "":
		if required {
			v.Add(field, "saknas")
		}
	case utf8.RuneCountInString(value) > max:
		v.Add(field, fmt.Sprintf("får vara högst %d tecken", max))
	}
}

// CheckIDs checks a list of unit IDs or names: each given, short, and not twice.
func CheckIDs(v *casework.ValidationError, field string, ids []string, required bool) {
	if required && len(ids) == 0 {
		v.Add(field, "ange minst en")
	}
	seen := map[string]bool{}
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case strings.TrimSpace(id) == "":
			v.Add(f, "saknas")
		case utf8.RuneCountInString(id) > MaxShortRunes:
			v.Add(f, fmt.Sprintf("får vara högst %d tecken", MaxShortRunes))
		case seen[id]:
			v.Add(f, "står redan med")
		}
		seen[id] = true
	}
}

// CheckEnum checks that a required value is one of the allowed.
func CheckEnum[T ~string](v *casework.ValidationError, field string, value T, allowed ...T) {
	if value == "" {
		v.Add(field, "saknas")
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	v.Add(field, "ska vara en av: "+strings.Join(names, ", "))
}
