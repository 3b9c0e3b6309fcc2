package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// caseActivities are the worker's activities with every dependency: the database, the mail, and
// the Temporal client and codec the archive and the retention sweep need (issue 13).
func caseActivities(cfg config.Config, database *db.DB, logger *slog.Logger, mail activities.MailSettings, tc client.Client, pc *codec.Codec) *activities.Activities {
	return &activities.Activities{DB: database, Logger: logger, Mail: mail, Temporal: tc, Codec: pc, Namespace: cfg.TemporalNamespace}
}

// ensureRetentionSchedule creates the Temporal Schedule that starts the retention sweep daily
// (workflows.RetentionSweep), unless it exists: dev and every worker call it at start, and the first
// one creates it. A sweep still running when the next is due is not doubled (overlap skip).
func ensureRetentionSchedule(ctx context.Context, tc client.Client, taskQueue string) error {
	_, err := tc.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   workflows.RetentionScheduleID,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: workflows.RetentionSweepEvery}}},
		Action: &client.ScheduleWorkflowAction{
			ID: workflows.RetentionScheduleID, Workflow: workflows.RetentionSweepWorkflowName, TaskQueue: taskQueue,
		},
	})
	if err == nil || errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return nil
	}
	return fmt.Errorf("create the retention sweep's schedule: %w", err)
}
