package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// listPage and taskPage are the answers of GET /api/v1/cases and GET /api/v1/me/tasks.
type listPage struct {
	Items []struct {
		CaseID, Phase, Municipality string
		NamedPersonUnit             struct{ ID, Name string }
		NextDeadline                *struct{ Kind, DueAt string }
		Overdue                     bool
		OpenedAt                    string
		Relations                   []string
	} `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

type taskPage struct {
	Items []struct {
		CaseID, Kind, Title string
		DueAt               *string
		Overdue             bool
	} `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

func (p listPage) ids() []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.CaseID)
	}
	return out
}

func (p taskPage) has(caseID, kind string) bool {
	for _, it := range p.Items {
		if it.CaseID == caseID && it.Kind == kind {
			return true
		}
	}
	return false
}

// caseList reads one page of a case list, keeping the raw body to look for what must not be in it.
func (s *system) caseList(token, query string) (listPage, string) {
	s.t.Helper()
	var raw json.RawMessage
	require.Equal(s.t, http.StatusOK, s.call("GET", "/api/v1/cases?"+query, token, nil, &raw), "cases?%s: %s", query, raw)
	var p listPage
	require.NoError(s.t, json.Unmarshal(raw, &p))
	return p, string(raw)
}

func (s *system) myTasks(token string) taskPage {
	s.t.Helper()
	var p taskPage
	require.Equal(s.t, http.StatusOK, s.call("GET", "/api/v1/me/tasks", token, nil, &p))
	return p
}

// allCasePages follows nextCursor to the end and returns every case ID in the order given.
func (s *system) allCasePages(token, query string) []string {
	s.t.Helper()
	var ids []string
	cursor := ""
	for range 100 {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		page, _ := s.caseList(token, q)
		ids = append(ids, page.ids()...)
		if page.NextCursor == nil {
			return ids
		}
		cursor = *page.NextCursor
	}
	s.t.Fatal("more than 100 pages")
	return nil
}

// waitForReadModel waits for the read model, which the workflow projects just after each change.
func waitForReadModel(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 60*time.Second, 100*time.Millisecond, msg)
}

// TestListsAndInbox: lists and the "my tasks" inbox through HTTP, from the read model the workflows
// keep. Four invented children: one whose concern was seen ten days ago and never taken (overdue),
// one reported today, one at the independent school with harm suspected, and one that goes on to
// collaboration with BUP and social services until a guardian revokes consent for BUP.
func TestListsAndInbox(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil, lars := s.token("anna.larare"), s.token("bertil.rektor"), s.token("lars.friskola")
	frida, cecilia := s.token("frida.bup"), s.token("cecilia.socialsekreterare")
	david := s.tokenFor("david.chef", "norrkoping-skola-1")

	register := func(name string, serial int, school string, suspectsHarm bool, at time.Time) string {
		body := childConcern(name, birthDateForAge(10), serial, "4", []string{"trygghet"}, "Berättar om bråk hemma.", suspectsHarm, at)
		body["child"].(map[string]any)["schooling"].(map[string]any)["unitId"] = school
		created := s.concernCase(anna, body)
		return created.CaseID
	}
	now := time.Now().Add(-time.Minute).Truncate(time.Second)
	late := register("Alva Påhittad", 701, "norrkoping-skola-1", false, now.AddDate(0, 0, -10))
	fresh := register("Bo Påhittad", 702, "norrkoping-skola-1", false, now)
	other := register("Cleo Påhittad", 703, "norrkoping-skola-2", true, now)
	shared := register("Dag Påhittad", 704, "norrkoping-skola-1", false, now)

	t.Run("the named person's inbox asks him to acknowledge each new concern, the overdue one first", func(t *testing.T) {
		var inbox taskPage
		waitForReadModel(t, func() bool {
			inbox = s.myTasks(bertil)
			return len(inbox.Items) == 3 && inbox.Items[0].Overdue
		}, "bertil's inbox never showed the three concerns of his school")
		first := inbox.Items[0]
		require.Equal(t, late, first.CaseID)
		require.Equal(t, "acknowledge", first.Kind)
		require.Equal(t, "Ta emot ärendet", first.Title)
		require.NotNil(t, first.DueAt)
		for _, it := range inbox.Items[1:] {
			require.Equal(t, "acknowledge", it.Kind)
			require.False(t, it.Overdue)
			require.NotNil(t, it.DueAt)
		}
		require.False(t, inbox.has(other, "acknowledge"), "the independent school's concern is not his")
	})
	t.Run("the missed acknowledgement is a deviation in the supervisor's inbox", func(t *testing.T) {
		waitForReadModel(t, func() bool { return s.myTasks(david).has(late, "handle_deviation") }, "no deviation for david")
	})
	t.Run("the other school's named person and the reporter who suspected harm see theirs", func(t *testing.T) {
		waitForReadModel(t, func() bool {
			in := s.myTasks(lars)
			return in.has(other, "acknowledge") && in.has(other, "record_harm_report")
		}, "lars's inbox")
		require.Equal(t, []string{other + ":record_harm_report"}, taskPageKeys(s.myTasks(anna)))
		s.mustAct(anna, "POST", other, "harm-report", map[string]any{"reported": true, "reportedAt": rfc3339(now)})
		waitForReadModel(t, func() bool { return len(s.myTasks(anna).Items) == 0 }, "the recorded report stayed in anna's inbox")
	})
	t.Run("after acknowledgement the inbox asks him to assess", func(t *testing.T) {
		s.mustAct(bertil, "POST", fresh, "acknowledgement", nil)
		waitForReadModel(t, func() bool {
			in := s.myTasks(bertil)
			return in.has(fresh, "assess") && !in.has(fresh, "acknowledge")
		}, "the acknowledged case never turned into an assessment task")
		page, _ := s.caseList(bertil, "phase=kartl%C3%A4gga")
		require.Equal(t, []string{fresh}, page.ids())
		require.ElementsMatch(t, []string{"assessor", "named_person"}, page.Items[0].Relations)
	})
	t.Run("a teacher who reported lists nothing", func(t *testing.T) {
		for _, q := range []string{"", "scope=mine", "scope=unit"} {
			page, _ := s.caseList(anna, q)
			require.Empty(t, page.Items, q)
			require.Nil(t, page.NextCursor)
		}
	})
	t.Run("pages give every case exactly once, and no names or personal numbers", func(t *testing.T) {
		whole, raw := s.caseList(bertil, "scope=mine")
		require.ElementsMatch(t, []string{late, fresh, shared}, whole.ids())
		pn := syntheticPersonalNumber(birthDateForAge(10), 701)
		for _, secret := range []string{"Påhittad", pn, strings.ReplaceAll(pn, "-", "")} {
			require.NotContains(t, raw, secret)
		}
		require.Equal(t, whole.ids(), s.allCasePages(bertil, "scope=mine&limit=1"))
		require.Equal(t, whole.ids(), s.allCasePages(david, "scope=unit&limit=2"))
		overdue, _ := s.caseList(david, "scope=unit&overdue=true")
		require.Equal(t, []string{late}, overdue.ids())
		lulea, _ := s.caseList(david, "scope=unit&municipality=lulea")
		require.Empty(t, lulea.Items)
	})
	t.Run("BUP lists the case only while it takes part under the consent", func(t *testing.T) {
		scope := []string{"norrkoping-bup", "norrkoping-socialtjanst"}
		s.mustAct(bertil, "POST", shared, "acknowledgement", nil)
		s.mustAct(bertil, "PUT", shared, "assessment", map[string]any{
			"areas":         []map[string]any{{"area": "trygghet", "observation": "Rädd för att gå hem.", "level": "hög"}},
			"childView":     map[string]any{"view": "Dag vill att någon pratar med hans föräldrar."},
			"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Oro hemma.", "whatICanDo": "Samtal.", "whatOrgCanDo": "Elevhälsan.", "helpNeeded": "BUP och socialtjänsten."},
		})
		s.mustAct(bertil, "POST", shared, "assessment/completion", map[string]any{"outcome": "collaboration",
			"proposedAgencies": scope, "relevantAreas": []string{"trygghet"}})
		waitForReadModel(t, func() bool { return s.myTasks(bertil).has(shared, "ask_consent") }, "no consent task")
		page, _ := s.caseList(frida, "scope=unit")
		require.NotContains(t, page.ids(), shared, "proposed is not taking part")

		for _, name := range []string{"Förälder Ett Påhittad", "Förälder Två Påhittad"} {
			s.mustAct(bertil, "POST", shared, "consents", map[string]any{"party": "guardian", "partyName": name,
				"custody": "joint", "given": true, "scope": scope, "method": "written"})
		}
		waitForReadModel(t, func() bool {
			page, _ := s.caseList(frida, "scope=unit")
			return len(page.Items) == 1 && page.Items[0].CaseID == shared
		}, "BUP never listed the case it takes part in")
		page, _ = s.caseList(frida, "scope=unit")
		require.Equal(t, []string{"participant"}, page.Items[0].Relations)
		require.Equal(t, "summons", page.Items[0].NextDeadline.Kind)
		require.True(t, s.myTasks(frida).has(shared, "summon"), "BUP may call the meeting under Norrköping's policy")

		s.mustAct(bertil, "POST", shared, "consent-revocations", map[string]any{"party": "guardian",
			"partyName": "Förälder Ett Påhittad", "agencies": []string{"norrkoping-bup"}})
		waitForReadModel(t, func() bool {
			page, _ := s.caseList(frida, "scope=unit")
			return len(page.Items) == 0 && len(s.myTasks(frida).Items) == 0
		}, "BUP kept the case in its list after the revocation")
		mine, _ := s.caseList(cecilia, "scope=mine")
		require.Equal(t, []string{shared}, mine.ids(), "social services still take part")
	})
	s.stop()
}

func taskPageKeys(p taskPage) []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.CaseID+":"+it.Kind)
	}
	return out
}
