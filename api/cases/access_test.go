package cases

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

func TestAccessTo(t *testing.T) {
	state := workflows.CaseState{
		NamedPersonUnit: &casework.UnitRef{ID: "skola"},
		Concerns:        []workflows.Concern{{By: workflows.Actor{User: "larare"}}},
		ProcessState: workflows.ProcessState{
			Assessor: "kollega",
			Participants: []workflows.Participant{
				{Unit: casework.UnitRef{ID: "bup"}, Status: workflows.ParticipantRemoved},
				{Unit: casework.UnitRef{ID: "soc"}, Status: workflows.ParticipantActive},
			},
			Coordinator: &workflows.CoordinatorRecord{Coordinator: workflows.Person{User: "samordnare", UnitID: "skola"},
				PlanOwner: &workflows.Person{User: "planansvarig", UnitID: "soc"}},
		},
	}
	for _, row := range []struct {
		name             string
		user, role, unit string
		want             Access
	}{
		{"the named person reads all", "rektor", "named_person", "skola", FullAccess},
		{"the named person's supervisor reads all", "chef", "supervisor", "skola", FullAccess},
		{"a colleague in the named person's unit has no part", "annan", "reporter", "skola", NoAccess},
		{"the reporter sees her part", "larare", "reporter", "skola", ReporterAccess},
		{"the assessor the case was delegated to reads all", "kollega", "reporter", "skola", FullAccess},
		{"the coordinator reads all", "samordnare", "named_person", "skola", FullAccess},
		{"the plan owner reads all", "planansvarig", "participant", "annanstans", FullAccess},
		{"the coordinator's token may be for another of her units", "samordnare", "participant", "annanstans", FullAccess},
		{"an active participant's representative reads all", "socsek", "participant", "soc", FullAccess},
		{"an active participant's supervisor reads all", "socchef", "supervisor", "soc", FullAccess},
		{"a removed participant has no part any more", "psykolog", "participant", "bup", NoAccess},
		{"a reporter in a participating unit has no part", "socreporter", "reporter", "soc", NoAccess},
		{"the steering group never reads case content", "styrgrupp", "steering", "soc", NoAccess},
		{"an admin never reads case content", "admin", "admin", "skola", NoAccess},
	} {
		t.Run(row.name, func(t *testing.T) {
			require.Equal(t, row.want, AccessTo(state, auth.Claims{User: row.user, Role: row.role, Unit: row.unit}))
		})
	}
}

func TestCoordinatorOfARevokedAgencyLosesAccess(t *testing.T) {
	state := workflows.CaseState{
		NamedPersonUnit: &casework.UnitRef{ID: "skola"},
		ProcessState: workflows.ProcessState{
			Participants: []workflows.Participant{{Unit: casework.UnitRef{ID: "bup"}, Status: workflows.ParticipantRemoved}},
			Coordinator:  &workflows.CoordinatorRecord{Coordinator: workflows.Person{User: "psykolog", UnitID: "bup"}},
		},
	}
	require.Equal(t, NoAccess, AccessTo(state, auth.Claims{User: "psykolog", Role: "participant", Unit: "bup"}))
}
