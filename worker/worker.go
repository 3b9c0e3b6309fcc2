// Package worker registers the case workflow and its activities with a Temporal worker under
// explicit names, which are recorded in histories and never change.
package worker

import (
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/workflows"
)

// New builds a worker on taskQueue with everything registered; the caller starts and stops it. Stop
// lets activities in flight finish for up to stopTimeout before it cancels them: a mail half-sent
// when Ctrl-C comes is better finished than retried.
func New(c client.Client, taskQueue string, acts *activities.Activities, stopTimeout time.Duration, tuning config.WorkerTuning) sdkworker.Worker {
	SizeStickyCache(tuning)
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		WorkerStopTimeout:                      stopTimeout,
		MaxConcurrentWorkflowTaskPollers:       tuning.Pollers,
		MaxConcurrentActivityTaskPollers:       tuning.Pollers,
		MaxConcurrentWorkflowTaskExecutionSize: tuning.WorkflowSlots,
		MaxConcurrentActivityExecutionSize:     tuning.ActivitySlots,
		StickyScheduleToStartTimeout:           tuning.StickyTimeout,
	})
	Register(w, acts)
	return w
}

var stickyCache sync.Once

// SizeStickyCache sets the size of the SDK's sticky cache, one per process, which the SDK takes
// when the process's first worker starts – anyone's: in `samverkan dev` the embedded Temporal
// server's own system workers start first, so dev calls this before it starts the server (issue 16:
// without it the bound never applied there, and 10,000 sleeping cases held 1.4 GB). The first call
// wins; every worker of the process shares the cache.
func SizeStickyCache(tuning config.WorkerTuning) {
	stickyCache.Do(func() { sdkworker.SetStickyWorkflowCacheSize(tuning.StickyCache) })
}

// Register registers the workflows and activities on any registry – a worker, or a replayer in tests.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.Case, workflow.RegisterOptions{Name: workflows.CaseWorkflowName})
	r.RegisterActivityWithOptions(acts.RouteConcern, activity.RegisterOptions{Name: activities.NameRouteConcern})
	r.RegisterActivityWithOptions(acts.ProjectCase, activity.RegisterOptions{Name: activities.NameProjectCase})
	r.RegisterActivityWithOptions(acts.Notify, activity.RegisterOptions{Name: activities.NameNotify})
	r.RegisterActivityWithOptions(acts.MunicipalityPolicy, activity.RegisterOptions{Name: activities.NameMunicipalityPolicy})
	r.RegisterWorkflowWithOptions(workflows.RetentionSweep, workflow.RegisterOptions{Name: workflows.RetentionSweepWorkflowName})
	r.RegisterActivityWithOptions(acts.ArchiveCase, activity.RegisterOptions{Name: activities.NameArchiveCase})
	r.RegisterActivityWithOptions(acts.EraseDueCases, activity.RegisterOptions{Name: activities.NameEraseDueCases})
	r.RegisterWorkflowWithOptions(workflows.MailOutboxSweep, workflow.RegisterOptions{Name: workflows.MailOutboxSweepName})
	r.RegisterActivityWithOptions(acts.SweepMailOutbox, activity.RegisterOptions{Name: activities.NameSweepMailOutbox})
}
