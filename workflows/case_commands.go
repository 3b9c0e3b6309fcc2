package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// clockSkew tolerates a client clock slightly ahead when it says "now".
const clockSkew = 5 * time.Minute

func invalid(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalid)
}

func conflict(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeConflict)
}

func forbidden(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeForbidden)
}

// registerCommand registers one process command: validator apart from the handler (STYLE.md §4.3),
// the handler under the case's lock and re-validated there, since an earlier command queued on the
// lock may have changed the state since the validator ran.
func registerCommand[T any](ctx workflow.Context, c *caseRun, name string, cmd func(T) Command,
	validate func(workflow.Context, T) error, apply func(workflow.Context, T)) error {
	check := func(ctx workflow.Context, in T) error {
		if c.seenCommand(ctx) {
			return nil // a retry of a command already applied: answered, not applied again
		}
		if err := c.validateCommand(ctx, cmd(in)); err != nil {
			return err
		}
		return validate(ctx, in)
	}
	handler := func(ctx workflow.Context, in T) (CommandResult, error) {
		if err := c.lock.Lock(ctx); err != nil {
			return CommandResult{}, err
		}
		defer c.lock.Unlock()
		if c.seenCommand(ctx) {
			return c.commandResult(), nil
		}
		if err := check(ctx, in); err != nil {
			return CommandResult{}, err
		}
		apply(ctx, in)
		c.rememberCommand(ctx)
		c.changed()
		return c.commandResult(), nil
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, name, handler, workflow.UpdateHandlerOptions{Validator: check}); err != nil {
		return fmt.Errorf("register %s: %w", name, err)
	}
	return nil
}

// validateCommand checks what every command needs: an actor, a business time that is not in the
// future, and a case that has been opened and not closed.
func (c *caseRun) validateCommand(ctx workflow.Context, cmd Command) error {
	switch {
	case cmd.By.User == "":
		return invalid("by.user saknas")
	case cmd.OccurredAt.IsZero():
		return invalid("occurredAt saknas")
	case cmd.OccurredAt.After(workflow.Now(ctx).Add(clockSkew)):
		return invalid("occurredAt ligger i framtiden")
	case c.state.NamedPersonUnit == nil:
		return conflict("ärendet har ingen registrerad oro ännu")
	case c.state.Phase == casework.PhaseClosed:
		return conflict("ärendet är avslutat")
	case cmd.OccurredAt.Before(c.state.OpenedAt):
		return invalid("occurredAt ligger före den första oron i ärendet")
	}
	return nil
}

// recentCommandsKept bounds the carried memory of update IDs; a client retries within minutes, not
// after a thousand other commands.
const recentCommandsKept = 1000

func (c *caseRun) seenCommand(ctx workflow.Context) bool {
	info := workflow.GetCurrentUpdateInfo(ctx)
	return info != nil && contains(c.state.RecentCommandIDs, info.ID)
}

func (c *caseRun) rememberCommand(ctx workflow.Context) {
	info := workflow.GetCurrentUpdateInfo(ctx)
	if info == nil || info.ID == "" {
		return
	}
	ids := append(c.state.RecentCommandIDs, info.ID)
	if len(ids) > recentCommandsKept {
		ids = ids[len(ids)-recentCommandsKept:]
	}
	c.state.RecentCommandIDs = ids
}

func (c *caseRun) commandResult() CommandResult {
	return CommandResult{CaseID: c.state.CaseID, Phase: c.state.Phase, Deadlines: append([]Deadline{}, c.state.Deadlines...)}
}

func (c *caseRun) recorded(ctx workflow.Context, cmd Command) Recorded {
	return Recorded{By: cmd.By, OccurredAt: cmd.OccurredAt, RecordedAt: workflow.Now(ctx)}
}

// isNamedPerson: the named person of the case's unit.
func (c *caseRun) isNamedPerson(a Actor) bool {
	return c.state.NamedPersonUnit != nil && a.Unit == c.state.NamedPersonUnit.ID && a.Role == casework.RoleNamedPerson
}

// isAssessor: the named person, or the colleague the assessment was delegated to.
func (c *caseRun) isAssessor(a Actor) bool {
	return c.isNamedPerson(a) || (c.state.Assessor != "" && a.User == c.state.Assessor && c.state.NamedPersonUnit != nil && a.Unit == c.state.NamedPersonUnit.ID)
}

func (c *caseRun) registerProcessCommands(ctx workflow.Context) error {
	for _, err := range []error{
		registerCommand(ctx, c, UpdateAcknowledgeConcern, func(in AcknowledgeConcern) Command { return in.Command }, c.validateAcknowledge, c.applyAcknowledge),
		registerCommand(ctx, c, UpdateDelegateAssessment, func(in DelegateAssessment) Command { return in.Command }, c.validateDelegate, c.applyDelegate),
		registerCommand(ctx, c, UpdateRecordHarmReport, func(in RecordHarmReport) Command { return in.Command }, c.validateHarmReport, c.applyHarmReport),
		registerCommand(ctx, c, UpdateRecordAssessment, func(in RecordAssessment) Command { return in.Command }, c.validateAssessment, c.applyAssessment),
		registerCommand(ctx, c, UpdateCompleteAssessment, func(in CompleteAssessment) Command { return in.Command }, c.validateComplete, c.applyComplete),
		registerCommand(ctx, c, UpdateRecordConsent, func(in RecordConsent) Command { return in.Command }, c.validateConsent, c.applyConsent),
		registerCommand(ctx, c, UpdateRevokeConsent, func(in RevokeConsent) Command { return in.Command }, c.validateRevoke, c.applyRevoke),
		registerCommand(ctx, c, UpdateSendSummons, func(in SendSummons) Command { return in.Command }, c.validateSummons, c.applySummons),
		registerCommand(ctx, c, UpdateHoldMeeting, func(in HoldMeeting) Command { return in.Command }, c.validateMeeting, c.applyMeeting),
		registerCommand(ctx, c, UpdateAppointCoordinator, func(in AppointCoordinator) Command { return in.Command }, c.validateCoordinator, c.applyCoordinator),
		registerCommand(ctx, c, UpdateCloseCase, func(in CloseCase) Command { return in.Command }, c.validateClose, c.applyClose),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
