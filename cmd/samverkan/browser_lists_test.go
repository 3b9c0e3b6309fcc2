package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebCaseListOversightAndAccessLog walks Ärenden, Tillsyn and a case's access log: the named
// person's list of the school's 26 cases a page of 25 at a time, filtered by phase and overdue, with
// a filter the API refuses shown at its field, and an empty list; the school's supervisor's
// oversight with the missed deadline's deviation and the way to its handling, and an empty one of
// another school; the case's access log reached from the case for its supervisor only. Every state
// passes axe and reflows at 320 px; no address or title holds a personal number, and neither does a
// list; each page answers 404 to a role it is not for, as the API does.
func TestWebCaseListOversightAndAccessLog(t *testing.T) {
	s := newSystem(t)
	s.start()
	late := registerChildren(t, s, 1, 300, time.Now().AddDate(0, 0, -21))[0] // its acknowledgement is overdue
	registerChildren(t, s, 25, 310, time.Now().Add(-time.Hour))

	bertil := newBrowser(t, s)
	bertil.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	require.Equal(t, []string{"Mina uppgifter", "Anmäl oro", "Ärenden", "Notiser"}, bertil.menu())

	t.Run("Ärenden: the unit's cases a page at a time, filtered, without personal data", func(t *testing.T) {
		bertil.submit(`.site-nav a[href="/arenden"]`)
		require.Equal(t, "Ärenden", bertil.heading())
		require.Equal(t, 25, bertil.count(".case-rows > li"))
		require.Contains(t, bertil.text(".case-rows"), "Lärkängsskolan")
		requireNoPersonalNumberIn(t, "the case list", bertil.text("main"))
		bertil.checkPage("Ärenden, with data")
		bertil.submit(`.pager a[href*="sida="]`)
		require.Equal(t, 1, bertil.count(".case-rows > li"), "the 26th case on the second page")
		bertil.checkPage("Ärenden, the second page")

		bertil.open("/arenden")
		bertil.do(chromedp.SetValue(chromedp.CSS("#filter-overdue"), "ja"))
		bertil.submit(`.filters button[type="submit"]`)
		require.Equal(t, 1, bertil.count(".case-rows > li"))
		require.Contains(t, bertil.text(".case-rows"), late)
		require.Contains(t, bertil.text(".case-rows"), "Försenat")
		bertil.submit(`.case-rows a`)
		require.Equal(t, "Testbarn Påhittad", bertil.heading(), "a row opens the case")
		require.Zero(t, bertil.count(`a[href$="/atkomstlogg"]`), "the named person is offered no access log")
		bertil.requireNotFound("/arenden/" + late + "/atkomstlogg")

		bertil.open("/arenden?fas=kartlägga")
		require.Contains(t, bertil.text("main"), "Inga ärenden matchar filtret")
		bertil.checkPage("Ärenden, filtered to nothing")

		bertil.open("/arenden?fas=okänd&forsenade=ja")
		require.Contains(t, bertil.text(".error-summary"), "Fas")
		require.NotEmpty(t, bertil.text("#filter-phase-error"), "the API's problem at its field")
		require.True(t, strings.HasPrefix(value(bertil, chromedp.Title()), "Fel: "))
		bertil.checkPage("Ärenden, with errors")
		require.Equal(t, http.StatusBadRequest, bertil.status("/arenden?fas=okänd"))
	})

	t.Run("the supervisors' pages answer 404 to a named person", func(t *testing.T) {
		bertil.requireNotFound("/tillsyn", "/logguppfoljning", "/atkomstlarm", "/arsuppfoljning", "/atkomstlogg", "/atkomstlogg/barn")
	})

	t.Run("Ärenden of a school with no cases is empty", func(t *testing.T) {
		bertil.logout()
		bertil.login("lars.friskola", "named_person", "norrkoping-skola-2")
		bertil.open("/arenden")
		require.Contains(t, bertil.text("main"), "Det finns inga ärenden att visa")
		bertil.checkPage("Ärenden, empty")
	})

	david := newBrowser(t, s)
	david.login("david.chef", "supervisor", "norrkoping-skola-1")
	require.Equal(t, []string{"Mina uppgifter", "Anmäl oro", "Ärenden", "Tillsyn", "Logguppföljning", "Åtkomstlarm",
		"Årsuppföljning", "Notiser"}, david.menu())

	t.Run("Tillsyn: the missed deadline's deviation, the overdue and the untaken cases", func(t *testing.T) {
		david.submit(`.site-nav a[href="/tillsyn"]`)
		require.Equal(t, "Tillsyn", david.heading())
		require.Eventually(t, func() bool {
			david.open("/tillsyn")
			return strings.Contains(david.text("#avvikelser + ul"), "Missad tidsfrist: ta emot ärendet")
		}, 60*time.Second, 500*time.Millisecond, "the automatic deviation of the missed acknowledgement")
		require.Contains(t, david.text("main"), late)
		require.Contains(t, david.flat(".counts"), "26 öppna ärenden")
		requireNoPersonalNumberIn(t, "the oversight", david.text("main"))
		david.checkPage("Tillsyn, with data")
		david.submit(`#avvikelser + ul a[href*="/hantera-avvikelse/"]`)
		require.Equal(t, "Hantera avvikelse", david.heading(), "the deviation's handling form")
		david.open("/tillsyn")
		david.submit(`#avvikelser + ul a[href^="/arenden/"]:not([href*="/hantera-avvikelse/"])`)
		require.Equal(t, "Testbarn Påhittad", david.heading(), "the deviation's case")
		require.Contains(t, david.text("#avvikelser + ul"), "väntar på hantering")

		david.open("/tillsyn?omfattning=kommun")
		require.Contains(t, david.text("main"), "Lärkängens förskola", "all of david.chef's units in Norrköping")
		david.checkPage("Tillsyn, all the municipality's units")
	})

	t.Run("the case's access log, from the case, for its supervisor", func(t *testing.T) {
		david.open("/arenden/" + late)
		david.submit(`a[href$="/atkomstlogg"]`)
		require.Equal(t, "Åtkomstlogg", david.heading())
		log := david.text(".data-table")
		for _, want := range []string{"anna.larare", "Anmälde oro", "bertil.rektor", "Läste ärendet", "david.chef"} {
			require.Contains(t, log, want)
		}
		david.checkPage("the case's access log")
	})

	t.Run("Tillsyn of a school with no cases is empty", func(t *testing.T) {
		david.logout()
		david.login("maria.huvudman", "supervisor", "norrkoping-skola-2")
		david.open("/tillsyn")
		require.Contains(t, david.text("main"), "Inga avvikelser väntar på hantering")
		require.Contains(t, david.flat(".counts"), "0 öppna ärenden")
		david.checkPage("Tillsyn, empty")
	})

	t.Run("the case pages answer 404 to the steering group", func(t *testing.T) {
		david.logout()
		david.loginTo("stina.styrgrupp", "steering", "norrkoping-socialtjanst", "Årsuppföljning")
		require.Equal(t, []string{"Årsuppföljning", "Notiser"}, david.menu())
		david.requireNotFound("/arenden", "/tillsyn", "/arenden/"+late+"/atkomstlogg")
		david.open("/uppgifter")
		require.Equal(t, "Årsuppföljning", david.heading(), "a role without tasks starts on its own first page")
	})

	bertil.requireNoPersonalNumberSeen()
	david.requireNoPersonalNumberSeen()
}
