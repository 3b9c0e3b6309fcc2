package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// TestWebLogReviewAlertsYearlyReportAndExports walks the pages of the access log's oversight and of
// the yearly follow-up: the school's supervisor checks last week's sample of the staff's accesses
// and signs it off (a note too long comes back at its field; a week that is no week at its field;
// a week without accesses is empty), and reads the alert a colleague's browsing raised; the steering
// group reads the year's figures in its session, downloads them as CSV, and is told at the fields
// when a year or a municipality is not to be had; the auditor downloads the access log for a period
// and a child's extract by a personal number posted in a form – which is in no address, title or
// log line. Every state passes axe and reflows at 320 px.
func TestWebLogReviewAlertsYearlyReportAndExports(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_ACCESS_ALERT_PER_HOUR=2", "SAMVERKAN_LOG_LEVEL=info")
	s.start()
	cases := registerChildren(t, s, 6, 400, time.Now().Add(-time.Hour))
	personal := syntheticPersonalNumber(birthDateForAge(8), 400) // the child of cases[0]
	bertilToken := s.token("bertil.rektor")
	for _, id := range cases[:3] { // three cases within the hour: over the limit of two
		status, _ := s.read(bertilToken, id)
		require.Equal(t, http.StatusOK, status)
	}
	lastWeek := time.Now().In(casework.Stockholm).AddDate(0, 0, -7)
	for i, id := range cases[:3] {
		_, _, err := s.openDB().AppendAccess(context.Background(), db.AccessEntry{At: lastWeek.Add(time.Duration(i) * time.Minute),
			User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1", CaseID: id, Action: "read_case",
			Outcome: db.OutcomeAllowed, Status: 200, ClientAddr: "192.0.2.1", RequestID: "last-week"}, 0)
		require.NoError(t, err)
	}

	david := newBrowser(t, s)
	david.login("david.chef", "supervisor", "norrkoping-skola-1")

	t.Run("Logguppföljning: last week's sample, checked and signed off", func(t *testing.T) {
		david.submit(`.site-nav a[href="/logguppfoljning"]`)
		require.Equal(t, "Logguppföljning", david.heading())
		require.Contains(t, david.text(".review .data-table"), "bertil.rektor")
		require.Contains(t, david.text(".review"), "Att granska")
		david.checkPage("Logguppföljning, with a sample to check")

		david.do(chromedp.SetValue(chromedp.CSS(".review textarea"), strings.Repeat("å", 10001)))
		david.submit(`.review button[type="submit"]`)
		require.Contains(t, david.text(".error-summary"), "Vad du fann")
		require.NotEmpty(t, david.text(".review .field-error"), "the API's problem at the review's note")
		david.checkPage("Logguppföljning, a note the API refuses")

		david.do(chromedp.SetValue(chromedp.CSS(".review textarea"), "Alla åtkomster hade skäl i arbetet."))
		david.submit(`.review button[type="submit"]`)
		require.Contains(t, david.text(".flash"), "Granskningen är signerad")
		require.Contains(t, david.text(".review"), "Signerad")
		require.Contains(t, david.text(".review"), "Alla åtkomster hade skäl i arbetet.")
		require.Zero(t, david.count(".review textarea"), "a signed review is not signed again")
		david.checkPage("Logguppföljning, signed off")

		david.open("/logguppfoljning?vecka=2026-W99")
		require.NotEmpty(t, david.text("#review-week-error"))
		david.checkPage("Logguppföljning, a week that is no week")
		emptyWeek := time.Now().In(casework.Stockholm).AddDate(0, 0, -28)
		y, w := emptyWeek.ISOWeek()
		david.open("/logguppfoljning?vecka=" + url.QueryEscape(fmt.Sprintf("%04d-W%02d", y, w)))
		require.Contains(t, david.text("main"), "gjorde inga åtkomster")
		david.checkPage("Logguppföljning, a week without accesses")
	})

	t.Run("Åtkomstlarm: the colleague who opened more cases than the limit", func(t *testing.T) {
		david.open("/atkomstlarm")
		require.Contains(t, david.text(".data-table"), "bertil.rektor")
		david.checkPage("Åtkomstlarm, with an alert")
		david.requireNotFound("/atkomstlogg", "/atkomstlogg/barn")
		david.logout()
		david.login("maria.huvudman", "supervisor", "norrkoping-skola-2")
		david.open("/atkomstlarm")
		require.Contains(t, david.text("main"), "Det finns inga larm")
		david.checkPage("Åtkomstlarm, empty")
	})

	t.Run("Årsuppföljning: the year's figures in the session, and as CSV", func(t *testing.T) {
		stina := david // the same browser, another user
		stina.logout()
		stina.loginTo("stina.styrgrupp", "steering", "norrkoping-socialtjanst", "Årsuppföljning")
		require.Contains(t, stina.flat(".counts"), "6 Ärenden under året")
		require.Contains(t, stina.text("main"), "Norrköping")
		stina.checkPage("Årsuppföljning, with figures")
		name, csv := stina.download(`a[href^="/arsuppfoljning/fil"]`)
		require.True(t, strings.HasSuffix(name, ".csv"), name)
		require.True(t, strings.HasPrefix(csv, "year,municipality,table,key,measure,value"), csv)
		require.Contains(t, csv, ",cases,active,")

		stina.open("/arsuppfoljning?ar=2001")
		require.Contains(t, stina.text("main"), "2001")
		stina.checkPage("Årsuppföljning, a year without cases")
		stina.open("/arsuppfoljning?ar=1999")
		require.NotEmpty(t, stina.text("#report-year-error"))
		stina.checkPage("Årsuppföljning, a year the API refuses")
		stina.open("/arsuppfoljning?kommun=lulea")
		require.Contains(t, stina.text("#report-municipality-error"), "ingår inte")
		require.True(t, strings.HasPrefix(value(stina, chromedp.Title()), "Fel: "))
		stina.checkPage("Årsuppföljning, a municipality outside the reach")
	})

	adam := newBrowser(t, s)
	adam.loginTo("adam.admin", "admin", "norrkoping-socialtjanst", "Logguppföljning")
	require.Equal(t, []string{"Logguppföljning", "Åtkomstlarm", "Åtkomstlogg", "Notiser"}, adam.menu())

	t.Run("the auditor reads the reviews and the alerts of every unit", func(t *testing.T) {
		require.Contains(t, adam.text("main"), "Lärkängsskolan")
		require.Zero(t, adam.count(".review textarea"), "only the unit's supervisor signs off")
		adam.checkPage("Logguppföljning, the auditor's")
		adam.open("/atkomstlarm")
		require.Contains(t, adam.text(".data-table"), "bertil.rektor")
		adam.checkPage("Åtkomstlarm, the auditor's")
		adam.requireNotFound("/arsuppfoljning", "/tillsyn", "/arenden")
	})

	t.Run("the auditor's export of a period, as CSV and JSON", func(t *testing.T) {
		adam.open("/atkomstlogg")
		adam.checkPage("Åtkomstlogg, empty")
		adam.do(chromedp.SetValue(chromedp.CSS("#export-from"), "igår"))
		adam.submit(`main button[type="submit"]`)
		require.Contains(t, adam.text(".error-summary"), "Från och med")
		require.NotEmpty(t, adam.text("#export-from-error"))
		adam.checkPage("Åtkomstlogg, with errors")

		today := time.Now().In(casework.Stockholm).Format(time.DateOnly)
		adam.do(chromedp.SetValue(chromedp.CSS("#export-from"), today), chromedp.SetValue(chromedp.CSS("#export-to"), today))
		adam.checkPage("Åtkomstlogg, filled")
		name, csv := adam.download(`main button[type="submit"]`)
		require.True(t, strings.HasSuffix(name, ".csv"), name)
		require.True(t, strings.HasPrefix(csv, "seq,at,user,"), csv)
		require.Contains(t, csv, "register_concern")
		require.Equal(t, "Åtkomstlogg", adam.heading(), "the form stays")

		adam.do(chromedp.Click(chromedp.CSS(`#export-format-json`)))
		_, raw := adam.download(`main button[type="submit"]`)
		var export struct {
			Entries []struct{ Action, CaseID string }
		}
		require.NoError(t, json.Unmarshal([]byte(raw), &export))
		require.NotEmpty(t, export.Entries)
	})

	t.Run("a child's extract by a personal number posted in the form", func(t *testing.T) {
		adam.open("/atkomstlogg/barn")
		adam.checkPage("Utdrag för ett barn, empty")
		adam.do(typeInto("#extract-pnr", "123"))
		adam.submit(`main button[type="submit"]`)
		require.NotEmpty(t, adam.text("#extract-pnr-error"))
		require.True(t, strings.HasPrefix(value(adam, chromedp.Title()), "Fel: "))
		adam.checkPage("Utdrag för ett barn, with errors")

		adam.do(chromedp.SetValue(chromedp.CSS("#extract-pnr"), personal))
		adam.checkPage("Utdrag för ett barn, filled")
		_, csv := adam.download(`main button[type="submit"]`)
		require.Contains(t, csv, cases[0])
		require.Contains(t, csv, "read_case")
		for _, other := range cases[1:] {
			require.NotContains(t, csv, other, "only the child's cases")
		}
		require.Equal(t, s.apiURL+"/atkomstlogg/barn", value(adam, chromedp.Location()))
	})

	david.requireNoPersonalNumberSeen()
	adam.requireNoPersonalNumberSeen()
	s.stop()
	digits := strings.ReplaceAll(personal, "-", "")
	for _, pnr := range []string{personal, digits, digits[2:], personal[2:]} {
		require.NotContains(t, s.log.String(), pnr, "the personal number in a log line")
	}
}
