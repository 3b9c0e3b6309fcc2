package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// sendAs sends a command under a chosen update ID: the Idempotency-Key of a retried request.
func (pt *processTest) sendAs(after time.Duration, id, name string, in any) *sent {
	s := &sent{name: name}
	pt.env.RegisterDelayedCallback(func() {
		pt.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { s.done, s.rejected, s.err = true, true, err },
			OnAccept:   func() {},
			OnComplete: func(res any, err error) { s.done, s.err, s.value = true, err, res },
		}, in)
	}, after)
	return s
}

// TestRetriedCommandAfterContinueAsNew: Temporal drops a duplicate update ID only within one run. A
// client retrying after the case continued as new must still get its answer without the command
// applying twice.
func TestRetriedCommandAfterContinueAsNew(t *testing.T) {
	consent := guardianConsent(on(namedPerson, tConsent), "Vårdnadshavare Ett", CustodyJoint, socUnit)

	// First run: the consent is recorded under its key, then the history grows long and the case
	// continues as new.
	pt := newProcessTest(t, casework.Norrbus())
	pt.toSamarbeta(false)
	first := pt.sendAs(tConsent, "consent-key-1", UpdateRecordConsent, consent)
	pt.env.RegisterDelayedCallback(func() { pt.env.SetCurrentHistoryLength(continueAsNewAfterEvents + 1) }, tConsent+time.Minute)
	pt.send(tConsent+2*time.Minute, UpdateRecordHarmReport, RecordHarmReport{Command: on(namedPerson, tConsent+2*time.Minute), Reported: false, Reason: "ingen misstanke"})
	pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
	requireAccepted(t, first)
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(pt.env.GetWorkflowError(), &can), "the case did not continue as new: %v", pt.env.GetWorkflowError())
	var next CaseStart
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))

	// Second run: the same request arrives again under the same key.
	pt2 := newProcessTest(t, casework.Norrbus())
	retry := pt2.sendAs(time.Minute, "consent-key-1", UpdateRecordConsent, consent)
	pt2.env.RegisterDelayedCallback(func() {
		s := pt2.state(t)
		requireAccepted(t, retry)
		require.Len(t, s.Consents, 1, "the retried consent was applied twice")
		pt2.env.CancelWorkflow()
	}, time.Hour)
	pt2.env.ExecuteWorkflow(CaseWorkflowName, next)
}

func TestOverdueEndsWhenNothingIsDue(t *testing.T) {
	t.Run("closing a case whose acknowledgement was missed leaves it not overdue", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		pt.at(5*24*time.Hour, func(s CaseState) { require.True(t, s.Overdue) })
		pt.must(5*24*time.Hour+time.Minute, UpdateCloseCase, CloseCase{Command: on(namedPerson, 5*24*time.Hour+time.Minute), Reason: CloseChildMoved})
		pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
		s := pt.state(t)
		require.Equal(t, casework.PhaseClosed, s.Phase)
		require.False(t, s.Overdue)
		require.False(t, pt.projections[len(pt.projections)-1].Overdue, "the read model still shows the closed case overdue")
	})
}
