package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// A run that starts with a carried state – as every continue-as-new does – shows in the read model at
// once, not at the case's next change: the coordinator finds the case and its follow-up in the inbox.
// Its history is the recorded one of the "project-carried-state" branch.
func TestContinuedRunIsProjectedAtOnce(t *testing.T) {
	s := newSystem(t)
	s.command("seed", "--demo")
	s.start()
	defer s.stop()
	c := s.decryptingClient()

	now := time.Now().In(casework.Stockholm)
	followUp := time.Date(now.Year(), now.Month(), now.Day()+14, 0, 0, 0, 0, casework.Stockholm).Add(-time.Nanosecond)
	costs := casework.NewCalendar(true).EndOfWorkingDay(now, 10)
	pseudonym := benchPseudonym("continued", 1)
	id := workflows.CaseWorkflowID(pseudonym)
	state := benchCaseWithReminders(pseudonym, casework.Norrkoping(), now.AddDate(0, -1, 0), followUp, costs, followUp.Add(-time.Hour))
	_, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: workflows.DefaultTaskQueue},
		workflows.CaseWorkflowName, workflows.CaseStart{CaseID: state.CaseID, Municipality: state.Municipality, Carried: &state})
	require.NoError(t, err)

	cecilia := s.token("cecilia.socialsekreterare")
	var got struct {
		Phase string `json:"phase"`
	}
	require.Eventually(t, func() bool {
		return s.call("GET", "/api/v1/cases/"+state.CaseID, cecilia, nil, &got) == http.StatusOK
	}, 30*time.Second, 200*time.Millisecond, "the continued case never reached the read model")
	require.Equal(t, string(casework.PhaseUppfoljning), got.Phase)
	var inbox struct {
		Items []struct {
			CaseID string `json:"caseId"`
			Kind   string `json:"kind"`
		} `json:"items"`
	}
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/me/tasks", cecilia, nil, &inbox))
	var kinds []string
	for _, it := range inbox.Items {
		if it.CaseID == state.CaseID {
			kinds = append(kinds, it.Kind)
		}
	}
	require.Contains(t, kinds, string(workflows.TaskFollowUp))
	require.Contains(t, kinds, string(workflows.TaskCostDistribution))
	s.recordHistory(id, "continued_run")
}
