package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

type archivedAt struct {
	req activities.ArchiveRequest
	at  time.Time
}

// TestAFinishedCaseIsArchivedBeforeItsWorkflowCompletes (issue 13): a closed case is archived once,
// when its reopening period is over – not before, while it may still be reopened – with its final
// state and an erase-after time of the closing plus the policy's retention.
func TestAFinishedCaseIsArchivedBeforeItsWorkflowCompletes(t *testing.T) {
	policy := casework.Norrbus()
	reopen, retention := casework.Duration(10*time.Minute), casework.Duration(time.Hour)
	policy.ReopenWithin, policy.Retention = &reopen, &retention
	pt := newProcessTest(t, policy)
	pt.toKartlagga()
	closed := pt.send(tAssess, UpdateCloseCase, CloseCase{Command: on(namedPerson, tAssess), Reason: CloseNeedsMet})
	pt.at(tAssess+9*time.Minute, func(CaseState) {
		require.Empty(t, pt.archived, "archived while the case may still be reopened")
	})
	pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
	requireAccepted(t, closed)
	require.True(t, pt.env.IsWorkflowCompleted())
	require.NoError(t, pt.env.GetWorkflowError())
	require.Len(t, pt.archived, 1)
	a := pt.archived[0]
	closedAt := friday.Add(tAssess)
	require.False(t, a.at.Before(closedAt.Add(10*time.Minute)), "archived at %s, before the reopening period ended", a.at)
	require.Equal(t, "testcase-1", a.req.CaseID)
	require.True(t, closedAt.Equal(a.req.ClosedAt))
	require.True(t, closedAt.Add(time.Hour).Equal(a.req.EraseAfter))
	var s CaseState
	require.NoError(t, json.Unmarshal(a.req.State, &s))
	require.Equal(t, casework.PhaseClosed, s.Phase)
	require.Equal(t, CloseNeedsMet, s.Closed.Reason)
}
