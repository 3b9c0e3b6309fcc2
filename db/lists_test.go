package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// listed is the IDs of every case a list shows the viewer, in order.
func listed(t *testing.T, d *db.DB, v db.Viewer, scope db.ListScope) []string {
	t.Helper()
	page, err := d.ListCases(context.Background(), db.CaseListQuery{Viewer: v, Scope: scope})
	require.NoError(t, err)
	require.Empty(t, page.NextCursor)
	return ids(page.Items)
}

func ids(items []db.CaseListItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.CaseID)
	}
	return out
}

func npUnit(unit string) db.CaseAccess {
	return db.CaseAccess{Relation: casework.AccessNamedPersonUnit, UnitID: unit}
}
func participant(unit string) db.CaseAccess {
	return db.CaseAccess{Relation: casework.AccessParticipantUnit, UnitID: unit}
}
func user(relation casework.AccessRelation, id string) db.CaseAccess {
	return db.CaseAccess{Relation: relation, UserID: id}
}

// listCases projects the cases of the list tests, in several phases, units and municipalities.
func listCases(t *testing.T, d *db.DB) {
	ctx := context.Background()
	project := func(id, phase string, deadline *time.Time, overdue bool, edit func(*db.CaseRow), access ...db.CaseAccess) {
		row := aCase(id, 1)
		row.Phase, row.Overdue = phase, overdue
		if deadline != nil {
			row.NextDeadlineKind, row.NextDeadlineAt = casework.DeadlineAcknowledge, deadline
		}
		if edit != nil {
			edit(&row)
		}
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: row, Access: access}))
	}
	inOtherSchool := func(r *db.CaseRow) { r.NamedPersonUnitID = otherUnit }
	project("l1", "upptäcka", at(10, 22), false, nil, npUnit(school))
	project("l2", "kartlägga", nil, true, nil, npUnit(school), user("assessor", "bertil.rektor"))
	project("l3", "samarbeta", at(5, 22), false, nil, npUnit(school), user("assessor", "bertil.rektor"),
		participant(social), participant(bup))
	project("l4", "upptäcka", at(10, 22), false, inOtherSchool, npUnit(otherUnit))
	project("l5", "samarbeta", nil, false, inOtherSchool, npUnit(otherUnit), user("assessor", "lars.friskola"),
		participant(social), user("coordinator", "cecilia.socialsekreterare"))
	project("l6", "upptäcka", at(1, 22), true, func(r *db.CaseRow) {
		r.MunicipalityID, r.Policy, r.NamedPersonUnitID = "lulea", casework.PolicyRef{ID: "norrbus", Version: 1}, "lulea-skola-1"
	}, npUnit("lulea-skola-1"))
}

func TestListCases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	listCases(t, d)

	for _, tc := range []struct {
		name      string
		who       db.Viewer
		mine      []string
		unit      []string
		relations map[string][]string
	}{
		{"the named person: the school's cases, by next deadline, none last", bertil,
			[]string{"l3", "l1", "l2"}, []string{"l3", "l1", "l2"},
			map[string][]string{"l3": {"assessor", "named_person"}, "l1": {"named_person"}}},
		{"the school's supervisor: its cases under unit, none as their own", david,
			[]string{}, []string{"l3", "l1", "l2"}, map[string][]string{"l1": {"supervisor"}}},
		{"a teacher who reports: nothing", anna, []string{}, []string{}, nil},
		{"social services: the cases it takes part in, and the one it coordinates", cecilia,
			[]string{"l3", "l5"}, []string{"l3", "l5"},
			map[string][]string{"l3": {"participant"}, "l5": {"coordinator", "participant"}}},
		{"BUP: the case it takes part in", frida, []string{"l3"}, []string{"l3"}, map[string][]string{"l3": {"participant"}}},
		{"BUP's supervisor: the same, as supervisor", karin, []string{"l3"}, []string{"l3"}, map[string][]string{"l3": {"supervisor"}}},
		{"the other school's named person: its own cases only", lars,
			[]string{"l4", "l5"}, []string{"l4", "l5"}, map[string][]string{"l5": {"assessor", "named_person"}}},
		{"the steering group: nothing, ever", stina, []string{}, []string{}, nil},
		{"a reporter of a participant unit: nothing", db.Viewer{User: "x", Role: casework.RoleReporter, Unit: social}, []string{}, []string{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.mine, listed(t, d, tc.who, db.ScopeMine), "mine")
			assert.Equal(t, tc.unit, listed(t, d, tc.who, db.ScopeUnit), "unit")
			page, err := d.ListCases(ctx, db.CaseListQuery{Viewer: tc.who, Scope: db.ScopeUnit})
			require.NoError(t, err)
			all, err := d.ListCases(ctx, db.CaseListQuery{Viewer: tc.who, Scope: db.ScopeMine})
			require.NoError(t, err)
			for _, it := range append(page.Items, all.Items...) {
				if want, ok := tc.relations[it.CaseID]; ok {
					assert.Equal(t, want, it.Relations, it.CaseID)
				}
			}
		})
	}

	t.Run("an item carries what a list shows and no more", func(t *testing.T) {
		page, err := d.ListCases(ctx, db.CaseListQuery{Viewer: bertil, Scope: db.ScopeMine, Limit: 1})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		it := page.Items[0]
		assert.Equal(t, "l3", it.CaseID)
		assert.Equal(t, "samarbeta", it.Phase)
		assert.Equal(t, "norrkoping", it.MunicipalityID)
		assert.Equal(t, school, it.NamedPersonUnitID)
		assert.Equal(t, "Lärkängsskolan", it.NamedPersonUnitName)
		assert.Equal(t, casework.DeadlineAcknowledge, it.NextDeadlineKind)
		require.NotNil(t, it.NextDeadlineAt)
		assert.True(t, at(5, 22).Equal(*it.NextDeadlineAt))
		assert.True(t, time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC).Equal(it.OpenedAt))
		assert.NotEmpty(t, page.NextCursor)
	})
	t.Run("filters by phase, overdue and municipality", func(t *testing.T) {
		yes, no := true, false
		rasmus := db.Viewer{User: "rasmus.rektor", Role: casework.RoleNamedPerson, Unit: "lulea-skola-1"}
		for _, f := range []struct {
			q    db.CaseListQuery
			want []string
		}{
			{db.CaseListQuery{Viewer: bertil, Phase: "kartlägga"}, []string{"l2"}},
			{db.CaseListQuery{Viewer: bertil, Overdue: &yes}, []string{"l2"}},
			{db.CaseListQuery{Viewer: bertil, Overdue: &no}, []string{"l3", "l1"}},
			{db.CaseListQuery{Viewer: bertil, Municipality: "lulea"}, []string{}},
			{db.CaseListQuery{Viewer: rasmus, Municipality: "lulea", Overdue: &yes}, []string{"l6"}},
			{db.CaseListQuery{Viewer: rasmus, Municipality: "norrkoping"}, []string{}},
			{db.CaseListQuery{Viewer: cecilia, Phase: "samarbeta", Scope: db.ScopeUnit}, []string{"l3", "l5"}},
		} {
			page, err := d.ListCases(ctx, f.q)
			require.NoError(t, err)
			assert.Equal(t, f.want, ids(page.Items), "%+v", f.q)
		}
	})
	t.Run("a cursor the API never gave out is refused", func(t *testing.T) {
		_, err := d.ListCases(ctx, db.CaseListQuery{Viewer: bertil, Cursor: "not a cursor"})
		assert.ErrorIs(t, err, db.ErrInvalidCursor)
	})
}

func TestListCasesPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	// 40 cases: deadlines that tie in threes, a quarter without one, so every page boundary falls
	// within ties and across the NULLs.
	var want []string
	for i := range 40 {
		row := aCase(fmt.Sprintf("pg-%02d", (i*7)%40), 1)
		if i%4 != 0 {
			due := time.Date(2026, 3, 1+i/3, 22, 0, 0, 0, time.UTC).Add(time.Duration(i%2) * 1500 * time.Microsecond)
			row.NextDeadlineKind, row.NextDeadlineAt = casework.DeadlineSummons, &due
		}
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: row, Access: []db.CaseAccess{npUnit(school)}}))
		want = append(want, row.CaseID)
	}
	whole, err := d.ListCases(ctx, db.CaseListQuery{Viewer: bertil, Limit: db.MaxPageSize})
	require.NoError(t, err)
	require.ElementsMatch(t, want, ids(whole.Items))

	for _, limit := range []int{1, 3, 7, 40} {
		t.Run(fmt.Sprintf("pages of %d give every case once, in the order of one page", limit), func(t *testing.T) {
			var got []string
			cursor := ""
			for range 50 {
				page, err := d.ListCases(ctx, db.CaseListQuery{Viewer: bertil, Limit: limit, Cursor: cursor})
				require.NoError(t, err)
				require.LessOrEqual(t, len(page.Items), limit)
				got = append(got, ids(page.Items)...)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			assert.Equal(t, ids(whole.Items), got)
		})
	}
	t.Run("the order is by next deadline, none last, then case id", func(t *testing.T) {
		items := whole.Items
		for i := 1; i < len(items); i++ {
			a, b := items[i-1], items[i]
			switch {
			case a.NextDeadlineAt == nil:
				require.Nil(t, b.NextDeadlineAt, "a case without a deadline before one with")
				require.Less(t, a.CaseID, b.CaseID)
			case b.NextDeadlineAt != nil && a.NextDeadlineAt.Equal(*b.NextDeadlineAt):
				require.Less(t, a.CaseID, b.CaseID)
			case b.NextDeadlineAt != nil:
				require.True(t, a.NextDeadlineAt.Before(*b.NextDeadlineAt))
			}
		}
	})
}

// TestListsFollowTheReachTable: for a case with one grant of each relation, a caller who matches
// the grant in each role finds the case in exactly the lists casework's reach table gives them –
// "mine" for the side of working on it, "unit" for the unit's side – and a caller who does not
// match it in none.
func TestListsFollowTheReachTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	for _, rel := range casework.AccessRelations {
		grant := db.CaseAccess{Relation: rel, UserID: "reach.user"}
		if rel.OfUnit() {
			grant = db.CaseAccess{Relation: rel, UnitID: bup}
		}
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("reach-"+string(rel), 1), Access: []db.CaseAccess{grant}}))
	}
	for _, rel := range casework.AccessRelations {
		id := "reach-" + string(rel)
		for _, role := range casework.Roles {
			t.Run(fmt.Sprintf("%s as %s", rel, role), func(t *testing.T) {
				reach := casework.RelationReach(rel, role)
				matching := db.Viewer{User: "reach.user", Role: role, Unit: bup}
				assert.Equal(t, reach&casework.ReachWork != 0, slices.Contains(listed(t, d, matching, db.ScopeMine), id), "mine")
				assert.Equal(t, reach&casework.ReachUnit != 0, slices.Contains(listed(t, d, matching, db.ScopeUnit), id), "unit")
				assert.Equal(t, reach != casework.ReachNone, slices.Contains(listed(t, d, matching, ""), id), "any")
				other := db.Viewer{User: "someone.else", Role: role, Unit: social}
				for _, scope := range []db.ListScope{db.ScopeMine, db.ScopeUnit, ""} {
					assert.NotContains(t, listed(t, d, other, scope), id, "a caller the grant does not name, scope %q", scope)
				}
			})
		}
	}
}
