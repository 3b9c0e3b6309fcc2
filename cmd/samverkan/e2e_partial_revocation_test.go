package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPartialRevocationWhileConsentPending: one guardian consents, then withdraws consent for BUP
// before the other guardian has answered. The case's consent stays pending (not revoked as a whole),
// and when the other guardian consents, consent holds for social services only. Its history is
// recorded for the replay test: it takes the workflow's "pending-partial-revocation" version branch.
func TestPartialRevocationWhileConsentPending(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	created := s.concernCase(anna, childConcern("Vilma Påhittad", birthDateForAge(9), 986, "3",
		[]string{"hemmet", "trygghet"}, "Är ofta ensam hämtad sent och verkar rädd för att gå hem.", false,
		time.Now().Add(-time.Hour).Truncate(time.Second)))
	caseID := created.CaseID
	scope := []string{"norrkoping-bup", "norrkoping-socialtjanst"}

	s.mustAct(bertil, "POST", caseID, "acknowledgement", nil)
	s.mustAct(bertil, "PUT", caseID, "assessment", map[string]any{
		"areas":         []map[string]any{{"area": "trygghet", "observation": "Rädd för att gå hem.", "level": "hög"}},
		"childView":     map[string]any{"view": "Vilma säger att hon inte vill prata om det hemma."},
		"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Otrygghet.", "whatICanDo": "Samtal.", "whatOrgCanDo": "Kurator.", "helpNeeded": "Socialtjänsten och BUP."},
	})
	s.mustAct(bertil, "POST", caseID, "assessment/completion", map[string]any{"outcome": "collaboration",
		"proposedAgencies": scope, "relevantAreas": []string{"hemmet", "trygghet"}})
	c := s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"party": "guardian", "partyName": "Förälder Ett Påhittad",
		"custody": "joint", "given": true, "scope": scope, "method": "written"})
	require.Equal(t, "pending", c.Consent.Status, "joint custody: the other guardian has not answered")

	c = s.mustAct(bertil, "POST", caseID, "consent-revocations", map[string]any{"party": "guardian",
		"partyName": "Förälder Ett Påhittad", "agencies": []string{"norrkoping-bup"}})
	require.Equal(t, "pending", c.Consent.Status, "a partial revocation while pending is not a whole one")
	require.True(t, c.hasNotice("consent_revoked"), "the case says so: %+v", c.Notices)

	c = s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"party": "guardian", "partyName": "Förälder Två Påhittad",
		"given": true, "scope": scope, "method": "oral"})
	require.Equal(t, "given", c.Consent.Status)
	require.Equal(t, []string{"norrkoping-socialtjanst"}, c.Consent.Scope, "BUP stays out until both consent to it again")

	s.recordHistory("case-"+caseID[:26], "partial_revocation_pending")
	s.stop()
}
