package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestAssessmentCompletion(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(*RecordAssessment)
		errType string
	}{
		{"an assessment with the child's own view and the five questions may be completed", func(*RecordAssessment) {}, ""},
		{"an assessment without the child's own view cannot be completed", func(a *RecordAssessment) { a.ChildView = ChildView{} }, ErrTypeConflict},
		{"an assessment with a reason why the child's view could not be obtained may be completed",
			func(a *RecordAssessment) {
				a.ChildView = ChildView{NotObtainedReason: "barnet ville inte prata just nu"}
			}, ""},
		{"an assessment whose child's view is only blanks cannot be completed", func(a *RecordAssessment) { a.ChildView = ChildView{View: "  "} }, ErrTypeConflict},
		{"an assessment missing one of the five questions cannot be completed", func(a *RecordAssessment) { a.FiveQuestions.WhatOrgCanDo = "" }, ErrTypeConflict},
		{"an assessment without any area cannot be completed", func(a *RecordAssessment) { a.Areas = nil }, ErrTypeConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toKartlagga()
			a := assessment(on(namedPerson, tAssess))
			tc.edit(&a)
			pt.must(tAssess, UpdateRecordAssessment, a)
			done := pt.send(tComplete, UpdateCompleteAssessment, collaboration(on(namedPerson, tComplete), false))
			pt.run(tComplete+time.Minute, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, done, tc.errType)
					require.Equal(t, casework.PhaseKartlagga, s.Phase)
					require.Nil(t, s.Assessment.Completed)
					return
				}
				requireAccepted(t, done)
				require.Equal(t, casework.PhaseSamarbeta, s.Phase)
			})
		})
	}
	t.Run("an assessment never recorded cannot be completed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		done := pt.send(tComplete, UpdateCompleteAssessment, collaboration(on(namedPerson, tComplete), false))
		pt.run(tComplete+time.Minute, func(CaseState) { requireRejected(t, done, ErrTypeConflict) })
	})
}

func TestAssessmentRecording(t *testing.T) {
	cases := []struct {
		name string
		edit func(*RecordAssessment)
	}{
		{"an unknown wheel area is rejected", func(a *RecordAssessment) { a.Areas[0].Area = "ekonomi" }},
		{"the same area twice is rejected", func(a *RecordAssessment) { a.Areas[1].Area = a.Areas[0].Area }},
		{"an unknown level of concern is rejected", func(a *RecordAssessment) { a.Areas[0].Level = "akut" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toKartlagga()
			a := assessment(on(namedPerson, tAssess))
			tc.edit(&a)
			r := pt.send(tAssess, UpdateRecordAssessment, a)
			pt.run(tAssess+time.Minute, func(s CaseState) {
				requireRejected(t, r, ErrTypeInvalid)
				require.Nil(t, s.Assessment)
			})
		})
	}
	t.Run("a draft saved again replaces the one before", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
		second := assessment(on(namedPerson, tAssess+time.Minute))
		second.ChildView.View = "vill byta klass"
		second.Areas = second.Areas[:1]
		pt.must(tAssess+time.Minute, UpdateRecordAssessment, second)
		pt.run(tAssess+time.Hour, func(s CaseState) {
			require.Equal(t, "vill byta klass", s.Assessment.ChildView.View)
			require.Len(t, s.Assessment.Areas, 1)
		})
	})
	t.Run("an assessment is not recorded before the named person has taken the case", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		r := pt.send(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
		pt.run(tAssess+time.Minute, func(CaseState) { requireRejected(t, r, ErrTypeConflict) })
	})
}

func TestAssessmentOutcome(t *testing.T) {
	t.Run("handled within the own organisation closes the case and ends the workflow", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
		done := pt.send(tComplete, UpdateCompleteAssessment, CompleteAssessment{Command: on(namedPerson, tComplete), Outcome: OutcomeOwnOrganisation})
		pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
		require.True(t, pt.env.IsWorkflowCompleted())
		require.NoError(t, pt.env.GetWorkflowError(), "a closed case completes")
		requireAccepted(t, done)
		require.Equal(t, casework.PhaseClosed, done.result().Phase)
		s := pt.state(t)
		require.Equal(t, CloseOwnOrganisation, s.Closed.Reason)
		require.Equal(t, casework.PhaseClosed, s.Phase)
		last := pt.projections[len(pt.projections)-1]
		require.Equal(t, casework.PhaseClosed, last.Phase, "the read model saw the case closed")
	})
	t.Run("handled within the own organisation with own follow-up goes to uppföljning", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
		pt.must(tComplete, UpdateCompleteAssessment, CompleteAssessment{Command: on(namedPerson, tComplete), Outcome: OutcomeOwnOrganisation, OwnFollowUp: true})
		pt.run(tComplete+time.Minute, func(s CaseState) {
			require.Equal(t, casework.PhaseUppfoljning, s.Phase)
			require.Nil(t, s.Closed)
		})
	})
	t.Run("collaboration goes to samarbeta with consent pending and no deadline yet", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSamarbeta(false)
		pt.run(tComplete+time.Minute, func(s CaseState) {
			require.Equal(t, casework.PhaseSamarbeta, s.Phase)
			require.Equal(t, ConsentPending, s.ConsentStatus)
			require.Equal(t, proposed, s.Assessment.ProposedAgencies)
			require.Nil(t, deadlineOf(s, casework.DeadlineSummons), "the summons deadline counts from consent")
		})
	})
	rejected := []struct {
		name string
		in   CompleteAssessment
	}{
		{"collaboration without proposed agencies is rejected", CompleteAssessment{Outcome: OutcomeCollaboration, RelevantAreas: []casework.WheelArea{casework.AreaHemmet}}},
		{"collaboration without relevant areas is rejected", CompleteAssessment{Outcome: OutcomeCollaboration, ProposedAgencies: proposed}},
		{"an unknown outcome is rejected", CompleteAssessment{Outcome: "okänt"}},
	}
	for _, tc := range rejected {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toKartlagga()
			pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
			tc.in.Command = on(namedPerson, tComplete)
			done := pt.send(tComplete, UpdateCompleteAssessment, tc.in)
			pt.run(tComplete+time.Minute, func(s CaseState) {
				requireRejected(t, done, ErrTypeInvalid)
				require.Equal(t, casework.PhaseKartlagga, s.Phase)
			})
		})
	}
}
