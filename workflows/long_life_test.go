package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// The test environment keeps no history, so GetCurrentHistoryLength is whatever the test says. The
// long-life test models it as a server would count it: a run starts with a few events, and each
// command adds about a dozen (workflow task scheduled/started/completed, update accepted/completed,
// the projection's activity scheduled/started/completed and the task that follows it, and the
// search-attribute upsert), as in testdata/concern_joined.json. The production threshold
// continueAsNewAfterEvents is left as it is.
const (
	modelRunStartEvents   = 3
	modelEventsPerCommand = 12
)

// longStep is one command of the long life: an update at a business-time offset from friday.
type longStep struct {
	at   time.Duration
	name string
	in   any
}

// longLife is 20,000 commands to one case over four weeks of business time:
//   - a concern with a suspicion of harm, then harm reports while the acknowledgement deadline is
//     open across several hand-overs; it is missed at the end of Tuesday 22 December;
//   - the named person takes the case late on Wednesday, then assessment drafts with different
//     texts alternate with harm reports;
//   - on Monday 28 December the assessment is completed and consent given, which opens the summons
//     and meeting deadlines; more harm reports while both are open; the summons is missed on
//     7 January and sent late on the 8th; the meeting is missed on 14 January.
func longLife(total int) (steps []longStep, until time.Duration) {
	add := func(at time.Duration, name string, in any) { steps = append(steps, longStep{at, name, in}) }
	harm := func(i int, at time.Duration) {
		r := RecordHarmReport{Command: on(teacher, at)}
		if i%2 == 0 {
			when := friday.Add(at - time.Minute)
			r.Reported, r.ReportedAt = true, &when
		} else {
			r.Reason = fmt.Sprintf("ingen anmälan, skäl nummer %d", i)
		}
		add(at, UpdateRecordHarmReport, r)
	}
	c := concernAt("c1", friday.Add(time.Second))
	c.SuspectsHarm = true
	add(time.Second, UpdateRegisterConcern, c)

	// Fixed steps after the concern: the acknowledgement, the completion, three consents, the summons.
	const fixed = 1 + 1 + 1 + 3 + 1
	free := total - fixed
	nA, nB := free*3/10, free/2
	nC := free - nA - nB

	for i := 0; i < nA; i++ {
		harm(i, 10*time.Second+time.Duration(i)*(16*time.Hour)/time.Duration(nA))
	}
	wednesday := 118 * time.Hour // Wednesday 23 December 08:00
	add(wednesday, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, wednesday)})
	for i := 0; i < nB; i++ {
		at := wednesday + time.Minute + time.Duration(i)*(10*time.Hour)/time.Duration(nB)
		if i%2 == 0 {
			a := assessment(on(namedPerson, at))
			a.ChildView.View = fmt.Sprintf("barnets syn, version %d", i)
			a.FiveQuestions.WhatICanDo = fmt.Sprintf("samtal, utkast %d", i)
			add(at, UpdateRecordAssessment, a)
		} else {
			harm(i, at)
		}
	}
	monday := 239 * time.Hour // Monday 28 December 09:00
	add(monday, UpdateCompleteAssessment, collaboration(on(namedPerson, monday), false))
	add(monday+time.Second, UpdateRecordConsent, guardianConsent(on(namedPerson, monday+time.Second), guardianOne, CustodyJoint, socUnit, bupUnit))
	add(monday+2*time.Second, UpdateRecordConsent, guardianConsent(on(namedPerson, monday+2*time.Second), guardianTwo, "", socUnit, bupUnit))
	add(monday+3*time.Second, UpdateRecordConsent, childConsent(on(namedPerson, monday+3*time.Second), socUnit, bupUnit))
	for i := 0; i < nC; i++ {
		harm(i, monday+time.Minute+time.Duration(i)*(6*time.Hour)/time.Duration(nC))
	}
	late := 21*24*time.Hour - time.Hour // Friday 8 January 09:00
	add(late, UpdateSendSummons, summons(on(namedPerson, late), socUnit, bupUnit))
	return steps, 28*24*time.Hour + 2*time.Hour // Friday 15 January 12:00
}

// segment is what one run of the workflow did with the commands from a given index on.
type segment struct {
	applied   int        // index of the first command not yet applied
	carried   *CaseStart // the next run's input, when the run continued as new
	stoppedAt time.Time
	final     *CaseState // the state at the end, when the run got there
	lastSeq   int64      // the last projection's state sequence number
}

// runSegment runs the case from start at startAt with steps[from:], one command after the other
// (chained, so the test environment never holds thousands of timers), until the run continues as
// new or the end is reached.
func runSegment(t *testing.T, p casework.Policy, start CaseStart, startAt time.Time, steps []longStep, from int, until time.Duration, modelHistory bool) segment {
	suite := &testsuite.WorkflowTestSuite{}
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(startAt)
	env.RegisterWorkflowWithOptions(Case, workflow.RegisterOptions{Name: CaseWorkflowName})
	env.RegisterActivityWithOptions(func(context.Context, activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
		return activities.RouteConcernResult{Unit: casework.UnitRef{ID: schoolUnit, Name: "Testskolan", Kind: casework.UnitSchool},
			Reason: "barnet går i grundskolan", Policy: p}, nil
	}, activity.RegisterOptions{Name: activities.NameRouteConcern})
	seg := segment{applied: from}
	env.RegisterActivityWithOptions(func(_ context.Context, pr activities.CaseProjection) error {
		seg.lastSeq = pr.StateSeq
		return nil
	}, activity.RegisterOptions{Name: activities.NameProjectCase})

	sentInRun := 0
	var schedule func(i int)
	schedule = func(i int) {
		if i == len(steps) {
			env.RegisterDelayedCallback(func() {
				res, err := env.QueryWorkflow(QueryCaseState)
				require.NoError(t, err)
				var s CaseState
				require.NoError(t, res.Get(&s))
				seg.final = &s
				env.CancelWorkflow()
			}, friday.Add(until).Sub(env.Now()))
			return
		}
		st := steps[i]
		env.RegisterDelayedCallback(func() {
			sentInRun++
			if modelHistory {
				env.SetCurrentHistoryLength(modelRunStartEvents + modelEventsPerCommand*sentInRun)
			}
			env.UpdateWorkflow(st.name, fmt.Sprintf("cmd-%d", i), &testsuite.TestUpdateCallback{
				OnReject: func(err error) { require.NoError(t, err, "command %d (%s) rejected", i, st.name) },
				OnAccept: func() {},
				OnComplete: func(_ any, err error) {
					require.NoError(t, err, "command %d (%s) failed", i, st.name)
					seg.applied = i + 1
					schedule(i + 1)
				},
			}, st.in)
		}, friday.Add(st.at).Sub(env.Now()))
	}
	schedule(from)
	env.ExecuteWorkflow(CaseWorkflowName, start)

	seg.stoppedAt = env.Now()
	var can *workflow.ContinueAsNewError
	if errors.As(env.GetWorkflowError(), &can) {
		var next CaseStart
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
		seg.carried = &next
		return seg
	}
	require.NotNil(t, seg.final, "the run ended without continuing as new or reaching the end: %v", env.GetWorkflowError())
	return seg
}

func TestTwentyThousandCommandsAcrossContinueAsNew(t *testing.T) {
	const total = 20000
	p := casework.Norrbus()
	steps, until := longLife(total)
	require.Len(t, steps, total)
	begin := CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"}

	started := time.Now()
	var final CaseState
	runs, from, start, at := 0, 0, begin, friday
	openAtHandOver := map[casework.DeadlineKind]int{}
	for {
		runs++
		require.LessOrEqual(t, runs, total, "no progress")
		seg := runSegment(t, p, start, at, steps, from, until, true)
		if seg.carried == nil {
			final = *seg.final
			require.Equal(t, final.Seq, seg.lastSeq, "the read model saw the final state")
			break
		}
		require.Greater(t, seg.applied, from, "a run applied no command")
		require.NotNil(t, seg.carried.Carried, "continue-as-new carries the state")
		require.Equal(t, begin.CaseID, seg.carried.CaseID)
		for _, d := range seg.carried.Carried.Deadlines {
			if d.Status == DeadlineOpen {
				openAtHandOver[d.Kind]++
			}
		}
		start, at, from = *seg.carried, seg.stoppedAt, seg.applied
	}
	canTook := time.Since(started)

	started = time.Now()
	single := runSegment(t, p, begin, friday, steps, 0, until, false)
	require.Nil(t, single.carried, "without the history model the case never continues as new")
	oneRunTook := time.Since(started)
	t.Logf("%d commands: %d runs with continue-as-new in %s; one run in %s; deadlines open at hand-overs: %v",
		total, runs, canTook.Round(time.Millisecond), oneRunTook.Round(time.Millisecond), openAtHandOver)

	require.Greater(t, runs, 2)
	for _, kind := range []casework.DeadlineKind{casework.DeadlineAcknowledge, casework.DeadlineSummons, casework.DeadlineMeeting} {
		require.Positive(t, openAtHandOver[kind], "the %s deadline was never open at a hand-over", kind)
	}

	// Every command and every deadline changed the case once; the timers fired just after the due
	// instants of the policy, whichever run they were in.
	require.Equal(t, int64(total+3), final.Seq)
	for _, kind := range []casework.DeadlineKind{casework.DeadlineAcknowledge, casework.DeadlineSummons, casework.DeadlineMeeting} {
		d := deadlineOf(final, kind)
		require.Equal(t, DeadlineMissed, d.Status, "%s", kind)
		require.True(t, d.DueAt.Add(time.Millisecond).Equal(*d.SettledAt), "%s fired at %s, due %s", kind, d.SettledAt, d.DueAt)
	}
	require.True(t, time.Date(2026, 12, 22, 23, 59, 59, 999999999, casework.Stockholm).Equal(deadlineOf(final, casework.DeadlineAcknowledge).DueAt))
	require.True(t, time.Date(2027, 1, 7, 23, 59, 59, 999999999, casework.Stockholm).Equal(deadlineOf(final, casework.DeadlineSummons).DueAt))
	require.True(t, time.Date(2027, 1, 14, 23, 59, 59, 999999999, casework.Stockholm).Equal(deadlineOf(final, casework.DeadlineMeeting).DueAt))
	require.Len(t, final.Deviations, 3)
	require.True(t, final.Overdue, "the meeting is still not held")
	require.Equal(t, ConsentGiven, final.ConsentStatus)
	require.NotNil(t, final.Summons)

	// Nothing differs between the two, not even when each step was entered: every command reached
	// both at the same business time, and continue-as-new carries Seq and every RecordedAt as they
	// were, so the whole states are compared.
	require.Equal(t, asJSON(t, *single.final), asJSON(t, final))
	require.Equal(t, single.final.Seq, single.lastSeq)
}
