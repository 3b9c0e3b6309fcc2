package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// requireNothingAboutTheChild: a notification names the case, never the child (concernAt's child is
// "Testbarn", 2012-03-15, 201203159812) nor the meeting's place, which is free text.
func requireNothingAboutTheChild(t *testing.T, n notified) {
	t.Helper()
	for _, secret := range []string{"Testbarn", "201203159812", "20120315", "Testskolan, rum 2"} {
		require.NotContains(t, n.req.Subject+" "+n.req.Text, secret)
	}
	require.Contains(t, n.req.Text, "testcase-1", "the text names the case")
}

func TestPeopleAreToldWhatIsNowTheirs(t *testing.T) {
	t.Run("a new case tells the named persons of its unit once, with the deadline to take it", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.Add(tConcern)))
		pt.must(time.Hour, UpdateRegisterConcern, concernAt("c2", friday.Add(time.Hour)))
		pt.run(2*time.Hour, func(s CaseState) {
			told := pt.notifiedWith(string(activities.NotifyNewCase))
			require.Len(t, told, 1, "the second concern joins the case; only the first makes it new")
			n := told[0]
			require.Equal(t, "testcase-1/new-case", n.req.Key)
			require.Equal(t, []casework.Assignee{{UnitID: schoolUnit, Role: casework.RoleNamedPerson}}, n.req.Recipients)
			due := deadlineOf(s, casework.DeadlineAcknowledge).DueAt
			require.Contains(t, n.req.Text, "Ta emot det senast "+localMinute(due))
			requireNothingAboutTheChild(t, n)
		})
	})
	t.Run("a concern seen long ago tells that its deadline has passed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.must(tConcern, UpdateRegisterConcern, concernAt("c1", friday.AddDate(0, 0, -21)))
		pt.run(time.Hour, func(CaseState) {
			told := pt.notifiedWith(string(activities.NotifyNewCase))
			require.Len(t, told, 1)
			require.Contains(t, told[0].req.Text, "gick ut")
		})
	})
	t.Run("the summons tells each invited agency's representatives once, with the meeting's time", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.run(tSummons+time.Hour, func(s CaseState) {
			require.True(t, s.Summons.InvitedUnitsTold)
			told := pt.notifiedWith(string(activities.NotifySummoned))
			require.Len(t, told, 2, "social services and BUP; the child and the guardians are invited by the named person")
			byKey := map[string]notified{}
			for _, n := range told {
				byKey[n.req.Key] = n
				requireNothingAboutTheChild(t, n)
				require.Contains(t, n.req.Text, localMinute(friday.Add(tMeet)), "the meeting's time")
			}
			require.Equal(t, []casework.Assignee{{UnitID: socUnit, Role: casework.RoleParticipant}}, byKey["testcase-1/summons/"+socUnit].req.Recipients,
				"social services have no named person: their representatives are told")
			require.Equal(t, []casework.Assignee{{UnitID: bupUnit, Role: casework.RoleParticipant}}, byKey["testcase-1/summons/"+bupUnit].req.Recipients)
		})
	})
	t.Run("an invitation whose sending fails is retried and tells its unit once", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.notifyFailures["testcase-1/summons/"+bupUnit] = 2
		pt.toSummons(false)
		pt.run(tSummons+time.Hour, func(CaseState) {
			require.Equal(t, 3, pt.notifyAttempts["testcase-1/summons/"+bupUnit])
			n := 0
			for _, x := range pt.notifiedWith(string(activities.NotifySummoned)) {
				if x.req.Key == "testcase-1/summons/"+bupUnit {
					n++
				}
			}
			require.Equal(t, 1, n)
		})
	})
	t.Run("the coordinator and the plan owner are told when appointed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.must(tMeet, UpdateHoldMeeting, meeting(on(namedPerson, tMeet)))
		pt.must(tCoord, UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, tCoord), ChildWish: &mentor,
			Coordinator: mentor, PlanOwner: &socialWorker})
		pt.run(tCoord+time.Hour, func(CaseState) {
			told := pt.notifiedWith(string(activities.NotifyAppointed))
			require.Len(t, told, 2)
			to := map[string]string{}
			for _, n := range told {
				require.Len(t, n.req.Recipients, 1)
				to[n.req.Recipients[0].UserID] = n.req.Subject
				requireNothingAboutTheChild(t, n)
			}
			require.Contains(t, to[mentor.User], "samordnare")
			require.Contains(t, to[socialWorker.User], "planansvarig")
		})
	})
}

func TestAnswerInvitation(t *testing.T) {
	tAnswer := tSummons + time.Hour
	answer := func(by Actor, id string, r InvitationResponse) AnswerInvitation {
		return AnswerInvitation{Command: on(by, tAnswer), InvitationID: id, Response: r}
	}
	cases := []struct {
		name    string
		in      AnswerInvitation
		errType string
		field   string
	}{
		{"BUP accepts", answer(bupDoctor, bupUnit, InvitationAccept), "", ""},
		{"social services' supervisor declines for them, saying why", func() AnswerInvitation {
			a := answer(socChef, socUnit, InvitationDecline)
			a.Reason = "ingen handläggare är ledig den dagen"
			return a
		}(), "", ""},
		{"BUP proposes another person", func() AnswerInvitation {
			a := answer(bupDoctor, bupUnit, InvitationProposeOther)
			a.ProposedPerson = &Person{User: "ulla.bup", Name: "Ulla", UnitID: bupUnit, UnitKind: casework.UnitBUP}
			return a
		}(), "", ""},
		{"a decline without a reason is refused", answer(bupDoctor, bupUnit, InvitationDecline), ErrTypeInvalid, "reason"},
		{"a proposal without whom is refused", answer(bupDoctor, bupUnit, InvitationProposeOther), ErrTypeInvalid, "proposedPerson"},
		{"an unknown response is refused", answer(bupDoctor, bupUnit, "maybe"), ErrTypeInvalid, "response"},
		{"an answer dated before the summons is refused", func() AnswerInvitation {
			a := answer(bupDoctor, bupUnit, InvitationAccept)
			a.OccurredAt = friday.Add(tSummons - time.Minute)
			return a
		}(), ErrTypeInvalid, "occurredAt"},
		{"an invitation the case does not have is refused", answer(schoolNurse, centralEHT, InvitationAccept), ErrTypeInvalid, "invitationId"},
		{"the child's invitation is not answered here", answer(namedPerson, InviteeChild, InvitationAccept), ErrTypeInvalid, "invitationId"},
		{"another agency cannot answer for BUP", answer(coordinator, bupUnit, InvitationAccept), ErrTypeForbidden, ""},
		{"the named person cannot answer for BUP", answer(namedPerson, bupUnit, InvitationAccept), ErrTypeForbidden, ""},
		{"a reporter of BUP cannot answer for it", answer(Actor{User: "x", Role: casework.RoleReporter, Unit: bupUnit}, bupUnit, InvitationAccept), ErrTypeForbidden, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toSummons(false)
			a := pt.send(tAnswer, UpdateAnswerInvitation, tc.in)
			pt.run(tAnswer+time.Minute, func(s CaseState) {
				if tc.errType != "" {
					requireRejected(t, a, tc.errType)
					if tc.field != "" {
						refusal, _, ok := RefusalOf(a.err)
						require.True(t, ok)
						require.Equal(t, tc.field, refusal.Fields[0].Field)
					}
					for _, inv := range s.Summons.Invitations {
						require.Nil(t, inv.Answer)
					}
					return
				}
				requireAccepted(t, a)
				got := s.invitation(tc.in.InvitationID).Answer
				require.NotNil(t, got)
				require.Equal(t, tc.in.Response, got.Response)
				require.Equal(t, tc.in.Reason, got.Reason)
				require.Equal(t, tc.in.ProposedPerson, got.ProposedPerson)
				require.Equal(t, tc.in.By, got.By)
				require.Equal(t, InvitationPending, s.invitation(tc.in.InvitationID).Status, "the meeting says who came")
			})
		})
	}
	t.Run("each invited agency has a task until it answers; a later answer replaces the first", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.at(tAnswer-time.Minute, func(s CaseState) {
			require.Equal(t, []casework.Assignee{{UnitID: socUnit}, {UnitID: bupUnit}}, taskOf(s, TaskAnswerInvitation).Assignees)
		})
		pt.must(tAnswer, UpdateAnswerInvitation, answer(bupDoctor, bupUnit, InvitationAccept))
		pt.at(tAnswer+time.Minute, func(s CaseState) {
			require.Equal(t, []casework.Assignee{{UnitID: socUnit}}, taskOf(s, TaskAnswerInvitation).Assignees)
		})
		changed := answer(bupDoctor, bupUnit, InvitationDecline)
		changed.OccurredAt, changed.Reason = friday.Add(tAnswer+time.Hour), "akut ärende krockar"
		pt.must(tAnswer+time.Hour, UpdateAnswerInvitation, changed)
		pt.must(tAnswer+2*time.Hour, UpdateAnswerInvitation, answer(coordinator, socUnit, InvitationAccept))
		pt.run(tAnswer+3*time.Hour, func(s CaseState) {
			require.Equal(t, InvitationDecline, s.invitation(bupUnit).Answer.Response)
			require.Nil(t, taskOf(s, TaskAnswerInvitation), "every agency has answered")
		})
	})
	t.Run("once the meeting is recorded, or the agency's consent revoked, there is nothing to answer", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke, bupUnit))
		revoked := pt.send(tRevoke+time.Minute, UpdateAnswerInvitation, AnswerInvitation{Command: on(bupDoctor, tRevoke+time.Minute),
			InvitationID: bupUnit, Response: InvitationAccept})
		held := meeting(on(namedPerson, tMeet))
		held.Attendance = []Attendance{{Participant: socUnit, Present: true}}
		pt.must(tMeet, UpdateHoldMeeting, held)
		late := pt.send(tMeet+time.Minute, UpdateAnswerInvitation, AnswerInvitation{Command: on(coordinator, tMeet+time.Minute),
			InvitationID: socUnit, Response: InvitationAccept})
		pt.run(tMeet+time.Hour, func(s CaseState) {
			requireRejected(t, revoked, ErrTypeConflict)
			requireRejected(t, late, ErrTypeConflict)
			require.Nil(t, taskOf(s, TaskAnswerInvitation))
		})
	})
}

func TestMeetingAsSummoned(t *testing.T) {
	t.Run("the named person's own unit attends and decides like every agency", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		in := meeting(on(namedPerson, tMeet))
		in.Attendance = append(in.Attendance, Attendance{Participant: schoolUnit, Present: true})
		in.Decisions = append(in.Decisions, AgencyDecision{UnitID: schoolUnit, Decision: "anpassad studiegång"})
		m := pt.send(tMeet, UpdateHoldMeeting, in)
		pt.run(tMeet+time.Minute, func(s CaseState) {
			requireAccepted(t, m)
			require.Equal(t, in.Attendance, s.Meeting.Attendance)
			require.Equal(t, in.Decisions, s.Meeting.Decisions)
		})
	})
	t.Run("a meeting before the summoned time is a conflict, and one dated before it is refused naming occurredAt", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		early := pt.send(tMeet-time.Hour, UpdateHoldMeeting, meeting(on(namedPerson, tMeet-time.Hour)))
		backdated := pt.send(tMeet+time.Hour, UpdateHoldMeeting, meeting(on(namedPerson, tMeet-time.Minute)))
		pt.run(tMeet+2*time.Hour, func(s CaseState) {
			requireRejected(t, early, ErrTypeConflict)
			requireRejected(t, backdated, ErrTypeInvalid)
			refusal, _, _ := RefusalOf(backdated.err)
			require.Equal(t, "occurredAt", refusal.Fields[0].Field)
			require.Nil(t, s.Meeting)
		})
	})
}

func taskOf(s CaseState, kind TaskKind) *Task {
	for _, t := range s.OpenTasks() {
		if t.Kind == kind {
			return &t
		}
	}
	return nil
}
