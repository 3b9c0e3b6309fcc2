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

// Handover when the child moves (docs/process.md §6.6): the case goes on in its phase with the new unit.

// namedPersonKinds are the kinds of unit the routing gives a case to (docs/process.md §3, casework
// RouteNamedPerson and its fallback from the central school health team to a school health team).
var namedPersonKinds = []casework.UnitKind{casework.UnitPreschool, casework.UnitSchool, casework.UnitUpperSecondary,
	casework.UnitBVC, casework.UnitKAA, casework.UnitCentralSchoolHealth, casework.UnitSchoolHealth}

// mayHandOver: the assessor or the coordinator hands the case over, unless a handover waits to be
// taken.
func (s *CaseState) mayHandOver(by Actor) error {
	switch {
	case !s.isAssessor(by) && !s.isCoordinator(by):
		return forbidden("bara barnets bästa-ansvarig eller samordnaren lämnar över ärendet")
	case s.PendingHandover() != nil:
		return conflict("ärendet väntar redan på att tas emot av %s", s.PendingHandover().To.Name)
	}
	return nil
}

func (c *caseRun) validateHandOver(in HandOverCase, _ time.Time) error {
	if err := c.state.mayHandOver(in.By); err != nil {
		return err
	}
	switch {
	case in.To.ID == "" || !in.To.Kind.Valid():
		return invalid("toUnitId", "ange enheten som tar över")
	case c.state.NamedPersonUnit != nil && in.To.ID == c.state.NamedPersonUnit.ID:
		return invalid("toUnitId", "ärendet ligger redan hos %s", in.To.Name)
	case !slices.Contains(namedPersonKinds, in.To.Kind):
		return invalid("toUnitId", "en enhet av typen %s har ingen barnets bästa-ansvarig", in.To.Kind)
	case strings.TrimSpace(in.ToMunicipality) == "":
		return invalid("toMunicipality", "saknas")
	case strings.TrimSpace(in.Reason) == "":
		return invalid("reason", "ange varför ärendet lämnas över")
	}
	return nil
}

// applyHandOver passes the case to the new unit. In another municipality that municipality's current
// policy applies to the deadlines from now on; deadlines already running keep their dates.
func (c *caseRun) applyHandOver(ctx workflow.Context, in HandOverCase) error {
	policy := c.state.Policy
	if in.ToMunicipality != c.state.Municipality {
		err := workflow.ExecuteActivity(withLookupOptions(ctx), activities.NameMunicipalityPolicy, in.ToMunicipality).Get(ctx, &policy)
		if err != nil {
			return unavailable("kommunens policy", err)
		}
	}
	from := casework.UnitRef{}
	if c.state.NamedPersonUnit != nil {
		from = *c.state.NamedPersonUnit
	}
	c.state.Handovers = append(c.state.Handovers, HandoverRecord{
		Recorded: c.recorded(ctx, in.Command), From: from, To: in.To,
		FromMunicipality: c.state.Municipality, ToMunicipality: in.ToMunicipality,
		FromPolicy: c.state.Policy.PolicyRef, ToPolicy: policy.PolicyRef, Reason: in.Reason,
	})
	to := in.To
	c.state.NamedPersonUnit = &to
	c.state.Municipality = in.ToMunicipality
	c.state.Policy = policy
	// The colleague who assessed belongs to the old unit; the new named person assesses from here.
	c.state.Assessor = ""
	c.cancelDeadline(ctx, casework.DeadlineAcknowledge)
	c.openDeadline(ctx, casework.DeadlineAcknowledge, in.OccurredAt)
	c.notice(ctx, NoticeCaseHandedOver, fmt.Sprintf("Ärendet har lämnats över från %s till %s, som ska ta emot det.", from.Name, to.Name))
	c.notifyLater(ctx, activities.NotifyRequest{
		Key:        fmt.Sprintf("%s/handover/%d", c.workflowID, len(c.state.Handovers)),
		Kind:       activities.NotifyCaseHandedOver,
		Subject:    fmt.Sprintf("Ärende %s har lämnats över till din enhet", c.state.CaseID),
		Text:       fmt.Sprintf("Ärende %s har lämnats över till %s. Ta emot ärendet i samverkan.", c.state.CaseID, to.Name),
		Recipients: []casework.Assignee{{UnitID: to.ID, Role: casework.RoleNamedPerson}},
	})
	return nil
}
