package workflows

import (
	"slices"

	"github.com/samverkan/samverkan/activities"
)

// Projection is what the read model keeps of a case in state: the workflow projects it with every
// change, and `samverkan reproject` (issue 15) builds the same from a case's queried state to
// rebuild a read model that was lost, corrupted or projected by an older release.
func Projection(state *CaseState, workflowID string) activities.CaseProjection {
	p := activities.CaseProjection{
		CaseID:       state.CaseID,
		WorkflowID:   workflowID,
		Municipality: state.Municipality,
		Phase:        state.Phase,
		Policy:       state.Policy.PolicyRef,
		OpenedAt:     state.OpenedAt,
		Overdue:      state.Overdue,
		SuspectsHarm: state.SuspectsHarm,
		StateSeq:     state.Seq,
		Tasks:        projectedTasks(state),
		Access:       projectedAccess(state),
		Facts:        projectedFacts(state),
		Events:       slices.Clone(state.PendingEvents),
	}
	if u := state.NamedPersonUnit; u != nil {
		p.NamedPersonUnitID = u.ID
	}
	if d := state.NextDeadline(); d != nil {
		due := d.DueAt
		p.NextDeadlineKind, p.NextDeadlineAt = d.Kind, &due
	}
	return p
}
