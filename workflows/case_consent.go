package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// Consent (docs/process.md §5): from the guardians (both with joint custody) and from the child by age
// per the policy; each with a scope of agencies; refusal is a legitimate outcome; revocation, wholly
// or per agency, takes effect at once.

// mayRecordConsent: the assessor or the coordinator records the answers of the guardians and the
// child once the assessment has shown that collaboration is needed, until consent is revoked wholly.
func (s *CaseState) mayRecordConsent(by Actor) error {
	a := s.Assessment
	switch {
	case s.Phase != casework.PhaseSamarbeta || a == nil || a.Outcome != OutcomeCollaboration:
		return conflict("samtycke efterfrågas när kartläggningen visat att samverkan behövs")
	case !s.isAssessor(by) && !s.isCoordinator(by):
		return forbidden("bara barnets bästa-ansvarig, den som kartlägger eller samordnaren registrerar samtycke")
	case s.ConsentStatus == ConsentRevoked:
		// recomputeConsent ignores answers after a whole revocation; say so instead of recording one
		// that changes nothing.
		return conflict("samtycket är återkallat; arbetet fortsätter inom den egna verksamhetens mandat")
	}
	return nil
}

func (c *caseRun) validateConsent(in RecordConsent, now time.Time) error {
	if err := c.state.mayRecordConsent(in.By); err != nil {
		return err
	}
	a := c.state.Assessment
	switch {
	case in.Party != PartyGuardian && in.Party != PartyChild:
		return invalid("party", "ska vara guardian eller child")
	case !in.Given && c.state.ConsentStatus == ConsentGiven && c.requiredParty(now, in.Party):
		// A refusal would stop the case without the effects of a revocation: the agencies would keep
		// their access and the summons and meeting deadlines would run on to be missed.
		return conflict("samtycket är redan lämnat; den som ångrar sig återkallar det")
	case in.Party == PartyGuardian && strings.TrimSpace(in.PartyName) == "":
		return invalid("partyName", "ange vårdnadshavarens namn")
	case in.Method != ConsentWritten && in.Method != ConsentOral:
		return invalid("method", "ska vara written eller oral")
	case in.Party == PartyGuardian && in.Custody == "" && c.state.Custody == "":
		return invalid("custody", "ange joint (gemensam vårdnad) eller sole")
	case in.Custody != "" && in.Custody != CustodyJoint && in.Custody != CustodySole:
		return invalid("custody", "ska vara joint eller sole")
	case in.Given && len(in.Scope) == 0:
		return invalid("scope", "ange vilka verksamheter samtycket gäller")
	}
	for i, id := range in.Scope {
		if !unitIn(a.ProposedAgencies, id) {
			return invalid(fmt.Sprintf("scope[%d]", i), "%s föreslogs inte i kartläggningen", id)
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
// suffices (our reading of "for the youth's own health and care matters", docs/process.md §7.2); below it
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

func (c *caseRun) requiredParty(at time.Time, party PartyKind) bool {
	guardians, child := c.requiredParties(at)
	return party == PartyGuardian && guardians > 0 || party == PartyChild && child
}

func (c *caseRun) childAge(at time.Time) int {
	age, _ := c.state.Child.ageOn(at)
	return age
}

// latestAnswers is each party's latest consent record that is not a revocation, keyed by party and
// guardian name, in the order the parties first answered. A revocation for some agencies takes them
// out of every answer given before it, whoever revoked: consent for them must be given anew by each
// required party, so a later answer from another party does not bring them back (docs/process.md §5).
func (c *caseRun) latestAnswers() (keys []string, latest map[string]ConsentRecord) {
	latest = map[string]ConsentRecord{}
	for _, r := range c.state.Consents {
		if r.Revoked {
			for _, k := range keys {
				a := latest[k]
				a.Scope = without(a.Scope, r.Scope)
				latest[k] = a
			}
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
	// Who must consent follows the child's age when the answers were given, not when they were
	// entered: a child who turned 12 since then does not undo a consent that was complete.
	var answeredAt time.Time
	for _, k := range keys {
		if latest[k].OccurredAt.After(answeredAt) {
			answeredAt = latest[k].OccurredAt
		}
	}
	guardians, child := c.requiredParties(answeredAt)
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
		if c.state.ConsentStatus != ConsentRefused {
			c.notice(ctx, NoticeConsentRefused, "Samtycke har inte lämnats. Arbetet fortsätter inom den egna verksamhetens mandat.")
		}
		c.state.ConsentStatus = ConsentRefused
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
	if len(scope) == 0 {
		// Every party consented, but to no agency in common: there is nobody to collaborate with yet.
		if c.state.ConsentStatus != ConsentPending || len(c.state.Notices) == 0 || c.state.Notices[len(c.state.Notices)-1].Kind != NoticeConsentNoCommonScope {
			c.notice(ctx, NoticeConsentNoCommonScope, "Samtyckena omfattar ingen gemensam verksamhet. Samverkan kan inte börja förrän de gör det.")
		}
		c.state.ConsentStatus = ConsentPending
		return
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

// mayRecordRevocation: the named person, the assessor and the coordinator record any revocation,
// as they record consent. A participating agency may also record that the family withdrew consent for
// that agency itself – the family may tell whichever agency it meets, and that agency must be able to
// step out at once – but not for others or wholly. Supervisors meet no families and record none.
func (s *CaseState) mayRecordRevocation(by Actor, agencies []string) bool {
	if s.isAssessor(by) || s.isCoordinator(by) {
		return true
	}
	ownAgencyOnly := len(agencies) == 1 && agencies[0] == by.Unit
	return ownAgencyOnly && by.Role != casework.RoleSupervisor && s.ActiveParticipant(by.Unit)
}

// mayRevokeConsent: consent given or pending may be revoked, by whoever may record a revocation of
// at least their own agency's part (mayRecordRevocation says for which agencies).
func (s *CaseState) mayRevokeConsent(by Actor) error {
	switch {
	case s.ConsentStatus != ConsentGiven && s.ConsentStatus != ConsentPending:
		return conflict("det finns inget samtycke att återkalla")
	case !s.mayRecordRevocation(by, []string{by.Unit}):
		return errRevocationNotYours()
	}
	return nil
}

func errRevocationNotYours() error {
	return forbidden("återkallelse registreras av barnets bästa-ansvarig, den som kartlägger eller samordnaren; en deltagande verksamhet kan registrera att samtycket för den egna verksamheten återkallats")
}

func (c *caseRun) validateRevoke(in RevokeConsent, _ time.Time) error {
	if err := c.state.mayRevokeConsent(in.By); err != nil {
		return err
	}
	switch {
	case in.Party != PartyGuardian && in.Party != PartyChild:
		return invalid("party", "ska vara guardian eller child")
	case !c.state.mayRecordRevocation(in.By, in.Agencies):
		return errRevocationNotYours()
	}
	for i, id := range in.Agencies {
		if !contains(c.state.ConsentScope, id) && !unitIn(c.state.Assessment.ProposedAgencies, id) {
			return invalid(fmt.Sprintf("agencies[%d]", i), "%s omfattas inte av samtycket", id)
		}
	}
	return nil
}

// applyRevoke takes effect at once: the revoked agencies leave the case, their invitations are
// cancelled, and the case says so. A whole revocation also cancels the summons and meeting deadlines.
func (c *caseRun) applyRevoke(ctx workflow.Context, in RevokeConsent) {
	c.state.Consents = append(c.state.Consents, ConsentRecord{Recorded: c.recorded(ctx, in.Command),
		Party: in.Party, PartyName: in.PartyName, Revoked: true, Scope: in.Agencies})
	wholly := len(in.Agencies) == 0
	// While consent is pending there is no scope to empty: the revocation narrows the answers so far
	// (latestAnswers), and the consent, once complete, leaves the agencies out.
	narrowsPending := !wholly && c.state.ConsentStatus == ConsentPending &&
		workflow.GetVersion(ctx, pendingRevocationVersion, workflow.DefaultVersion, 1) != workflow.DefaultVersion
	if !wholly && !narrowsPending {
		c.state.ConsentScope = without(c.state.ConsentScope, in.Agencies)
		wholly = len(c.state.ConsentScope) == 0
	}
	if wholly {
		c.state.ConsentStatus, c.state.ConsentScope = ConsentRevoked, nil
		c.cancelDeadline(ctx, casework.DeadlineSummons)
		c.cancelDeadline(ctx, casework.DeadlineMeeting)
		c.cancelDeadline(ctx, casework.DeadlineAcuteMeeting)
	}
	c.syncParticipants(ctx)
	c.cancelInvitations(in.Agencies, wholly)
	what := "helt"
	if len(in.Agencies) > 0 && c.state.ConsentStatus != ConsentRevoked {
		what = "för " + strings.Join(in.Agencies, ", ")
	}
	c.notice(ctx, NoticeConsentRevoked, fmt.Sprintf("Samtycket återkallades %s %s. Berörda verksamheter har inte längre tillgång till ärendet.",
		what, in.OccurredAt.In(casework.Stockholm).Format("2006-01-02 15:04")))
}

// cancelInvitations cancels the pending invitations of the agencies, or all of them, the child's and
// the guardians' too, when the meeting can no longer be held.
func (c *caseRun) cancelInvitations(agencies []string, all bool) {
	if c.state.Summons == nil || c.state.Meeting != nil {
		return
	}
	for i := range c.state.Summons.Invitations {
		inv := &c.state.Summons.Invitations[i]
		if inv.Status == InvitationPending && (all || contains(agencies, inv.Participant)) {
			inv.Status = InvitationCancelled
		}
	}
}

// pendingRevocationVersion guards applyRevoke: before it, revoking consent for some agencies while
// consent was still pending revoked it wholly, and the case could never get consent again (and so
// never opened the summons and meeting deadlines). The DefaultVersion branch may go once no case
// started before this release is still open.
const pendingRevocationVersion = "pending-partial-revocation"

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
