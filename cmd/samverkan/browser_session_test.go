package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebSessionWarnsAndKeepsWhatWasTyped: with a short idle time (20 s here, 30 min by default), the
// page warns before the session ends and one button extends it, without leaving the page (WCAG
// 2.2.1). When it does end all the same, the form posted afterwards is kept: after the new login it
// comes back as it was typed, sent nowhere.
func TestWebSessionWarnsAndKeepsWhatWasTyped(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_WEB_SESSION_IDLE=20s")
	s.start()
	b := newBrowser(t, s)
	b.login("anna.larare", "reporter", "norrkoping-skola-1")
	b.open("/oro/ny")
	b.do(typeInto("#child-name", "Kim Testsson"), typeInto("#observation", "Det jag såg i dag."))

	visible := func() bool {
		return value(b, chromedp.Evaluate[bool](`!document.getElementById("session-warning").hidden`))
	}
	require.Eventually(t, visible, 30*time.Second, 200*time.Millisecond, "the warning comes before the end")
	require.Equal(t, "Du loggas snart ut", b.text("#session-warning-heading"))
	b.axe("the session warning")
	b.do(chromedp.Click(chromedp.CSS(`#session-extend button`)))
	require.Eventually(t, func() bool { return !visible() }, 10*time.Second, 100*time.Millisecond, "extending hides it")
	require.Equal(t, "Anmäl oro för ett barn", b.heading(), "the page stayed")
	require.Equal(t, "Kim Testsson", value(b, chromedp.Value(chromedp.CSS("#child-name"))))

	require.Eventually(t, func() bool { return b.text("#session-warning-heading") == "Du är utloggad" },
		60*time.Second, 250*time.Millisecond, "the session ends after the idle time")
	b.axe("the message that the session ended")
	b.do(chromedp.Click(chromedp.CSS("#session-close")))
	b.submit(`button[value="granska"]`)
	require.Equal(t, "Logga in i samverkan", b.heading(), "the form posted after the end asks for a login")
	b.submit(`button[value="anna.larare reporter norrkoping-skola-1"]`)
	require.Equal(t, "Anmäl oro för ett barn", b.heading())
	require.Contains(t, b.text("main"), "Du loggades ut innan formuläret skickades")
	require.Equal(t, "Kim Testsson", value(b, chromedp.Value(chromedp.CSS("#child-name"))))
	require.Equal(t, "Det jag såg i dag.", value(b, chromedp.Value(chromedp.CSS("#observation"))))
	b.checkPage("Anmäl oro, given back after a new login")
}
