package workflows

import (
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The search attributes supervisors filter on in the Temporal Web UI. No personal data: phase,
// municipality, unit, a time and a flag.
var (
	saPhase           = temporal.NewSearchAttributeKeyKeyword(SearchAttrPhase)
	saMunicipality    = temporal.NewSearchAttributeKeyKeyword(SearchAttrMunicipality)
	saNamedPersonUnit = temporal.NewSearchAttributeKeyKeyword(SearchAttrNamedPersonUnit)
	saNextDeadline    = temporal.NewSearchAttributeKeyTime(SearchAttrNextDeadline)
	saOverdue         = temporal.NewSearchAttributeKeyBool(SearchAttrOverdue)
	saPhaseSince      = temporal.NewSearchAttributeKeyTime(SearchAttrPhaseSince)
)

// phaseSinceVersion adds SamverkanPhaseSince to the upsert; histories recorded before it upserted
// without it.
const phaseSinceVersion = "phase-since-attribute"

// searchAttributesVersion guards the upsert: cases recorded before it issued no such command, and
// their histories must replay unchanged. The DefaultVersion branch may go once no case started
// before this release is still open.
const searchAttributesVersion = "search-attributes"

func (c *caseRun) upsertSearchAttributes(ctx workflow.Context) {
	if workflow.GetVersion(ctx, searchAttributesVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	updates := []temporal.SearchAttributeUpdate{
		saPhase.ValueSet(string(c.state.Phase)),
		saMunicipality.ValueSet(c.state.Municipality),
		saOverdue.ValueSet(c.state.Overdue),
	}
	if u := c.state.NamedPersonUnit; u != nil {
		updates = append(updates, saNamedPersonUnit.ValueSet(u.ID))
	}
	if d := c.state.NextDeadline(); d != nil {
		updates = append(updates, saNextDeadline.ValueSet(d.DueAt))
	} else {
		updates = append(updates, saNextDeadline.ValueUnset())
	}
	if c.state.Phase != c.state.PhaseOf {
		// The time the change is projected, within moments of the command that made it.
		c.state.PhaseOf, c.state.PhaseSince = c.state.Phase, workflow.Now(ctx)
	}
	if workflow.GetVersion(ctx, phaseSinceVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		updates = append(updates, saPhaseSince.ValueSet(c.state.PhaseSince))
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		workflow.GetLogger(ctx).Error("search attributes not updated", "caseId", c.state.CaseID, "error", err)
	}
}
