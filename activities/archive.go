package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// NameArchiveCase is the activity that writes a closed case's file to the archive before its workflow
// completes (issue 13, docs/process.md §7.2); recorded in histories, never renamed.
const NameArchiveCase = "ArchiveCase"

// ArchiveRequest is the closed case as the workflow hands it to the archive: what lists and the
// retention sweep need in clear, and the final state.
type ArchiveRequest struct {
	CaseID            string             `json:"caseId"`
	Municipality      string             `json:"municipality"`
	NamedPersonUnitID string             `json:"namedPersonUnitId,omitempty"`
	Policy            casework.PolicyRef `json:"policy"`
	OpenedAt          time.Time          `json:"openedAt"`
	ClosedAt          time.Time          `json:"closedAt"`
	// EraseAfter is the closing plus the retention of the case's policy version (casework.EraseAfter).
	EraseAfter time.Time `json:"eraseAfter"`
	// State is the final workflows.CaseState as JSON (activities may not import workflows).
	State json.RawMessage `json:"state"`
}

// ArchiveResult says whether this call wrote the file (false: it was archived already) and how big
// the sealed file is.
type ArchiveResult struct {
	Created bool     `json:"created"`
	RunIDs  []string `json:"runIds"`
	Bytes   int      `json:"bytes"`
}

// ArchiveCase writes the file of the calling workflow's case: its final state and the history of
// every run up to now, which the workflow is about to end. A retry writes nothing twice.
func (a *Activities) ArchiveCase(ctx context.Context, req ArchiveRequest) (ArchiveResult, error) {
	info := activity.GetInfo(ctx)
	return a.Archive(ctx, req, info.WorkflowExecution.ID, info.WorkflowExecution.RunID)
}

// Archive writes the file of a case whose last run is runID of workflowID: the activity's work,
// and `samverkan archive`'s for cases that completed before the archive existed.
func (a *Activities) Archive(ctx context.Context, req ArchiveRequest, workflowID, runID string) (ArchiveResult, error) {
	if a.Temporal == nil || a.Codec == nil {
		return ArchiveResult{}, nonRetryable(ErrKindInvalid, errors.New("archive case: the worker has no Temporal client or codec"))
	}
	if stored, err := a.DB.ArchivedCase(ctx, req.CaseID); err == nil {
		return ArchiveResult{RunIDs: stored.RunIDs, Bytes: len(stored.Content)}, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return ArchiveResult{}, err
	}
	runIDs, runs, err := archive.ReadRuns(ctx, a.Temporal, workflowID, runID)
	if err != nil {
		return ArchiveResult{}, fmt.Errorf("archive case %s: %w", req.CaseID, err)
	}
	now := a.now()
	sealed, err := archive.Seal(a.Codec, archive.File{CaseID: req.CaseID, WorkflowID: workflowID, RunIDs: runIDs,
		ArchivedAt: now, State: req.State, Runs: runs})
	if err != nil {
		return ArchiveResult{}, err
	}
	created, err := a.DB.ArchiveCase(ctx, db.ArchivedCase{CaseID: req.CaseID, WorkflowID: workflowID, RunIDs: runIDs,
		MunicipalityID: req.Municipality, NamedPersonUnitID: req.NamedPersonUnitID, Policy: req.Policy,
		OpenedAt: req.OpenedAt, ClosedAt: req.ClosedAt, ArchivedAt: now, EraseAfter: req.EraseAfter, Content: sealed})
	if err != nil {
		return ArchiveResult{}, err
	}
	a.logger().Info("case archived", "caseId", req.CaseID, "runs", len(runIDs), "bytes", len(sealed), "created", created)
	return ArchiveResult{Created: created, RunIDs: runIDs, Bytes: len(sealed)}, nil
}

func (a *Activities) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}
