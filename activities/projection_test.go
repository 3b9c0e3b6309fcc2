package activities

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestProjectCase writes projections through the activity to a real database (SQLite, or
// PostgreSQL with SAMVERKAN_TEST_DATABASE_URL) and reads them back as the API does.
func TestProjectCase(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	a := &Activities{DB: d, Logger: dbtest.Logger(t)}
	opened := time.Date(2026, 11, 26, 9, 0, 0, 0, casework.Stockholm)
	due := time.Date(2026, 11, 30, 23, 59, 59, 999999999, casework.Stockholm)
	bertil := db.Viewer{User: "bertil.rektor", Role: casework.RoleNamedPerson, Unit: "norrkoping-skola-1"}
	anna := db.Viewer{User: "anna.larare", Role: casework.RoleReporter, Unit: "norrkoping-skola-1"}
	projection := func(seq int64, tasks []ProjectedTask, access []ProjectedAccess) CaseProjection {
		return CaseProjection{CaseID: "case-1", WorkflowID: "case-x", Municipality: "norrkoping", Phase: casework.PhaseUpptacka,
			NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1}, OpenedAt: opened,
			NextDeadlineKind: casework.DeadlineAcknowledge, NextDeadlineAt: &due, StateSeq: seq, Tasks: tasks, Access: access}
	}
	inbox := func(v db.Viewer) []db.TaskItem {
		page, err := d.MyTasks(ctx, db.TaskQuery{Viewer: v})
		require.NoError(t, err)
		return page.Items
	}

	t.Run("a task with two assignees reaches each of them once", func(t *testing.T) {
		require.NoError(t, a.ProjectCase(ctx, projection(1,
			[]ProjectedTask{
				{Kind: "acknowledge", Title: "Ta emot ärendet", DueAt: &due,
					Assignees: []casework.Assignee{{UnitID: "norrkoping-skola-1", Role: casework.RoleNamedPerson}}},
				{Kind: "record_harm_report", Title: "Registrera om orosanmälan till socialtjänsten är gjord",
					Assignees: []casework.Assignee{{UnitID: "norrkoping-skola-1", Role: casework.RoleNamedPerson}, {UserID: "anna.larare"}}},
			},
			[]ProjectedAccess{{Relation: casework.AccessNamedPersonUnit, UnitID: "norrkoping-skola-1"}})))
		got := inbox(bertil)
		require.Len(t, got, 2)
		require.Equal(t, "acknowledge", got[0].Kind)
		require.NotNil(t, got[0].DueAt)
		require.True(t, due.Truncate(time.Microsecond).Equal(*got[0].DueAt), "stored to the microsecond, in UTC")
		require.Equal(t, []string{"record_harm_report"}, kindsOf(inbox(anna)))
	})
	t.Run("the access it carries decides who lists the case", func(t *testing.T) {
		page, err := d.ListCases(ctx, db.CaseListQuery{Viewer: bertil, Scope: db.ScopeMine})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.Equal(t, []string{"named_person"}, page.Items[0].Relations)
		page, err = d.ListCases(ctx, db.CaseListQuery{Viewer: anna, Scope: db.ScopeMine})
		require.NoError(t, err)
		require.Empty(t, page.Items, "a reporter lists nothing")
	})
	t.Run("a retried older projection leaves the newer tasks", func(t *testing.T) {
		require.NoError(t, a.ProjectCase(ctx, projection(2,
			[]ProjectedTask{{Kind: "assess", Title: "Kartlägg barnets situation",
				Assignees: []casework.Assignee{{UserID: "bertil.rektor", UnitID: "norrkoping-skola-1"}}}}, nil)))
		require.NoError(t, a.ProjectCase(ctx, projection(1, nil, nil)))
		require.Equal(t, []string{"assess"}, kindsOf(inbox(bertil)))
		require.Empty(t, inbox(anna))
	})
	t.Run("a task nobody can take is an error, not a silent loss", func(t *testing.T) {
		err := a.ProjectCase(ctx, projection(3, []ProjectedTask{{Kind: "assess", Title: "x", Assignees: []casework.Assignee{{}}}}, nil))
		require.Error(t, err)
	})
}

func kindsOf(items []db.TaskItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Kind)
	}
	return out
}
