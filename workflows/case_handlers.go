package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// registerHandlers registers every query and update before the workflow first blocks (docs/architecture.md §4.2),
// so no command that arrives with the start is lost.
func (c *caseRun) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryCaseState, func() (CaseState, error) {
		return c.state, nil
	}); err != nil {
		return fmt.Errorf("register %s: %w", QueryCaseState, err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRegisterConcern, c.registerConcern,
		workflow.UpdateHandlerOptions{Validator: c.validateRegisterConcern}); err != nil {
		return fmt.Errorf("register %s: %w", UpdateRegisterConcern, err)
	}
	return c.registerProcessCommands(ctx)
}

func (c *caseRun) validateRegisterConcern(ctx workflow.Context, in RegisterConcern) error {
	if c.state.Phase == casework.PhaseClosed && !c.state.reopenable(workflow.Now(ctx)) {
		return conflict("ärendet är avslutat")
	}
	var missing []casework.FieldError
	for _, f := range []struct {
		field string
		empty bool
	}{
		{"concernId", in.ConcernID == ""},
		{"occurredAt", in.OccurredAt.IsZero()},
		{"municipality", in.Municipality == ""},
		{"by.user", in.By.User == ""},
	} {
		if f.empty {
			missing = append(missing, casework.FieldError{Field: f.field, Reason: "saknas"})
		}
	}
	if len(missing) > 0 {
		return invalidFields(missing...)
	}
	return nil
}

// registerConcern starts the case with its first concern, or adds a concern to the open case. It
// blocks on routing, so it holds the lock, and it is idempotent on the concern ID: a retried request
// gets the answer of the first.
func (c *caseRun) registerConcern(ctx workflow.Context, in RegisterConcern) (RegisterConcernResult, error) {
	if err := c.lock.Lock(ctx); err != nil {
		return RegisterConcernResult{}, err
	}
	defer c.lock.Unlock()
	if c.state.concern(in.ConcernID) != nil {
		return c.concernResult(in.ConcernID), nil
	}
	mark, before, policy := c.eventMark(), c.state.Phase, c.state.Policy.PolicyRef
	if c.state.NamedPersonUnit == nil {
		if err := c.route(ctx, in); err != nil {
			return RegisterConcernResult{}, err
		}
		c.tellNewCase(ctx)
	}
	if c.state.Phase == casework.PhaseClosed {
		if !c.state.reopenable(workflow.Now(ctx)) {
			return RegisterConcernResult{}, conflict("ärendet är avslutat")
		}
		// A new concern within the reopening period reopens the case instead of starting another.
		c.reopen(ctx, Recorded{By: in.By, OccurredAt: in.OccurredAt, RecordedAt: workflow.Now(ctx)}, "ny oro", in.ConcernID)
	}
	c.state.Concerns = append(c.state.Concerns, Concern{
		ID:           in.ConcernID,
		Areas:        in.Areas,
		Observation:  in.Observation,
		SuspectsHarm: in.SuspectsHarm,
		Schooling:    in.Child.Schooling,
		OccurredAt:   in.OccurredAt,
		RecordedAt:   workflow.Now(ctx),
		By:           in.By,
	})
	c.state.Areas = casework.MergeAreas(c.state.Areas, in.Areas)
	c.state.SuspectsHarm = c.state.SuspectsHarm || in.SuspectsHarm
	if len(c.state.Concerns) > 1 {
		c.notice(ctx, NoticeConcernJoined, "En ny oro har lagts till i ärendet.")
		c.notifyLater(ctx, activities.NotifyRequest{
			Key:        fmt.Sprintf("%s/concern/%d", c.workflowID, len(c.state.Concerns)),
			Kind:       activities.NotifyConcernJoined,
			Subject:    fmt.Sprintf("Ny oro i ärende %s", c.state.CaseID),
			Text:       fmt.Sprintf("En ny oro har lagts till i ärende %s.", c.state.CaseID),
			Recipients: []casework.Assignee{{UnitID: c.state.NamedPersonUnit.ID, Role: casework.RoleNamedPerson}},
		})
	}
	c.changed()
	res := c.concernResult(in.ConcernID)
	// The event keeps what its sentence tells, not who the child is: the case file has that once.
	told := in
	told.Child = Child{}
	c.recordStep(ctx, mark, UpdateRegisterConcern, Command{By: in.By, OccurredAt: in.OccurredAt}, told, res, before, policy)
	return res, nil
}

// routeLocallyVersion routes a new case's first concern with a local activity: a few reads of the
// directory, made in the workflow task that took the concern, so a new case costs the server one
// workflow task instead of two and an activity dispatch (issue 16, docs/capacity.md). Cases started
// before it routed with an activity; their histories replay so.
const routeLocallyVersion = "route-locally"

// route decides the named person's unit and the policy of a new case, and starts the deadline for
// taking the concern (docs/process.md §6.1).
func (c *caseRun) route(ctx workflow.Context, in RegisterConcern) error {
	var res activities.RouteConcernResult
	req := activities.RouteConcernRequest{
		Municipality: in.Municipality,
		Schooling:    in.Child.Schooling,
		BirthDate:    in.Child.BirthDate,
		OccurredAt:   in.OccurredAt,
	}
	var err error
	if workflow.GetVersion(ctx, routeLocallyVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		err = workflow.ExecuteActivity(withLookupOptions(ctx), activities.NameRouteConcern, req).Get(ctx, &res)
	} else {
		err = workflow.ExecuteLocalActivity(withLocalLookupOptions(ctx), activities.NameRouteConcern, req).Get(ctx, &res)
	}
	if err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.NonRetryable() {
			// The activity's message is the directory's internal reason; the reporter is told in
			// Swedish which of the two it is.
			reason := "katalogen har ingen enhet som kan ta emot det"
			if appErr.Type() == activities.ErrKindInvalid {
				reason = "barnets uppgifter räcker inte för att välja enhet"
			}
			return refuse(ErrTypeRouting, "ärendet kunde inte fördelas: "+reason)
		}
		return unavailable("katalogen", err)
	}
	c.recordEvent(ctx, CaseEvent{Kind: EventConcernRouted, OccurredAt: in.OccurredAt, Routing: &res})
	unit := res.Unit
	c.state.NamedPersonUnit = &unit
	c.state.RoutingReason = res.Reason
	c.state.Policy = res.Policy
	c.state.Child = in.Child
	c.state.OpenedAt = in.OccurredAt
	c.state.Phase = casework.PhaseUpptacka
	c.openDeadline(ctx, casework.DeadlineAcknowledge, in.OccurredAt)
	return nil
}

func (c *caseRun) concernResult(concernID string) RegisterConcernResult {
	res := RegisterConcernResult{
		CaseID:    c.state.CaseID,
		Joined:    len(c.state.Concerns) > 0 && c.state.Concerns[0].ID != concernID,
		Phase:     c.state.Phase,
		Deadlines: append([]Deadline{}, c.state.Deadlines...),
	}
	if u := c.state.NamedPersonUnit; u != nil {
		res.NamedPersonUnit = *u
	}
	return res
}
