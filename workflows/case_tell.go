package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Telling people that something in a case is now theirs (docs/process.md §6.1, §6.3, §6.4): the
// named persons of the unit a new case is routed to, each agency summoned to the meeting, and the
// coordinator and plan owner when appointed. Each is one Notify call – a notification in the app and
// a mail to every recipient – under an idempotency key of its own, so retries and restarts tell
// nobody twice. The texts name the case and what is due, never the child (activities.NotifyRequest).
//
// Each is new in a running case's sequence of commands, so each is guarded by a version of its own:
// a step taken before the release replays without the call. Once no case begun before this release
// is open, the DefaultVersion branches may go.
const (
	newCaseNotifiedVersion = "notify-new-case"
	invitationsVersion     = "summons-invitations"
	appointedVersion       = "notify-appointed"
)

// tellKey is a notification's idempotency key. It is the case ID's, not the workflow ID's: a later
// case of the same child runs under the same workflow ID and must be told its own news.
func (c *caseRun) tellKey(what string) string { return c.state.CaseID + "/" + what }

// localMinute writes a time as a caseworker's wall clock reads it.
func localMinute(t time.Time) string { return t.In(casework.Stockholm).Format("2006-01-02 15:04") }

// tellNewCase tells the named persons of the unit a new case was routed to that it waits for them,
// and until when (docs/process.md §6.1: the system routes the case and tells them).
func (c *caseRun) tellNewCase(ctx workflow.Context) {
	if workflow.GetVersion(ctx, newCaseNotifiedVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	text := fmt.Sprintf("Ett nytt ärende, %s, har kommit till din enhet.", c.state.CaseID)
	if d := c.state.pendingDeadline([]casework.DeadlineKind{casework.DeadlineAcknowledge}); d != nil {
		if d.DueAt.Before(workflow.Now(ctx)) {
			// A concern entered long after it was seen: its deadline passed before it arrived.
			text += fmt.Sprintf(" Tidsgränsen för att ta emot det gick ut %s; ta emot det snarast.", localMinute(d.DueAt))
		} else {
			text += fmt.Sprintf(" Ta emot det senast %s.", localMinute(d.DueAt))
		}
	}
	c.notifyLater(ctx, activities.NotifyRequest{
		Key:        c.tellKey("new-case"),
		Kind:       activities.NotifyNewCase,
		Subject:    fmt.Sprintf("Nytt ärende %s att ta emot", c.state.CaseID),
		Text:       text,
		Recipients: c.state.namedPersons(),
	})
}

// tellInvited tells each agency the summons invites that it is summoned, when, and that it should
// answer. The place is left out: it is free text, and may say where the family lives.
func (c *caseRun) tellInvited(ctx workflow.Context) {
	if workflow.GetVersion(ctx, invitationsVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	s := c.state.Summons
	s.InvitedUnitsTold = true
	for _, inv := range s.Invitations {
		if !isAgency(inv.Participant) {
			continue
		}
		c.notifyLater(ctx, activities.NotifyRequest{
			Key:     c.tellKey("summons/" + inv.Participant),
			Kind:    activities.NotifySummoned,
			Subject: fmt.Sprintf("Kallelse till samverkansmöte i ärende %s", c.state.CaseID),
			Text: fmt.Sprintf("Din verksamhet är kallad till samverkansmöte i ärende %s den %s. Svara på kallelsen i ärendet: "+
				"tacka ja, tacka nej och säg varför, eller föreslå en annan person.", c.state.CaseID, localMinute(s.MeetingAt)),
			Recipients: []casework.Assignee{{UnitID: inv.Participant, Role: c.state.participantKind(inv.Participant).Representatives()}},
		})
	}
}

// tellAppointed tells the coordinator, and the plan owner when there is one, that they were
// appointed and what is theirs now.
func (c *caseRun) tellAppointed(ctx workflow.Context) {
	if workflow.GetVersion(ctx, appointedVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	co := c.state.Coordinator
	c.notifyLater(ctx, activities.NotifyRequest{
		Key:     c.tellKey("appointed/coordinator"),
		Kind:    activities.NotifyAppointed,
		Subject: fmt.Sprintf("Du är samordnare i ärende %s", c.state.CaseID),
		Text: fmt.Sprintf("Du har utsetts till samordnare (samordningsperson) i ärende %s. Ta fram den samordnade "+
			"individuella planen (SIP) med barnet och vårdnadshavarna, och följ upp den.", c.state.CaseID),
		Recipients: []casework.Assignee{{UserID: co.Coordinator.User}},
	})
	if po := co.PlanOwner; po != nil && po.User != co.Coordinator.User {
		c.notifyLater(ctx, activities.NotifyRequest{
			Key:     c.tellKey("appointed/plan-owner"),
			Kind:    activities.NotifyAppointed,
			Subject: fmt.Sprintf("Du är planansvarig i ärende %s", c.state.CaseID),
			Text: fmt.Sprintf("Du har utsetts till planansvarig i ärende %s: du ansvarar för den samordnade individuella "+
				"planen (SIP) tillsammans med samordnaren.", c.state.CaseID),
			Recipients: []casework.Assignee{{UserID: po.User}},
		})
	}
}

// isAgency: an invitee that is a unit, not the child or the guardians.
func isAgency(participant string) bool {
	return participant != InviteeChild && participant != InviteeGuardians
}

// participantKind is the kind of an agency taking part in the case, as the assessment named it;
// "" when the case does not know it.
func (s *CaseState) participantKind(unitID string) casework.UnitKind {
	for _, p := range s.Participants {
		if p.Unit.ID == unitID {
			return p.Unit.Kind
		}
	}
	return ""
}
