package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Reminders (docs/process.md §6.6, §7.2): before each deadline, at the policy's lead time and on the
// morning of the day, on working days within office hours, to whoever must act; and a mail to the
// responsible unit's supervisor when a deadline is missed. Every reminder is planned in the case state
// with its idempotency key before it is due, marked sent when the activity answers, and carried
// across continue-as-new, so a reminder is neither lost by a restart nor sent twice by a retry – the
// Notify activity sends each key once.

const (
	// remindersVersion turns reminders on. A run that began before it sends none (its history has no
	// such activities); it starts sending when it continues as new.
	remindersVersion = "reminders"
	// notifyBudget bounds how long a notification is retried: a mail server away for a day still
	// gets the mail, late, rather than never.
	notifyBudget = 24 * time.Hour
)

// planReminders records the reminders of open deadline i and starts sending them. A deadline whose
// reminders were planned in an earlier run keeps those, so the keys never change.
func (c *caseRun) planReminders(ctx workflow.Context, i int) {
	if !c.state.RemindersOn {
		return
	}
	d := c.state.Deadlines[i]
	planned := false
	for _, r := range c.state.Reminders {
		planned = planned || r.Deadline == i && !r.Missed
	}
	if !planned {
		cal := c.state.Policy.Reminders()
		for n, at := range cal.ReminderTimes(d.DueAt, workflow.Now(ctx), c.state.Policy.ReminderLeadWorkingDays) {
			c.state.Reminders = append(c.state.Reminders, ReminderRecord{
				Key:          c.reminderKey(d, strconv.Itoa(n+1)),
				Deadline:     i,
				DeadlineKind: d.Kind,
				DueAt:        d.DueAt,
				At:           at,
			})
		}
	}
	workflow.Go(ctx, func(gctx workflow.Context) { c.sendReminders(gctx, i) })
}

func (c *caseRun) reminderKey(d Deadline, suffix string) string {
	return fmt.Sprintf("%s/%s/%d/%s", c.workflowID, d.Kind, d.DueAt.Unix(), suffix)
}

// sendReminders sends the unsent reminders of deadline i as their times come, while it is open. ctx
// is the deadline's: settling the deadline cancels it and the reminders still ahead.
func (c *caseRun) sendReminders(ctx workflow.Context, i int) {
	cal := c.state.Policy.Reminders()
	for r := c.nextReminder(i); r >= 0; r = c.nextReminder(i) {
		at := c.state.Reminders[r].At
		if now := workflow.Now(ctx); now.Before(at) {
			if err := workflow.Sleep(ctx, at.Sub(now)); err != nil {
				c.cancelReminders(i)
				return
			}
		}
		// Late after an outage: still sent, but only within office hours of a working day.
		if now, send := workflow.Now(ctx), cal.NextSendTime(workflow.Now(ctx)); send.After(now) {
			if err := workflow.Sleep(ctx, send.Sub(now)); err != nil {
				c.cancelReminders(i)
				return
			}
		}
		if c.state.Deadlines[i].Status != DeadlineOpen {
			c.cancelReminders(i)
			return
		}
		d := c.state.Deadlines[i]
		c.notifyNow(ctx, r, activities.NotifyRequest{
			Key:          c.state.Reminders[r].Key,
			Kind:         activities.NotifyReminder,
			DeadlineKind: d.Kind,
			DueAt:        &d.DueAt,
			Subject:      fmt.Sprintf("Påminnelse: tidsgränsen %s i ärende %s", d.Kind.Purpose(), c.state.CaseID),
			Text: fmt.Sprintf("Tidsgränsen %s (%s) i ärende %s går ut %s.", d.Kind.Purpose(), d.Rule, c.state.CaseID,
				d.DueAt.In(casework.Stockholm).Format("2006-01-02 15:04")),
			Recipients: c.whoMustAct(d.Kind),
		})
	}
}

// nextReminder is the index of deadline i's next unsent reminder, or -1.
func (c *caseRun) nextReminder(i int) int {
	for r, rec := range c.state.Reminders {
		if rec.Deadline == i && !rec.Missed && rec.SentAt == nil && !rec.Cancelled && !rec.Failed {
			return r
		}
	}
	return -1
}

func (c *caseRun) cancelReminders(i int) {
	for r := range c.state.Reminders {
		if rec := &c.state.Reminders[r]; rec.Deadline == i && !rec.Missed && rec.SentAt == nil {
			rec.Cancelled = true
		}
	}
}

// whoMustAct are the people a deadline of kind is up to: the named person (or the assessor) until the
// meeting, the coordinator and plan owner for the follow-up, and whoever decided the placement for
// its cost distribution.
func (c *caseRun) whoMustAct(kind casework.DeadlineKind) []casework.Assignee {
	var out []casework.Assignee
	coordinators := func() {
		if co := c.state.Coordinator; co != nil {
			out = append(out, casework.Assignee{UserID: co.Coordinator.User})
			if co.PlanOwner != nil {
				out = append(out, casework.Assignee{UserID: co.PlanOwner.User})
			}
		}
	}
	switch kind {
	case casework.DeadlineFollowUp:
		coordinators()
	case casework.DeadlineCostDistribution:
		if p := c.state.Placement; p != nil {
			out = append(out, casework.Assignee{UserID: p.By.User})
		}
		coordinators()
	case casework.DeadlineAcknowledge:
		// Taking the case is the named person's, whoever assessed before a handover.
	default:
		if c.state.Assessor != "" {
			out = append(out, casework.Assignee{UserID: c.state.Assessor})
		}
	}
	if len(out) == 0 && c.state.NamedPersonUnit != nil {
		out = append(out, casework.Assignee{UnitID: c.state.NamedPersonUnit.ID, Role: casework.RoleNamedPerson})
	}
	return out
}

// mailMissedDeadline tells the supervisor of the responsible unit that deadline i was missed
// (docs/process.md §7.2: "mail to the responsible unit's supervisor").
func (c *caseRun) mailMissedDeadline(ctx workflow.Context, i int, unit string) {
	if !c.state.RemindersOn || unit == "" {
		return
	}
	d := c.state.Deadlines[i]
	c.state.Reminders = append(c.state.Reminders, ReminderRecord{
		Key: c.reminderKey(d, "missed"), Deadline: i, DeadlineKind: d.Kind, DueAt: d.DueAt, At: workflow.Now(ctx), Missed: true,
	})
	c.sendMissedMail(ctx, len(c.state.Reminders)-1, unit)
}

func (c *caseRun) sendMissedMail(ctx workflow.Context, r int, unit string) {
	rec := c.state.Reminders[r]
	req := activities.NotifyRequest{
		Key:          rec.Key,
		Kind:         activities.NotifyDeadlineMissed,
		DeadlineKind: rec.DeadlineKind,
		DueAt:        &rec.DueAt,
		Subject:      fmt.Sprintf("Missad tidsgräns i ärende %s", c.state.CaseID),
		Text: fmt.Sprintf("Tidsgränsen %s i ärende %s gick ut %s utan att steget var gjort. En avvikelse har skrivits till din enhet; registrera hanteringen i ärendet.",
			rec.DeadlineKind.Purpose(), c.state.CaseID, rec.DueAt.In(casework.Stockholm).Format("2006-01-02 15:04")),
		Recipients: []casework.Assignee{{UnitID: unit, Role: casework.RoleSupervisor}},
	}
	c.notifyInBackground(ctx, r, req)
}

// resumeMissedMails, at the start of a run, sends the missed-deadline mails an earlier run had not
// finished (the reminders of open deadlines resume with their timers).
func (c *caseRun) resumeMissedMails(ctx workflow.Context) {
	for r, rec := range c.state.Reminders {
		if rec.Missed && rec.SentAt == nil && !rec.Failed {
			c.sendMissedMail(ctx, r, c.responsibleUnit(rec.DeadlineKind))
		}
	}
}

// notifyNow runs the Notify activity for reminder record r (or none, r < 0) and waits for it, counted
// in flight. It runs on a disconnected context: a deadline settled while its reminder is being sent
// does not cut the send off half-way.
func (c *caseRun) notifyNow(ctx workflow.Context, r int, req activities.NotifyRequest) {
	req.CaseID = c.state.CaseID
	c.inflight++
	defer func() { c.inflight-- }()
	sendCtx, _ := workflow.NewDisconnectedContext(ctx)
	opts := workflow.GetActivityOptions(withActivityOptions(sendCtx, notifyBudget))
	// A call mails each recipient in turn, up to 20 s each, and heartbeats between them: a dead worker
	// is noticed within the heartbeat, a slow server with many recipients is not cut off.
	opts.StartToCloseTimeout, opts.HeartbeatTimeout = 5*time.Minute, 45*time.Second
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(sendCtx, opts), activities.NameNotify, req).Get(sendCtx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Error("notification failed", "caseId", c.state.CaseID, "kind", req.Kind, "error", err)
		if r >= 0 {
			c.state.Reminders[r].Failed = true
		}
		return
	}
	if r >= 0 {
		now := workflow.Now(ctx)
		c.state.Reminders[r].SentAt = &now
	}
	c.recordEvent(ctx, CaseEvent{Kind: EventNoticeSent, OccurredAt: workflow.Now(ctx), Notice: noticeEvent(req)})
}

// notifyLater sends a notification that is not a planned reminder (a deviation report, a handover)
// without holding up the command that caused it.
func (c *caseRun) notifyLater(ctx workflow.Context, req activities.NotifyRequest) {
	if !c.state.RemindersOn {
		return
	}
	c.notifyInBackground(ctx, -1, req)
}

// notifyInBackground runs notifyNow in a goroutine of its own. It counts the send in flight at once,
// before the goroutine first runs, so the run cannot end or continue as new in between.
func (c *caseRun) notifyInBackground(ctx workflow.Context, r int, req activities.NotifyRequest) {
	c.inflight++
	workflow.Go(ctx, func(gctx workflow.Context) {
		defer func() { c.inflight-- }()
		c.notifyNow(gctx, r, req)
	})
}
