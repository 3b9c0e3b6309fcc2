package workflows

import (
	"encoding/json"
	"fmt"
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

// Snapshot is the state as the read model keeps it for readers (db case_snapshots, docs/architecture.md
// "Reads from the snapshot"): all of it but the update IDs of recent commands, which only the
// workflow's own idempotency reads (case_commands.go) and which grow to a thousand. The projection
// carries it; the API stores it after a command, from the state it answers the command with.
func Snapshot(state CaseState) CaseState {
	state.RecentCommandIDs = nil
	return state
}

// projectCaseInput is the ProjectCase activity's input as the workflow sends it: the projection with
// the snapshot itself in its "state" field, which the activity receives as raw JSON
// (activities.CaseProjection.State), as the archive's input is sent (case_archive.go).
type projectCaseInput struct {
	activities.CaseProjection
	State *CaseState `json:"state,omitempty"`
}

// projection is what the workflow projects: Projection and the snapshot. The snapshot leaves out the
// pending events: the projection carries them (Events) and stores them in the snapshot's transaction,
// where the timeline reads them. Adding the state changed the activity's input, not the commands the
// workflow issues, so running cases replay as before and no workflow.GetVersion is needed.
func projection(state *CaseState, workflowID string) projectCaseInput {
	snap := Snapshot(*state)
	snap.PendingEvents = nil
	return projectCaseInput{CaseProjection: Projection(state, workflowID), State: &snap}
}

// ProjectionWithState is what the workflow projects, its snapshot as JSON: for `samverkan
// reproject` (issue 15), which writes it outside any workflow.
func ProjectionWithState(state *CaseState, workflowID string) (activities.CaseProjection, error) {
	return projection(state, workflowID).withStateAsJSON()
}

// withStateAsJSON is the input as the activity takes it, the snapshot as JSON. encoding/json keeps
// a process-wide cache of encoders, which workflowcheck takes for non-determinism; what it writes
// depends only on the value (struct fields in order, map keys sorted), so a replay makes the same
// bytes – and a local activity's input is not in the history to compare with anyway.
//
//workflowcheck:ignore
func (in projectCaseInput) withStateAsJSON() (activities.CaseProjection, error) {
	raw, err := json.Marshal(in.State)
	if err != nil {
		return activities.CaseProjection{}, fmt.Errorf("snapshot of case %s: %w", in.CaseID, err)
	}
	p := in.CaseProjection
	p.State = raw
	return p, nil
}
