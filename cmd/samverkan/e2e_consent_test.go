package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestConsentRevokedMidSummons: consent can be revoked at any time, wholly or for one agency, and it
// takes effect at once (docs/process.md §5). After the summons a guardian revokes consent for BUP: BUP
// loses access to the case from the next request, its invitation is cancelled and the case says so.
// Then the other guardian revokes it wholly, and the meeting cannot be held. The child (10, so the
// guardians decide) and the family are invented.
func TestConsentRevokedMidSummons(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	frida, cecilia := s.token("frida.bup"), s.token("cecilia.socialsekreterare")

	created := s.concernCase(anna, childConcern("Ville Påhittad", birthDateForAge(10), 985, "4",
		[]string{"hälsa", "relationer"}, "Har slutat äta lunch i skolan och säger att han har ont i magen varje dag.", false,
		time.Now().Add(-time.Hour).Truncate(time.Second)))
	caseID := created.CaseID
	scope := []string{"norrkoping-bup", "norrkoping-socialtjanst"}

	// Every step now, without occurredAt: it defaults to the time of the request.
	s.mustAct(bertil, "POST", caseID, "acknowledgement", nil)
	s.mustAct(bertil, "PUT", caseID, "assessment", map[string]any{
		"areas":         []map[string]any{{"area": "hälsa", "observation": "Ont i magen, äter inte.", "level": "måttlig"}},
		"childView":     map[string]any{"view": "Ville säger att det är jobbigt i matsalen."},
		"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Oro.", "whatICanDo": "Samtal.", "whatOrgCanDo": "Elevhälsan.", "helpNeeded": "BUP och socialtjänsten."},
	})
	s.mustAct(bertil, "POST", caseID, "assessment/completion", map[string]any{"outcome": "collaboration",
		"proposedAgencies": scope, "relevantAreas": []string{"hälsa", "relationer"}})
	for _, name := range []string{"Förälder Ett Påhittad", "Förälder Två Påhittad"} {
		s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"party": "guardian", "partyName": name, "custody": "joint",
			"given": true, "scope": scope, "method": "written"})
	}
	c := s.mustAct(bertil, "POST", caseID, "summons", map[string]any{"meetingAt": time.Now().Add(72 * time.Hour).Format(time.RFC3339),
		"place": "Lärkängsskolan", "agencies": scope, "inviteChild": true, "inviteGuardians": true})
	require.Equal(t, "pending", c.invitation("norrkoping-bup"))
	status, view := s.read(frida, caseID)
	require.Equal(t, http.StatusOK, status, "BUP takes part")
	require.Equal(t, "full", view.View)

	t.Run("a guardian revokes consent for BUP: BUP loses access and its invitation", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "consent-revocations", map[string]any{"party": "guardian",
			"partyName": "Förälder Ett Påhittad", "agencies": []string{"norrkoping-bup"}})
		require.Equal(t, "given", c.Consent.Status, "consent still holds for social services")
		require.Equal(t, []string{"norrkoping-socialtjanst"}, c.Consent.Scope)
		require.Equal(t, "cancelled", c.invitation("norrkoping-bup"))
		require.Equal(t, "pending", c.invitation("norrkoping-socialtjanst"))
		require.Equal(t, "removed", c.participant("norrkoping-bup"))
		require.True(t, c.hasNotice("consent_revoked"), "the case says so: %+v", c.Notices)

		status, _ := s.read(frida, caseID)
		require.Equal(t, http.StatusNotFound, status, "BUP reads the case no more")
		status, _, _ = s.act(frida, "POST", caseID, "harm-report", map[string]any{"reported": false, "reason": "Ingen misstanke."})
		require.Equal(t, http.StatusNotFound, status, "nor acts in it")
		status, _ = s.read(cecilia, caseID)
		require.Equal(t, http.StatusOK, status, "social services still take part")
	})
	t.Run("the other guardian revokes it wholly: the meeting cannot be held", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "consent-revocations", map[string]any{"party": "guardian",
			"partyName": "Förälder Två Påhittad"})
		require.Equal(t, "revoked", c.Consent.Status)
		require.Equal(t, "removed", c.participant("norrkoping-socialtjanst"))
		require.Equal(t, "cancelled", c.invitation("norrkoping-socialtjanst"))
		for _, kind := range []string{"summons", "meeting"} {
			status, _, _ := c.deadline(kind)
			require.NotEqual(t, "open", status, "the %s deadline no longer runs", kind)
		}
		status, _ := s.read(cecilia, caseID)
		require.Equal(t, http.StatusNotFound, status, "social services read the case no more")

		status, _, p := s.act(bertil, "POST", caseID, "meeting", map[string]any{
			"attendance":    []map[string]any{{"participant": "child", "present": true}},
			"commonPicture": "Mötet hölls ändå.",
		})
		require.Equal(t, http.StatusConflict, status, "%+v", p)
	})
	s.recordHistory("case-"+caseID[:26], "consent_revoked_mid_summons")
	s.stop()
}

// TestCommandStatusMapping: what a client can provoke with a command, and the status it gets.
// The rows run in order against one case.
func TestCommandStatusMapping(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	created := s.concernCase(anna, childConcern("Testbarn Påhittad", birthDateForAge(9), 986, "3",
		[]string{"lärande"}, "Har svårt att koncentrera sig.", false, time.Now().Add(-time.Hour).Truncate(time.Second)))
	caseID := created.CaseID
	summons := map[string]any{"meetingAt": time.Now().Add(48 * time.Hour).Format(time.RFC3339), "place": "Skolan",
		"agencies": []string{"norrkoping-bup"}}

	for _, row := range []struct {
		name, token, method, command string
		body                         any
		key                          string
		status                       int
		fields                       []string
	}{
		{"someone without a part in the case gets 404", s.token("erik.bvc"), "POST", "acknowledgement", nil, "", http.StatusNotFound, nil},
		{"a reporter's command other than the harm report is 403", anna, "POST", "acknowledgement", nil, "", http.StatusForbidden, nil},
		{"a command by the wrong role is 403", s.tokenFor("david.chef", "norrkoping-skola-1"), "POST", "acknowledgement", nil, "", http.StatusForbidden, nil},
		{"a business time in the future is 400", bertil, "POST", "acknowledgement",
			map[string]any{"occurredAt": time.Now().Add(time.Hour).Format(time.RFC3339)}, "", http.StatusBadRequest, []string{"occurredAt"}},
		{"assessing before the case is taken is 409", bertil, "PUT", "assessment", map[string]any{}, "", http.StatusConflict, nil},
		{"a summons before consent is 409", bertil, "POST", "summons", summons, "", http.StatusConflict, nil},
		{"the named person takes the case", bertil, "POST", "acknowledgement", nil, "ack-1", http.StatusOK, nil},
		{"a retry with the same Idempotency-Key gets the same answer", bertil, "POST", "acknowledgement", nil, "ack-1", http.StatusOK, nil},
		{"taking it again is 409", bertil, "POST", "acknowledgement", nil, "", http.StatusConflict, nil},
		{"a harm report under a key", bertil, "POST", "harm-report", map[string]any{"reported": false, "reason": "Ingen misstanke."}, "harm-1",
			http.StatusOK, nil},
		{"the same key with another body is 422 naming Idempotency-Key, not the first answer", bertil, "POST", "harm-report",
			map[string]any{"reported": true, "reportedAt": time.Now().Add(-time.Minute).Format(time.RFC3339)}, "harm-1",
			http.StatusUnprocessableEntity, []string{"Idempotency-Key"}},
		{"a refused request leaves its key free for the corrected one", bertil, "POST", "harm-report",
			map[string]any{"reported": true, "reportedAt": time.Now().Add(time.Hour).Format(time.RFC3339)}, "harm-2",
			http.StatusBadRequest, []string{"reportedAt"}},
		{"the corrected request under the same key", bertil, "POST", "harm-report",
			map[string]any{"reported": true, "reportedAt": time.Now().Add(-time.Minute).Format(time.RFC3339)}, "harm-2", http.StatusOK, nil},
		{"bad input is 400 naming each field", bertil, "POST", "assessment/completion",
			map[string]any{"outcome": "collaboration", "ownFollowUp": true, "relevantAreas": []string{"skola"}}, "", http.StatusBadRequest,
			[]string{"ownFollowUp", "proposedAgencies", "relevantAreas[0]"}},
		{"an unknown agency is 400 naming it", bertil, "POST", "assessment/completion",
			map[string]any{"outcome": "collaboration", "proposedAgencies": []string{"norrkoping-bup", "no-such-unit"}, "relevantAreas": []string{"lärande"}},
			"", http.StatusBadRequest, []string{"proposedAgencies[1]"}},
		{"an unknown field is 400 naming it", bertil, "POST", "consents", map[string]any{"party": "guardian", "colour": "blue"}, "",
			http.StatusBadRequest, []string{"colour"}},
		{"a wrong type is 400 naming the field", bertil, "POST", "harm-report", map[string]any{"reported": "ja"}, "",
			http.StatusBadRequest, []string{"reported"}},
		{"delegating outside the named person's unit is 400", bertil, "POST", "delegation", map[string]any{"to": "frida.bup"}, "",
			http.StatusBadRequest, []string{"to"}},
		{"delegating to nobody known is 400", bertil, "POST", "delegation", map[string]any{"to": "ingen.alls"}, "",
			http.StatusBadRequest, []string{"to"}},
		{"a level off the scale is 400 naming it", bertil, "PUT", "assessment",
			map[string]any{"areas": []map[string]any{{"area": "lärande", "observation": "Svårt att koncentrera sig.", "level": "enorm"}}}, "",
			http.StatusBadRequest, []string{"areas[0].level"}},
		{"delegating the assessment to a colleague in the unit", bertil, "POST", "delegation", map[string]any{"to": "anna.larare"}, "",
			http.StatusOK, nil},
		{"the named person closes the case", bertil, "POST", "closing", map[string]any{"reason": "own_organisation", "note": "Skolan anpassar undervisningen."},
			"", http.StatusOK, nil},
		{"a command on a closed case is 409", bertil, "POST", "harm-report", map[string]any{"reported": false, "reason": "Ingen misstanke."}, "",
			http.StatusConflict, nil},
	} {
		t.Run(row.name, func(t *testing.T) {
			status, _, p := s.actWithKey(row.token, row.method, caseID, row.command, row.key, row.body)
			require.Equal(t, row.status, status, "%+v", p)
			if row.fields != nil {
				require.Equal(t, row.fields, fieldsOf(p))
			}
		})
	}
	status, c := s.read(bertil, caseID)
	require.Equal(t, http.StatusOK, status, "a closed case can still be read")
	require.Equal(t, "avslutat", c.Phase)
	require.Equal(t, "anna.larare", c.Assessor)
	status, c = s.read(anna, caseID)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "full", c.View, "the reporter the assessment was delegated to reads the whole case")
}
