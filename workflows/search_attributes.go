package workflows

import (
	"time"

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

// changedAttributesVersion upserts only the attributes whose value changed. Every upsert is a write
// to the visibility store, and most changes of a case (a step taken, a note, a plan line) change
// none of them: the profile of issue 16 found the visibility writes a sixth of the embedded server's
// work (docs/capacity.md).
const changedAttributesVersion = "upsert-changed-attributes"

func (c *caseRun) upsertSearchAttributes(ctx workflow.Context) {
	if workflow.GetVersion(ctx, searchAttributesVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	updates := []attributeUpdate{
		{saPhase, string(c.state.Phase), saPhase.ValueSet(string(c.state.Phase))},
		{saMunicipality, c.state.Municipality, saMunicipality.ValueSet(c.state.Municipality)},
		{saOverdue, c.state.Overdue, saOverdue.ValueSet(c.state.Overdue)},
	}
	if u := c.state.NamedPersonUnit; u != nil {
		updates = append(updates, attributeUpdate{saNamedPersonUnit, u.ID, saNamedPersonUnit.ValueSet(u.ID)})
	}
	if d := c.state.NextDeadline(); d != nil {
		updates = append(updates, attributeUpdate{saNextDeadline, d.DueAt, saNextDeadline.ValueSet(d.DueAt)})
	} else {
		updates = append(updates, attributeUpdate{saNextDeadline, nil, saNextDeadline.ValueUnset()})
	}
	if c.state.Phase != c.state.PhaseOf {
		// The time the change is projected, within moments of the command that made it.
		c.state.PhaseOf, c.state.PhaseSince = c.state.Phase, workflow.Now(ctx)
	}
	if workflow.GetVersion(ctx, phaseSinceVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		updates = append(updates, attributeUpdate{saPhaseSince, c.state.PhaseSince, saPhaseSince.ValueSet(c.state.PhaseSince)})
	}
	if workflow.GetVersion(ctx, changedAttributesVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		updates = changedOnly(workflow.GetTypedSearchAttributes(ctx), updates)
		if len(updates) == 0 {
			return
		}
	}
	sets := make([]temporal.SearchAttributeUpdate, len(updates))
	for i, u := range updates {
		sets[i] = u.update
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, sets...); err != nil {
		workflow.GetLogger(ctx).Error("search attributes not updated", "caseId", c.state.CaseID, "error", err)
	}
}

// attributeUpdate is one attribute's update with its key and value, which the SDK's update hides:
// want is nil for an unset.
type attributeUpdate struct {
	key    temporal.SearchAttributeKey
	want   any
	update temporal.SearchAttributeUpdate
}

// changedOnly are the updates that would change what the workflow's attributes hold now: a value
// set that differs (times compared as instants) or an unset of a value that is there.
func changedOnly(current temporal.SearchAttributes, updates []attributeUpdate) []attributeUpdate {
	var out []attributeUpdate
	for _, u := range updates {
		if !holds(current, u.key, u.want) {
			out = append(out, u)
		}
	}
	return out
}

// holds says whether current has want under key (want nil: has no value under it). Each type is
// read through its typed getter: the SDK's untyped map would be read in random order.
func holds(current temporal.SearchAttributes, key temporal.SearchAttributeKey, want any) bool {
	var have any
	var present bool
	switch k := key.(type) {
	case temporal.SearchAttributeKeyKeyword:
		have, present = current.GetKeyword(k)
	case temporal.SearchAttributeKeyBool:
		have, present = current.GetBool(k)
	case temporal.SearchAttributeKeyTime:
		t, ok := current.GetTime(k)
		if w, isTime := want.(time.Time); isTime {
			return ok && t.Equal(w)
		}
		have, present = t, ok
	default:
		return false // a type not compared here is always upserted
	}
	if want == nil {
		return !present
	}
	return present && have == want
}
