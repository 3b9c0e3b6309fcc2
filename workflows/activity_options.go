package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// withActivityOptions gives every activity call a timeout and a bounded retry (STYLE.md §4.6).
// Within bounds a database or mail server that is briefly away is waited for; past them the
// failure surfaces instead of hanging the case.
func withActivityOptions(ctx workflow.Context, budget time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: budget,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}

const (
	// interactiveBudget bounds activities a caller waits for (an update's answer).
	interactiveBudget = 30 * time.Second
	// backgroundBudget bounds activities nobody waits for (the read model).
	backgroundBudget = time.Hour
)
