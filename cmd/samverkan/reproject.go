package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/workflows"
)

type reprojectOptions struct {
	resume *string
	page   *int
}

func reprojectFlags(fs *flag.FlagSet) any {
	return &reprojectOptions{
		resume: fs.String("resume", "", "go on from the page this token names (printed after each page)"),
		page:   fs.Int("page-size", 100, "cases per page of the visibility listing"),
	}
}

// runReproject rebuilds the read model from the workflows (issue 15): every open case, paged
// through Temporal's visibility, its state queried and projected as the workflow would project it
// (workflows.ProjectionWithState, the case's snapshot with it) – over a stored row of the same state sequence too, never over a newer one,
// so it is idempotent and safe beside running workflows. After each page it prints the token that
// resumes after it (--resume), so an interrupted run goes on where it stopped.
func runReproject(ctx context.Context, env *environment, extra any) error {
	opts := extra.(*reprojectOptions)
	cfg := env.cfg
	logger := newLogger(env)
	// Against dev's data folder, dev's own codec key; otherwise SAMVERKAN_CODEC_KEYS as in serve.
	_, err := os.Stat(filepath.Join(cfg.DataDir, "codec.keys"))
	pc, err := payloadCodec(cfg, cfg.CodecKeys == nil && err == nil)
	if err != nil {
		return err
	}
	database, temporalClient, closeBackends, err := openProductionBackends(ctx, cfg, logger, pc)
	if err != nil {
		return err
	}
	defer closeBackends()
	// The codec seals the snapshot and the pending events the projection stores with the row.
	acts := &activities.Activities{DB: database, Logger: logger, Codec: pc}
	var token []byte
	if *opts.resume != "" {
		if token, err = base64.RawURLEncoding.DecodeString(*opts.resume); err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
	}
	query := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running'", workflows.CaseWorkflowName)
	total, err := temporalClient.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
	if err != nil {
		return fmt.Errorf("count open cases: %w", err)
	}
	done, skipped := 0, 0
	for {
		page, err := temporalClient.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: query, PageSize: int32(*opts.page), NextPageToken: token})
		if err != nil {
			return fmt.Errorf("list open cases: %w", err)
		}
		for _, ex := range page.Executions {
			id := ex.GetExecution().GetWorkflowId()
			res, err := temporalClient.QueryWorkflow(ctx, id, ex.GetExecution().GetRunId(), workflows.QueryCaseState)
			if err != nil {
				return fmt.Errorf("query %s: %w (resume with --resume %s)", id, err, base64.RawURLEncoding.EncodeToString(token))
			}
			var state workflows.CaseState
			if err := res.Get(&state); err != nil {
				return fmt.Errorf("decode the state of %s: %w", id, err)
			}
			if state.NamedPersonUnit == nil {
				skipped++ // a case whose first concern was never routed has nothing to project
				continue
			}
			p, err := workflows.ProjectionWithState(&state, id)
			if err != nil {
				return err
			}
			if err := acts.Reproject(ctx, p); err != nil {
				return fmt.Errorf("%w (resume with --resume %s)", err, base64.RawURLEncoding.EncodeToString(token))
			}
			done++
		}
		token = page.NextPageToken
		if len(token) == 0 {
			break
		}
		fmt.Fprintf(env.stdout, "reprojected %d of about %d open cases; resume with --resume %s\n",
			done+skipped, total.GetCount(), base64.RawURLEncoding.EncodeToString(token))
	}
	fmt.Fprintf(env.stdout, "reprojected %d open cases (%d without content skipped)\n", done, skipped)
	return nil
}
