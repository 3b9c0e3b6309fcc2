package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// clockSkew tolerates a client clock slightly ahead when it says "now".
const clockSkew = 5 * time.Minute

// registerCommand registers one process command: validator apart from the handler (docs/architecture.md §4.3),
// the handler under the case's lock and re-validated there, since an earlier command queued on the
// lock may have changed the state since the validator ran.
func registerCommand[T any](ctx workflow.Context, c *caseRun, name string, cmd func(T) Command,
	validate func(T, time.Time) error, apply func(workflow.Context, T)) error {
	return registerFallibleCommand(ctx, c, name, cmd, validate, func(ctx workflow.Context, in T) error {
		apply(ctx, in)
		return nil
	})
}

// registerFallibleCommand is registerCommand for a command whose apply needs the world (an activity)
// and may fail; it must fail before it changes the state.
func registerFallibleCommand[T any](ctx workflow.Context, c *caseRun, name string, cmd func(T) Command,
	validate func(T, time.Time) error, apply func(workflow.Context, T) error) error {
	if !slices.ContainsFunc(preconditions, func(p precondition) bool { return p.update == name }) {
		// Offers would never offer it: every command's precondition has its row (actions.go).
		return fmt.Errorf("register %s: no row in preconditions", name)
	}
	check := func(ctx workflow.Context, in T) error {
		if c.seenCommand(ctx) {
			return nil // a retry of a command already applied: answered, not applied again
		}
		now := workflow.Now(ctx)
		if err := c.validateCommand(name, cmd(in), now); err != nil {
			return err
		}
		return validate(in, now)
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
		mark, before, policy := c.eventMark(), c.state.Phase, c.state.Policy.PolicyRef
		if err := apply(ctx, in); err != nil {
			return CommandResult{}, err
		}
		c.rememberCommand(ctx)
		c.changed()
		res := c.commandResult()
		c.recordStep(ctx, mark, name, cmd(in), in, res, before, policy)
		return res, nil
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, name, handler, workflow.UpdateHandlerOptions{Validator: check}); err != nil {
		return fmt.Errorf("register %s: %w", name, err)
	}
	return nil
}

// validateCommand checks what every command needs: an actor, a business time that is not in the
// future, and a case that takes the command (mayTake).
func (c *caseRun) validateCommand(update string, cmd Command, now time.Time) error {
	switch {
	case cmd.By.User == "":
		return invalid("by.user", "saknas")
	case cmd.OccurredAt.IsZero():
		return invalid("occurredAt", "saknas")
	case cmd.OccurredAt.After(now.Add(clockSkew)):
		return invalid("occurredAt", "ligger i framtiden")
	}
	if err := c.state.mayTake(update); err != nil {
		return err
	}
	if cmd.OccurredAt.Before(c.state.OpenedAt) {
		return invalid("occurredAt", "ligger före den första oron i ärendet")
	}
	return nil
}

// mayTake: the case takes a command once it has been opened, and, closed, only a reopening.
func (s *CaseState) mayTake(update string) error {
	switch {
	case s.NamedPersonUnit == nil:
		return conflict("ärendet har ingen registrerad oro ännu")
	case s.Phase == casework.PhaseClosed && update != UpdateReopenCase:
		return conflict("ärendet är avslutat")
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
func (s *CaseState) isNamedPerson(a Actor) bool {
	return s.NamedPersonUnit != nil && a.Unit == s.NamedPersonUnit.ID && a.Role == casework.RoleNamedPerson
}

// isNamedPersonUnit: the unit that holds the case – and convenes its meeting, which it attends
// uninvited and where it decides like every agency (validateMeeting).
func (s *CaseState) isNamedPersonUnit(unitID string) bool {
	return s.NamedPersonUnit != nil && s.NamedPersonUnit.ID == unitID
}

// isAssessor: the named person, or the colleague the assessment was delegated to.
func (s *CaseState) isAssessor(a Actor) bool {
	return s.isNamedPerson(a) || (s.Assessor != "" && a.User == s.Assessor && s.NamedPersonUnit != nil && a.Unit == s.NamedPersonUnit.ID)
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
		registerCommand(ctx, c, UpdateAnswerInvitation, func(in AnswerInvitation) Command { return in.Command }, c.validateAnswerInvitation, c.applyAnswerInvitation),
		registerCommand(ctx, c, UpdateHoldMeeting, func(in HoldMeeting) Command { return in.Command }, c.validateMeeting, c.applyMeeting),
		registerCommand(ctx, c, UpdateAppointCoordinator, func(in AppointCoordinator) Command { return in.Command }, c.validateCoordinator, c.applyCoordinator),
		registerCommand(ctx, c, UpdateCloseCase, func(in CloseCase) Command { return in.Command }, c.validateClose, c.applyClose),
		registerCommand(ctx, c, UpdateProposePlan, func(in ProposePlan) Command { return in.Command }, c.validateProposePlan, c.applyProposePlan),
		registerCommand(ctx, c, UpdateApprovePlan, func(in ApprovePlan) Command { return in.Command }, c.validateApprovePlan, c.applyApprovePlan),
		registerCommand(ctx, c, UpdateRecordFollowUp, func(in RecordFollowUp) Command { return in.Command }, c.validateFollowUp, c.applyFollowUp),
		registerCommand(ctx, c, UpdateReportDeviation, func(in ReportDeviation) Command { return in.Command }, c.validateReportDeviation, c.applyReportDeviation),
		registerCommand(ctx, c, UpdateHandleDeviation, func(in HandleDeviation) Command { return in.Command }, c.validateHandleDeviation, c.applyHandleDeviation),
		registerCommand(ctx, c, UpdateRaiseDisagreement, func(in RaiseDisagreement) Command { return in.Command }, c.validateRaiseDisagreement, c.applyRaiseDisagreement),
		registerCommand(ctx, c, UpdateDecideDisagreement, func(in DecideDisagreement) Command { return in.Command }, c.validateDecideDisagreement, c.applyDecideDisagreement),
		registerCommand(ctx, c, UpdateEscalateDisagreement, func(in EscalateDisagreement) Command { return in.Command }, c.validateEscalateDisagreement, c.applyEscalateDisagreement),
		registerCommand(ctx, c, UpdateRecordPlacement, func(in RecordPlacement) Command { return in.Command }, c.validatePlacement, c.applyPlacement),
		registerCommand(ctx, c, UpdateRecordHealthExamination, func(in RecordHealthExamination) Command { return in.Command }, c.validateHealthExamination, c.applyHealthExamination),
		registerCommand(ctx, c, UpdateSettleCostDistribution, func(in SettleCostDistribution) Command { return in.Command }, c.validateCostDistribution, c.applyCostDistribution),
		registerFallibleCommand(ctx, c, UpdateHandOverCase, func(in HandOverCase) Command { return in.Command }, c.validateHandOver, c.applyHandOver),
		registerCommand(ctx, c, UpdateReopenCase, func(in ReopenCase) Command { return in.Command }, c.validateReopen, c.applyReopen),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
