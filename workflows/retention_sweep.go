package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
)

// The retention sweep (issue 13, docs/process.md §7.2): a Temporal Schedule starts RetentionSweep daily;
// it erases every archived case past its erase-after time and under no legal hold, batch by batch.

const (
	// RetentionSweepWorkflowName is the sweep's registered name; recorded in histories, never renamed.
	RetentionSweepWorkflowName = "RetentionSweep"
	// RetentionScheduleID is the Schedule that starts the sweep, created once per namespace.
	RetentionScheduleID = "retention-sweep"
	// RetentionSweepEvery is how often the Schedule starts a sweep.
	RetentionSweepEvery = 24 * time.Hour
	// sweepBatch is how many cases one activity erases; each batch's counts go into the result.
	sweepBatch = 100
	// sweepBatchesPerRun keeps a sweep's history short; the rest goes to the next run.
	sweepBatchesPerRun = 200
)

// SweepResult is what one run of the sweep did, batch by batch.
type SweepResult struct {
	Batches []activities.EraseBatchResult `json:"batches"`
	Erased  int                           `json:"erased"`
}

// RetentionSweep erases due cases in batches until a batch is not full. A run killed half-way is
// taken up by the activity's retries or the next day's run: each case is erased in one transaction,
// and one erased already is not selected again.
func RetentionSweep(ctx workflow.Context) (SweepResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 10},
	})
	var res SweepResult
	for range sweepBatchesPerRun {
		var b activities.EraseBatchResult
		if err := workflow.ExecuteActivity(ctx, activities.NameEraseDueCases, activities.EraseBatch{Limit: sweepBatch}).Get(ctx, &b); err != nil {
			return res, err
		}
		res.Batches = append(res.Batches, b)
		res.Erased += b.Erased
		if !b.More {
			return res, nil
		}
	}
	workflow.GetLogger(ctx).Info("retention sweep continues tomorrow", "erased", res.Erased)
	return res, nil
}
