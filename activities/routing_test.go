package activities

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestRouteConcernOnTheDemoDirectory routes a concern for every row of docs/process.md §3 against the real
// demo directory (SQLite, or PostgreSQL with SAMVERKAN_TEST_DATABASE_URL).
func TestRouteConcernOnTheDemoDirectory(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	a := &Activities{DB: d, Logger: dbtest.Logger(t)}
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, casework.Stockholm)

	cases := []struct {
		name      string
		birth     string
		schooling casework.Schooling
		wantKind  casework.UnitKind
		wantUnit  string // when the unit is known in advance
	}{
		{"a baby without preschool goes to BVC", "2025-05-01", casework.Schooling{Status: casework.SchoolingNone}, casework.UnitBVC, ""},
		{"a preschool child goes to the preschool named", "2022-05-01", casework.Schooling{Status: casework.SchoolingPreschool, UnitID: "norrkoping-forskola-1"}, casework.UnitPreschool, "norrkoping-forskola-1"},
		{"a pupil goes to the school named", "2014-05-01", casework.Schooling{Status: casework.SchoolingSchool, UnitID: "norrkoping-skola-1"}, casework.UnitSchool, "norrkoping-skola-1"},
		{"a pupil of the independent school goes to that school", "2014-05-01", casework.Schooling{Status: casework.SchoolingSchool, UnitID: "norrkoping-skola-2"}, casework.UnitSchool, "norrkoping-skola-2"},
		{"upper secondary in the home county goes to that school", "2009-05-01", casework.Schooling{Status: casework.SchoolingUpperSecondaryHomeCounty, UnitID: "norrkoping-gymnasium-1"}, casework.UnitUpperSecondary, "norrkoping-gymnasium-1"},
		{"upper secondary elsewhere goes to KAA at home", "2009-05-01", casework.Schooling{Status: casework.SchoolingUpperSecondaryOtherCounty}, casework.UnitKAA, ""},
		{"not started upper secondary goes to KAA", "2009-05-01", casework.Schooling{Status: casework.SchoolingNotStartedUpperSecondary}, casework.UnitKAA, ""},
		{"left upper secondary goes to KAA", "2008-05-01", casework.Schooling{Status: casework.SchoolingLeftUpperSecondary}, casework.UnitKAA, ""},
		{"a school-age child without a school goes to the central school health team", "2015-05-01", casework.Schooling{Status: casework.SchoolingNone}, casework.UnitCentralSchoolHealth, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := a.RouteConcern(ctx, RouteConcernRequest{Municipality: "norrkoping", Schooling: c.schooling, BirthDate: c.birth, OccurredAt: at})
			require.NoError(t, err)
			require.Equal(t, c.wantKind, res.Unit.Kind)
			if c.wantUnit != "" {
				require.Equal(t, c.wantUnit, res.Unit.ID)
			}
			require.NotEmpty(t, res.Reason)
			require.Equal(t, casework.PolicyRef{ID: "norrkoping", Version: 1}, res.Policy.PolicyRef)
		})
	}
	t.Run("an unknown municipality is a non-retryable not-found", func(t *testing.T) {
		_, err := a.RouteConcern(ctx, RouteConcernRequest{Municipality: "atlantis", Schooling: casework.Schooling{Status: casework.SchoolingNone}, BirthDate: "2020-01-01", OccurredAt: at})
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr))
		require.True(t, appErr.NonRetryable())
		require.Equal(t, ErrKindNotFound, appErr.Type())
	})
	t.Run("without a central school health team the school health team takes the school-age child", func(t *testing.T) {
		// Luleå has no central school health team in the demo directory.
		res, err := a.RouteConcern(ctx, RouteConcernRequest{Municipality: "lulea", Schooling: casework.Schooling{Status: casework.SchoolingNone}, BirthDate: "2015-05-01", OccurredAt: at})
		require.NoError(t, err)
		require.Equal(t, casework.UnitSchoolHealth, res.Unit.Kind)
	})
}
