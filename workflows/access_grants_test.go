package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestAccessGrants(t *testing.T) {
	planOwner := Person{User: "pia.planagare", UnitID: socUnit, UnitKind: casework.UnitSocialServices}
	for _, tc := range []struct {
		name  string
		state CaseState
		want  []casework.AccessGrant
	}{
		{"a new case: the named person's unit",
			taskCase(casework.Norrkoping()),
			[]casework.AccessGrant{{Relation: casework.AccessNamedPersonUnit, Unit: schoolUnit}}},
		{"acknowledged: and the assessor",
			taskCase(casework.Norrkoping(), acknowledged(colleague.User)),
			[]casework.AccessGrant{{Relation: casework.AccessNamedPersonUnit, Unit: schoolUnit}, {Relation: casework.AccessAssessor, User: colleague.User}}},
		{"consent given: the agencies within its scope, not the ones left out",
			taskCase(casework.Norrkoping(), consented(socUnit, bupUnit)),
			[]casework.AccessGrant{{Relation: casework.AccessNamedPersonUnit, Unit: schoolUnit}, {Relation: casework.AccessParticipantUnit, Unit: socUnit},
				{Relation: casework.AccessParticipantUnit, Unit: bupUnit}, {Relation: casework.AccessAssessor, User: namedPerson.User}}},
		{"the coordinator and plan owner while their unit takes part",
			taskCase(casework.Norrkoping(), consented(bupUnit), summoned, met, func(s *CaseState) {
				s.Coordinator = &CoordinatorRecord{Coordinator: psychiatrist, PlanOwner: &planOwner}
			}),
			[]casework.AccessGrant{{Relation: casework.AccessNamedPersonUnit, Unit: schoolUnit}, {Relation: casework.AccessParticipantUnit, Unit: bupUnit},
				{Relation: casework.AccessAssessor, User: namedPerson.User}, {Relation: casework.AccessCoordinator, User: psychiatrist.User}}},
		{"a coordinator from the named person's unit keeps access without consent for it",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, met, func(s *CaseState) {
				s.Coordinator = &CoordinatorRecord{Coordinator: mentor, PlanOwner: &planOwner}
			}),
			[]casework.AccessGrant{{Relation: casework.AccessNamedPersonUnit, Unit: schoolUnit}, {Relation: casework.AccessParticipantUnit, Unit: socUnit},
				{Relation: casework.AccessAssessor, User: namedPerson.User}, {Relation: casework.AccessCoordinator, User: mentor.User},
				{Relation: casework.AccessPlanOwner, User: planOwner.User}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.state.AccessGrants())
		})
	}
}
