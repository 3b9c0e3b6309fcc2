package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

func TestRouting(t *testing.T) {
	t.Run("the case records whatever unit, reason and policy the routing activity answers", func(t *testing.T) {
		var asked []activities.RouteConcernRequest
		kaa := casework.UnitRef{ID: "sormland-kaa-1", Name: "KAA Eskilstuna", Kind: casework.UnitKAA}
		ct := newRoutedCaseTest(t, func(req activities.RouteConcernRequest) (activities.RouteConcernResult, error) {
			asked = append(asked, req)
			return activities.RouteConcernResult{Unit: kaa, Reason: "har lämnat gymnasiet", Policy: casework.Sormland()}, nil
		})
		pt := &processTest{caseTest: ct, t: t}
		first := concernAt("c1", friday.Add(-time.Hour))
		first.Municipality = "eskilstuna"
		pt.must(tConcern, UpdateRegisterConcern, first)
		pt.must(time.Minute, UpdateRegisterConcern, concernAt("c2", friday.Add(time.Minute)))
		pt.run(time.Hour, func(s CaseState) {
			require.Equal(t, kaa, *s.NamedPersonUnit)
			require.Equal(t, "har lämnat gymnasiet", s.RoutingReason)
			require.Equal(t, casework.Sormland(), s.Policy, "the case keeps the policy version it was routed with")
			require.True(t, friday.Add(-time.Hour).Equal(s.OpenedAt), "the case opens at the concern's business time")
			require.Equal(t, casework.PhaseUpptacka, s.Phase)
			require.Len(t, asked, 1, "only the first concern is routed")
			require.Equal(t, "eskilstuna", asked[0].Municipality)
			require.Equal(t, first.Child.Schooling, asked[0].Schooling)
			require.Equal(t, first.Child.BirthDate, asked[0].BirthDate)
			require.True(t, first.OccurredAt.Equal(asked[0].OccurredAt))
		})
	})
}

func TestAcknowledgement(t *testing.T) {
	cases := []struct {
		name    string
		by      Actor
		errType string // empty: accepted
	}{
		{"the named person of the unit takes the case", namedPerson, ""},
		{"a teacher of the same unit may not take the case", teacher, ErrTypeForbidden},
		{"a colleague of the same unit without the named person's role may not take the case", colleague, ErrTypeForbidden},
		{"the named person of another unit may not take the case", otherNamedPerson, ErrTypeForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrkoping())
			pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
			ack := pt.send(tAck, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(tc.by, tAck)})
			pt.run(tAck+time.Minute, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, ack, tc.errType)
					require.Nil(t, s.Acknowledged)
					require.Equal(t, casework.PhaseUpptacka, s.Phase)
					return
				}
				requireAccepted(t, ack)
				require.Equal(t, casework.PhaseKartlagga, ack.result().Phase)
				require.Equal(t, casework.PhaseKartlagga, s.Phase)
				require.Equal(t, namedPerson.User, s.Assessor)
				require.Equal(t, DeadlineMet, s.Deadlines[0].Status)
			})
		})
	}
	t.Run("a case already taken cannot be taken again", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toKartlagga()
		again := pt.send(tAck+time.Minute, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, tAck+time.Minute)})
		pt.run(tAck+time.Hour, func(CaseState) { requireRejected(t, again, ErrTypeConflict) })
	})
}

func TestDelegation(t *testing.T) {
	t.Run("a colleague may not assess until the named person delegates, and then may", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		before := pt.send(tAck+time.Minute, UpdateRecordAssessment, assessment(on(colleague, tAck+time.Minute)))
		pt.must(tAck+2*time.Minute, UpdateDelegateAssessment, DelegateAssessment{Command: on(namedPerson, tAck+2*time.Minute), To: colleague.User, ToName: colleague.Name})
		after := pt.send(tAssess, UpdateRecordAssessment, assessment(on(colleague, tAssess)))
		done := pt.send(tComplete, UpdateCompleteAssessment, collaboration(on(colleague, tComplete), false))
		pt.run(tComplete+time.Minute, func(s CaseState) {
			requireRejected(t, before, ErrTypeForbidden)
			requireAccepted(t, after)
			requireAccepted(t, done)
			require.Equal(t, colleague.User, s.Assessor)
			require.Equal(t, colleague.User, s.Assessment.By.User)
			require.Equal(t, casework.PhaseSamarbeta, s.Phase)
		})
	})
	t.Run("a delegate must work in the named person's unit", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		elsewhere := Actor{User: colleague.User, Role: casework.RoleParticipant, Unit: "norrkoping-skola-2"}
		pt.must(tAck+time.Minute, UpdateDelegateAssessment, DelegateAssessment{Command: on(namedPerson, tAck+time.Minute), To: colleague.User})
		assess := pt.send(tAssess, UpdateRecordAssessment, assessment(on(elsewhere, tAssess)))
		pt.run(tAssess+time.Minute, func(CaseState) { requireRejected(t, assess, ErrTypeForbidden) })
	})
	t.Run("only the named person may delegate", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		d := pt.send(tAck+time.Minute, UpdateDelegateAssessment, DelegateAssessment{Command: on(colleague, tAck+time.Minute), To: colleague.User})
		pt.run(tAck+time.Hour, func(s CaseState) {
			requireRejected(t, d, ErrTypeForbidden)
			require.Equal(t, namedPerson.User, s.Assessor)
		})
	})
}

func TestHarmReportGuard(t *testing.T) {
	reportedAt := friday.Add(30 * time.Minute)
	cases := []struct {
		name    string
		in      RecordHarmReport
		errType string
		missing bool // HarmReportMissing afterwards
	}{
		{"a report made, with when, answers the guard", RecordHarmReport{Reported: true, ReportedAt: &reportedAt}, "", false},
		{"a report made without when it was made is rejected", RecordHarmReport{Reported: true}, ErrTypeInvalid, true},
		{"no report made, with a reason, answers the guard", RecordHarmReport{Reported: false, Reason: "socialtjänsten känner redan till familjen"}, "", false},
		{"no report made without a reason is rejected", RecordHarmReport{Reported: false}, ErrTypeInvalid, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrkoping())
			c := concernAt("c1", friday.Add(tConcern))
			c.SuspectsHarm = true
			pt.must(tConcern, UpdateRegisterConcern, c)
			pt.at(tConcern+time.Minute, func(s CaseState) {
				require.True(t, s.HarmReportMissing(), "a suspicion of harm without an answer must show")
			})
			tc.in.Command = on(teacher, time.Hour)
			r := pt.send(time.Hour, UpdateRecordHarmReport, tc.in)
			pt.run(2*time.Hour, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, r, tc.errType)
				} else {
					requireAccepted(t, r)
				}
				require.Equal(t, tc.missing, s.HarmReportMissing())
			})
		})
	}
	t.Run("a concern without suspicion of harm asks for no report", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		pt.run(time.Hour, func(s CaseState) { require.False(t, s.HarmReportMissing()) })
	})
	t.Run("a joining concern with suspicion of harm raises the guard on an open case", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toKartlagga()
		c := concernAt("c2", friday.Add(tAssess))
		c.SuspectsHarm = true
		pt.must(tAssess, UpdateRegisterConcern, c)
		pt.run(tAssess+time.Minute, func(s CaseState) { require.True(t, s.HarmReportMissing()) })
	})
}
