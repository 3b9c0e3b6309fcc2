package workflows

import (
	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// Who has a part in the case now – the grants half of the access rule (casework/access.go), which the
// read model's lists and the API's check of each request both apply – and the read model's copy.

// unitTakesPart: the named person's unit, or an agency taking part within the consent.
func (s *CaseState) unitTakesPart(unitID string) bool {
	return s.isNamedPersonUnit(unitID) || s.ActiveParticipant(unitID)
}

// AccessGrants lists who has a part in the case now – the grants half of the access rule, whose
// reach half is casework's table: the named person's unit, the active participants, the assessor, and
// the coordinator and plan owner while their unit takes part. A revoked agency is absent from the
// next projection on (docs/process.md §5). Reporters are not listed: they see their own concern, never
// lists.
func (s *CaseState) AccessGrants() []casework.AccessGrant {
	var out []casework.AccessGrant
	if s.NamedPersonUnit != nil {
		out = append(out, casework.AccessGrant{Relation: casework.AccessNamedPersonUnit, Unit: s.NamedPersonUnit.ID})
	}
	for _, p := range s.Participants {
		if p.Status == ParticipantActive {
			out = append(out, casework.AccessGrant{Relation: casework.AccessParticipantUnit, Unit: p.Unit.ID})
		}
	}
	if s.Assessor != "" {
		out = append(out, casework.AccessGrant{Relation: casework.AccessAssessor, User: s.Assessor})
	}
	if co := s.Coordinator; co != nil {
		if co.Coordinator.User != "" && s.unitTakesPart(co.Coordinator.UnitID) {
			out = append(out, casework.AccessGrant{Relation: casework.AccessCoordinator, User: co.Coordinator.User})
		}
		if po := co.PlanOwner; po != nil && po.User != "" && s.unitTakesPart(po.UnitID) {
			out = append(out, casework.AccessGrant{Relation: casework.AccessPlanOwner, User: po.User})
		}
	}
	return out
}

// projectedAccess are the grants as the ProjectCase activity takes them.
func projectedAccess(s *CaseState) []activities.ProjectedAccess {
	var out []activities.ProjectedAccess
	for _, g := range s.AccessGrants() {
		out = append(out, activities.ProjectedAccess{Relation: g.Relation, UnitID: g.Unit, UserID: g.User})
	}
	return out
}
