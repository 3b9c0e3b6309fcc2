package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// Birth dates giving the child's age at friday.
const (
	aged10 = "2016-03-15"
	aged12 = "2014-12-01"
	aged14 = "2012-03-15"
	aged15 = "2011-06-01"
)

func refusal(party PartyKind, name string) RecordConsent {
	return RecordConsent{Party: party, PartyName: name, Given: false, Method: ConsentOral}
}

func TestConsentParties(t *testing.T) {
	g1 := func(custody Custody, scope ...string) RecordConsent {
		return guardianConsent(Command{}, guardianOne, custody, scope...)
	}
	g2 := func(scope ...string) RecordConsent { return guardianConsent(Command{}, guardianTwo, "", scope...) }
	child := func(scope ...string) RecordConsent { return childConsent(Command{}, scope...) }
	both := []string{socUnit, bupUnit}
	cases := []struct {
		name    string
		birth   string
		answers []RecordConsent
		status  ConsentStatus
		scope   []string
	}{
		{"with joint custody one guardian's consent is not enough", aged10,
			[]RecordConsent{g1(CustodyJoint, both...)}, ConsentPending, nil},
		{"with joint custody both guardians' consent is given", aged10,
			[]RecordConsent{g1(CustodyJoint, both...), g2(both...)}, ConsentGiven, both},
		{"with sole custody the one guardian's consent is given", aged10,
			[]RecordConsent{g1(CustodySole, both...)}, ConsentGiven, both},
		{"a child under 12 is not asked, and a refusal by the child does not stop the guardians' consent", aged10,
			[]RecordConsent{refusal(PartyChild, "Testbarn"), g1(CustodyJoint, both...), g2(both...)}, ConsentGiven, both},
		{"a child of 12 is asked alongside the guardians: without the child consent is pending", aged12,
			[]RecordConsent{g1(CustodyJoint, both...), g2(both...)}, ConsentPending, nil},
		{"a child of 12 and both guardians consenting give consent", aged12,
			[]RecordConsent{g1(CustodyJoint, both...), g2(both...), child(both...)}, ConsentGiven, both},
		{"from 15 the youth's own consent suffices", aged15,
			[]RecordConsent{child(both...)}, ConsentGiven, both},
		{"from 15 a guardian's consent alone is not enough", aged15,
			[]RecordConsent{g1(CustodySole, both...)}, ConsentPending, nil},
		{"a guardian's refusal refuses the consent", aged14,
			[]RecordConsent{g1(CustodyJoint, both...), refusal(PartyGuardian, guardianTwo)}, ConsentRefused, nil},
		{"a refusal by a child of 14 refuses the consent", aged14,
			[]RecordConsent{g1(CustodyJoint, both...), g2(both...), refusal(PartyChild, "Testbarn")}, ConsentRefused, nil},
		{"the scope is what every required party allowed", aged14,
			[]RecordConsent{g1(CustodyJoint, socUnit, bupUnit, centralEHT), g2(socUnit, bupUnit), child(socUnit, centralEHT)}, ConsentGiven, []string{socUnit}},
		{"a guardian who answers again replaces the earlier answer", aged10,
			[]RecordConsent{g1(CustodyJoint, both...), refusal(PartyGuardian, guardianTwo), g2(both...)}, ConsentGiven, both},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.birthDate = tc.birth
			pt.toSamarbeta(false)
			for i, a := range tc.answers {
				after := tConsent + time.Duration(i)*time.Minute
				a.Command = on(namedPerson, after)
				pt.must(after, UpdateRecordConsent, a)
			}
			last := tConsent + time.Duration(len(tc.answers)-1)*time.Minute
			summoned := pt.send(tSummons, UpdateSendSummons, summons(on(namedPerson, tSummons), socUnit))
			pt.run(tSummons+time.Minute, func(s CaseState) {
				require.Equal(t, tc.status, s.ConsentStatus)
				require.Len(t, s.Consents, len(tc.answers))
				if tc.status != ConsentGiven {
					require.Empty(t, s.ConsentScope)
					require.Nil(t, s.ConsentAt)
					require.Nil(t, deadlineOf(s, casework.DeadlineSummons))
					require.Empty(t, s.Participants)
					requireRejected(t, summoned, ErrTypeConflict)
					require.Nil(t, s.Summons)
				} else {
					require.Equal(t, tc.scope, s.ConsentScope)
					require.True(t, friday.Add(last).Equal(*s.ConsentAt))
					for _, id := range tc.scope {
						require.True(t, s.ActiveParticipant(id), "%s takes part", id)
					}
					require.Len(t, s.Participants, len(tc.scope))
					requireAccepted(t, summoned)
				}
				if tc.status == ConsentRefused {
					require.NotEmpty(t, noticesOf(s, NoticeConsentRefused), "a refusal is said plainly")
				}
			})
		})
	}
}

func TestConsentStartsDeadlinesFromTheLastRequiredConsent(t *testing.T) {
	t.Run("the deadlines count from the business time of the last required consent, not the last one entered", func(t *testing.T) {
		p := casework.Norrbus()
		pt := newProcessTest(t, p)
		pt.toSamarbeta(false)
		monday := 71 * time.Hour // Monday 21 December 09:00
		pt.must(tConsent, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent), guardianOne, CustodyJoint, socUnit))
		pt.must(monday, UpdateRecordConsent, childConsent(on(namedPerson, monday), socUnit))
		// Entered after the child's, but given on Friday.
		pt.must(monday+time.Hour, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent+time.Hour), guardianTwo, "", socUnit))
		pt.run(monday+2*time.Hour, func(s CaseState) {
			require.Equal(t, ConsentGiven, s.ConsentStatus)
			require.True(t, friday.Add(monday).Equal(*s.ConsentAt))
			for _, kind := range []casework.DeadlineKind{casework.DeadlineSummons, casework.DeadlineMeeting} {
				d := deadlineOf(s, kind)
				require.True(t, friday.Add(monday).Equal(d.StartedAt), "%s started %s", kind, d.StartedAt)
				require.True(t, dueAt(t, p, kind, monday).Equal(d.DueAt))
			}
			require.True(t, time.Date(2026, 12, 30, 23, 59, 59, 999999999, casework.Stockholm).Equal(deadlineOf(s, casework.DeadlineSummons).DueAt))
		})
	})
	t.Run("a consent the case does not need does not move the deadlines", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.birthDate = aged10
		pt.toSamarbeta(false)
		pt.must(tConsent, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent), guardianOne, CustodySole, socUnit))
		pt.must(tConsent+time.Hour, UpdateRecordConsent, childConsent(on(namedPerson, tConsent+time.Hour), socUnit))
		pt.run(tConsent+2*time.Hour, func(s CaseState) {
			require.True(t, friday.Add(tConsent).Equal(deadlineOf(s, casework.DeadlineSummons).StartedAt))
		})
	})
}

func TestConsentValidation(t *testing.T) {
	cases := []struct {
		name    string
		by      Actor
		in      RecordConsent
		errType string
	}{
		{"consent for an agency the assessment did not propose is rejected", namedPerson,
			guardianConsent(Command{}, guardianOne, CustodyJoint, socUnit, "region-habilitering-1"), ErrTypeInvalid},
		{"consent without a scope is rejected", namedPerson, guardianConsent(Command{}, guardianOne, CustodyJoint), ErrTypeInvalid},
		{"a guardian's consent without the guardian's name is rejected", namedPerson, guardianConsent(Command{}, " ", CustodyJoint, socUnit), ErrTypeInvalid},
		{"a first guardian's consent without custody is rejected", namedPerson, guardianConsent(Command{}, guardianOne, "", socUnit), ErrTypeInvalid},
		{"consent without how it was given is rejected", namedPerson,
			RecordConsent{Party: PartyGuardian, PartyName: guardianOne, Custody: CustodySole, Given: true, Scope: []string{socUnit}}, ErrTypeInvalid},
		{"consent recorded by a teacher is rejected", teacher, guardianConsent(Command{}, guardianOne, CustodyJoint, socUnit), ErrTypeForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrbus())
			pt.toSamarbeta(false)
			tc.in.Command = on(tc.by, tConsent)
			r := pt.send(tConsent, UpdateRecordConsent, tc.in)
			pt.run(tConsent+time.Minute, func(s CaseState) {
				requireRejected(t, r, tc.errType)
				require.Empty(t, s.Consents)
			})
		})
	}
	t.Run("consent is not asked before the assessment shows collaboration is needed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toKartlagga()
		r := pt.send(tConsent, UpdateRecordConsent, guardianConsent(on(namedPerson, tConsent), guardianOne, CustodyJoint, socUnit))
		pt.run(tConsent+time.Minute, func(CaseState) { requireRejected(t, r, ErrTypeConflict) })
	})
	t.Run("a required party's refusal after consent was given is rejected: it is a revocation", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		in := refusal(PartyGuardian, guardianTwo)
		in.Command = on(namedPerson, tSummons)
		r := pt.send(tSummons, UpdateRecordConsent, in)
		pt.run(tSummons+time.Minute, func(s CaseState) {
			requireRejected(t, r, ErrTypeConflict)
			require.Equal(t, ConsentGiven, s.ConsentStatus)
		})
	})
	t.Run("consent recorded after a whole revocation is rejected rather than silently ignored", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toConsent(false)
		pt.must(tSummons, UpdateRevokeConsent, RevokeConsent{Command: on(namedPerson, tSummons), Party: PartyGuardian, PartyName: guardianOne})
		r := pt.send(tSummons+time.Minute, UpdateRecordConsent, guardianConsent(on(namedPerson, tSummons+time.Minute), guardianOne, "", socUnit))
		pt.run(tSummons+time.Hour, func(s CaseState) {
			requireRejected(t, r, ErrTypeConflict)
			require.Equal(t, ConsentRevoked, s.ConsentStatus)
		})
	})
}
