package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

const (
	school    = "norrkoping-skola-1"
	social    = "norrkoping-socialtjanst"
	bup       = "norrkoping-bup"
	otherUnit = "norrkoping-skola-2"
)

var (
	bertil  = db.Viewer{User: "bertil.rektor", Role: casework.RoleNamedPerson, Unit: school}
	anna    = db.Viewer{User: "anna.larare", Role: casework.RoleReporter, Unit: school}
	david   = db.Viewer{User: "david.chef", Role: casework.RoleSupervisor, Unit: school}
	cecilia = db.Viewer{User: "cecilia.socialsekreterare", Role: casework.RoleCoordinator, Unit: social}
	frida   = db.Viewer{User: "frida.bup", Role: casework.RoleParticipant, Unit: bup}
	karin   = db.Viewer{User: "karin.verksamhetschef", Role: casework.RoleSupervisor, Unit: bup}
	stina   = db.Viewer{User: "stina.styrgrupp", Role: casework.RoleSteering, Unit: social}
	lars    = db.Viewer{User: "lars.friskola", Role: casework.RoleNamedPerson, Unit: otherUnit}
)

func at(day, hour int) *time.Time {
	t := time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC)
	return &t
}

func task(pos int, kind string, due *time.Time, overdue bool, to db.CaseTask) db.CaseTask {
	to.Position, to.Kind, to.Title, to.DueAt, to.Overdue = pos, kind, "Titel "+kind, due, overdue
	return to
}

func namedPersonsOf(unit string) db.CaseTask {
	return db.CaseTask{Assignee: casework.Assignee{UnitID: unit, Role: casework.RoleNamedPerson}}
}

func TestProjectCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	tasksOf := func(v db.Viewer) []string {
		page, err := d.MyTasks(ctx, db.TaskQuery{Viewer: v})
		require.NoError(t, err)
		var out []string
		for _, it := range page.Items {
			out = append(out, it.CaseID+":"+it.Kind)
		}
		return out
	}

	t.Run("the row, its tasks and its access are stored together", func(t *testing.T) {
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("p1", 1),
			Tasks:  []db.CaseTask{task(0, "acknowledge", at(4, 22), false, namedPersonsOf(school))},
			Access: []db.CaseAccess{{Relation: casework.AccessNamedPersonUnit, UnitID: school}}}))
		row, err := d.Case(ctx, "p1")
		require.NoError(t, err)
		assert.EqualValues(t, 1, row.StateSeq)
		assert.Equal(t, []string{"p1:acknowledge"}, tasksOf(bertil))
		assert.Equal(t, []string{"p1"}, listed(t, d, bertil, db.ScopeMine))
	})
	t.Run("a newer projection replaces tasks and access whole", func(t *testing.T) {
		next := aCase("p1", 2)
		next.Phase = "kartlägga"
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: next,
			Tasks: []db.CaseTask{task(0, "assess", nil, false, db.CaseTask{Assignee: casework.Assignee{UserID: "bertil.rektor", UnitID: school}})},
			Access: []db.CaseAccess{{Relation: casework.AccessNamedPersonUnit, UnitID: school},
				{Relation: "assessor", UserID: "bertil.rektor"}}}))
		assert.Equal(t, []string{"p1:assess"}, tasksOf(bertil))
		assert.Equal(t, []string{"p1"}, listed(t, d, bertil, db.ScopeMine))
	})
	t.Run("a stale or repeated projection changes nothing", func(t *testing.T) {
		for _, seq := range []int64{1, 2} {
			require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("p1", seq),
				Tasks: []db.CaseTask{task(0, "acknowledge", nil, true, namedPersonsOf(school))}}))
		}
		row, err := d.Case(ctx, "p1")
		require.NoError(t, err)
		assert.Equal(t, "kartlägga", row.Phase)
		assert.Equal(t, []string{"p1:assess"}, tasksOf(bertil))
		assert.Equal(t, []string{"p1"}, listed(t, d, bertil, db.ScopeMine))
	})
	t.Run("a projection without tasks or access empties both", func(t *testing.T) {
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase("p1", 3)}))
		assert.Empty(t, tasksOf(bertil))
		assert.Empty(t, listed(t, d, bertil, db.ScopeMine))
	})
	t.Run("an invalid projection is refused and nothing is written", func(t *testing.T) {
		for _, p := range []db.CaseProjection{
			{Case: aCase("p1", 9), Tasks: []db.CaseTask{task(0, "assess", nil, false, db.CaseTask{})}},
			{Case: aCase("p1", 9), Access: []db.CaseAccess{{Relation: "assessor", UserID: "x", UnitID: school}}},
			{Case: aCase("p1", 9), Access: []db.CaseAccess{{UnitID: school}}},
		} {
			require.Error(t, d.ProjectCase(ctx, p))
		}
		row, err := d.Case(ctx, "p1")
		require.NoError(t, err)
		assert.EqualValues(t, 3, row.StateSeq)
	})
	t.Run("projections racing in any order leave the newest", func(t *testing.T) {
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for _, i := range rand.Perm(n) {
			wg.Go(func() {
				seq := int64(i + 1)
				errs[i] = d.ProjectCase(ctx, db.CaseProjection{Case: aCase("race", seq),
					Tasks: []db.CaseTask{task(0, fmt.Sprintf("kind_%02d", seq), nil, false, namedPersonsOf(school))}})
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		row, err := d.Case(ctx, "race")
		require.NoError(t, err)
		assert.EqualValues(t, n, row.StateSeq)
		assert.Contains(t, tasksOf(bertil), fmt.Sprintf("race:kind_%02d", n))
		assert.Len(t, tasksOf(bertil), 1, "one version's tasks, not a mix")
	})
}

// inbox projects the cases of the inbox tests: tasks of every kind of assignee.
func inbox(t *testing.T, d *db.DB) {
	ctx := context.Background()
	project := func(id string, tasks ...db.CaseTask) {
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: aCase(id, 1), Tasks: tasks,
			Access: []db.CaseAccess{{Relation: casework.AccessNamedPersonUnit, UnitID: school}}}))
	}
	project("t1-new", task(0, "acknowledge", at(10, 22), false, namedPersonsOf(school)))
	project("t2-late", task(0, "acknowledge", at(20, 22), true, namedPersonsOf(school)),
		task(1, "handle_deviation", nil, false, db.CaseTask{Assignee: casework.Assignee{UnitID: school, Role: casework.RoleSupervisor}}))
	project("t3-older-late", task(0, "acknowledge", at(2, 22), true, namedPersonsOf(school)))
	project("t4-assess", task(0, "assess", nil, false, db.CaseTask{Assignee: casework.Assignee{UserID: "bertil.rektor", UnitID: school}}))
	project("t5-harm", task(0, "record_harm_report", nil, false, namedPersonsOf(school)),
		task(0, "record_harm_report", nil, false, db.CaseTask{Assignee: casework.Assignee{UserID: "anna.larare"}}),
		task(0, "record_harm_report", nil, false, db.CaseTask{Assignee: casework.Assignee{UserID: "bertil.rektor"}}))
	project("t6-summon", task(0, "summon", at(12, 22), false, db.CaseTask{Assignee: casework.Assignee{UserID: "bertil.rektor", UnitID: school}}),
		task(0, "summon", at(12, 22), false, db.CaseTask{Assignee: casework.Assignee{UnitID: social}}))
	project("t7-other", task(0, "acknowledge", at(1, 22), true, namedPersonsOf(otherUnit)))
}

func TestMyTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	inbox(t, d)
	kinds := func(items []db.TaskItem) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.CaseID+":"+it.Kind)
		}
		return out
	}

	for _, tc := range []struct {
		name string
		who  db.Viewer
		want []string
	}{
		{"the named person: overdue first, then by due time, undated last, each task once", bertil,
			[]string{"t3-older-late:acknowledge", "t2-late:acknowledge", "t1-new:acknowledge", "t6-summon:summon",
				"t4-assess:assess", "t5-harm:record_harm_report"}},
		{"the reporter who suspected harm: only the harm report", anna, []string{"t5-harm:record_harm_report"}},
		{"the supervisor: the deviation", david, []string{"t2-late:handle_deviation"}},
		{"a caseworker of a participant unit: what the unit's caseworkers may do", cecilia, []string{"t6-summon:summon"}},
		{"the supervisor of a participant unit: nothing addressed to the caseworkers", db.Viewer{User: "x", Role: casework.RoleSupervisor, Unit: social}, []string{}},
		{"the named person acting for another unit: not the tasks tied to the school", db.Viewer{User: "bertil.rektor", Role: casework.RoleNamedPerson, Unit: otherUnit},
			[]string{"t7-other:acknowledge", "t5-harm:record_harm_report"}},
		{"the steering group: nothing", stina, []string{}},
		{"a stranger: nothing", db.Viewer{User: "nobody", Role: casework.RoleReporter, Unit: "lulea-skola-1"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := d.MyTasks(ctx, db.TaskQuery{Viewer: tc.who})
			require.NoError(t, err)
			assert.Equal(t, tc.want, kinds(page.Items))
			assert.Empty(t, page.NextCursor)
		})
	}

	t.Run("the items carry due time and overdue as stored", func(t *testing.T) {
		page, err := d.MyTasks(ctx, db.TaskQuery{Viewer: bertil, Limit: 1})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		it := page.Items[0]
		assert.True(t, it.Overdue)
		require.NotNil(t, it.DueAt)
		assert.True(t, at(2, 22).Equal(*it.DueAt))
		assert.Equal(t, "Titel acknowledge", it.Title)
	})
	t.Run("pages of one give every task once, in the same order", func(t *testing.T) {
		whole, err := d.MyTasks(ctx, db.TaskQuery{Viewer: bertil})
		require.NoError(t, err)
		var paged []db.TaskItem
		cursor := ""
		for range 20 {
			page, err := d.MyTasks(ctx, db.TaskQuery{Viewer: bertil, Limit: 1, Cursor: cursor})
			require.NoError(t, err)
			paged = append(paged, page.Items...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		assert.Equal(t, kinds(whole.Items), kinds(paged))
	})
	t.Run("a cursor the API never gave out is refused", func(t *testing.T) {
		for _, c := range []string{"%%%", "bm90LWpzb24", "eyJ4IjoxfQ"} {
			_, err := d.MyTasks(ctx, db.TaskQuery{Viewer: bertil, Cursor: c})
			assert.ErrorIs(t, err, db.ErrInvalidCursor, c)
		}
	})
}
