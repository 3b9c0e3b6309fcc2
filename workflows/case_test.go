package workflows

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Friday 2026-12-18 10:00 in Stockholm: the acknowledgement (2 working days) is due at the end of
// Tuesday 22 December.
var friday = time.Date(2026, 12, 18, 10, 0, 0, 0, casework.Stockholm)

type caseTest struct {
	testsuite.WorkflowTestSuite
	env         *testsuite.TestWorkflowEnvironment
	projections []activities.CaseProjection
	// projectFailures makes the next N ProjectCase attempts fail, as a database that is away would.
	projectFailures int
	// notified are the Notify calls that succeeded, with the workflow clock when they ran;
	// notifyFailures makes the first N attempts of a key fail, as a worker dying mid-send would.
	notified       []notified
	notifyAttempts map[string]int
	notifyFailures map[string]int
	// archived are the ArchiveCase calls, with the test clock's time (case_archive_test.go).
	archived []archivedAt
	// policies answers MunicipalityPolicy for a handover.
	policies map[string]casework.Policy
	// mu guards what the fake activities record: the test environment runs activities the
	// workflow started together (notices in the background) on goroutines of their own.
	mu sync.Mutex
}

type notified struct {
	req activities.NotifyRequest
	at  time.Time
}

func newCaseTest(t *testing.T, policy casework.Policy) *caseTest {
	return newRoutedCaseTest(t, func(activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		return activities.RouteConcernResult{
			Unit:   casework.UnitRef{ID: "norrkoping-skola-1", Name: "Testskolan", Kind: casework.UnitSchool},
			Reason: "barnet går i grundskolan", Policy: policy,
		}, nil
	})
}

// newRoutedCaseTest is a case whose routing activity answers with route: the real routing is
// tested in activities/routing_test.go, the workflow only records what it is told.
func newRoutedCaseTest(t *testing.T, route func(activities.RouteConcernRequest) (activities.RouteConcernResult, error)) *caseTest {
	ct := &caseTest{notifyAttempts: map[string]int{}, notifyFailures: map[string]int{}, policies: map[string]casework.Policy{}}
	ct.env = ct.NewTestWorkflowEnvironment()
	ct.env.SetStartTime(friday)
	ct.env.RegisterWorkflowWithOptions(Case, workflow.RegisterOptions{Name: CaseWorkflowName})
	ct.env.RegisterActivityWithOptions(func(ctx context.Context, req activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		return route(req)
	}, activity.RegisterOptions{Name: activities.NameRouteConcern})
	ct.env.RegisterActivityWithOptions(func(ctx context.Context, p activities.CaseProjection) error {
		ct.mu.Lock()
		defer ct.mu.Unlock()
		if ct.projectFailures > 0 {
			ct.projectFailures--
			return errors.New("database is away")
		}
		ct.projections = append(ct.projections, p)
		return nil
	}, activity.RegisterOptions{Name: activities.NameProjectCase})
	ct.env.RegisterActivityWithOptions(func(ctx context.Context, req activities.NotifyRequest) (activities.NotifyResult, error) {
		ct.mu.Lock()
		defer ct.mu.Unlock()
		ct.notifyAttempts[req.Key]++
		if ct.notifyAttempts[req.Key] <= ct.notifyFailures[req.Key] {
			return activities.NotifyResult{}, errors.New("worker died mid-send")
		}
		ct.notified = append(ct.notified, notified{req: req, at: ct.env.Now()})
		return activities.NotifyResult{Users: 1, Mailed: 1}, nil
	}, activity.RegisterOptions{Name: activities.NameNotify})
	ct.env.RegisterActivityWithOptions(func(ctx context.Context, req activities.ArchiveRequest) (activities.ArchiveResult, error) {
		ct.mu.Lock()
		defer ct.mu.Unlock()
		ct.archived = append(ct.archived, archivedAt{req: req, at: ct.env.Now()})
		return activities.ArchiveResult{Created: len(ct.archived) == 1}, nil
	}, activity.RegisterOptions{Name: activities.NameArchiveCase})
	ct.env.RegisterActivityWithOptions(func(ctx context.Context, municipality string) (casework.Policy, error) {
		p, ok := ct.policies[municipality]
		if !ok {
			return casework.Policy{}, temporal.NewNonRetryableApplicationError("no such municipality", activities.ErrKindNotFound, nil)
		}
		return p, nil
	}, activity.RegisterOptions{Name: activities.NameMunicipalityPolicy})
	return ct
}

func concernAt(id string, at time.Time) RegisterConcern {
	return RegisterConcern{
		ConcernID: id, Municipality: "norrkoping", OccurredAt: at,
		Child: Child{PersonalNumber: "201203159812", Name: "Testbarn", BirthDate: "2012-03-15",
			Schooling: casework.Schooling{Status: casework.SchoolingSchool, UnitID: "norrkoping-skola-1"}},
		Areas: []casework.WheelArea{casework.AreaLarande}, Observation: "frånvaro",
		By: Actor{User: "anna.larare", Role: casework.RoleReporter, Unit: "norrkoping-skola-1"},
	}
}

// update sends an update at a business time offset from the start and records its outcome.
func (ct *caseTest) update(after time.Duration, id string, in RegisterConcern, out *RegisterConcernResult, errOut *error) {
	ct.env.RegisterDelayedCallback(func() {
		ct.env.UpdateWorkflow(UpdateRegisterConcern, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { *errOut = err },
			OnAccept: func() {},
			OnComplete: func(res any, err error) {
				if err != nil {
					*errOut = err
					return
				}
				*out = res.(RegisterConcernResult)
			},
		}, in)
	}, after)
}

func (ct *caseTest) state(t *testing.T) CaseState {
	res, err := ct.env.QueryWorkflow(QueryCaseState)
	require.NoError(t, err)
	var s CaseState
	require.NoError(t, res.Get(&s))
	return s
}

// runFor runs the workflow until the given business time has passed, then looks at its state.
func (ct *caseTest) runFor(t *testing.T, d time.Duration, inspect func(CaseState)) {
	inspected := false
	ct.env.RegisterDelayedCallback(func() {
		inspected = true
		inspect(ct.state(t))
		ct.env.CancelWorkflow()
	}, d)
	ct.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
	require.True(t, inspected, "the workflow ended before the case was looked at")
}

func TestCaseAcknowledgementDeadline(t *testing.T) {
	t.Run("a first concern is routed and gets the acknowledgement deadline of its policy", func(t *testing.T) {
		ct := newCaseTest(t, casework.Norrkoping())
		var res RegisterConcernResult
		var err error
		ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
		ct.runFor(t, time.Hour, func(s CaseState) {
			require.NoError(t, err)
			require.False(t, res.Joined)
			require.Equal(t, "norrkoping-skola-1", res.NamedPersonUnit.ID)
			require.Len(t, s.Deadlines, 1)
			want := time.Date(2026, 12, 22, 23, 59, 59, 999999999, casework.Stockholm)
			require.True(t, want.Equal(s.Deadlines[0].DueAt), "due %s", s.Deadlines[0].DueAt)
			require.Equal(t, DeadlineOpen, s.Deadlines[0].Status)
			require.Equal(t, casework.PolicyRef{ID: "norrkoping", Version: 1}, s.Policy.PolicyRef)
		})
		require.NotEmpty(t, ct.projections, "the read model was never written")
	})
	t.Run("a deadline not met writes a deviation and marks the case overdue", func(t *testing.T) {
		ct := newCaseTest(t, casework.Norrbus())
		var res RegisterConcernResult
		var err error
		ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
		// Just before the due instant nothing has happened; just after, the deviation is there.
		ct.env.RegisterDelayedCallback(func() {
			s := ct.state(t)
			require.Equal(t, DeadlineOpen, s.Deadlines[0].Status)
			require.Empty(t, s.Deviations)
		}, 4*24*time.Hour+13*time.Hour+59*time.Minute)
		ct.runFor(t, 5*24*time.Hour, func(s CaseState) {
			require.Equal(t, DeadlineMissed, s.Deadlines[0].Status)
			require.True(t, s.Overdue)
			require.Len(t, s.Deviations, 1)
			require.Equal(t, casework.DeadlineAcknowledge, s.Deviations[0].DeadlineKind)
			require.Equal(t, "norrkoping-skola-1", s.Deviations[0].UnitID)
		})
		last := ct.projections[len(ct.projections)-1]
		require.True(t, last.Overdue, "the read model does not show the case overdue")
	})
	t.Run("a backdated concern whose deadline has passed is missed at once", func(t *testing.T) {
		ct := newCaseTest(t, casework.Norrkoping())
		var res RegisterConcernResult
		var err error
		ct.update(time.Second, "c1", concernAt("c1", friday.AddDate(0, 0, -14)), &res, &err)
		ct.runFor(t, time.Minute, func(s CaseState) {
			require.NoError(t, err)
			require.Equal(t, DeadlineMissed, s.Deadlines[0].Status)
			require.Len(t, s.Deviations, 1)
		})
	})
}

func TestCaseConcerns(t *testing.T) {
	t.Run("a second concern joins the open case and a retried one is not counted twice", func(t *testing.T) {
		ct := newCaseTest(t, casework.Norrkoping())
		var r1, r2, r3 RegisterConcernResult
		var e1, e2, e3 error
		ct.update(time.Second, "c1", concernAt("c1", friday), &r1, &e1)
		second := concernAt("c2", friday.Add(time.Hour))
		second.Areas = []casework.WheelArea{casework.AreaTrygghet, casework.AreaHalsa}
		second.SuspectsHarm = true
		ct.update(time.Minute, "c2", second, &r2, &e2)
		ct.update(2*time.Minute, "c2-retry", second, &r3, &e3)
		ct.runFor(t, time.Hour, func(s CaseState) {
			require.NoError(t, e1)
			require.NoError(t, e2)
			require.NoError(t, e3)
			require.False(t, r1.Joined)
			require.True(t, r2.Joined)
			require.Equal(t, r2, r3)
			require.Len(t, s.Concerns, 2)
			require.Len(t, s.Deadlines, 1, "a joining concern must not restart the deadline")
			require.Equal(t, []casework.WheelArea{casework.AreaHalsa, casework.AreaLarande, casework.AreaTrygghet}, s.Areas)
			require.True(t, s.SuspectsHarm)
		})
	})
	t.Run("a concern without its business time is rejected before it enters history", func(t *testing.T) {
		ct := newCaseTest(t, casework.Norrkoping())
		var res RegisterConcernResult
		var err error
		ct.update(time.Second, "c1", concernAt("c1", time.Time{}), &res, &err)
		ct.runFor(t, time.Minute, func(s CaseState) {
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr)
			require.Equal(t, ErrTypeInvalid, appErr.Type())
			require.Empty(t, s.Concerns)
		})
	})
	t.Run("a concern the directory cannot route is answered with a routing error", func(t *testing.T) {
		ct := &caseTest{}
		ct.env = ct.NewTestWorkflowEnvironment()
		ct.env.SetStartTime(friday)
		ct.env.RegisterWorkflowWithOptions(Case, workflow.RegisterOptions{Name: CaseWorkflowName})
		ct.env.RegisterActivityWithOptions(func(context.Context, activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
			return activities.RouteConcernResult{}, temporal.NewNonRetryableApplicationError("no unit of kind kaa", activities.ErrKindNotFound, nil)
		}, activity.RegisterOptions{Name: activities.NameRouteConcern})
		var res RegisterConcernResult
		var err error
		ct.update(time.Second, "c1", concernAt("c1", friday), &res, &err)
		ct.runFor(t, time.Minute, func(s CaseState) {
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr)
			require.Equal(t, ErrTypeRouting, appErr.Type())
			require.Nil(t, s.NamedPersonUnit)
		})
	})
}
