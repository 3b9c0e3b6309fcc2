package casework

import (
	"fmt"
	"testing"
)

// TestReachOfEveryRelationAndRole spells the access rule out cell by cell: which side of a case
// (w: works on it, u: oversees it as the unit's) a grant of each relation gives a caller in each role
// who matches the grant. A relation or role added without a decision here fails the test.
func TestReachOfEveryRelationAndRole(t *testing.T) {
	const (
		none = ReachNone
		w    = ReachWork
		u    = ReachUnit
		wu   = ReachWork | ReachUnit
	)
	//                         reporter named_person coordinator participant supervisor steering admin
	want := map[AccessRelation][7]Reach{
		AccessNamedPersonUnit: {none, wu, none, none, u, none, none},
		AccessParticipantUnit: {none, wu, wu, wu, wu, none, none},
		AccessAssessor:        {w, w, w, w, w, none, none},
		AccessCoordinator:     {w, w, w, w, w, none, none},
		AccessPlanOwner:       {w, w, w, w, w, none, none},
	}
	roles := [7]Role{RoleReporter, RoleNamedPerson, RoleCoordinator, RoleParticipant, RoleSupervisor, RoleSteering, RoleAdmin}
	if len(Roles) != len(roles) || len(AccessRelations) != len(want) {
		t.Fatalf("the table covers %d roles and %d relations; there are %d and %d", len(roles), len(want), len(Roles), len(AccessRelations))
	}
	for _, rel := range AccessRelations {
		row, ok := want[rel]
		if !ok {
			t.Fatalf("no row for relation %s", rel)
		}
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s as %s", rel, role), func(t *testing.T) {
				if got := RelationReach(rel, role); got != row[i] {
					t.Errorf("reach %02b, want %02b", got, row[i])
				}
			})
		}
	}
	if got := RelationReach(AccessAssessor, Role("janitor")); got != ReachNone {
		t.Errorf("an unknown role reaches %02b", got)
	}
}

func TestAGrantReachesOnlyWhomItNames(t *testing.T) {
	unit := AccessGrant{Relation: AccessParticipantUnit, Unit: "soc"}
	user := AccessGrant{Relation: AccessCoordinator, User: "samordnare"}
	for _, c := range []struct {
		name       string
		grant      AccessGrant
		user, unit string
		role       Role
		want       Reach
	}{
		{"a unit's grant reaches whoever acts for the unit", unit, "vem-som-helst", "soc", RoleParticipant, ReachWork | ReachUnit},
		{"a unit's grant does not reach another unit", unit, "vem-som-helst", "bup", RoleParticipant, ReachNone},
		{"a unit's grant does not reach a user of the same name as the unit", unit, "soc", "bup", RoleParticipant, ReachNone},
		{"a user's grant reaches the user acting for any unit", user, "samordnare", "annanstans", RoleParticipant, ReachWork},
		{"a user's grant does not reach a colleague in the same unit", user, "kollega", "annanstans", RoleParticipant, ReachNone},
		{"a user's grant does not reach the user as steering", user, "samordnare", "annanstans", RoleSteering, ReachNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.grant.Reach(c.user, c.role, c.unit); got != c.want {
				t.Errorf("reach %02b, want %02b", got, c.want)
			}
		})
	}
	both := []AccessGrant{{Relation: AccessNamedPersonUnit, Unit: "skola"}, {Relation: AccessAssessor, User: "rektor"}}
	if got := GrantsReach(both, "rektor", RoleSupervisor, "skola"); got != ReachWork|ReachUnit {
		t.Errorf("the grants together reach %02b, want both sides", got)
	}
	if got := GrantsReach(nil, "rektor", RoleNamedPerson, "skola"); got != ReachNone {
		t.Errorf("no grants reach %02b", got)
	}
}
