package db_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// distinctCount is the statement that counts a user's distinct cases within the hour.
const distinctCount = "COUNT(DISTINCT case_id)"

// recordStatements records every statement d runs through GORM's row callback (Raw(…).Scan) from
// now on, for the test to inspect.
func recordStatements(t testing.TB, d *db.DB) func() []string {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	require.NoError(t, d.Gorm().Callback().Row().After("gorm:row").Register("test:record", func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, tx.Statement.SQL.String())
	}))
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
}

// TestAnAlertedUsersAccessesAreNotCountedAgain: once a user has an alert within the hour, a further
// access does not count the user's distinct cases again. That count reads every row of the user's
// hour while it holds the chain's head, which every access of every user waits for: under load it
// grew with one busy user's accesses and slowed every request of the API (issue 16, ten minutes of
// concerns at 50 a second: 36 registered a second at first, 15 at the end).
func TestAnAlertedUsersAccessesAreNotCountedAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	statements := recordStatements(t, d)
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	const limit = 3
	for i := 1; i <= limit+1; i++ {
		_, alert, err := d.AppendAccess(ctx, access("olle", fmt.Sprintf("c%d", i), base.Add(time.Duration(i)*time.Minute)), limit)
		require.NoError(t, err)
		require.Equal(t, i == limit+1, alert != nil, "access %d", i)
	}
	require.NotEmpty(t, countingStatements(statements()), "the accesses up to the alert are counted")

	for i := limit + 2; i <= limit+4; i++ {
		_, alert, err := d.AppendAccess(ctx, access("olle", fmt.Sprintf("c%d", i), base.Add(time.Duration(i)*time.Minute)), limit)
		require.NoError(t, err)
		require.Nil(t, alert, "one alert an hour")
	}
	require.Empty(t, countingStatements(statements()), "an alerted user's further accesses are not counted")
}

func countingStatements(all []string) []string {
	var out []string
	for _, s := range all {
		if strings.Contains(s, distinctCount) {
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkAppendAccessByABusyUser appends accesses by a user who has already opened `prior`
// distinct cases within the hour – far past the alert limit of 30, as the load command's single
// reporter does – and reports ns/op per append. Flat in `prior` is the aim: every access of every
// user waits for the append before it.
func BenchmarkAppendAccessByABusyUser(b *testing.B) {
	for _, prior := range []int{0, 2000, 10000} {
		b.Run(fmt.Sprintf("prior=%d", prior), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b)
			start := time.Now().Add(-30 * time.Minute)
			for i := 0; i < prior; i++ {
				_, _, err := d.AppendAccess(ctx, access("load", fmt.Sprintf("p%d", i), start.Add(time.Duration(i)*time.Millisecond)), 30)
				require.NoError(b, err)
			}
			i := 0
			for b.Loop() {
				_, _, err := d.AppendAccess(ctx, access("load", fmt.Sprintf("n%d", i), time.Now()), 30)
				require.NoError(b, err)
				i++
			}
		})
	}
}
