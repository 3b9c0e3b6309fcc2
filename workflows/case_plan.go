package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// The plan (SIP, docs/process.md §6.5) and its follow-up (§6.6): the coordinator proposes a version with
// the four statutory parts and a booked follow-up; the child's and guardians' approval establishes it;
// a follow-up records each intervention and revises the plan or closes the case. Versions are never
// changed once superseded.

// mayProposePlan: the coordinator or plan owner proposes a version of the plan, the first or a
// revision.
func (s *CaseState) mayProposePlan(by Actor) error {
	switch {
	case s.Coordinator == nil:
		return conflict("planen görs av samordnaren – utse samordnaren först")
	case !s.isCoordinator(by):
		return forbidden("bara samordnaren eller den planansvariga tar fram planen")
	}
	return nil
}

func (c *caseRun) validateProposePlan(in ProposePlan, _ time.Time) error {
	if err := c.state.mayProposePlan(in.By); err != nil {
		return err
	}
	return validatePlanParts(in)
}

// validatePlanParts checks the four statutory parts (SoL 2 kap. 7 §, HSL 16 kap. 4 §) and what the
// plan must say of each intervention.
func validatePlanParts(in ProposePlan) error {
	if len(in.Interventions) == 0 {
		return invalid("interventions", "planen ska ange vilka insatser som behövs (del 1)")
	}
	seen := map[string]bool{}
	byOthers := 0
	for i, iv := range in.Interventions {
		field := fmt.Sprintf("interventions[%d]", i)
		switch {
		case strings.TrimSpace(iv.ID) == "":
			return invalid(field+".id", "saknas")
		case seen[iv.ID]:
			return invalid(field+".id", "%s finns redan i planen", iv.ID)
		case strings.TrimSpace(iv.Description) == "":
			return invalid(field+".description", "beskriv insatsen")
		case !validPrincipalKind(iv.Principal.Kind) || strings.TrimSpace(iv.Principal.Name) == "":
			return invalid(field+".principal", "ange vilken huvudman som ansvarar för insatsen (del 2)")
		case strings.TrimSpace(iv.Performer) == "":
			return invalid(field+".performer", "ange vem som utför insatsen")
		case strings.TrimSpace(iv.Extent) == "":
			return invalid(field+".extent", "ange insatsens omfattning")
		case strings.TrimSpace(iv.FollowUpHow) == "":
			return invalid(field+".followUpHow", "ange hur insatsen följs upp")
		case len(iv.Areas) == 0:
			return invalid(field+".areas", "ange vilka områden i hjulet insatsen gäller")
		}
		for j, a := range iv.Areas {
			if !a.Valid() {
				return invalid(fmt.Sprintf("%s.areas[%d]", field, j), "okänt område %q", a)
			}
		}
		seen[iv.ID] = true
		if !publicPrincipal(iv.Principal.Kind) {
			byOthers++
		}
	}
	switch {
	case byOthers == 0 && !in.NoMeasuresByOthers:
		return invalid("noMeasuresByOthers", "ange vilka insatser andra än kommun och region gör, eller att inga sådana finns (del 3)")
	case byOthers > 0 && in.NoMeasuresByOthers:
		return invalid("noMeasuresByOthers", "planen har %d insatser av andra än kommun och region", byOthers)
	case !publicPrincipal(in.OverallResponsibility.Kind) || strings.TrimSpace(in.OverallResponsibility.Name) == "":
		return invalid("overallResponsibility", "ange vilken huvudman – kommunen eller regionen – som har det övergripande ansvaret för planen (del 4)")
	case in.FollowUpAt.IsZero():
		return invalid("followUpAt", "boka uppföljningen när planen görs")
	case !in.FollowUpAt.After(in.OccurredAt):
		return invalid("followUpAt", "uppföljningen ska ligga efter planen")
	}
	return nil
}

func validPrincipalKind(k casework.PrincipalKind) bool {
	switch k {
	case casework.PrincipalMunicipality, casework.PrincipalRegion, casework.PrincipalPolice, casework.PrincipalSchoolOwner, PrincipalOther:
		return true
	}
	return false
}

// publicPrincipal: the municipality and the region, who are responsible for a SIP by law; the rest
// are "others" in the plan's third part.
func publicPrincipal(k casework.PrincipalKind) bool {
	return k == casework.PrincipalMunicipality || k == casework.PrincipalRegion
}

func (c *caseRun) applyProposePlan(ctx workflow.Context, in ProposePlan) {
	if p := c.state.ProposedPlan(); p != nil {
		p.Status = PlanSuperseded
	}
	c.state.Plans = append(c.state.Plans, PlanVersion{
		Version:               len(c.state.Plans) + 1,
		Recorded:              c.recorded(ctx, in.Command),
		Interventions:         in.Interventions,
		NoMeasuresByOthers:    in.NoMeasuresByOthers,
		OverallResponsibility: in.OverallResponsibility,
		FollowUpAt:            in.FollowUpAt,
		ChildParticipation:    in.ChildParticipation,
		Status:                PlanProposed,
	})
}

// mayApprovePlan: the coordinator or plan owner records the answers to the version awaiting
// approval.
func (s *CaseState) mayApprovePlan(by Actor, version int) error {
	p := s.ProposedPlan()
	switch {
	case p == nil || p.Version != version:
		return conflict("planens version %d väntar inte på godkännande", version)
	case !s.isCoordinator(by):
		return forbidden("bara samordnaren eller den planansvariga registrerar godkännandet")
	}
	return nil
}

func (c *caseRun) validateApprovePlan(in ApprovePlan, _ time.Time) error {
	if err := c.state.mayApprovePlan(in.By, in.Version); err != nil {
		return err
	}
	p := c.state.ProposedPlan()
	switch {
	case in.Party != PartyGuardian && in.Party != PartyChild:
		return invalid("party", "guardian eller child")
	case strings.TrimSpace(in.PartyName) == "":
		return invalid("partyName", "saknas")
	case in.Method != ConsentWritten && in.Method != ConsentOral:
		return invalid("method", "written eller oral")
	case in.OccurredAt.Before(p.OccurredAt):
		return invalid("occurredAt", "planen kan inte ha godkänts innan den togs fram")
	}
	for _, a := range p.Approvals {
		if a.Party == in.Party && strings.EqualFold(a.PartyName, in.PartyName) {
			return conflict("%s har redan svarat på version %d", in.PartyName, in.Version)
		}
	}
	return nil
}

func (c *caseRun) applyApprovePlan(ctx workflow.Context, in ApprovePlan) {
	p := c.state.ProposedPlan()
	p.Approvals = append(p.Approvals, PlanApproval{Recorded: c.recorded(ctx, in.Command), Party: in.Party,
		PartyName: in.PartyName, Approved: in.Approved, Method: in.Method, Comment: in.Comment})
	if !in.Approved {
		p.Status = PlanDeclined
		c.notice(ctx, NoticePlanDeclined, fmt.Sprintf("Planens version %d godkändes inte och gäller inte. Planen är barnets och familjens – ta fram en ny version tillsammans med dem.", p.Version))
		return
	}
	if c.planApproved(p, in.OccurredAt) {
		c.establishPlan(ctx, p, in.OccurredAt)
	}
}

// planApproved: every party the case needs has approved the version – the guardians (both under joint
// custody) and the child from the policy's age for the child's own consent (docs/process.md §5, §6.5). The
// guardians who gave consent are the ones who approve: each of them by name, and as many as custody
// asks for.
func (c *caseRun) planApproved(p *PlanVersion, at time.Time) bool {
	var guardians []string
	child := false
	for _, a := range p.Approvals {
		switch {
		case !a.Approved:
			return false
		case a.Party == PartyChild:
			child = true
		case !slices.Contains(guardians, strings.ToLower(a.PartyName)):
			guardians = append(guardians, strings.ToLower(a.PartyName))
		}
	}
	needGuardians := 1
	if c.state.Custody == CustodyJoint {
		needGuardians = 2
	}
	for _, name := range c.consentingGuardians() {
		if !slices.Contains(guardians, name) {
			return false
		}
	}
	return len(guardians) >= needGuardians && (child || !c.childMustApprove(at))
}

// consentingGuardians are the guardians, by lower-case name, whose consent to the collaboration
// stands.
func (c *caseRun) consentingGuardians() []string {
	var names []string
	for _, rec := range c.state.Consents {
		name := strings.ToLower(strings.TrimSpace(rec.PartyName))
		if rec.Party != PartyGuardian || name == "" {
			continue
		}
		switch {
		case rec.Given && !rec.Revoked && !slices.Contains(names, name):
			names = append(names, name)
		case rec.Revoked && len(rec.Scope) == 0:
			names = slices.DeleteFunc(names, func(n string) bool { return n == name })
		}
	}
	return names
}

func (c *caseRun) childMustApprove(at time.Time) bool {
	age, ok := c.state.Child.ageOn(at)
	return !ok || age >= c.state.Policy.ChildConsentFromAge // not knowing the age, ask the child
}

// establishPlan puts the approved version in force: the one before it is superseded, and the
// follow-up it books replaces any booked before.
func (c *caseRun) establishPlan(ctx workflow.Context, p *PlanVersion, at time.Time) {
	if old := c.state.EstablishedPlan(); old != nil {
		old.Status = PlanSuperseded
	}
	established := at
	p.Status, p.EstablishedAt = PlanEstablished, &established
	c.state.Phase = casework.PhaseUppfoljning
	c.cancelDeadline(ctx, casework.DeadlineFollowUp)
	c.openBookedDeadline(ctx, casework.DeadlineFollowUp, at, p.FollowUpAt)
}

// mayFollowUp: the coordinator or plan owner records a follow-up of the plan in force.
func (s *CaseState) mayFollowUp(by Actor) error {
	switch {
	case s.EstablishedPlan() == nil:
		return conflict("det finns ingen fastställd plan att följa upp")
	case !s.isCoordinator(by):
		return forbidden("bara samordnaren eller den planansvariga registrerar uppföljningen")
	}
	return nil
}

func (c *caseRun) validateFollowUp(in RecordFollowUp, _ time.Time) error {
	if err := c.state.mayFollowUp(in.By); err != nil {
		return err
	}
	p := c.state.EstablishedPlan()
	switch {
	case in.OccurredAt.Before(*p.EstablishedAt):
		return invalid("occurredAt", "uppföljningen kan inte ha hållits innan planen fastställdes")
	}
	covered := map[string]bool{}
	for i, f := range in.Interventions {
		switch {
		case !slices.ContainsFunc(p.Interventions, func(iv Intervention) bool { return iv.ID == f.InterventionID }):
			return invalid(fmt.Sprintf("interventions[%d].interventionId", i), "%s finns inte i planens version %d", f.InterventionID, p.Version)
		case covered[f.InterventionID]:
			return invalid(fmt.Sprintf("interventions[%d].interventionId", i), "%s följs redan upp", f.InterventionID)
		case strings.TrimSpace(f.Done) == "":
			return invalid(fmt.Sprintf("interventions[%d].done", i), "ange vad som gjorts")
		}
		covered[f.InterventionID] = true
	}
	for _, iv := range p.Interventions {
		if !covered[iv.ID] {
			return invalid("interventions", "insatsen %s (%s) saknas i uppföljningen", iv.ID, iv.Description)
		}
	}
	switch in.Outcome {
	case FollowUpRevise:
		if in.NextFollowUpAt == nil || !in.NextFollowUpAt.After(in.OccurredAt) {
			return invalid("nextFollowUpAt", "boka nästa uppföljning, efter den här")
		}
	case FollowUpClose:
		if !slices.Contains(CloseReasons, in.CloseReason) {
			return invalid("closeReason", "okänd anledning")
		}
	default:
		return invalid("outcome", "revise eller close")
	}
	return nil
}

func (c *caseRun) applyFollowUp(ctx workflow.Context, in RecordFollowUp) {
	p := c.state.EstablishedPlan()
	c.state.FollowUps = append(c.state.FollowUps, FollowUpRecord{Recorded: c.recorded(ctx, in.Command), PlanVersion: p.Version,
		Interventions: in.Interventions, Outcome: in.Outcome, NextFollowUpAt: in.NextFollowUpAt, CloseReason: in.CloseReason, Note: in.Note})
	c.settleDeadline(ctx, casework.DeadlineFollowUp, in.OccurredAt)
	if in.Outcome == FollowUpClose {
		c.close(ctx, ClosedRecord{Recorded: c.recorded(ctx, in.Command), Reason: in.CloseReason, Note: in.Note})
		return
	}
	c.cancelDeadline(ctx, casework.DeadlineFollowUp)
	c.openBookedDeadline(ctx, casework.DeadlineFollowUp, in.OccurredAt, *in.NextFollowUpAt)
}
