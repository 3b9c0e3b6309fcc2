package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebAnswerInvitation: BUP's psychologist frida.bup, summoned to a meeting (summonedCase), finds
// the invitation in Mina uppgifter; its row opens Svara på kallelsen, which she sends empty (the
// form's own error), then declining without a reason (the API's 400, shown at the field), then with
// the reason; the case's hub then shows her answer beside the other invitations. Every state passes
// axe (WCAG 2.1 A and AA) and reflows at 320 px.
func TestWebAnswerInvitation(t *testing.T) {
	s := newSystem(t)
	s.start()
	caseID, _, _ := s.summonedCase("Webbkallad Påhittad", 974)
	frida := newBrowser(t, s)
	frida.login("frida.bup", "participant", "norrkoping-bup")
	require.Contains(t, frida.text(".task-rows"), "Svara på kallelsen till samverkansmötet")
	frida.checkPage("Mina uppgifter with an invitation")
	links := value(frida, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".task-rows a")].filter(a => a.textContent.includes("Svara på kallelsen")).map(a => a.getAttribute("href"))`))
	require.Equal(t, []string{"/arenden/" + caseID + "/svara-pa-kallelsen"}, links, "the invitation's task opens its form")

	frida.submit(`.task-rows a[href$="/svara-pa-kallelsen"]`)
	require.Equal(t, "Svara på kallelsen", frida.heading())
	require.Contains(t, frida.text(".lead"), "Lärkängens förskola, rum 2")
	frida.checkPage("Svara på kallelsen, empty")

	frida.submit(`main button[type="submit"]`)
	require.Contains(t, frida.text(".error-summary"), "Ert svar: välj om ni kommer")
	frida.checkPage("Svara på kallelsen, with the form's errors")

	frida.do(chromedp.Click(chromedp.CSS("#response-decline")))
	frida.submit(`main button[type="submit"]`)
	require.Equal(t, "Svara på kallelsen", frida.heading(), "the API refuses a decline without a reason")
	require.Contains(t, frida.text(".error-summary"), "Varför ni inte kan komma")
	require.NotEmpty(t, frida.text("#reason-error"), "and it is shown at the field")
	frida.checkPage("Svara på kallelsen, with the API's errors")

	frida.do(chromedp.Click(chromedp.CSS("#response-decline")), typeInto("#reason", "Psykologen är på utbildning den dagen."))
	frida.checkPage("Svara på kallelsen, filled")
	frida.submit(`main button[type="submit"]`)
	require.Equal(t, "Webbkallad Påhittad", frida.heading())
	require.Contains(t, frida.text(".flash"), "Ert svar på kallelsen är skickat")
	invitations := frida.text(".invitations")
	require.Contains(t, invitations, "BUP Lärkängen")
	require.Contains(t, invitations, "Kan inte komma: Psykologen är på utbildning den dagen.")
	require.Contains(t, invitations, "BVC Lärkängen")
	require.Contains(t, invitations, "Socialtjänsten Lärkängen, barn och unga")
	require.Contains(t, invitations, "Har inte svarat än")
	require.Contains(t, invitations, "Vårdnadshavarna")
	frida.checkPage("the case with the invitations and an answer")

	frida.open("/uppgifter")
	require.False(t, strings.Contains(frida.text("main"), "Svara på kallelsen"), "answered: the task is gone")
	frida.requireNoPersonalNumberSeen()
	s.stop()
}
