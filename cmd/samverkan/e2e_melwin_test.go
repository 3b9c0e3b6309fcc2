package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestMelwin14 is the worked example of docs/process.md §13 from source 002, through HTTP: Melwin, 14, in
// åk 7, has hardly been at school for a year. His teacher reports; the school's named person takes
// the case, assesses it with Melwin's own view and the five questions, and finds that the school
// health team, BUP and social services are needed. Both guardians (joint custody) and Melwin (14, so
// his own consent is asked too) consent; the summons goes out within 5 working days; the meeting
// was held yesterday and is entered today; one agency needs to do nothing further and says why;
// Melwin is asked whom he wants as coordinator and gets her. Melwin and his family are invented.
func TestMelwin14(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	birth := birthDateForAge(14)

	created := s.concernCase(anna, childConcern("Melwin Påhittad", birth, 983, "7",
		[]string{"lärande", "hälsa", "relationer", "hemmet"},
		"Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig från kamraterna.", false, localDay(-2, 9, 0)))
	caseID := created.CaseID
	require.Equal(t, "norrkoping-skola-1", created.NamedPersonUnit.ID)

	c := s.mustAct(bertil, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 10, 0))})
	require.Equal(t, "kartlägga", c.Phase)
	require.Equal(t, "bertil.rektor", c.Acknowledged.By.User)
	require.Equal(t, "school", c.Acknowledged.By.UnitKind, "the actor's unit kind comes from the directory")
	require.Equal(t, "bertil.rektor", c.Assessor)
	status, _, done := c.deadline("acknowledge")
	require.Equal(t, "met", status)
	require.Equal(t, rfc3339(localDay(-2, 10, 0)), done)

	t.Run("the named person assesses with Melwin's view and the five questions", func(t *testing.T) {
		c := s.mustAct(bertil, "PUT", caseID, "assessment", map[string]any{
			"occurredAt": rfc3339(localDay(-2, 11, 0)),
			"areas": []map[string]any{
				{"area": "lärande", "observation": "Närvaro under 10 % sedan ett år; saknar betyg i flera ämnen.", "level": "hög"},
				{"area": "hälsa", "observation": "Sover dåligt, ont i magen på morgnarna enligt vårdnadshavarna.", "level": "måttlig"},
				{"area": "relationer", "observation": "Isolerar sig; blir aggressiv när han pressas att komma till skolan.", "level": "hög"},
				{"area": "hemmet", "observation": "Vårdnadshavarna är oroliga och orkar inte längre få iväg honom.", "level": "måttlig"},
			},
			"childView": map[string]any{"view": "Melwin säger att skolan känns för stor och att han inte vet hur han ska komma tillbaka."},
			"fiveQuestions": map[string]any{
				"haveAllInformation": "Nej: elevhälsans utredning pekar på behov av en psykiatrisk bedömning.",
				"obstacles":          "Lång frånvaro, ångest inför skolan, isolering.",
				"whatICanDo":         "Anpassad studiegång och en trygg vuxen på skolan.",
				"whatOrgCanDo":       "Elevhälsan följer upp; skolan anpassar schemat.",
				"helpNeeded":         "Bedömning från BUP och stöd till familjen från socialtjänsten.",
			},
			"partners": map[string]any{
				"earlier": []string{"norrkoping-bvc-1", "norrkoping-forskola-1"},
				"today":   []string{"norrkoping-skola-1", "norrkoping-elevhalsa"},
				"forward": []string{"norrkoping-bup", "norrkoping-socialtjanst"},
			},
		})
		require.Len(t, c.Assessment.Areas, 4)
		require.Equal(t, []string{"norrkoping-bup", "norrkoping-socialtjanst"}, c.Assessment.Partners.Forward)
		require.Contains(t, c.Assessment.ChildView.View, "Melwin säger")
	})
	t.Run("the assessment ends in collaboration with BUP, social services and the school health team", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "assessment/completion", map[string]any{
			"occurredAt":       rfc3339(localDay(-2, 13, 0)),
			"outcome":          "collaboration",
			"proposedAgencies": []string{"norrkoping-bup", "norrkoping-socialtjanst", "norrkoping-elevhalsa"},
			"relevantAreas":    []string{"lärande", "hälsa", "relationer", "hemmet"},
		})
		require.Equal(t, "samarbeta", c.Phase)
		require.Equal(t, "pending", c.Consent.Status)
		require.Len(t, c.Assessment.ProposedAgencies, 3)
		require.Equal(t, "BUP Lärkängen", c.Assessment.ProposedAgencies[0].Name, "proposed agencies are named from the directory")
		require.Equal(t, "bup", c.Assessment.ProposedAgencies[0].Kind)
	})
	scope := []string{"norrkoping-bup", "norrkoping-socialtjanst", "norrkoping-elevhalsa"}
	t.Run("both guardians and Melwin consent; at 14 his own consent is needed too", func(t *testing.T) {
		for i, name := range []string{"Vårdnadshavare Ett Påhittad", "Vårdnadshavare Två Påhittad"} {
			c := s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 14, i*10)),
				"party": "guardian", "partyName": name, "custody": "joint", "given": true, "scope": scope, "method": "written"})
			require.Equal(t, "pending", c.Consent.Status, "after guardian %d: Melwin has not answered", i+1)
		}
		c := s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 15, 0)),
			"party": "child", "given": true, "scope": scope, "method": "oral"})
		require.Equal(t, "given", c.Consent.Status)
		require.ElementsMatch(t, scope, c.Consent.Scope)
		require.Len(t, c.Consent.Records, 3)
		for _, unit := range scope {
			require.Equal(t, "active", c.participant(unit))
		}
		status, due, _ := c.deadline("summons")
		require.Equal(t, "open", status)
		wantDue, _ := casework.Norrkoping().DueAt(casework.DeadlineSummons, localDay(-2, 15, 0))
		require.Equal(t, rfc3339(wantDue), due, "summons within 5 working days of the consent")
	})
	t.Run("the summons goes out within 5 working days", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 16, 0)),
			"meetingAt": rfc3339(localDay(-1, 13, 0)), "place": "Lärkängsskolan, konferensrummet",
			"agencies": scope, "inviteChild": true, "inviteGuardians": true})
		status, _, done := c.deadline("summons")
		require.Equal(t, "met", status)
		require.Equal(t, rfc3339(localDay(-2, 16, 0)), done)
		require.Len(t, c.Summons.Invitations, 5)
		require.Equal(t, "pending", c.invitation("norrkoping-bup"))
	})
	t.Run("the meeting held yesterday is entered today", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "meeting", map[string]any{
			"occurredAt": rfc3339(localDay(-1, 13, 0)),
			"attendance": []map[string]any{{"participant": "norrkoping-bup", "present": true},
				{"participant": "norrkoping-socialtjanst", "present": true}, {"participant": "norrkoping-elevhalsa", "present": true},
				{"participant": "child", "present": true}, {"participant": "guardians", "present": true}},
			"commonPicture": "Melwin vill tillbaka till skolan men orkar inte; familjen behöver stöd.",
			"decisions": []map[string]any{
				{"unitId": "norrkoping-bup", "decision": "Bedömningssamtal inom tre veckor."},
				{"unitId": "norrkoping-socialtjanst", "decision": "Erbjuder familjebehandling."},
				{"unitId": "norrkoping-elevhalsa", "noFurtherAction": true,
					"reason": "Elevhälsans utredning är klar och remissen till BUP skickad; fortsatt stöd ges inom skolans ordinarie elevhälsoarbete."},
			},
		})
		require.Equal(t, rfc3339(localDay(-1, 13, 0)), c.Meeting.OccurredAt, "the meeting keeps its business time")
		require.NotEqual(t, c.Meeting.OccurredAt, c.Meeting.RecordedAt, "and says when it was entered")
		status, _, done := c.deadline("meeting")
		require.Equal(t, "met", status)
		require.Equal(t, rfc3339(localDay(-1, 13, 0)), done)
		require.True(t, c.Meeting.Decisions[2].NoFurtherAction)
		require.NotEmpty(t, c.Meeting.Decisions[2].Reason)
		require.Equal(t, "attended", c.invitation("child"))
	})
	t.Run("Melwin is asked first and gets the coordinator he wishes", func(t *testing.T) {
		c := s.mustAct(bertil, "POST", caseID, "coordinator", map[string]any{"occurredAt": rfc3339(localDay(-1, 14, 0)),
			"childWish": map[string]any{"user": "cecilia.socialsekreterare"}, "coordinator": map[string]any{"user": "cecilia.socialsekreterare"}})
		require.Equal(t, "cecilia.socialsekreterare", c.Coordinator.Coordinator.User)
		require.Equal(t, "Cecilia Socialsekreterare", c.Coordinator.Coordinator.Name)
		require.Equal(t, "norrkoping-socialtjanst", c.Coordinator.Coordinator.UnitID)
		require.Equal(t, "social_services", c.Coordinator.Coordinator.UnitKind)
		require.Nil(t, c.Coordinator.PlanOwner, "a coordinator from social services needs no plan owner")
		require.False(t, c.Overdue)
		require.Empty(t, c.Deviations)
	})
	t.Run("the case's professionals read it, others do not", func(t *testing.T) {
		for _, reader := range []struct{ name, token, view string }{
			{"the coordinator", s.token("cecilia.socialsekreterare"), "full"},
			{"BUP, a participant", s.token("frida.bup"), "full"},
			{"the school health team, a participant", s.tokenFor("nora.elevhalsa", "norrkoping-elevhalsa"), "full"},
			{"the school's supervisor", s.tokenFor("david.chef", "norrkoping-skola-1"), "full"},
			{"the reporter", anna, "reporter"},
		} {
			status, c := s.read(reader.token, caseID)
			require.Equal(t, http.StatusOK, status, reader.name)
			require.Equal(t, reader.view, c.View, reader.name)
		}
		for _, outsider := range []string{s.token("erik.bvc"), s.token("stina.styrgrupp"), s.token("nora.elevhalsa")} {
			status, _ := s.read(outsider, caseID)
			require.Equal(t, http.StatusNotFound, status, "BVC in Luleå, the steering group, and the central school health team, which takes no part")
		}
	})
	s.recordHistory("case-"+caseID[:26], "melwin_14")
	s.stop()
}
