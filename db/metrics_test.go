package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestOperationalCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	t.Run("an empty read model counts nothing but lists the municipalities", func(t *testing.T) {
		got, err := d.OperationalCounts(ctx)
		require.NoError(t, err)
		assert.Contains(t, got.Municipalities, "norrkoping")
		assert.Contains(t, got.Municipalities, "lulea")
		assert.Empty(t, got.Cases)
		assert.Empty(t, got.Tasks)
		assert.Empty(t, got.Notifications)
		assert.Empty(t, got.Mails)
	})

	due := time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC)
	project := func(id, phase string, overdue bool, tasks ...db.CaseTask) {
		row := aCase(id, 1)
		row.Phase, row.Overdue = phase, overdue
		row.NextDeadlineKind, row.NextDeadlineAt = casework.DeadlineAcknowledge, &due
		require.NoError(t, d.ProjectCase(ctx, db.CaseProjection{Case: row, Tasks: tasks,
			Access: []db.CaseAccess{npUnit(school)}}))
	}
	project("c-1", "upptäcka", false, task(0, "acknowledge", &due, false, namedPersonsOf(school)))
	project("c-2", "upptäcka", true,
		task(0, "acknowledge", &due, true, namedPersonsOf(school)),
		// One task, two assignees: counted once.
		task(1, "handle_deviation", nil, false, db.CaseTask{Assignee: casework.Assignee{UnitID: school, Role: casework.RoleSupervisor}}),
		task(1, "handle_deviation", nil, false, db.CaseTask{Assignee: casework.Assignee{UserID: "david.chef"}}))
	project("c-3", "kartlägga", false)

	for _, user := range []string{"bertil.rektor", "david.chef"} { // one reminder, two recipients
		n := notification("reminder-1", user, due.Add(-48*time.Hour))
		_, _, err := d.RecordNotification(ctx, n)
		require.NoError(t, err)
		_, err = d.EnqueueMail(ctx, db.OutboxMail{Key: n.Key, UserID: user, To: user + "@example.org", Subject: n.Subject, Body: n.Text})
		require.NoError(t, err)
	}
	missed := notification("missed-1", "david.chef", due)
	missed.Kind = "deadline_missed"
	_, _, err := d.RecordNotification(ctx, missed)
	require.NoError(t, err)
	_, err = d.EnqueueMail(ctx, db.OutboxMail{Key: missed.Key, UserID: "david.chef", Subject: missed.Subject, Body: missed.Text})
	require.NoError(t, err)

	got, err := d.OperationalCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, []db.PhaseCount{
		{Phase: "kartlägga", MunicipalityID: "norrkoping", Cases: 1},
		{Phase: "upptäcka", MunicipalityID: "norrkoping", Cases: 2, Overdue: 1},
	}, got.Cases)
	assert.Equal(t, []db.DeadlineCount{{MunicipalityID: "norrkoping", Kind: casework.DeadlineAcknowledge, Cases: 3}}, got.NextDeadlines)
	assert.Equal(t, []db.TaskCount{
		{MunicipalityID: "norrkoping", Kind: "acknowledge", Open: 2, Overdue: 1},
		{MunicipalityID: "norrkoping", Kind: "handle_deviation", Open: 1},
	}, got.Tasks)
	assert.Equal(t, []db.NotificationCount{
		{Kind: "deadline_missed", DeadlineKind: casework.DeadlineAcknowledge, Notified: 1},
		{Kind: "reminder", DeadlineKind: casework.DeadlineAcknowledge, Notified: 1},
	}, got.Notifications)
	assert.Equal(t, []db.MailCount{{Status: db.MailNoAddress, Mails: 1}, {Status: db.MailPending, Mails: 2}}, got.Mails)
}
