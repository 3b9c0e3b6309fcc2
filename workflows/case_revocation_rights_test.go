package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestWhoRecordsARevocation(t *testing.T) {
	bupWorker := Actor{User: "gun.bup", Name: "Gun", Role: casework.RoleParticipant, Unit: bupUnit, UnitKind: casework.UnitBUP}
	bupChief := Actor{User: "ola.chef", Name: "Ola", Role: casework.RoleSupervisor, Unit: bupUnit, UnitKind: casework.UnitBUP}
	cases := []struct {
		name     string
		by       Actor
		agencies []string
		errType  string // "" when accepted
	}{
		{"the named person records a whole revocation", namedPerson, nil, ""},
		{"a participating agency records that consent for itself was withdrawn", bupWorker, []string{bupUnit}, ""},
		{"a participating agency cannot revoke for another agency", bupWorker, []string{socUnit}, ErrTypeForbidden},
		{"a participating agency cannot revoke wholly", bupWorker, nil, ErrTypeForbidden},
		{"a supervisor records no revocation, not even for the own agency", bupChief, []string{bupUnit}, ErrTypeForbidden},
		{"a teacher records no revocation", teacher, []string{socUnit}, ErrTypeForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrkoping())
			pt.toConsent(false)
			at := tSummons
			got := pt.send(at, UpdateRevokeConsent, RevokeConsent{Command: on(tc.by, at), Party: PartyGuardian, PartyName: guardianOne, Agencies: tc.agencies})
			pt.run(at+time.Hour, func(s CaseState) {
				if tc.errType == "" {
					requireAccepted(t, got)
					require.Len(t, noticesOf(s, NoticeConsentRevoked), 1)
					return
				}
				requireRejected(t, got, tc.errType)
				require.Empty(t, noticesOf(s, NoticeConsentRevoked), "a refused revocation changed the case")
			})
		})
	}
}
