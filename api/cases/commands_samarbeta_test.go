package cases

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestAMeetingThatCannotBeWrittenBackIsRefused: a summons to a meeting whose time cannot be written
// back in Swedish time is a 400 naming it – found by FuzzCommandBodies (cmd/samverkan).
func TestAMeetingThatCannotBeWrittenBackIsRefused(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	v := &casework.ValidationError{}
	(&summonsRequest{MeetingAt: "9999-12-31T23:59:59-23:59", Place: "Skolan", Agencies: []string{"x"}}).validate(v, now)
	require.Error(t, v.Err(), "a meeting in year 10000 of Swedish time")
}
