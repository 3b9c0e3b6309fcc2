package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Disagreement between principals (oenighet, docs/process.md §10): raised on the case about responsibility
// or cost, it climbs the policy's ladder step by step – by hand, or by itself when a step stays
// undecided for the policy's number of working days. The case keeps going meanwhile.

func (s *CaseState) disagreement(id string) *DisagreementRecord {
	for i := range s.Disagreements {
		if s.Disagreements[i].ID == id {
			return &s.Disagreements[i]
		}
	}
	return nil
}

// mayRaiseDisagreement: anyone with a part in the case raises a disagreement, where the policy has a
// ladder to resolve it on.
func (s *CaseState) mayRaiseDisagreement(by Actor) error {
	switch {
	case !s.hasPart(by):
		return forbidden("bara den som har en del i ärendet kan ta upp en oenighet här")
	case len(s.Policy.EscalationLadder) == 0:
		return conflict("%s anger ingen ordning för att lösa oenighet", s.Policy.Name)
	}
	return nil
}

func (c *caseRun) validateRaiseDisagreement(in RaiseDisagreement, _ time.Time) error {
	if err := c.state.mayRaiseDisagreement(in.By); err != nil {
		return err
	}
	parties := map[string]bool{}
	for _, p := range in.Parties {
		if strings.TrimSpace(p) != "" {
			parties[strings.ToLower(strings.TrimSpace(p))] = true
		}
	}
	switch {
	case in.Subject != DisagreementResponsibility && in.Subject != DisagreementCost:
		return invalid("subject", "responsibility eller cost")
	case strings.TrimSpace(in.Question) == "":
		return invalid("question", "ange frågan parterna är oeniga om")
	case len(parties) < 2:
		return invalid("parties", "ange minst två parter")
	}
	return nil
}

func (c *caseRun) applyRaiseDisagreement(ctx workflow.Context, in RaiseDisagreement) {
	c.state.Disagreements = append(c.state.Disagreements, DisagreementRecord{
		ID:       fmt.Sprintf("oen-%d", len(c.state.Disagreements)+1),
		Recorded: c.recorded(ctx, in.Command),
		Subject:  in.Subject,
		Question: in.Question,
		Parties:  in.Parties,
	})
	d := &c.state.Disagreements[len(c.state.Disagreements)-1]
	c.enterStep(ctx, d, 0, in.OccurredAt)
}

// enterStep puts the disagreement at step n of the ladder from the business time at; every step but
// the last has a time after which it escalates by itself.
func (c *caseRun) enterStep(ctx workflow.Context, d *DisagreementRecord, n int, at time.Time) {
	ladder := c.state.Policy.EscalationLadder
	step := EscalationStep{Level: ladder[n], StartedAt: at}
	if n < len(ladder)-1 {
		due := casework.NewCalendar(c.state.Policy.DaysOffByAgreement).EndOfWorkingDay(at, c.state.Policy.EscalateAfterWorkingDays)
		step.DueAt = &due
	} else if n > 0 {
		c.notice(ctx, NoticeEscalationAtTop, fmt.Sprintf("Oenigheten %s ligger nu hos %s, det sista steget.", d.ID, ladder[n]))
	}
	d.Steps = append(d.Steps, step)
	c.startEscalationTimer(ctx, d.ID)
}

// startEscalationTimer escalates the disagreement when its current step's time is up.
func (c *caseRun) startEscalationTimer(ctx workflow.Context, id string) {
	if cancel, ok := c.escalations[id]; ok {
		cancel()
		delete(c.escalations, id)
	}
	d := c.state.disagreement(id)
	step := len(d.Steps) - 1
	if !d.Open() || d.Steps[step].DueAt == nil {
		return
	}
	due := *d.Steps[step].DueAt
	timerCtx, cancel := workflow.WithCancel(ctx)
	c.escalations[id] = cancel
	workflow.Go(timerCtx, func(gctx workflow.Context) {
		if wait := due.Sub(workflow.Now(gctx)) + time.Millisecond; wait > 0 {
			if err := workflow.Sleep(gctx, wait); err != nil {
				return // decided or escalated by hand
			}
		}
		d := c.state.disagreement(id)
		if !d.Open() || len(d.Steps)-1 != step || c.state.Phase == casework.PhaseClosed {
			return
		}
		delete(c.escalations, id)
		c.escalate(gctx, d, due, "auto", "")
		c.changed()
	})
}

// escalate ends the current step undecided and starts the next at the business time at.
func (c *caseRun) escalate(ctx workflow.Context, d *DisagreementRecord, at time.Time, by, reason string) {
	cur := &d.Steps[len(d.Steps)-1]
	ended := at
	cur.EndedAt, cur.EscalatedBy, cur.Reason = &ended, by, reason
	c.enterStep(ctx, d, len(d.Steps), at)
	if by == "auto" {
		c.recordEvent(ctx, CaseEvent{Kind: EventEscalatedAutomatically, OccurredAt: at,
			Escalation: &EscalationEvent{DisagreementID: d.ID, Steps: len(d.Steps)}})
	}
	recipients := []casework.Assignee{}
	if co := c.state.Coordinator; co != nil {
		recipients = append(recipients, casework.Assignee{UserID: co.Coordinator.User})
	}
	if c.state.NamedPersonUnit != nil {
		recipients = append(recipients, casework.Assignee{UnitID: c.state.NamedPersonUnit.ID, Role: casework.RoleSupervisor})
	}
	c.notifyLater(ctx, activities.NotifyRequest{
		Key:        fmt.Sprintf("%s/escalation/%s/%d", c.workflowID, d.ID, len(d.Steps)),
		Kind:       activities.NotifyEscalated,
		Subject:    fmt.Sprintf("Oenighet i ärende %s har gått vidare", c.state.CaseID),
		Text:       fmt.Sprintf("Oenigheten %s i ärende %s har gått vidare till %s.", d.ID, c.state.CaseID, d.Steps[len(d.Steps)-1].Level),
		Recipients: recipients,
	})
}

// restartEscalations gives every open disagreement its timer again (a new run, a reopened case).
func (c *caseRun) restartEscalations(ctx workflow.Context) {
	if c.state.Phase == casework.PhaseClosed {
		return
	}
	for _, d := range c.state.Disagreements {
		if d.Open() {
			c.startEscalationTimer(ctx, d.ID)
		}
	}
}

// cancelAllEscalations stops the timers of a closing case; its open disagreements stay on file. It
// cancels in the order of the case's disagreements, never the map's, so replay cancels the same way.
func (c *caseRun) cancelAllEscalations() {
	for _, d := range c.state.Disagreements {
		if cancel, ok := c.escalations[d.ID]; ok {
			cancel()
			delete(c.escalations, d.ID)
		}
	}
}

// mayDecideDisagreement: anyone with a part in the case records the decision of an open
// disagreement's current step.
func (s *CaseState) mayDecideDisagreement(by Actor, id string) error {
	d := s.disagreement(id)
	switch {
	case d == nil:
		return invalid("disagreementId", "oenigheten %s finns inte i ärendet", id)
	case !s.hasPart(by):
		return forbidden("bara den som har en del i ärendet kan registrera beslut om oenigheten")
	case !d.Open():
		return conflict("oenigheten %s är redan avgjord", id)
	}
	return nil
}

// mayEscalateDisagreement: the same people take an open disagreement to the ladder's next step, if
// it has one.
func (s *CaseState) mayEscalateDisagreement(by Actor, id string) error {
	if err := s.mayDecideDisagreement(by, id); err != nil {
		return err
	}
	if d := s.disagreement(id); len(d.Steps) >= len(s.Policy.EscalationLadder) {
		return conflict("oenigheten ligger redan i det sista steget (%s)", d.Steps[len(d.Steps)-1].Level)
	}
	return nil
}

func (c *caseRun) validateDecideDisagreement(in DecideDisagreement, _ time.Time) error {
	if err := c.state.mayDecideDisagreement(in.By, in.DisagreementID); err != nil {
		return err
	}
	d := c.state.disagreement(in.DisagreementID)
	switch {
	case strings.TrimSpace(in.Decision) == "":
		return invalid("decision", "ange beslutet")
	case in.OccurredAt.Before(d.Steps[len(d.Steps)-1].StartedAt):
		return invalid("occurredAt", "beslutet kan inte ha fattats innan frågan kom till %s", d.Steps[len(d.Steps)-1].Level)
	}
	return nil
}

func (c *caseRun) applyDecideDisagreement(ctx workflow.Context, in DecideDisagreement) {
	d := c.state.disagreement(in.DisagreementID)
	cur := &d.Steps[len(d.Steps)-1]
	at := in.OccurredAt
	cur.Decision, cur.DecidedAt, cur.EndedAt = in.Decision, &at, &at
	rec := c.recorded(ctx, in.Command)
	d.Resolved = &rec
	if cancel, ok := c.escalations[d.ID]; ok {
		cancel()
		delete(c.escalations, d.ID)
	}
}

func (c *caseRun) validateEscalateDisagreement(in EscalateDisagreement, _ time.Time) error {
	if err := c.state.mayEscalateDisagreement(in.By, in.DisagreementID); err != nil {
		return err
	}
	d := c.state.disagreement(in.DisagreementID)
	switch {
	case strings.TrimSpace(in.Reason) == "":
		return invalid("reason", "ange varför frågan går vidare")
	case in.OccurredAt.Before(d.Steps[len(d.Steps)-1].StartedAt):
		return invalid("occurredAt", "ligger före det nuvarande steget")
	}
	return nil
}

func (c *caseRun) applyEscalateDisagreement(ctx workflow.Context, in EscalateDisagreement) {
	d := c.state.disagreement(in.DisagreementID)
	c.escalate(ctx, d, in.OccurredAt, in.By.User, in.Reason)
}

// openDisagreements lists the open ones, for tasks.
func (s *CaseState) openDisagreements() []DisagreementRecord {
	return slices.DeleteFunc(slices.Clone(s.Disagreements), func(d DisagreementRecord) bool { return !d.Open() })
}
