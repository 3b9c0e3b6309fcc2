package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

const tRevoke = tSummons + time.Hour

func revoke(after time.Duration, agencies ...string) RevokeConsent {
	return RevokeConsent{Command: on(namedPerson, after), Party: PartyGuardian, PartyName: guardianOne, Agencies: agencies}
}

func TestRevocationMidSummons(t *testing.T) {
	t.Run("revoking consent for one agency after the summons removes it and cancels its invitation", func(t *testing.T) {
		p := casework.Norrbus()
		pt := newProcessTest(t, p)
		pt.toSummons(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke, bupUnit))
		withBUP := meeting(on(namedPerson, tMeet))
		withBUP.Decisions = append(withBUP.Decisions, AgencyDecision{UnitID: bupUnit, Decision: "utredning"})
		rejected := pt.send(tMeet, UpdateHoldMeeting, withBUP)
		held := meeting(on(namedPerson, tMeet+time.Hour))
		held.Attendance = []Attendance{{Participant: socUnit, Present: true}, {Participant: InviteeGuardians, Present: true}}
		pt.must(tMeet+time.Hour, UpdateHoldMeeting, held)
		pt.at(tRevoke+time.Minute, func(s CaseState) {
			require.Equal(t, ConsentGiven, s.ConsentStatus)
			require.Equal(t, []string{socUnit}, s.ConsentScope)
			require.Equal(t, ParticipantRemoved, participantStatus(s, bupUnit))
			require.Equal(t, ParticipantActive, participantStatus(s, socUnit))
			require.False(t, s.ActiveParticipant(bupUnit), "a revoked agency loses access at once")
			for _, p := range s.Participants {
				if p.Unit.ID == bupUnit {
					require.True(t, friday.Add(tRevoke).Equal(*p.Until))
				}
			}
			require.Equal(t, InvitationCancelled, invitationStatus(s, bupUnit))
			for _, still := range []string{socUnit, InviteeChild, InviteeGuardians} {
				require.Equal(t, InvitationPending, invitationStatus(s, still), "%s is still invited", still)
			}
			notices := noticesOf(s, NoticeConsentRevoked)
			require.Len(t, notices, 1)
			require.True(t, strings.Contains(notices[0].Text, bupUnit), "the notice names the agency: %s", notices[0].Text)
			require.Equal(t, DeadlineOpen, deadlineOf(s, casework.DeadlineMeeting).Status, "the meeting is still due")
			require.Equal(t, DeadlineMet, deadlineOf(s, casework.DeadlineSummons).Status)
		})
		pt.run(tMeet+2*time.Hour, func(s CaseState) {
			requireRejected(t, rejected, ErrTypeInvalid)
			require.Equal(t, DeadlineMet, deadlineOf(s, casework.DeadlineMeeting).Status)
			require.Equal(t, InvitationAttended, invitationStatus(s, socUnit))
			require.Equal(t, InvitationCancelled, invitationStatus(s, bupUnit))
			require.Equal(t, InvitationAbsent, invitationStatus(s, InviteeChild))
		})
	})
	t.Run("revoking consent wholly after the summons cancels the meeting, its deadline and every invitation", func(t *testing.T) {
		p := casework.Norrbus()
		pt := newProcessTest(t, p)
		pt.toSummons(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke))
		held := pt.send(tRevoke+time.Hour, UpdateHoldMeeting, meeting(on(namedPerson, tRevoke+time.Hour)))
		again := pt.send(tRevoke+2*time.Hour, UpdateSendSummons, summons(on(namedPerson, tRevoke+2*time.Hour), socUnit))
		meetingDue := dueAt(t, p, casework.DeadlineMeeting, tConsent+time.Minute)
		pt.run(offset(meetingDue)+time.Hour, func(s CaseState) {
			requireRejected(t, held, ErrTypeConflict)
			requireRejected(t, again, ErrTypeConflict)
			require.Equal(t, ConsentRevoked, s.ConsentStatus)
			require.Empty(t, s.ConsentScope)
			for _, id := range []string{socUnit, bupUnit} {
				require.Equal(t, ParticipantRemoved, participantStatus(s, id))
			}
			for _, inv := range s.Summons.Invitations {
				require.Equal(t, InvitationCancelled, inv.Status, "%s", inv.Participant)
			}
			require.Equal(t, DeadlineCancelled, deadlineOf(s, casework.DeadlineMeeting).Status)
			require.Equal(t, DeadlineMet, deadlineOf(s, casework.DeadlineSummons).Status)
			require.Empty(t, s.Deviations, "a cancelled deadline is never missed")
			require.False(t, s.Overdue)
			require.Nil(t, s.Meeting)
			notices := noticesOf(s, NoticeConsentRevoked)
			require.Len(t, notices, 1)
			require.Contains(t, notices[0].Text, "helt")
		})
	})
	t.Run("revoking consent for every agency one by one is a whole revocation", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSummons(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke, bupUnit))
		pt.must(tRevoke+time.Minute, UpdateRevokeConsent, revoke(tRevoke+time.Minute, socUnit))
		pt.run(tRevoke+time.Hour, func(s CaseState) {
			require.Equal(t, ConsentRevoked, s.ConsentStatus)
			require.Equal(t, DeadlineCancelled, deadlineOf(s, casework.DeadlineMeeting).Status)
			require.Equal(t, InvitationCancelled, invitationStatus(s, InviteeGuardians))
		})
	})
}

func TestRevocationAndLaterAnswers(t *testing.T) {
	t.Run("revoking one agency while consent is pending leaves it out once consent is complete", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toSamarbeta(false)
		pt.must(tConsent, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent), guardianOne, CustodyJoint, socUnit, bupUnit))
		pt.must(tConsent+time.Minute, UpdateRevokeConsent, revoke(tConsent+time.Minute, bupUnit))
		pt.at(tConsent+2*time.Minute, func(s CaseState) {
			require.Equal(t, ConsentPending, s.ConsentStatus, "a revocation for one agency is not a whole one")
		})
		pt.must(tConsent+time.Hour, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent+time.Hour), guardianTwo, "", socUnit, bupUnit))
		pt.must(tConsent+2*time.Hour, UpdateRecordConsent, childConsent(on(namedPerson, tConsent+2*time.Hour), socUnit, bupUnit))
		pt.run(tConsent+3*time.Hour, func(s CaseState) {
			require.Equal(t, ConsentGiven, s.ConsentStatus)
			require.Equal(t, []string{socUnit}, s.ConsentScope)
			require.False(t, s.ActiveParticipant(bupUnit))
			require.NotNil(t, deadlineOf(s, casework.DeadlineSummons))
		})
	})
	t.Run("a later answer from another party does not bring back an agency one guardian revoked", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke, bupUnit))
		pt.must(tRevoke+time.Hour, UpdateRecordConsent, guardianConsent(on(namedPerson, tRevoke+time.Hour), guardianTwo, "", socUnit, bupUnit))
		pt.run(tRevoke+2*time.Hour, func(s CaseState) {
			require.Equal(t, ConsentGiven, s.ConsentStatus)
			require.Equal(t, []string{socUnit}, s.ConsentScope)
			require.Equal(t, ParticipantRemoved, participantStatus(s, bupUnit))
		})
	})
	t.Run("an agency revoked comes back when every required party consents to it again", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		pt.must(tRevoke, UpdateRevokeConsent, revoke(tRevoke, bupUnit))
		pt.giveConsent(tRevoke+time.Hour, socUnit, bupUnit)
		pt.run(tRevoke+2*time.Hour, func(s CaseState) {
			require.Equal(t, []string{socUnit, bupUnit}, s.ConsentScope)
			require.Equal(t, ParticipantActive, participantStatus(s, bupUnit))
			require.Len(t, s.Participants, 2, "the agency returns as the same participant")
			require.True(t, friday.Add(tConsent+time.Minute).Equal(*s.ConsentAt), "the deadlines started with the first consent")
		})
	})
	t.Run("nothing can be revoked before consent is asked", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		r := pt.send(tConsent, UpdateRevokeConsent, revoke(tConsent))
		pt.run(tConsent+time.Minute, func(CaseState) { requireRejected(t, r, ErrTypeConflict) })
	})
	t.Run("revoking consent for an agency outside it is rejected", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		r := pt.send(tRevoke, UpdateRevokeConsent, revoke(tRevoke, "region-habilitering-1"))
		pt.run(tRevoke+time.Minute, func(s CaseState) {
			requireRejected(t, r, ErrTypeInvalid)
			require.Equal(t, ConsentGiven, s.ConsentStatus)
		})
	})
}
