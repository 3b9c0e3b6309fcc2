package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

var routedToSchool = activities.RouteConcernResult{
	Unit:   casework.UnitRef{ID: schoolUnit, Name: "Testskolan", Kind: casework.UnitSchool},
	Reason: "barnet går i grundskolan", Policy: casework.Norrkoping(),
}

// TestRoutingRetriedAfterALostAttempt: the process running a RouteConcern attempt dies (SIGKILL), so
// the server sees that attempt only when its StartToClose runs out. With StartToClose equal to the
// whole ScheduleToClose budget (both 30 s, as before issue 15) nothing was left for a retry ("Not
// enough time to schedule next retry"), the concern was refused, and the refusal was kept under the
// client's Idempotency-Key. The attempt's timeout must leave room for retries, and the retry
// registers the concern.
func TestRoutingRetriedAfterALostAttempt(t *testing.T) {
	ct := newRoutedCaseTest(t, func(activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		return routedToSchool, nil
	})
	var startToClose time.Duration
	// Routed by a local activity since routeLocallyVersion; the listeners see either kind.
	ct.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == activities.NameRouteConcern && startToClose == 0 {
			startToClose = info.StartToCloseTimeout
		}
	})
	ct.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		if info.ActivityType.Name == activities.NameRouteConcern && startToClose == 0 {
			startToClose = info.StartToCloseTimeout
		}
	})
	// The first attempt is lost: the server learns of it after its whole StartToClose.
	ct.env.OnActivity(activities.NameRouteConcern, mock.Anything, mock.Anything).
		AfterFn(func() time.Duration { return startToClose }).
		Return(activities.RouteConcernResult{}, errors.New("start-to-close timeout: the worker was killed")).Once()
	ct.env.OnActivity(activities.NameRouteConcern, mock.Anything, mock.Anything).Return(routedToSchool, nil)
	var res RegisterConcernResult
	var err error
	ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
	ct.runFor(t, 10*time.Minute, func(s CaseState) {
		require.NotZero(t, startToClose)
		require.NoError(t, err, "the lost attempt left no room for a retry")
		require.Equal(t, schoolUnit, res.NamedPersonUnit.ID)
		require.Len(t, s.Concerns, 1)
		require.Len(t, s.Deadlines, 1)
	})
}

// TestRoutingWaitsOutAnOutageOfTheDirectory: the directory's database is away for minutes, longer
// than a request waits. The update keeps retrying instead of failing – a failed update stays the
// answer to its update ID, so a client retrying with the same Idempotency-Key would get it for as
// long as the run lives – and the concern is registered once the directory answers.
func TestRoutingWaitsOutAnOutageOfTheDirectory(t *testing.T) {
	attempts := 0
	ct := newRoutedCaseTest(t, func(activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		attempts++
		if attempts <= 8 { // 1+2+4+8+16+30+30+30 s of back-off: over two minutes
			return activities.RouteConcernResult{}, errors.New("connection refused")
		}
		return routedToSchool, nil
	})
	var res RegisterConcernResult
	var err error
	ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
	ct.runFor(t, 30*time.Minute, func(s CaseState) {
		require.NoError(t, err)
		require.Equal(t, 9, attempts)
		require.Equal(t, schoolUnit, res.NamedPersonUnit.ID)
		require.Len(t, s.Concerns, 1)
	})
}

// TestLookupBudgetEndsBeforeTheFirstConcernWait: a case still routing its first concern when
// firstConcernWait ends would end with that concern in it.
func TestLookupBudgetEndsBeforeTheFirstConcernWait(t *testing.T) {
	require.Less(t, lookupBudget+lookupAttemptTimeout, firstConcernWait)
}

// TestProjectionHandedToAnActivityWhenTheDatabaseIsAway: the local projection holds the workflow
// task, and the answer to the concern with it, only for its few attempts; then the projection is
// scheduled as an activity that waits for the database, and the read model gets the case.
func TestProjectionHandedToAnActivityWhenTheDatabaseIsAway(t *testing.T) {
	ct := newRoutedCaseTest(t, func(activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		return routedToSchool, nil
	})
	ct.projectFailures = 5 // the local activity's three attempts and two of the activity's
	var res RegisterConcernResult
	var err error
	ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
	ct.runFor(t, 10*time.Minute, func(s CaseState) {
		require.NoError(t, err)
		ct.mu.Lock()
		defer ct.mu.Unlock()
		require.Zero(t, ct.projectFailures)
		require.NotEmpty(t, ct.projections, "the case never reached the read model")
		require.Equal(t, s.Seq, ct.projections[len(ct.projections)-1].StateSeq)
	})
}
