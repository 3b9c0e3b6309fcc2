package casework

// The access rule of a case, in two halves. Grants say who has a part in the case – a unit, or a
// user – and are computed from the case's state by the workflow (workflows.CaseState.AccessGrants).
// Reach says which caller a grant lets in, by the grant's relation and the caller's role: the table
// below. The API's check of one case in memory and the read model's SQL for lists are both built
// from the table, so the two cannot disagree (a list never shows a case that opening it denies).

// AccessRelation is how a unit or a user has a part in a case. The values are stored in the read
// model and carried in the workflow's projection: never rename one, add new ones.
type AccessRelation string

const (
	// AccessNamedPersonUnit: the unit that holds the case, whose named persons and supervisors read it.
	AccessNamedPersonUnit AccessRelation = "named_person_unit"
	// AccessParticipantUnit: an agency taking part within the consent (docs/process.md §5).
	AccessParticipantUnit AccessRelation = "participant_unit"
	AccessAssessor        AccessRelation = "assessor"    // the user, acting for any unit
	AccessCoordinator     AccessRelation = "coordinator" // the user, while their unit takes part
	AccessPlanOwner       AccessRelation = "plan_owner"  // the same
)

// AccessRelations lists every relation; each has one row in the reach table.
var AccessRelations = []AccessRelation{AccessNamedPersonUnit, AccessParticipantUnit, AccessAssessor, AccessCoordinator, AccessPlanOwner}

// OfUnit: a grant of this relation names a unit, and reaches whoever acts for it; the others name a
// user, and reach that user for whichever unit they act.
func (r AccessRelation) OfUnit() bool {
	return r == AccessNamedPersonUnit || r == AccessParticipantUnit
}

// AccessGrant is one unit's or one user's part in a case; exactly one of Unit and User is set.
type AccessGrant struct {
	Relation AccessRelation
	Unit     string
	User     string
}

// Reach is what a grant gives a caller: nothing, or a part in the case, seen from one or both of
// two sides. Either side lets the caller read the whole case and give commands (which command is
// whose is the workflow's rule); the sides choose the lists the case is in.
type Reach uint8

const (
	// ReachNone: the grant does not let this caller in.
	ReachNone Reach = 0
	// ReachWork: the caller works on the case – it is in their own list ("mine").
	ReachWork Reach = 1 << iota
	// ReachUnit: the case is one of the caller's unit's – a supervisor's view of the units they
	// supervise ("unit").
	ReachUnit
)

// reachTable is the rule, relation by role; a role missing from a row has no reach. A reporter role
// in a participating unit is no part in the case (README: reading needs a part in it); steering and
// admin never read case content, whatever their grants; a named person's supervisor oversees the
// case without working on it.
var reachTable = map[AccessRelation]map[Role]Reach{
	AccessNamedPersonUnit: {RoleNamedPerson: ReachWork | ReachUnit, RoleSupervisor: ReachUnit},
	AccessParticipantUnit: {RoleNamedPerson: ReachWork | ReachUnit, RoleCoordinator: ReachWork | ReachUnit,
		RoleParticipant: ReachWork | ReachUnit, RoleSupervisor: ReachWork | ReachUnit},
	AccessAssessor:    personalReach,
	AccessCoordinator: personalReach,
	AccessPlanOwner:   personalReach,
}

// personalReach: a user's own part in the case is theirs in every role that reads cases.
var personalReach = map[Role]Reach{RoleReporter: ReachWork, RoleNamedPerson: ReachWork, RoleCoordinator: ReachWork,
	RoleParticipant: ReachWork, RoleSupervisor: ReachWork}

// RelationReach is what a grant of the relation gives a caller in the role who matches it (acts for
// its unit, or is its user).
func RelationReach(r AccessRelation, role Role) Reach {
	return reachTable[r][role]
}

// Reach is what the grant gives a caller: the user, acting in the role for the unit their token
// names.
func (g AccessGrant) Reach(user string, role Role, unit string) Reach {
	matches := g.User != "" && g.User == user
	if g.Relation.OfUnit() {
		matches = g.Unit != "" && g.Unit == unit
	}
	if !matches {
		return ReachNone
	}
	return RelationReach(g.Relation, role)
}

// GrantsReach is what a case's grants together give the caller.
func GrantsReach(grants []AccessGrant, user string, role Role, unit string) Reach {
	reach := ReachNone
	for _, g := range grants {
		reach |= g.Reach(user, role, unit)
	}
	return reach
}
