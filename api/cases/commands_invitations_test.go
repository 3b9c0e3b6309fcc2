package cases

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// TestAProposedColleagueIsRecordedForTheInvitedAgency: a person an invited agency proposes for the
// meeting is recorded for that agency when they work there, although another unit of theirs in the
// case comes first in the directory; without that preference the directory's order decides.
func TestAProposedColleagueIsRecordedForTheInvitedAgency(t *testing.T) {
	karin := db.User{ID: "karin.verksamhetschef", Roles: []db.UserRole{
		{UnitID: "norrkoping-bup", Role: casework.RoleSupervisor}, {UnitID: "norrkoping-bvc-1", Role: casework.RoleSupervisor}}}
	state := workflows.CaseState{NamedPersonUnit: &casework.UnitRef{ID: "norrkoping-forskola-1"}}
	for _, id := range []string{"norrkoping-bup", "norrkoping-bvc-1"} {
		state.Participants = append(state.Participants, workflows.Participant{Unit: casework.UnitRef{ID: id}, Status: workflows.ParticipantActive})
	}
	unit, ok := actingUnit(karin, state, "norrkoping-bvc-1")
	require.True(t, ok)
	require.Equal(t, "norrkoping-bvc-1", unit, "proposed by BVC, recorded for BVC")
	unit, _ = actingUnit(karin, state, "")
	require.Equal(t, "norrkoping-bup", unit, "without a preference, the directory's order")
	unit, _ = actingUnit(karin, state, "norrkoping-socialtjanst")
	require.Equal(t, "norrkoping-bup", unit, "a preferred unit where they hold no role changes nothing")
}
