package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// Consent (DOMAIN.md §5): from the guardians (both with joint custody) and from the child by age
// per the policy; each with a scope of agencies; refusal is a legitimate outcome; revocation, wholly
// or per agency, takes effect at once.

func (c *caseRun) validateConsent(_ workflow.Context, in RecordConsent) error {
	a := c.state.Assessment
	switch {
	case c.state.Phase != casework.PhaseSamarbeta || a == nil || a.Outcome != OutcomeCollaboration:
		return conflict("samtycke efterfrågas när kartläggningen visat att samverkan behövs")
	case !c.isAssessor(in.By) && !c.isCoordinator(in.By):
		return forbidden("bara barnets bästa-ansvarig, den som kartlägger eller samordnaren registrerar samtycke")
	case in.Party != PartyGuardian && in.Party != PartyChild:
		return invalid("party: ska vara guardian eller child")
	case in.Party == PartyGuardian && strings.TrimSpace(in.PartyName) == "":
		return invalid("partyName: ange vårdnadshavarens namn")
	case in.Method != ConsentWritten && in.Method != ConsentOral:
		return invalid("method: ska vara written eller oral")
	case in.Party == PartyGuardian && in.Custody == "" && c.state.Custody == "":
		return invalid("custody: ange joint (gemensam vårdnad) eller sole")
	case in.Custody != "" && in.Custody != CustodyJoint && in.Custody != CustodySole:
		return invalid("custody: ska vara joint eller sole")
	case in.Given && len(in.Scope) == 0:
		return invalid("scope: ange vilka verksamheter samtycket gäller")
	}
	for i, id := range in.Scope {
		if !unitIn(a.ProposedAgencies, id) {
			return invalid("scope[%d]: %s föreslogs inte i kartläggningen", i, id)
		}
	}
	return nil
}

func (c *caseRun) applyConsent(ctx workflow.Context, in RecordConsent) {
	if in.Custody != "" {
		c.state.Custody = in.Custody
	}
	c.state.Consents = append(c.state.Consents, ConsentRecord{Recorded: c.recorded(ctx, in.Command),
		Party: in.Party, PartyName: strings.TrimSpace(in.PartyName), Given: in.Given, Scope: in.Scope, Method: in.Method})
	c.recomputeConsent(ctx)
}

// requiredParties are whose consent the case needs: from ChildOwnConsentFromAge the youth's own
// suffices (our reading of "for the youth's own health and care matters", DOMAIN.md §7.2); below it
// the guardians (both with joint custody) and, from ChildConsentFromAge, the child as well.
func (c *caseRun) requiredParties(at time.Time) (guardians int, child bool) {
	age := c.childAge(at)
	p := c.state.Policy
	if age >= p.ChildOwnConsentFromAge {
		return 0, true
	}
	guardians = 1
	if c.state.Custody == CustodyJoint || c.state.Custody == "" {
		guardians = 2
	}
	return guardians, age >= p.ChildConsentFromAge
}

func (c *caseRun) childAge(at time.Time) int {
	birth, err := time.ParseInLocation(time.DateOnly, c.state.Child.BirthDate, casework.Stockholm)
	if err != nil {
		return 0
	}
	return casework.AgeOn(birth, at.In(casework.Stockholm))
}

// latestAnswers is each party's latest consent record that is not a revocation, keyed by party and
// guardian name, in the order the parties first answered.
func (c *caseRun) latestAnswers() (keys []string, latest map[string]ConsentRecord) {
	latest = map[string]ConsentRecord{}
	for _, r := range c.state.Consents {
		if r.Revoked {
			continue
		}
		key := string(r.Party) + ":" + strings.ToLower(r.PartyName)
		if r.Party == PartyChild {
			key = string(PartyChild)
		}
		if _, ok := latest[key]; !ok {
			keys = append(keys, key)
		}
		latest[key] = r
	}
	return keys, latest
}

// recomputeConsent derives the case's consent from the answers: refused if a required party
// refused, given when every required party has consented (scope: what all of them allow), else
// pending. When consent is first given the summons and meeting deadlines start.
func (c *caseRun) recomputeConsent(ctx workflow.Context) {
	if c.state.ConsentStatus == ConsentRevoked {
		return
	}
	keys, latest := c.latestAnswers()
	now := workflow.Now(ctx)
	guardians, child := c.requiredParties(now)
	var given []ConsentRecord
	refused := false
	gGiven := 0
	for _, k := range keys {
		r := latest[k]
		required := r.Party == PartyGuardian && guardians > 0 || r.Party == PartyChild && child
		if !required {
			continue
		}
		if !r.Given {
			refused = true
			continue
		}
		if r.Party == PartyGuardian {
			gGiven++
		}
		given = append(given, r)
	}
	_, childAnswered := latest[string(PartyChild)]
	switch {
	case refused:
		c.state.ConsentStatus = ConsentRefused
		c.notice(ctx, NoticeConsentRefused, "Samtycke har inte lämnats. Arbetet fortsätter inom den egna verksamhetens mandat.")
	case gGiven >= guardians && (!child || childAnswered && latest[string(PartyChild)].Given) && len(given) > 0:
		c.consentGiven(ctx, given)
	default:
		c.state.ConsentStatus = ConsentPending
	}
}

func (c *caseRun) consentGiven(ctx workflow.Context, given []ConsentRecord) {
	scope := append([]string{}, given[0].Scope...)
	at := given[0].OccurredAt
	for _, r := range given[1:] {
		scope = intersect(scope, r.Scope)
		if r.OccurredAt.After(at) {
			at = r.OccurredAt
		}
	}
	c.state.ConsentStatus, c.state.ConsentScope = ConsentGiven, scope
	c.syncParticipants(ctx)
	if c.state.ConsentAt != nil {
		return
	}
	c.state.ConsentAt = &at
	c.openDeadline(ctx, casework.DeadlineSummons, at)
	if c.state.Assessment.Acute {
		c.openDeadline(ctx, casework.DeadlineAcuteMeeting, at)
	} else {
		c.openDeadline(ctx, casework.DeadlineMeeting, at)
	}
}

// syncParticipants makes the active participants exactly the consent's scope.
func (c *caseRun) syncParticipants(ctx workflow.Context) {
	now := workflow.Now(ctx)
	for i := range c.state.Participants {
		p := &c.state.Participants[i]
		if p.Status == ParticipantActive && !contains(c.state.ConsentScope, p.Unit.ID) {
			p.Status, p.Until = ParticipantRemoved, &now
		}
	}
	for _, id := range c.state.ConsentScope {
		if c.participant(id) == nil {
			c.state.Participants = append(c.state.Participants, Participant{Unit: c.proposedUnit(id), Status: ParticipantActive, Since: now})
		} else if p := c.participant(id); p.Status != ParticipantActive {
			p.Status, p.Since, p.Until = ParticipantActive, now, nil
		}
	}
}

func (c *caseRun) validateRevoke(_ workflow.Context, in RevokeConsent) error {
	switch {
	case c.state.ConsentStatus != ConsentGiven && c.state.ConsentStatus != ConsentPending:
		return conflict("det finns inget samtycke att återkalla")
	case in.Party != PartyGuardian && in.Party != PartyChild:
		return invalid("party: ska vara guardian eller child")
	}
	for i, id := range in.Agencies {
		if !contains(c.state.ConsentScope, id) && !unitIn(c.state.Assessment.ProposedAgencies, id) {
			return invalid("agencies[%d]: %s omfattas inte av samtycket", i, id)
		}
	}
	return nil
}

// applyRevoke takes effect at once: the revoked agencies leave the case, their invitations are
// cancelled, and the case says so. A whole revocation also cancels the summons and meeting deadlines.
func (c *caseRun) applyRevoke(ctx workflow.Context, in RevokeConsent) {
	c.state.Consents = append(c.state.Consents, ConsentRecord{Recorded: c.recorded(ctx, in.Command),
		Party: in.Party, PartyName: in.PartyName, Revoked: true, Scope: in.Agencies})
	if len(in.Agencies) > 0 {
		c.state.ConsentScope = without(c.state.ConsentScope, in.Agencies)
	}
	if len(in.Agencies) == 0 || len(c.state.ConsentScope) == 0 {
		c.state.ConsentStatus, c.state.ConsentScope = ConsentRevoked, nil
		c.cancelDeadline(ctx, casework.DeadlineSummons)
		c.cancelDeadline(ctx, casework.DeadlineMeeting)
		c.cancelDeadline(ctx, casework.DeadlineAcuteMeeting)
	}
	c.syncParticipants(ctx)
	c.cancelInvitations(in.Agencies, len(in.Agencies) == 0)
	what := "helt"
	if len(in.Agencies) > 0 && c.state.ConsentStatus != ConsentRevoked {
		what = "för " + strings.Join(in.Agencies, ", ")
	}
	c.notice(ctx, NoticeConsentRevoked, fmt.Sprintf("Samtycket återkallades %s %s. Berörda verksamheter har inte längre tillgång till ärendet.",
		what, in.OccurredAt.In(casework.Stockholm).Format("2006-01-02 15:04")))
}

func (c *caseRun) cancelInvitations(agencies []string, all bool) {
	if c.state.Summons == nil || c.state.Meeting != nil {
		return
	}
	for i := range c.state.Summons.Invitations {
		inv := &c.state.Summons.Invitations[i]
		isAgency := inv.Participant != InviteeChild && inv.Participant != InviteeGuardians
		if inv.Status == InvitationPending && isAgency && (all || contains(agencies, inv.Participant)) {
			inv.Status = InvitationCancelled
		}
	}
}

func (c *caseRun) notice(ctx workflow.Context, kind, text string) {
	c.state.Notices = append(c.state.Notices, Notice{Kind: kind, Text: text, At: workflow.Now(ctx)})
}

func (c *caseRun) participant(id string) *Participant {
	for i := range c.state.Participants {
		if c.state.Participants[i].Unit.ID == id {
			return &c.state.Participants[i]
		}
	}
	return nil
}

func (c *caseRun) proposedUnit(id string) casework.UnitRef {
	for _, u := range c.state.Assessment.ProposedAgencies {
		if u.ID == id {
			return u
		}
	}
	return casework.UnitRef{ID: id}
}

// ActiveParticipant reports whether the unit takes part in the case now, within the consent.
func (s *CaseState) ActiveParticipant(unitID string) bool {
	for _, p := range s.Participants {
		if p.Unit.ID == unitID && p.Status == ParticipantActive {
			return true
		}
	}
	return false
}

func unitIn(units []casework.UnitRef, id string) bool {
	for _, u := range units {
		if u.ID == id {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func intersect(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func without(a, remove []string) []string {
	out := []string{}
	for _, x := range a {
		if !contains(remove, x) {
			out = append(out, x)
		}
	}
	return out
}
