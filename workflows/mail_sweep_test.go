package workflows

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
)

// TestMailOutboxSweepRetriesItsActivity: a sweep whose mail server is still away fails its attempt;
// the workflow retries within its bound and answers what the successful attempt sent.
func TestMailOutboxSweepRetriesItsActivity(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(MailOutboxSweep, workflow.RegisterOptions{Name: MailOutboxSweepName})
	attempts := 0
	env.RegisterActivityWithOptions(func(context.Context) (activities.SweepResult, error) {
		attempts++
		if attempts == 1 {
			return activities.SweepResult{Waiting: 2, Failed: 2}, errors.New("connection refused")
		}
		return activities.SweepResult{Waiting: 2, Mailed: 2}, nil
	}, activity.RegisterOptions{Name: activities.NameSweepMailOutbox})
	env.ExecuteWorkflow(MailOutboxSweepName)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res activities.SweepResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 2, res.Mailed)
	require.Equal(t, 2, attempts)
}
