package web

import (
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// The business time of a step – when it happened in the world, which deadlines count from – is
// asked as a date and a time of day in Swedish time, the fields <prefix>-date and <prefix>-time.

// businessTime reads the two fields as RFC 3339; a missing or impossible value goes on the form
// (at the date field) and ok is false. An empty time of day is noon – people remember the day – or,
// for today before noon, the current minute: noon would lie ahead, and the API refuses a step that
// has not happened yet.
func businessTime(f *form, prefix, label string) (string, bool) {
	date, clock := f.Value(prefix+"-date"), strings.ReplaceAll(f.Value(prefix+"-time"), ".", ":")
	if date == "" {
		f.Add(prefix+"-date", label, "skriv datumet som ÅÅÅÅ-MM-DD")
		return "", false
	}
	if clock == "" {
		clock = "12:00"
		if now := clockNow().In(casework.Stockholm); date == now.Format(time.DateOnly) && now.Hour() < 12 {
			clock = now.Format("15:04")
		}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, casework.Stockholm)
	if err != nil {
		f.Add(prefix+"-date", label, "skriv datumet som ÅÅÅÅ-MM-DD och klockslaget som TT:MM, till exempel 2026-01-13 och 09:30")
		return "", false
	}
	return t.Format(time.RFC3339), true
}

// optionalBusinessTime is businessTime where both fields may be left empty: then "" (the API takes
// now).
func optionalBusinessTime(f *form, prefix, label string) (string, bool) {
	if f.Value(prefix+"-date") == "" && f.Value(prefix+"-time") == "" {
		return "", true
	}
	return businessTime(f, prefix, label)
}

// clockNow is the wall clock; a test sets it to see the morning and the afternoon.
var clockNow = time.Now
