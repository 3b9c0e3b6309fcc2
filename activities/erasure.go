package activities

import (
	"context"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
)

// NameEraseDueCases is the retention sweep's activity (issue 13, docs/process.md §7.2); recorded in
// histories, never renamed.
const NameEraseDueCases = "EraseDueCases"

// EraseBatch asks to erase up to Limit archived cases past their erase-after time.
type EraseBatch struct {
	Limit int `json:"limit"`
}

// EraseBatchResult counts what one batch did. More: the batch was full, so more may be due.
type EraseBatchResult struct {
	Selected          int  `json:"selected"`
	Erased            int  `json:"erased"`
	ExecutionsDeleted int  `json:"executionsDeleted"`
	More              bool `json:"more"`
}

// EraseDueCases erases a batch of archived cases past their erase-after time and under no legal
// hold: first what Temporal still holds of them (the runs the file came from), then the
// application database's rows (db.EraseCase). Each case is its own transaction, so a sweep killed
// half-way leaves every case whole or gone, and the next run takes the rest; what is gone already
// counts as done, not as an error.
func (a *Activities) EraseDueCases(ctx context.Context, in EraseBatch) (EraseBatchResult, error) {
	limit := in.Limit
	if limit <= 0 {
		limit = 100
	}
	now := a.now()
	due, err := a.DB.DueForErasure(ctx, now, limit)
	if err != nil {
		return EraseBatchResult{}, err
	}
	res := EraseBatchResult{Selected: len(due), More: len(due) == limit}
	for i, c := range due {
		for _, runID := range c.RunIDs {
			deleted, err := a.deleteExecution(ctx, c.WorkflowID, runID)
			if err != nil {
				return res, fmt.Errorf("erase case %s: %w", c.CaseID, err)
			}
			if deleted {
				res.ExecutionsDeleted++
			}
		}
		erased, err := a.DB.EraseCase(ctx, c, now, factsWithoutIdentity)
		if err != nil {
			return res, err
		}
		if erased {
			res.Erased++
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i+1)
		}
	}
	if err := a.DB.ReleaseErasedPages(ctx); err != nil {
		a.logger().Warn("erased pages not released", "error", err)
	}
	a.logger().Info("retention sweep batch", "selected", res.Selected, "erased", res.Erased, "executionsDeleted", res.ExecutionsDeleted)
	return res, nil
}

// deleteExecution deletes one run of a workflow from Temporal, history and all; a run Temporal no
// longer has (the namespace's retention took it, or an earlier sweep) is no error.
func (a *Activities) deleteExecution(ctx context.Context, workflowID, runID string) (bool, error) {
	if a.Temporal == nil {
		return false, errors.New("no Temporal client to delete executions with")
	}
	_, err := a.Temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace:         a.Namespace,
		WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: workflowID, RunId: runID},
	})
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("delete run %s of %s: %w", runID, workflowID, err)
	}
	return true, nil
}
