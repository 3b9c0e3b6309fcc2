package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/workflows"
)

// ensureMailOutboxSweep creates the Temporal Schedule that runs the MailOutboxSweep workflow
// (issue 15), unless it exists: dev and every worker call it at start, so a new installation gets
// it and a second worker changes nothing. Overlapping runs are skipped, and runs missed while the
// cluster was down are caught up once, not one per missed interval.
func ensureMailOutboxSweep(ctx context.Context, c client.Client, taskQueue string, logger *slog.Logger) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:      workflows.MailOutboxSweepScheduleID,
		Spec:    client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: workflows.MailOutboxSweepEvery}}},
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action: &client.ScheduleWorkflowAction{
			ID:        workflows.MailOutboxSweepScheduleID,
			Workflow:  workflows.MailOutboxSweepName,
			TaskQueue: taskQueue,
		},
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the schedule %s: %w", workflows.MailOutboxSweepScheduleID, err)
	}
	logger.Info("mail outbox sweep scheduled", "schedule", workflows.MailOutboxSweepScheduleID, "every", workflows.MailOutboxSweepEvery.String())
	return nil
}
