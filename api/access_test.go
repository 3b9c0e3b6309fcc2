package api

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
		want             caseAccess
	}{
		{"the named person reads all", "rektor", "named_person", "skola", fullAccess},
		{"the named person's supervisor reads all", "chef", "supervisor", "skola", fullAccess},
		{"a colleague in the named person's unit has no part", "annan", "reporter", "skola", noAccess},
		{"the reporter sees her part", "larare", "reporter", "skola", reporterAccess},
		{"the assessor the case was delegated to reads all", "kollega", "reporter", "skola", fullAccess},
		{"the coordinator reads all", "samordnare", "named_person", "skola", fullAccess},
		{"the plan owner reads all", "planansvarig", "participant", "annanstans", fullAccess},
		{"the coordinator's token may be for another of her units", "samordnare", "participant", "annanstans", fullAccess},
		{"an active participant's representative reads all", "socsek", "participant", "soc", fullAccess},
		{"an active participant's supervisor reads all", "socchef", "supervisor", "soc", fullAccess},
		{"a removed participant has no part any more", "psykolog", "participant", "bup", noAccess},
		{"a reporter in a participating unit has no part", "socreporter", "reporter", "soc", noAccess},
		{"the steering group never reads case content", "styrgrupp", "steering", "soc", noAccess},
		{"an admin never reads case content", "admin", "admin", "skola", noAccess},
	} {
		t.Run(row.name, func(t *testing.T) {
			require.Equal(t, row.want, accessTo(state, auth.Claims{User: row.user, Role: row.role, Unit: row.unit}))
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
	require.Equal(t, noAccess, accessTo(state, auth.Claims{User: "psykolog", Role: "participant", Unit: "bup"}))
}
