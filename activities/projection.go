package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/report"
)

// CaseProjection is what the read model keeps of a case for lists, inboxes and reports: no names and
// no personal numbers.
type CaseProjection struct {
	CaseID            string                `json:"caseId"`
	WorkflowID        string                `json:"workflowId"`
	Municipality      string                `json:"municipality"`
	Phase             casework.Phase        `json:"phase"`
	NamedPersonUnitID string                `json:"namedPersonUnitId"`
	Policy            casework.PolicyRef    `json:"policy"`
	OpenedAt          time.Time             `json:"openedAt"`
	NextDeadlineKind  casework.DeadlineKind `json:"nextDeadlineKind,omitempty"`
	NextDeadlineAt    *time.Time            `json:"nextDeadlineAt,omitempty"`
	Overdue           bool                  `json:"overdue"`
	SuspectsHarm      bool                  `json:"suspectsHarm"`
	StateSeq          int64                 `json:"stateSeq"`
	// Tasks are the steps open in the case and whom they are for; Access is who has a part in it.
	// Both replace what the read model holds, with the row and under the same StateSeq rule. A
	// projection from a workflow older than these fields carries neither and so empties both until
	// the case's next change: lists then show the case to fewer people, never to more.
	Tasks  []ProjectedTask   `json:"tasks,omitempty"`
	Access []ProjectedAccess `json:"access,omitempty"`
	// Facts are what the yearly follow-up and the oversight count; nil from workflows older than them.
	Facts *report.Facts `json:"facts,omitempty"`
	// Events are the case events the workflow recorded since its last projection that succeeded
	// (case_events.go), in order; none from workflows older than them.
	Events []CaseEvent `json:"events,omitempty"`
	// State is the case's whole state at StateSeq (workflows.Snapshot) as JSON, as activities may not
	// import workflows: the snapshot the API reads the case from (docs/architecture.md "Reads from the
	// snapshot"), stored sealed, since it holds names, personal numbers and free text. None from
	// workflows older than snapshots: the stored one is then left behind the row, where reads no
	// longer take it.
	State json.RawMessage `json:"state,omitempty"`
}

// ProjectedTask is one open step of the case (a workflows.Task): no personal data, a fixed title.
type ProjectedTask struct {
	Kind      string              `json:"kind"` // a workflows.TaskKind
	Title     string              `json:"title"`
	DueAt     *time.Time          `json:"dueAt,omitempty"`
	Overdue   bool                `json:"overdue"`
	Assignees []casework.Assignee `json:"assignees"`
}

// ProjectedAccess is one unit's or user's part in the case (a casework.AccessGrant).
type ProjectedAccess struct {
	Relation casework.AccessRelation `json:"relation"`
	UnitID   string                  `json:"unitId,omitempty"`
	UserID   string                  `json:"userId,omitempty"`
}

// ProjectCase writes the case's projection – its row, tasks, access, facts and snapshot in one transaction; a
// retried or late call with an older StateSeq is ignored by the database, so the read model never goes
// back in time and never mixes two versions of a case.
func (a *Activities) ProjectCase(ctx context.Context, p CaseProjection) error {
	return a.projectCase(ctx, p, false)
}

// Reproject writes p as ProjectCase does, and also over a stored row of the same state sequence
// (db.CaseProjection.Rewrite): for `samverkan reproject`, never as an activity.
func (a *Activities) Reproject(ctx context.Context, p CaseProjection) error {
	return a.projectCase(ctx, p, true)
}

func (a *Activities) projectCase(ctx context.Context, p CaseProjection, rewrite bool) error {
	row := db.CaseRow{
		CaseID:            p.CaseID,
		WorkflowID:        p.WorkflowID,
		MunicipalityID:    p.Municipality,
		Phase:             string(p.Phase),
		NamedPersonUnitID: p.NamedPersonUnitID,
		Policy:            p.Policy,
		OpenedAt:          p.OpenedAt,
		NextDeadlineKind:  p.NextDeadlineKind,
		NextDeadlineAt:    p.NextDeadlineAt,
		Overdue:           p.Overdue,
		SuspectsHarm:      p.SuspectsHarm,
		StateSeq:          p.StateSeq,
	}
	proj := db.CaseProjection{Case: row, Rewrite: rewrite}
	for i, t := range p.Tasks {
		for _, to := range t.Assignees {
			proj.Tasks = append(proj.Tasks, db.CaseTask{Position: i, Kind: t.Kind, Title: t.Title, DueAt: t.DueAt,
				Overdue: t.Overdue, Assignee: to})
		}
	}
	for _, g := range p.Access {
		proj.Access = append(proj.Access, db.CaseAccess{Relation: g.Relation, UnitID: g.UnitID, UserID: g.UserID})
	}
	facts, err := factsRow(p.Facts, p.OpenedAt)
	if err != nil {
		return nonRetryable(ErrKindInvalid, fmt.Errorf("project case %s: %w", p.CaseID, err))
	}
	proj.Facts = facts
	if proj.Events, err = a.sealedEvents(p.CaseID, p.Events); err != nil {
		return nonRetryable(ErrKindInvalid, fmt.Errorf("project case %s: %w", p.CaseID, err))
	}
	if len(p.State) > 0 {
		sealed, err := archive.SealState(a.Codec, p.State)
		if err != nil {
			return nonRetryable(ErrKindInvalid, fmt.Errorf("project case %s: %w", p.CaseID, err))
		}
		proj.Snapshot = &db.CaseSnapshot{CaseID: p.CaseID, StateSeq: p.StateSeq, State: sealed}
	}
	if err := a.DB.ProjectCase(ctx, proj); err != nil {
		return fmt.Errorf("project case %s: %w", p.CaseID, err)
	}
	return nil
}

// sealedEvents makes the rows of case events: what orders them and who did it in clear, the whole
// event sealed with the codec (names and free text are personal data).
func (a *Activities) sealedEvents(caseID string, events []CaseEvent) ([]db.CaseEventRow, error) {
	rows := make([]db.CaseEventRow, len(events))
	for i, e := range events {
		body, err := archive.SealEvent(a.Codec, e)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.Seq, err)
		}
		rows[i] = db.CaseEventRow{CaseID: caseID, Seq: e.Seq, Kind: string(e.Kind), OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, Body: body}
		if e.By != nil {
			rows[i].ByUser, rows[i].ByRole, rows[i].ByUnit = e.By.User, string(e.By.Role), e.By.Unit
		}
	}
	return rows, nil
}
