package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// runArchive archives the cases whose workflows completed before the archive existed (issue 13):
// every completed Case workflow Temporal still has whose case the archive lacks. It reads each
// case's final state by a query – so a worker must be running – and its histories, while the
// namespace keeps them. Run it once after upgrading; running it again archives nothing twice.
func runArchive(ctx context.Context, env *environment, _ any) error {
	cfg := env.cfg
	logger := newLogger(env)
	// The dev data folder's key when no keys are configured – but never a new one: a file sealed
	// with a key the API does not have could not be read.
	_, err := os.Stat(filepath.Join(cfg.DataDir, "codec.keys"))
	pc, err := payloadCodec(cfg, cfg.CodecKeys == nil && err == nil)
	if err != nil {
		return err
	}
	database, tc, closeBackends, err := openProductionBackends(ctx, cfg, logger, pc)
	if err != nil {
		return err
	}
	defer closeBackends()
	acts := caseActivities(cfg, database, logger, mailSettings(cfg, ""), tc, pc)
	query := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Completed'", workflows.CaseWorkflowName)
	var archived, present, skipped int
	var token []byte
	for {
		page, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return fmt.Errorf("list completed cases: %w", err)
		}
		for _, info := range page.GetExecutions() {
			wfID, runID := info.GetExecution().GetWorkflowId(), info.GetExecution().GetRunId()
			res, err := tc.QueryWorkflow(ctx, wfID, runID, workflows.QueryCaseState)
			if err != nil {
				return fmt.Errorf("query the final state of %s run %s (is a worker running?): %w", wfID, runID, err)
			}
			var state workflows.CaseState
			if err := res.Get(&state); err != nil {
				return fmt.Errorf("decode the final state of %s run %s: %w", wfID, runID, err)
			}
			if state.CaseID == "" || state.Phase != casework.PhaseClosed {
				skipped++ // a start whose concern was never routed: nothing to keep
				continue
			}
			if _, err := database.ArchivedCase(ctx, state.CaseID); err == nil {
				present++
				continue
			} else if !errors.Is(err, db.ErrNotFound) {
				return err
			}
			req := workflows.ArchiveRequestOf(state)
			if req.State, err = json.Marshal(state); err != nil {
				return err
			}
			if _, err := acts.Archive(ctx, req, wfID, runID); err != nil {
				return err
			}
			archived++
		}
		if token = page.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	fmt.Fprintf(env.stdout, "archived %d case(s); %d archived already; %d without content skipped\n", archived, present, skipped)
	return nil
}
