package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTheHubShowsThePlanAndWhatFollowsIt renders the hub of the sample case – a plan in force and
// a revision proposed, a disagreement, an acute placement – with a follow-up and a handover added:
// each is shown in words, the newest plan version first, and a case without any of it has no such
// section.
func TestTheHubShowsThePlanAndWhatFollowsIt(t *testing.T) {
	s := laterServer(t)
	sess := &session{AccessToken: "t", User: "cecilia.socialsekreterare", Role: "coordinator", Unit: "norrkoping-socialtjanst", CSRF: "c"}
	c := sampleCase()
	at := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)
	next := at.AddDate(0, 2, 0)
	rec := Recorded{By: Actor{User: "cecilia.socialsekreterare"}, OccurredAt: at, RecordedAt: at}
	c.Plans[0].Approvals = []PlanApproval{{Recorded: rec, Party: "guardian", PartyName: "Eva Påhittad", Approved: true, Method: "written"},
		{Recorded: rec, Party: "child", Approved: true, Method: "oral", Comment: "Vill börja med korta dagar."}}
	c.FollowUps = []FollowUp{{Recorded: rec, PlanVersion: 1, Outcome: "revise", NextFollowUpAt: &next,
		Interventions: []InterventionFollowUp{{InterventionID: "i1", Done: "Läxhjälp varje vecka.", GoalMet: true}}}}
	c.Handovers = []Handover{{Recorded: rec, From: UnitRef{Name: "Lärkängsskolan"}, To: UnitRef{Name: "Tallmonskolan"}, Reason: "Barnet har flyttat."}}

	page := func(c Case) string {
		res := httptest.NewRecorder()
		v := s.viewFor(httptest.NewRequest(http.MethodGet, "/arenden/ABC-1", nil), sess, titled("Ärende ABC-1"), "")
		v.Page = s.hub(t.Context(), sess, c)
		s.render(res, httptest.NewRequest(http.MethodGet, "/arenden/ABC-1", nil), http.StatusOK, "case.html", v)
		require.Equal(t, http.StatusOK, res.Code)
		return strings.Join(strings.Fields(stripTags(res.Body.String())), " ")
	}
	body := page(c)
	for _, want := range []string{
		"Planen (SIP), version 2 Föreslagen, väntar på godkännande",
		"Planen (SIP), version 1 Gäller sedan 2026-01-13",
		"Insats 1 Läxhjälp. Ansvarig: Norrköpings kommun, Mentor Omfattning: 1 tim/vecka Områden: lärande",
		"Vårdnadshavare (Eva Påhittad) godkände 2026-02-10, skriftligt",
		"Barnet godkände 2026-02-10, muntligt: Vill börja med korta dagar.",
		"Uppföljd 2026-02-10 (planens version 1) Insats Läxhjälp. – Läxhjälp varje vecka. (målet är nått)",
		"Hur det går vidare Planen fortsätter; nästa uppföljning 2026-04-10 kl. 12.00",
		"Oenigheter Vem som betalar: Vem betalar? – mellan A, B. Ligger hos kommun sedan 2026-01-13",
		"Placering Akut placering sedan 2026-01-13.",
		"2026-02-10: från Lärkängsskolan till Tallmonskolan – Barnet har flyttat. Inte mottaget än.",
	} {
		require.Contains(t, body, want)
	}
	require.Less(t, strings.Index(body, "version 2"), strings.Index(body, "version 1"), "the newest version first")

	bare := sampleCase()
	bare.Plans, bare.Disagreements, bare.Placement = nil, nil, nil
	body = page(bare)
	for _, absent := range []string{"Planen (SIP)", "Uppföljningar", "Oenigheter", "Placering", "Överlämningar"} {
		require.NotContains(t, body, absent)
	}
}

// stripTags is the page's text without its tags.
func stripTags(html string) string {
	var b strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
