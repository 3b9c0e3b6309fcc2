package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

const (
	// firstConcernWait bounds how long a started case waits for its first concern to be routed. A
	// start whose concern could not be routed leaves nothing worth keeping.
	firstConcernWait = time.Hour
	// continueAsNewAfterEvents keeps each run's history far below Temporal's limits (50,000 events,
	// 50 MB) while a case lives for years.
	continueAsNewAfterEvents = 8000
	// projectCarriedVersion guards the projection at the start of a continued run. Runs continued
	// before it projected nothing until their first change; the DefaultVersion branch may go once no
	// case started before this release is still open.
	projectCarriedVersion = "project-carried-state"
)

// Case is the workflow of one child's case, from the first concern until it is closed (docs/process.md §6).
// It is the only writer of the case's state; the API reaches it through updates and queries.
func Case(ctx workflow.Context, start CaseStart) error {
	c := newCaseRun(ctx, start)
	if err := c.registerHandlers(ctx); err != nil {
		return err
	}
	if start.Carried != nil && workflow.GetVersion(ctx, projectCarriedVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		// A change applied while the previous run was projecting, just before it continued as new,
		// never reached the read model or the search attributes; without this it would wait for the
		// case's next change, which may be weeks away.
		c.dirty = true
	}
	c.startRecordingEvents(ctx, start)
	if workflow.GetVersion(ctx, remindersVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		c.state.RemindersOn = true
	}
	c.restartOpenDeadlines(ctx)
	c.resumeMissedMails(ctx)
	c.restartEscalations(ctx)
	if c.state.NamedPersonUnit == nil {
		routed, err := c.awaitFirstConcern(ctx)
		if err != nil {
			return err
		}
		if !routed {
			workflow.GetLogger(ctx).Warn("no concern was routed; the case ends without content")
			return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		}
	}
	c.restartReopenWindow(ctx)
	for {
		if err := workflow.Await(ctx, func() bool {
			return c.dirty || c.finished() || c.historyIsLong(ctx)
		}); err != nil {
			return err
		}
		if c.dirty {
			c.dirty = false
			c.upsertSearchAttributes(ctx)
			c.project(ctx)
		}
		if c.finished() {
			// Notifications in flight are the last word of a closed case; let them reach their people.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && c.inflight == 0 }); err != nil {
				return err
			}
			return c.archive(ctx) // case_archive.go
		}
		if c.historyIsLong(ctx) {
			// Handlers and notifications still running would be lost with this run; let them finish.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && c.inflight == 0 }); err != nil {
				return err
			}
			state := c.state
			return workflow.NewContinueAsNewError(ctx, CaseWorkflowName, CaseStart{
				CaseID: state.CaseID, Municipality: state.Municipality, Carried: &state,
			})
		}
	}
}

// firstConcernTimerVersion cancels the timer of the wait for the first concern once it has come;
// before it, every case woke once more an hour after it started.
const firstConcernTimerVersion = "cancel-first-concern-wait"

// awaitFirstConcern waits for the first concern to be routed, at most firstConcernWait.
func (c *caseRun) awaitFirstConcern(ctx workflow.Context) (bool, error) {
	if workflow.GetVersion(ctx, firstConcernTimerVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return workflow.AwaitWithTimeout(ctx, firstConcernWait, func() bool { return c.state.NamedPersonUnit != nil })
	}
	waitCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	return workflow.AwaitWithTimeout(waitCtx, firstConcernWait, func() bool { return c.state.NamedPersonUnit != nil })
}

// finished: the case is closed and its reopening period, if it has one, is over.
func (c *caseRun) finished() bool {
	return c.state.Phase == casework.PhaseClosed && (c.state.ReopenUntil == nil || c.reopenWindowOver)
}

// caseRun is the case during one run of the workflow. Only state is carried across continue-as-new;
// the rest is rebuilt from it.
type caseRun struct {
	state      CaseState
	workflowID string
	dirty      bool
	lock       workflow.Mutex
	// timers cancel the timer of an open deadline by its index in state.Deadlines.
	timers map[int]workflow.CancelFunc
	// escalations cancel the auto-escalation timer of an open disagreement by its ID.
	escalations map[string]workflow.CancelFunc
	// inflight counts notifications being sent; a run neither ends nor continues as new before they
	// are done.
	inflight int
	// reopenWindowOver is set when the reopening period of the closed case has passed;
	// cancelReopenWindow stops its timer when the case is reopened.
	reopenWindowOver   bool
	cancelReopenWindow workflow.CancelFunc
	// projectingEvents is the number of the last case event a projection in flight carries; 0: none.
	projectingEvents int64
}

func newCaseRun(ctx workflow.Context, start CaseStart) *caseRun {
	c := &caseRun{
		workflowID:  workflow.GetInfo(ctx).WorkflowExecution.ID,
		lock:        workflow.NewMutex(ctx),
		timers:      map[int]workflow.CancelFunc{},
		escalations: map[string]workflow.CancelFunc{},
	}
	if start.Carried != nil {
		c.state = *start.Carried
		c.state.numberDeviations()
		return c
	}
	c.state = CaseState{CaseID: start.CaseID, Municipality: start.Municipality, Phase: casework.PhaseUpptacka}
	return c
}

// changed marks the state as changed: the main loop projects it to the read model.
func (c *caseRun) changed() {
	c.state.Seq++
	c.dirty = true
}

func (c *caseRun) historyIsLong(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > continueAsNewAfterEvents
}

// projectLocallyVersion writes the read model with a local activity, in the workflow task that made
// the change, instead of an activity the server schedules, dispatches and reports back in a second
// workflow task (issue 16, docs/capacity.md): a change costs the server one workflow task and one
// marker event instead of two tasks and five events, and its input – the case's state – is not
// written into the history. A run that began projecting with activities keeps them until it
// continues as new.
const projectLocallyVersion = "project-locally"

// project writes the read model, the case's snapshot with it (projection.go). A failure is logged,
// not fatal: the next change projects again, and the workflow state stays the truth.
func (c *caseRun) project(ctx workflow.Context) {
	in := projection(&c.state, c.workflowID)
	p := in.CaseProjection
	if n := len(p.Events); n > 0 {
		c.projectingEvents = p.Events[n-1].Seq
	}
	var err error
	if workflow.GetVersion(ctx, projectLocallyVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		err = workflow.ExecuteActivity(withActivityOptions(ctx, backgroundBudget), activities.NameProjectCase, in).Get(ctx, nil)
	} else {
		// A local activity gets its arguments as Go values, not decoded from JSON: it must be given
		// the activity's own type, the snapshot already as JSON.
		var local activities.CaseProjection
		if local, err = in.withStateAsJSON(); err == nil {
			err = workflow.ExecuteLocalActivity(withProjectionOptions(ctx), activities.NameProjectCase, local).Get(ctx, nil)
		}
		if err != nil {
			// A local activity holds the workflow task, and with it the answer to the command that
			// made the change, for as long as it retries: a database that is away gets a few seconds
			// of it, then the projection waits for it as a scheduled activity, as before.
			workflow.GetLogger(ctx).Warn("read model projection handed to an activity", "caseId", c.state.CaseID, "error", err)
			err = workflow.ExecuteActivity(withActivityOptions(ctx, backgroundBudget), activities.NameProjectCase, in).Get(ctx, nil)
		}
	}
	c.projectingEvents = 0
	if err != nil {
		// The events stay pending: the next projection carries them again.
		workflow.GetLogger(ctx).Error("read model projection failed", "caseId", c.state.CaseID, "error", err)
		return
	}
	if n := len(p.Events); n > 0 {
		c.eventsProjected(p.Events[n-1].Seq)
	}
}
