package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// withActivityOptions gives every activity call a timeout and a bounded retry (docs/architecture.md §4.6).
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

// withLookupOptions is for the look-ups an update makes before it changes the case (routing a
// concern, a municipality's policy at a handover). A failed update stays the answer to its update
// ID – the client's Idempotency-Key – for as long as the run lives, so a failure a retry would have
// cured must not end the update: a short StartToClose lets the server retry soon after an attempt
// whose worker died (issue 15: a 30 s attempt spent the whole 30 s budget), and the long budget
// waits out a database outage while the client, answered 503 after a bounded wait, retries with the
// same key and gets the update's outcome once it has one.
func withLookupOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    lookupAttemptTimeout,
		ScheduleToCloseTimeout: lookupBudget,
		RetryPolicy:            lookupRetry(),
	})
}

// withLocalLookupOptions are withLookupOptions for a look-up made as a local activity
// (routeLocallyVersion): the same attempt timeout, budget and back-off. An attempt lost with its
// worker is retried when the workflow task times out and another worker takes it.
func withLocalLookupOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    lookupAttemptTimeout,
		ScheduleToCloseTimeout: lookupBudget,
		RetryPolicy:            lookupRetry(),
	})
}

// lookupRetry is the back-off of a look-up, scheduled or local alike.
func lookupRetry() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second}
}

const (
	// lookupAttemptTimeout bounds one attempt of a look-up: a few reads of the directory.
	lookupAttemptTimeout = 10 * time.Second
	// lookupBudget stays below firstConcernWait: a case whose first concern is still being routed
	// when that wait ends would otherwise end with the routed concern in it.
	lookupBudget = 45 * time.Minute
	// backgroundBudget bounds activities nobody waits for (the read model).
	backgroundBudget = time.Hour
)

// withProjectionOptions is for the read model's local activity (projectLocallyVersion). An attempt
// is a transaction of a few rows. Its few seconds of retries are all a local activity gets: it holds
// the workflow task, and the answer to the command that made the change, while it runs; after them
// the projection is scheduled as an activity with the usual budget (caseRun.project).
func withProjectionOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    2 * time.Second,
		ScheduleToCloseTimeout: 3 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    200 * time.Millisecond,
			BackoffCoefficient: 2,
			MaximumAttempts:    3,
		},
	})
}
