package api

import (
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// caseAccess is how much of a case the caller may see, and so whether they may act in it. Anyone
// without a part in the case gets 404 for it, reading and commands alike, so that a case's existence
// does not leak.
type caseAccess int

const (
	noAccess caseAccess = iota
	// reporterAccess: a professional who reported a concern sees what they reported and that it was
	// received, and may record the report to social services that the law asks of them (DOMAIN.md §8).
	reporterAccess
	// fullAccess: the case's professionals, who read all of it and may give commands; which command
	// is whose is the workflow's rule (403 when it is not theirs).
	fullAccess
)

// accessTo decides the caller's access from the case's live state, on every request: an agency whose
// consent is revoked loses access from the next request on (DOMAIN.md §5). Full access has
//   - the named person and the supervisor of the named person's unit;
//   - the assessor (the named person, or the colleague the assessment was delegated to);
//   - the coordinator and the plan owner, while their agency takes part (the named person's unit or an
//     active participant): a coordinator whose agency's consent is revoked loses access like the rest
//     of the agency;
//   - the staff of an agency that is an active participant of the case, acting for that unit as its
//     representative, coordinator, named person or supervisor. A reporter role there is not a part in
//     the case (README: reading needs a part in it), and steering and admin never read case content.
func accessTo(state workflows.CaseState, who auth.Claims) caseAccess {
	role := casework.Role(who.Role)
	if role != casework.RoleSteering && role != casework.RoleAdmin && hasPartInCase(state, who, role) {
		return fullAccess
	}
	for _, c := range state.Concerns {
		if c.By.User == who.User {
			return reporterAccess
		}
	}
	return noAccess
}

func hasPartInCase(state workflows.CaseState, who auth.Claims, role casework.Role) bool {
	if u := state.NamedPersonUnit; u != nil && u.ID == who.Unit && (role == casework.RoleNamedPerson || role == casework.RoleSupervisor) {
		return true
	}
	if state.Assessor != "" && who.User == state.Assessor {
		return true
	}
	if co := state.Coordinator; co != nil {
		for _, p := range []*workflows.Person{&co.Coordinator, co.PlanOwner} {
			if p != nil && p.User == who.User && unitTakesPart(state, p.UnitID) {
				return true
			}
		}
	}
	return role != casework.RoleReporter && state.ActiveParticipant(who.Unit)
}

// unitTakesPart: the named person's unit, or an agency taking part within the consent.
func unitTakesPart(state workflows.CaseState, unitID string) bool {
	return state.NamedPersonUnit != nil && state.NamedPersonUnit.ID == unitID || state.ActiveParticipant(unitID)
}
