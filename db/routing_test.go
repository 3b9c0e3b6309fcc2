package db_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestNamedPersonUnit: the unit the child attends when it is of the routed kind, else the
// municipality's first of that kind or its fallback, else ErrNotFound – the one answer the routing
// activity and the API's check before a concern share.
func TestNamedPersonUnit(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	for _, row := range []struct {
		name, municipality, unit string
		kind                     casework.UnitKind
		want                     string
	}{
		{"the child's own school", "norrkoping", "norrkoping-skola-2", casework.UnitSchool, "norrkoping-skola-2"},
		{"a unit of another kind: the municipality's", "lulea", "lulea-forskola-1", casework.UnitKAA, "lulea-kaa"},
		{"no central school health: the school health team", "lulea", "", casework.UnitCentralSchoolHealth, "lulea-elevhalsa"},
	} {
		t.Run(row.name, func(t *testing.T) {
			u, err := d.NamedPersonUnit(ctx, row.municipality, row.unit, row.kind)
			require.NoError(t, err)
			require.Equal(t, row.want, u.ID)
		})
	}
	_, err := d.NamedPersonUnit(ctx, "no-such-municipality", "", casework.UnitSchool)
	require.ErrorIs(t, err, db.ErrNotFound)
}
