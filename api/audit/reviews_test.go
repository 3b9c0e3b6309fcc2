package audit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReviewWeeks(t *testing.T) {
	t.Run("a week runs Monday to Monday in Swedish time", func(t *testing.T) {
		p := weekOf(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)) // a Thursday
		assert.Equal(t, "2026-W48", p.Week)
		assert.Equal(t, time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC), p.From.UTC(), "Monday 00:00 CET")
		assert.Equal(t, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC), p.To.UTC())
	})
	t.Run("Sunday evening in UTC can be Monday in Stockholm", func(t *testing.T) {
		assert.Equal(t, "2026-W49", weekOf(time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)).Week)
	})
	t.Run("ISO years: 1 January 2027 is in 2026-W53", func(t *testing.T) {
		assert.Equal(t, "2026-W53", weekOf(time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)).Week)
	})
	for _, s := range []string{"2026-W48", "2026-W01", "2026-W53", "2027-W01"} {
		p, ok := parseWeek(s)
		assert.True(t, ok, s)
		assert.Equal(t, s, p.Week)
	}
	for _, s := range []string{"", "2026-48", "2026-W00", "2025-W53", "2026-W54", "2026-W7", "2026-W48x"} {
		_, ok := parseWeek(s)
		assert.False(t, ok, s)
	}
	t.Run("the default is the last complete week; a running week cannot be drawn", func(t *testing.T) {
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		p, err := reviewWeek("", now)
		require.NoError(t, err)
		assert.Equal(t, "2026-W47", p.Week)
		_, err = reviewWeek("2026-W48", now)
		assert.Error(t, err)
	})
}
