package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestSecondConcernAndClosing(t *testing.T) {
	t.Run("a second concern joins the open case, says so, and does not restart the acknowledgement deadline", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		var first []Deadline
		pt.at(time.Minute, func(s CaseState) { first = s.Deadlines })
		// A day later, during the weekend: a restarted deadline would fall due later.
		second := pt.must(24*time.Hour, UpdateRegisterConcern, concernAt("c2", friday.Add(24*time.Hour)))
		pt.run(25*time.Hour, func(s CaseState) {
			res := second.value.(RegisterConcernResult)
			require.True(t, res.Joined)
			require.Equal(t, asJSON(t, first), asJSON(t, s.Deadlines))
			require.Equal(t, asJSON(t, first), asJSON(t, res.Deadlines))
			require.Len(t, noticesOf(s, NoticeConcernJoined), 1, "the named person is told")
			require.Len(t, s.Concerns, 2)
			require.True(t, friday.Add(tConcern).Equal(s.OpenedAt))
		})
	})
	t.Run("closing the case cancels its open deadlines and completes the workflow, so the next concern starts a new run", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		closed := pt.send(tSummons, UpdateCloseCase, CloseCase{Command: on(namedPerson, tSummons), Reason: CloseSocialServicesInvest, Note: "utredning inledd"})
		pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
		requireAccepted(t, closed)
		// With update-with-start and USE_EXISTING, a concern after this finds no running workflow for
		// the child's ID and starts a new one.
		require.True(t, pt.env.IsWorkflowCompleted())
		require.NoError(t, pt.env.GetWorkflowError())
		s := pt.state(t)
		require.Equal(t, casework.PhaseClosed, s.Phase)
		require.Equal(t, CloseSocialServicesInvest, s.Closed.Reason)
		require.Equal(t, "utredning inledd", s.Closed.Note)
		for _, kind := range []casework.DeadlineKind{casework.DeadlineSummons, casework.DeadlineMeeting} {
			require.Equal(t, DeadlineCancelled, deadlineOf(s, kind).Status)
		}
		require.Equal(t, DeadlineMet, deadlineOf(s, casework.DeadlineAcknowledge).Status)
		require.Equal(t, casework.PhaseClosed, pt.projections[len(pt.projections)-1].Phase)
	})
	closing := []struct {
		name    string
		in      CloseCase
		errType string
	}{
		{"a case cannot be closed for an unknown reason", CloseCase{Command: on(namedPerson, tAssess), Reason: "tröttnade"}, ErrTypeInvalid},
		{"a teacher cannot close the case", CloseCase{Command: on(teacher, tAssess), Reason: CloseNeedsMet}, ErrTypeForbidden},
	}
	for _, tc := range closing {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toKartlagga()
			r := pt.send(tAssess, UpdateCloseCase, tc.in)
			pt.run(tAssess+time.Minute, func(s CaseState) {
				requireRejected(t, r, tc.errType)
				require.Nil(t, s.Closed)
			})
		})
	}
}

// TestValidatorsRejectBeforeHistory: a command the validator rejects never reaches the handler, so
// the case is exactly as it was – not even its sequence number moves – and nothing is projected.
func TestValidatorsRejectBeforeHistory(t *testing.T) {
	const at = tSummons + time.Hour
	reportedAt := friday.Add(at)
	cases := []struct {
		name    string
		update  string
		in      any
		errType string
	}{
		{"a second acknowledgement", UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, at)}, ErrTypeConflict},
		{"a delegation by a teacher", UpdateDelegateAssessment, DelegateAssessment{Command: on(teacher, at), To: teacher.User}, ErrTypeForbidden},
		{"a harm report made without when", UpdateRecordHarmReport, RecordHarmReport{Command: on(teacher, at), Reported: true}, ErrTypeInvalid},
		{"a harm report made in the future", UpdateRecordHarmReport, RecordHarmReport{Command: on(teacher, at), Reported: true, ReportedAt: func() *time.Time { t := reportedAt.Add(time.Hour); return &t }()}, ErrTypeInvalid},
		{"an assessment after the assessment phase", UpdateRecordAssessment, assessment(on(namedPerson, at)), ErrTypeConflict},
		{"a second completion of the assessment", UpdateCompleteAssessment, collaboration(on(namedPerson, at), false), ErrTypeConflict},
		{"a consent outside the proposed agencies", UpdateRecordConsent, guardianConsent(on(namedPerson, at), guardianOne, "", "okänd-enhet"), ErrTypeInvalid},
		{"a revocation for an agency outside the consent", UpdateRevokeConsent, revoke(at, "okänd-enhet"), ErrTypeInvalid},
		{"a second summons", UpdateSendSummons, summons(on(namedPerson, at), socUnit), ErrTypeConflict},
		{"a meeting before the time it was summoned to", UpdateHoldMeeting, meeting(on(namedPerson, at)), ErrTypeConflict},
		{"a coordinator before the meeting", UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, at), ChildWish: &socialWorker, Coordinator: socialWorker}, ErrTypeConflict},
		{"a closing for an unknown reason", UpdateCloseCase, CloseCase{Command: on(namedPerson, at), Reason: "okänd"}, ErrTypeInvalid},
		{"a command happening in the future", UpdateCloseCase, CloseCase{Command: on(namedPerson, at+time.Hour), Reason: CloseNeedsMet}, ErrTypeInvalid},
		{"a command before the case opened", UpdateCloseCase, CloseCase{Command: on(namedPerson, 0), Reason: CloseNeedsMet}, ErrTypeInvalid},
		{"a command without its actor", UpdateCloseCase, CloseCase{Command: on(Actor{}, at), Reason: CloseNeedsMet}, ErrTypeInvalid},
		{"a command without its business time", UpdateCloseCase, CloseCase{Command: Command{By: namedPerson}, Reason: CloseNeedsMet}, ErrTypeInvalid},
		{"a concern without its ID", UpdateRegisterConcern, concernAt("", friday.Add(at)), ErrTypeInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is rejected and leaves the case unchanged", func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toSummons(false)
			var before string
			var projected int
			pt.at(at-time.Minute, func(s CaseState) { before, projected = asJSON(t, s), len(pt.projections) })
			r := pt.send(at, tc.update, tc.in)
			pt.run(at+time.Minute, func(s CaseState) {
				requireRejected(t, r, tc.errType)
				require.Equal(t, before, asJSON(t, s))
				require.Equal(t, projected, len(pt.projections), "nothing changed, so nothing is projected")
			})
		})
	}
	t.Run("a process command before any concern is a conflict", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		r := pt.send(time.Second, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, 0)})
		pt.must(time.Minute, UpdateRegisterConcern, concernAt("c1", friday.Add(time.Minute)))
		pt.run(time.Hour, func(s CaseState) {
			requireRejected(t, r, ErrTypeConflict)
			require.Nil(t, s.Acknowledged)
		})
	})
}

func TestContinuedRun(t *testing.T) {
	t.Run("a run continued from carried state projects it at once and keeps its open deadline", func(t *testing.T) {
		p := casework.Norrbus()
		carried := CaseState{
			CaseID: "testcase-1", Municipality: "norrkoping", Policy: p, Phase: casework.PhaseUpptacka,
			NamedPersonUnit: &casework.UnitRef{ID: schoolUnit, Name: "Testskolan", Kind: casework.UnitSchool},
			OpenedAt:        friday,
			Deadlines: []Deadline{{Kind: casework.DeadlineAcknowledge, StartedAt: friday, Rule: "2 arbetsdagar",
				DueAt: dueAt(t, p, casework.DeadlineAcknowledge, 0), Status: DeadlineOpen}},
			Seq: 41,
		}
		ct := newCaseTest(t, p)
		ct.env.RegisterDelayedCallback(func() {
			require.NotEmpty(t, ct.projections, "the carried state was not projected")
			require.Equal(t, int64(41), ct.projections[0].StateSeq)
		}, time.Minute)
		due := carried.Deadlines[0].DueAt
		ct.env.RegisterDelayedCallback(func() {
			s := ct.state(t)
			require.Equal(t, DeadlineMissed, s.Deadlines[0].Status)
			require.True(t, due.Add(time.Millisecond).Equal(*s.Deadlines[0].SettledAt))
			ct.env.CancelWorkflow()
		}, offset(due)+time.Minute)
		ct.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping", Carried: &carried})
	})
}
