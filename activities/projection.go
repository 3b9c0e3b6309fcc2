package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
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
}

// ProjectCase writes the case's projection; a retried or late call with an older StateSeq is ignored
// by the database, so the read model never goes back in time.
func (a *Activities) ProjectCase(ctx context.Context, p CaseProjection) error {
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
	if err := a.DB.UpsertCase(ctx, row); err != nil {
		return fmt.Errorf("project case %s: %w", p.CaseID, err)
	}
	return nil
}
