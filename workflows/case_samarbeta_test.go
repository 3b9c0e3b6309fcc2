package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestSummons(t *testing.T) {
	socialWorkerActor := Actor{User: socialWorker.User, Role: casework.RoleParticipant, Unit: socUnit, UnitKind: casework.UnitSocialServices}
	initiators := []struct {
		name    string
		policy  casework.Policy
		by      Actor
		scope   []string
		errType string
	}{
		{"on Norrköping a participant from the central school health team may send the summons", casework.Norrkoping(), schoolNurse, []string{socUnit, centralEHT}, ""},
		{"on Norrbus a participant from the central school health team may not send the summons", casework.Norrbus(), schoolNurse, []string{socUnit, centralEHT}, ErrTypeForbidden},
		{"on Sörmland a participant from the central school health team may not send the summons", casework.Sormland(), schoolNurse, []string{socUnit, centralEHT}, ErrTypeForbidden},
		{"on Norrköping the central school health team may not send the summons when it is outside the consent", casework.Norrkoping(), schoolNurse, []string{socUnit}, ErrTypeForbidden},
		{"on Norrbus a participant from social services may send the summons", casework.Norrbus(), socialWorkerActor, []string{socUnit}, ""},
		{"on Sörmland the named person may send the summons", casework.Sormland(), namedPerson, []string{socUnit}, ""},
		{"a teacher of the named person's unit may not send the summons", casework.Norrkoping(), teacher, []string{socUnit}, ErrTypeForbidden},
	}
	for _, tc := range initiators {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, tc.policy)
			pt.toSamarbeta(false)
			pt.giveConsent(tConsent, tc.scope...)
			s := pt.send(tSummons, UpdateSendSummons, summons(on(tc.by, tSummons), socUnit))
			pt.run(tSummons+time.Minute, func(st CaseState) {
				if tc.errType != "" {
					requireRejected(t, s, tc.errType)
					require.Nil(t, st.Summons)
					return
				}
				requireAccepted(t, s)
				require.Equal(t, tc.by.User, st.Summons.By.User)
				require.Equal(t, DeadlineMet, deadlineOf(st, casework.DeadlineSummons).Status)
			})
		})
	}
	// Each names its field in the refusal's detail, by the API's JSON name.
	rules := []struct {
		name  string
		edit  func(*SendSummons)
		field string
	}{
		{"a summons to an agency outside the consent is rejected", func(s *SendSummons) { s.Agencies = []string{socUnit, centralEHT} }, "agencies[1]"},
		{"a summons to no agency is rejected", func(s *SendSummons) { s.Agencies = nil }, "agencies"},
		{"a summons to a meeting before it is rejected", func(s *SendSummons) { s.MeetingAt = s.OccurredAt.Add(-time.Hour) }, "meetingAt"},
		{"a summons backdated before the consent is rejected", func(s *SendSummons) { s.OccurredAt = friday.Add(tConsent) }, "occurredAt"},
	}
	for _, tc := range rules {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toConsent(false)
			in := summons(on(namedPerson, tSummons), socUnit, bupUnit)
			tc.edit(&in)
			s := pt.send(tSummons, UpdateSendSummons, in)
			pt.run(tSummons+time.Minute, func(st CaseState) {
				requireRejected(t, s, ErrTypeInvalid)
				refusal, _, ok := RefusalOf(s.err)
				require.True(t, ok)
				require.Len(t, refusal.Fields, 1)
				require.Equal(t, tc.field, refusal.Fields[0].Field)
				require.Nil(t, st.Summons)
			})
		})
	}
	t.Run("a summons without consent is a conflict", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSamarbeta(false)
		s := pt.send(tSummons, UpdateSendSummons, summons(on(namedPerson, tSummons), socUnit))
		pt.run(tSummons+time.Minute, func(CaseState) { requireRejected(t, s, ErrTypeConflict) })
	})
	t.Run("a second summons is a conflict", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		s := pt.send(tSummons+time.Minute, UpdateSendSummons, summons(on(namedPerson, tSummons+time.Minute), socUnit))
		pt.run(tSummons+time.Hour, func(CaseState) { requireRejected(t, s, ErrTypeConflict) })
	})
	t.Run("the summons invites the agencies, the child and the guardians", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.run(tSummons+time.Minute, func(s CaseState) {
			require.Equal(t, []Invitation{
				{Participant: socUnit, Status: InvitationPending}, {Participant: bupUnit, Status: InvitationPending},
				{Participant: InviteeChild, Status: InvitationPending}, {Participant: InviteeGuardians, Status: InvitationPending},
			}, s.Summons.Invitations)
		})
	})
}

func TestMeeting(t *testing.T) {
	tMeeting := tMeet // the summoned time (summons)
	cases := []struct {
		name    string
		edit    func(*HoldMeeting)
		errType string
	}{
		{"a meeting with attendance and decisions is recorded", func(*HoldMeeting) {}, ""},
		{"an agency may decide no further action from its side with a reason", func(m *HoldMeeting) {
			m.Decisions = append(m.Decisions, AgencyDecision{UnitID: bupUnit, NoFurtherAction: true, Reason: "inga psykiatriska behov just nu"})
		}, ""},
		{"no further action without a reason is rejected", func(m *HoldMeeting) {
			m.Decisions = append(m.Decisions, AgencyDecision{UnitID: bupUnit, NoFurtherAction: true})
		}, ErrTypeInvalid},
		{"a decision without content is rejected", func(m *HoldMeeting) {
			m.Decisions = append(m.Decisions, AgencyDecision{UnitID: bupUnit})
		}, ErrTypeInvalid},
		{"a decision by an agency that does not take part is rejected", func(m *HoldMeeting) {
			m.Decisions = append(m.Decisions, AgencyDecision{UnitID: centralEHT, Decision: "stöd i klassrummet"})
		}, ErrTypeInvalid},
		{"attendance of someone not summoned is rejected", func(m *HoldMeeting) {
			m.Attendance = append(m.Attendance, Attendance{Participant: centralEHT, Present: true})
		}, ErrTypeInvalid},
		{"a meeting held before the summons is rejected", func(m *HoldMeeting) { m.OccurredAt = friday.Add(tSummons - time.Minute) }, ErrTypeInvalid},
		{"a meeting recorded by a teacher is rejected", func(m *HoldMeeting) { m.By = teacher }, ErrTypeForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toSummons(false)
			in := meeting(on(namedPerson, tMeeting))
			tc.edit(&in)
			m := pt.send(tMeeting, UpdateHoldMeeting, in)
			pt.run(tMeeting+time.Minute, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, m, tc.errType)
					require.Nil(t, s.Meeting)
					return
				}
				requireAccepted(t, m)
				require.Equal(t, in.Decisions, s.Meeting.Decisions)
				require.Equal(t, in.CommonPicture, s.Meeting.CommonPicture)
				require.Equal(t, InvitationAttended, invitationStatus(s, socUnit))
				require.Equal(t, InvitationAbsent, invitationStatus(s, bupUnit))
				require.Equal(t, InvitationAttended, invitationStatus(s, InviteeChild))
				require.Equal(t, InvitationAbsent, invitationStatus(s, InviteeGuardians), "not named present is absent")
			})
		})
	}
	t.Run("a meeting without a summons is a conflict", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		m := pt.send(tMeeting, UpdateHoldMeeting, meeting(on(namedPerson, tMeeting)))
		pt.run(tMeeting+time.Minute, func(CaseState) { requireRejected(t, m, ErrTypeConflict) })
	})
}

func TestCoordinator(t *testing.T) {
	tMeeting := tMeet // the summoned time (summons)
	tAppoint := tMeeting + time.Minute
	ptr := func(p Person) *Person { return &p }
	cases := []struct {
		name    string
		in      AppointCoordinator
		errType string
	}{
		{"the child's wish is appointed", AppointCoordinator{ChildWish: ptr(socialWorker), Coordinator: socialWorker}, ""},
		{"a coordinator without asking the child or saying why is rejected", AppointCoordinator{Coordinator: socialWorker}, ErrTypeInvalid},
		{"a coordinator with why the child could not be asked is appointed", AppointCoordinator{ChildNotAskedWhy: "barnet var sjukt vid mötet", Coordinator: socialWorker}, ""},
		{"a coordinator other than the child's wish without a special reason is rejected",
			AppointCoordinator{ChildWish: ptr(psychiatrist), Coordinator: socialWorker}, ErrTypeInvalid},
		{"a coordinator other than the child's wish with a written special reason is appointed",
			AppointCoordinator{ChildWish: ptr(psychiatrist), Coordinator: socialWorker, SpecialReason: "socialtjänsten ger mer än tidiga insatser"}, ""},
		{"a coordinator from the school without a plan owner is rejected", AppointCoordinator{ChildWish: ptr(mentor), Coordinator: mentor}, ErrTypeInvalid},
		{"a coordinator from the school with a plan owner from social services is appointed",
			AppointCoordinator{ChildWish: ptr(mentor), Coordinator: mentor, PlanOwner: ptr(socialWorker)}, ""},
		{"a coordinator from the school with a plan owner from health care is appointed",
			AppointCoordinator{ChildWish: ptr(mentor), Coordinator: mentor, PlanOwner: ptr(psychiatrist)}, ""},
		{"a coordinator from the school with a plan owner from the school is rejected",
			AppointCoordinator{ChildWish: ptr(mentor), Coordinator: mentor, PlanOwner: ptr(Person{User: "ida.rektor", UnitID: schoolUnit, UnitKind: casework.UnitSchool})}, ErrTypeInvalid},
		{"a coordinator from health care needs no plan owner", AppointCoordinator{ChildWish: ptr(psychiatrist), Coordinator: psychiatrist}, ""},
		{"a coordinator without a unit kind is rejected", AppointCoordinator{ChildNotAskedWhy: "för ungt", Coordinator: Person{User: "x", UnitID: socUnit}}, ErrTypeInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toSummons(false)
			pt.must(tMeeting, UpdateHoldMeeting, meeting(on(namedPerson, tMeeting)))
			tc.in.Command = on(namedPerson, tAppoint)
			a := pt.send(tAppoint, UpdateAppointCoordinator, tc.in)
			pt.run(tAppoint+time.Minute, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, a, tc.errType)
					require.Nil(t, s.Coordinator)
					return
				}
				requireAccepted(t, a)
				require.Equal(t, tc.in.Coordinator, s.Coordinator.Coordinator)
				require.Equal(t, tc.in.SpecialReason, s.Coordinator.SpecialReason)
				require.Equal(t, tc.in.PlanOwner, s.Coordinator.PlanOwner)
			})
		})
	}
	t.Run("a coordinator is not appointed before the first meeting", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		a := pt.send(tAppoint, UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, tAppoint), ChildWish: &socialWorker, Coordinator: socialWorker})
		pt.run(tAppoint+time.Minute, func(CaseState) { requireRejected(t, a, ErrTypeConflict) })
	})
	t.Run("the appointed coordinator may close the case", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.must(tMeeting, UpdateHoldMeeting, meeting(on(namedPerson, tMeeting)))
		pt.must(tAppoint, UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, tAppoint), ChildWish: &socialWorker, Coordinator: socialWorker})
		coordinator := Actor{User: socialWorker.User, Role: casework.RoleCoordinator, Unit: socUnit, UnitKind: casework.UnitSocialServices}
		closed := pt.send(tAppoint+time.Hour, UpdateCloseCase, CloseCase{Command: on(coordinator, tAppoint+time.Hour), Reason: CloseNeedsMet})
		pt.env.ExecuteWorkflow(CaseWorkflowName, CaseStart{CaseID: "testcase-1", Municipality: "norrkoping"})
		requireAccepted(t, closed)
		require.True(t, pt.env.IsWorkflowCompleted())
		require.NoError(t, pt.env.GetWorkflowError())
	})
}
