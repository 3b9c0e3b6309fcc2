package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
)

const (
	// MailOutboxSweepName is the workflow a Temporal Schedule (MailOutboxSweepScheduleID) starts every
	// few minutes: it sends the mails that wait in the outbox because the mail server was away for
	// longer than the Notify activity's retry budget (issue 15).
	MailOutboxSweepName = "MailOutboxSweep"
	// MailOutboxSweepScheduleID names the schedule; dev and worker create it if it is missing.
	MailOutboxSweepScheduleID = "samverkan-mail-outbox-sweep"
	// MailOutboxSweepEvery is how often the schedule runs the sweep.
	MailOutboxSweepEvery = 5 * time.Minute
)

// MailOutboxSweep runs one sweep of the mail outbox. It holds no state and decides nothing: every
// run is one activity, so it needs no versioning beyond its activity's name.
func MailOutboxSweep(ctx workflow.Context) (activities.SweepResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// A batch of mails, each bounded by the send timeout; the heartbeat finds a dead worker soon.
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    10 * time.Second,
			BackoffCoefficient: 2,
			// The schedule's next run comes anyway; a sweep need not outlive it by much.
			MaximumAttempts: 3,
		},
	})
	var res activities.SweepResult
	err := workflow.ExecuteActivity(ctx, activities.NameSweepMailOutbox).Get(ctx, &res)
	return res, err
}
