package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

type timelineBody struct {
	CaseID string              `json:"caseId"`
	View   string              `json:"view"`
	Until  string              `json:"until"`
	Events []timelineEventBody `json:"events"`
}

type timelineEventBody struct {
	Seq        int    `json:"seq"`
	Kind       string `json:"kind"`
	OccurredAt string `json:"occurredAt"`
	RecordedAt string `json:"recordedAt"`
	By         *struct {
		User, Name, Role, Unit, UnitName string
	} `json:"by"`
	Text string `json:"text"`
	Ref  string `json:"ref"`
}

func (tl timelineBody) kinds() []string {
	out := make([]string, len(tl.Events))
	for i, e := range tl.Events {
		out[i] = e.Kind
	}
	return out
}

func (tl timelineBody) last() timelineEventBody { return tl.Events[len(tl.Events)-1] }

// timeline reads a case's timeline as JSON; the status says whether the caller may.
func (s *system) timeline(token, caseID string) (int, timelineBody) {
	s.t.Helper()
	var tl timelineBody
	status := s.call("GET", "/api/v1/cases/"+caseID+"/timeline", token, nil, &tl)
	return status, tl
}

// TestCaseTimeline: the timeline of docs/process.md §13's Melwin, through HTTP, read from the case
// workflow's history – in the order of the story, a concern entered last standing where it happened –
// and as a page to print; a reporter cannot read it; after consent for BUP is revoked, BUP's view ends
// at the revocation while the school's goes on. Then a case whose concern is entered so late that the
// deadline to take it has passed: the automatic deviation, the supervisor's mail, and the deviation
// withdrawn when the named person enters that it was taken in time. Melwin and his family are invented.
func TestCaseTimeline(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil, frida := s.token("anna.larare"), s.token("bertil.rektor"), s.token("frida.bup")
	nora, david := s.tokenFor("nora.elevhalsa", "norrkoping-elevhalsa"), s.tokenFor("david.chef", "norrkoping-skola-1")
	caseID := melwinStory(t, s, anna, bertil, nora)

	t.Run("the Melwin case's timeline reads as the story of §13, in order", func(t *testing.T) {
		// The messages, sent now, stand after the steps of the last two days: the new case to the named
		// person, the invitation to each agency, the appointment to the coordinator, the school nurse's
		// concern to the named person – each when it reached its people, so in no fixed order.
		told := []string{"Barnets bästa-ansvarig på Lärkängsskolan fick besked om det nya ärendet.",
			"Företrädare för verksamheten på BUP Lärkängen fick kallelsen till samverkansmötet.",
			"Företrädare för verksamheten på Socialtjänsten Lärkängen, barn och unga fick kallelsen till samverkansmötet.",
			"Företrädare för verksamheten på Elevhälsan Lärkängsskolan fick kallelsen till samverkansmötet.",
			"Cecilia Socialsekreterare fick besked om sitt uppdrag i ärendet.",
			"Barnets bästa-ansvarig på Lärkängsskolan fick besked om den nya oron."}
		var tl timelineBody
		require.Eventually(t, func() bool {
			var status int
			status, tl = s.timeline(bertil, caseID)
			return status == http.StatusOK && len(tl.Events) >= 15+len(told)
		}, 30*time.Second, 200*time.Millisecond, "the named person is told of the school nurse's concern")
		require.Equal(t, "full", tl.View)
		steps := []string{"concern_registered", "concern_routed", "case_acknowledged", "assessment_recorded",
			"concern_registered", "assessment_completed", "consent_given", "consent_given", "consent_given", "summons_sent",
			"meeting_held", "agency_decision", "agency_decision", "agency_decision", "coordinator_appointed"}
		require.Equal(t, steps, tl.kinds()[:len(steps)])
		var messages []string
		for _, e := range tl.Events[len(steps):] {
			require.Equal(t, "notification_sent", e.Kind)
			messages = append(messages, e.Text)
		}
		require.ElementsMatch(t, told, messages)
		story := []string{"Anna Lärare anmälde oro för barnet inom lärande, hälsa, relationer och hemmet",
			"Ärendet fördelades till Lärkängsskolan", "Bertil Rektor tog emot ärendet", "Barnets egen syn: ”Melwin säger",
			"Nora Elevhälsa anmälde en ny oro inom hälsa", "samverkan behövs med BUP Lärkängen",
			"Vårdnadshavaren Eva Påhittad gav skriftligt samtycke", "Vårdnadshavaren Karl Påhittad gav skriftligt samtycke",
			"Barnet gav muntligt samtycke", "kallade till samverkansmöte", "Samverkansmötet hölls",
			"BUP Lärkängen beslutade vid mötet", "Socialtjänsten Lärkängen, barn och unga beslutade vid mötet",
			"Elevhälsan Lärkängsskolan behöver inte göra något mer", "Cecilia Socialsekreterare (Socialtjänsten Lärkängen, barn och unga) utsågs till samordnare"}
		for i, want := range story {
			require.Contains(t, tl.Events[i].Text, want, "event %d", i+1)
		}
		late := tl.Events[4]
		require.Equal(t, rfc3339(localDay(-2, 12, 0)), late.OccurredAt, "the school nurse's concern stands when she saw it")
		for _, e := range tl.Events {
			if e.Kind != "notification_sent" && e.Seq != late.Seq {
				require.Less(t, e.Seq, late.Seq, "though it was recorded after every step: %s", e.Text)
			}
		}
		require.Equal(t, "nora.elevhalsa", late.By.User)
		require.Equal(t, "Elevhälsan Lärkängsskolan", late.By.UnitName)
		require.Nil(t, tl.Events[1].By, "the routing is the system's")
		require.Equal(t, rfc3339(localDay(-1, 13, 0)), tl.Events[10].OccurredAt, "the meeting held yesterday, entered today")
		require.NotEqual(t, tl.Events[10].OccurredAt, tl.Events[10].RecordedAt)
	})
	t.Run("the timeline prints as a page for the case file", func(t *testing.T) {
		ans := s.sendRaw("GET", "/api/v1/cases/"+caseID+"/timeline?format=html", bertil, nil, nil)
		require.Equal(t, http.StatusOK, ans.status)
		require.Equal(t, "text/html; charset=utf-8", ans.header.Get("Content-Type"))
		require.Contains(t, ans.header.Get("Content-Security-Policy"), "default-src 'none'")
		page := string(ans.body)
		for _, want := range []string{"Ärendets tidslinje", "Melwin Påhittad", "@media print", "Samverkansmötet hölls",
			"registrerat " + localDay(0, 0, 0).Format(time.DateOnly), "Barnets bästa-ansvarig: Lärkängsskolan"} {
			require.Contains(t, page, want)
		}
		require.NotContains(t, page, "<script")
		require.Equal(t, http.StatusBadRequest, s.sendRaw("GET", "/api/v1/cases/"+caseID+"/timeline?format=pdf", bertil, nil, nil).status)
	})
	t.Run("a reporter cannot read a timeline, nor can anyone without a part", func(t *testing.T) {
		for name, token := range map[string]string{"the reporter": anna, "BVC in Luleå": s.token("erik.bvc"),
			"the steering group": s.token("stina.styrgrupp")} {
			status, _ := s.timeline(token, caseID)
			require.Equal(t, http.StatusNotFound, status, name)
		}
	})

	var revokedAt string
	t.Run("after consent for BUP is revoked, BUP's view ends at the revocation", func(t *testing.T) {
		s.mustAct(bertil, "POST", caseID, "consent-revocations", map[string]any{"party": "guardian", "partyName": "Eva Påhittad",
			"agencies": []string{"norrkoping-bup"}})
		s.mustAct(bertil, "POST", caseID, "harm-report", map[string]any{"reported": false, "reason": "Ingen misstanke om att Melwin far illa."})

		status, tl := s.timeline(frida, caseID)
		require.Equal(t, http.StatusOK, status, "BUP took part until the revocation")
		require.Equal(t, "until_revocation", tl.View)
		require.NotEmpty(t, tl.Until)
		require.Equal(t, "consent_revoked", tl.last().Kind)
		require.Contains(t, tl.last().Text, "Vårdnadshavaren Eva Påhittad återkallade samtycket för BUP Lärkängen")
		require.NotContains(t, tl.kinds(), "harm_report_recorded", "what came after is not BUP's to see")
		revokedAt = tl.Until
		status, _ = s.read(frida, caseID)
		require.Equal(t, http.StatusNotFound, status, "the case itself BUP reads no more")

		status, tl = s.timeline(bertil, caseID)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "full", tl.View)
		require.Equal(t, []string{"consent_revoked", "harm_report_recorded"}, tl.kinds()[len(tl.Events)-2:])

		ans := s.sendRaw("GET", "/api/v1/cases/"+caseID+"/timeline?format=html", frida, nil, nil)
		require.Equal(t, http.StatusOK, ans.status)
		require.Contains(t, string(ans.body), "Samtycket för din verksamhet återkallades")
		require.NotContains(t, string(ans.body), "Ingen misstanke")
	})
	t.Run("every read of a timeline is in the case's access log, denied ones too", func(t *testing.T) {
		var log accessLogBody
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID+"/access-log", david, nil, &log))
		require.True(t, log.has("bertil.rektor", "read_timeline", "allowed", http.StatusOK))
		require.True(t, log.has("frida.bup", "read_timeline", "allowed", http.StatusOK))
		require.True(t, log.has("anna.larare", "read_timeline", "denied", http.StatusNotFound))
		require.NotEmpty(t, revokedAt)
	})
	s.recordHistory("case-"+caseID[:26], "case_events_melwin_revocation")

	t.Run("a concern entered after the deadline to take it: the deviation, the mail, and its withdrawal", func(t *testing.T) {
		seen := localDay(-7, 9, 0)
		created := s.concernCase(anna, childConcern("Sigge Påhittad", birthDateForAge(9), 987, "3",
			[]string{"trygghet"}, "Kommer till skolan utan ytterkläder.", false, seen))
		s.mustAct(bertil, "POST", created.CaseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(seen.Add(time.Hour))})
		var tl timelineBody
		require.Eventually(t, func() bool {
			_, tl = s.timeline(bertil, created.CaseID)
			return strings.Count(strings.Join(tl.kinds(), " "), "notification_sent") == 2
		}, 30*time.Second, 200*time.Millisecond, "the named person's message of the new case and the supervisor's of the missed deadline are sent")
		s.recordHistory("case-"+created.CaseID[:26], "case_events_deadline_missed_and_withdrawn")
		kinds := tl.kinds()
		require.Equal(t, []string{"concern_registered", "concern_routed", "case_acknowledged", "deadline_missed"}, kinds[:4])
		require.ElementsMatch(t, []string{"deviation_withdrawn", "notification_sent", "notification_sent"}, kinds[4:])
		missed := tl.Events[3]
		require.Equal(t, "avv-1", missed.Ref)
		require.Contains(t, missed.Text, "Systemet skrev avvikelsen avv-1 till chefen för Lärkängsskolan")
		for _, e := range tl.Events[4:] {
			switch {
			case e.Kind == "deviation_withdrawn":
				require.Equal(t, "avv-1", e.Ref)
			case strings.HasPrefix(e.Text, "Chef"):
				require.Contains(t, e.Text, "Chef på Lärkängsskolan fick besked om att tidsgränsen för att ta emot ärendet gått ut")
			default:
				require.Equal(t, "Barnets bästa-ansvarig på Lärkängsskolan fick besked om det nya ärendet.", e.Text)
			}
		}
		var c struct {
			Deviations []struct {
				Kind, DeadlineKind, WithdrawnAt string
			} `json:"deviations"`
		}
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+created.CaseID, bertil, nil, &c))
		require.Len(t, c.Deviations, 1, "the one deviation the case has")
		require.Equal(t, "acknowledge", c.Deviations[0].DeadlineKind)
		require.NotEmpty(t, c.Deviations[0].WithdrawnAt)
	})
	s.stop()
}

// melwinStory walks Melwin's case of docs/process.md §13 (as TestMelwin14 does) over the last two days,
// every step at its business time; the school nurse's concern, seen on the first day between the
// assessment and its completion, is entered last.
func melwinStory(t *testing.T, s *system, anna, bertil, nora string) string {
	t.Helper()
	birth := birthDateForAge(14)
	concern := func(areas []string, observation string, at time.Time) map[string]any {
		return childConcern("Melwin Påhittad", birth, 993, "7", areas, observation, false, at)
	}
	created := s.concernCase(anna, concern([]string{"lärande", "hälsa", "relationer", "hemmet"},
		"Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig från kamraterna.", localDay(-2, 9, 0)))
	caseID := created.CaseID
	scope := []string{"norrkoping-bup", "norrkoping-socialtjanst", "norrkoping-elevhalsa"}
	at := func(day, hour, minute int) map[string]any {
		return map[string]any{"occurredAt": rfc3339(localDay(day, hour, minute))}
	}
	with := func(m map[string]any, kv map[string]any) map[string]any {
		for k, v := range kv {
			m[k] = v
		}
		return m
	}
	s.mustAct(bertil, "POST", caseID, "acknowledgement", at(-2, 10, 0))
	s.mustAct(bertil, "PUT", caseID, "assessment", with(at(-2, 11, 0), map[string]any{
		"areas": []map[string]any{{"area": "lärande", "observation": "Närvaro under 10 % sedan ett år.", "level": "hög"},
			{"area": "relationer", "observation": "Isolerar sig.", "level": "hög"}},
		"childView": map[string]any{"view": "Melwin säger att skolan känns för stor och att han inte vet hur han ska komma tillbaka."},
		"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Lång frånvaro, ångest inför skolan.",
			"whatICanDo": "Anpassad studiegång.", "whatOrgCanDo": "Elevhälsan följer upp.", "helpNeeded": "BUP och socialtjänsten."},
	}))
	s.mustAct(bertil, "POST", caseID, "assessment/completion", with(at(-2, 13, 0), map[string]any{"outcome": "collaboration",
		"proposedAgencies": scope, "relevantAreas": []string{"lärande", "hälsa", "relationer", "hemmet"}}))
	for i, name := range []string{"Eva Påhittad", "Karl Påhittad"} {
		s.mustAct(bertil, "POST", caseID, "consents", with(at(-2, 14, i*10), map[string]any{"party": "guardian", "partyName": name,
			"custody": "joint", "given": true, "scope": scope, "method": "written"}))
	}
	s.mustAct(bertil, "POST", caseID, "consents", with(at(-2, 15, 0), map[string]any{"party": "child", "given": true, "scope": scope, "method": "oral"}))
	s.mustAct(bertil, "POST", caseID, "summons", with(at(-2, 16, 0), map[string]any{"meetingAt": rfc3339(localDay(-1, 13, 0)),
		"place": "Lärkängsskolan, konferensrummet", "agencies": scope, "inviteChild": true, "inviteGuardians": true}))
	s.mustAct(bertil, "POST", caseID, "meeting", with(at(-1, 13, 0), map[string]any{
		"attendance": []map[string]any{{"participant": "norrkoping-bup", "present": true}, {"participant": "norrkoping-socialtjanst", "present": true},
			{"participant": "norrkoping-elevhalsa", "present": true}, {"participant": "child", "present": true}, {"participant": "guardians", "present": true}},
		"commonPicture": "Melwin vill tillbaka till skolan men orkar inte; familjen behöver stöd.",
		"decisions": []map[string]any{{"unitId": "norrkoping-bup", "decision": "Bedömningssamtal inom tre veckor."},
			{"unitId": "norrkoping-socialtjanst", "decision": "Erbjuder familjebehandling."},
			{"unitId": "norrkoping-elevhalsa", "noFurtherAction": true, "reason": "Utredningen är klar och remissen till BUP skickad."}},
	}))
	s.mustAct(bertil, "POST", caseID, "coordinator", with(at(-1, 14, 0), map[string]any{
		"childWish": map[string]any{"user": "cecilia.socialsekreterare"}, "coordinator": map[string]any{"user": "cecilia.socialsekreterare"}}))
	var joined caseBody
	require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/concerns", nora, concern([]string{"hälsa"},
		"Melwin har sökt skolsköterskan för magont flera morgnar i rad.", localDay(-2, 12, 0)), &joined))
	require.True(t, joined.Joined)
	return caseID
}

// TestTimelineOfADeadlinePassedByItsTimer: a case begun with case events whose deadline to take it
// passes while nobody acts – its timer fires – reads in its timeline with the automatic deviation and
// the supervisor's message, from the events the workflow recorded; its history is recorded for the
// replay test and for TestRecordedEventsReadAsTheHistory.
func TestTimelineOfADeadlinePassedByItsTimer(t *testing.T) {
	s := newSystem(t)
	s.command("seed", "--demo")
	// A policy version with a deadline the test can outlive; only cases begun after it use it.
	short := casework.Norrkoping()
	short.Version = 2
	short.Deadlines[casework.DeadlineAcknowledge] = casework.Hours(15 * time.Second)
	require.NoError(t, s.openDB().SavePolicy(context.Background(), short))
	s.start()
	anna, david := s.token("anna.larare"), s.tokenFor("david.chef", "norrkoping-skola-1")
	birth := time.Date(2015, 3, 4, 0, 0, 0, 0, casework.Stockholm)
	created := s.concernCase(anna, concern(syntheticPersonalNumber(birth, 983), "2015-03-04", "norrkoping-skola-1", time.Now().Truncate(time.Second)))
	var tl timelineBody
	require.Eventually(t, func() bool {
		_, tl = s.timeline(david, created.CaseID)
		return strings.Count(strings.Join(tl.kinds(), " "), "notification_sent") == 2 && strings.Contains(strings.Join(tl.kinds(), " "), "deadline_missed")
	}, 60*time.Second, 250*time.Millisecond, "the deadline passes, the supervisor is told")
	require.Equal(t, []string{"concern_registered", "concern_routed"}, tl.kinds()[:2])
	for _, e := range tl.Events {
		if e.Kind == "deadline_missed" {
			require.Equal(t, "avv-1", e.Ref)
			require.Nil(t, e.By, "the system")
			require.Contains(t, e.Text, "Tidsgränsen för att ta emot ärendet (15s) gick ut")
		}
	}
	s.recordHistory("case-"+created.CaseID[:26], "case_events_deadline_passed_by_timer")
	s.stop()
}
