package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebFromConcernToAcknowledgement walks the front end as its first users do: the teacher
// anna.larare logs in through the dev login's picker and registers a concern (the empty form, the
// form with its errors, with the API's own 400 at a field, the answers to check, the receipt); the
// principal bertil.rektor, the school's named person, finds it in Mina uppgifter, opens the case
// and takes it. Every page and form state passes axe (WCAG 2.1 A and AA) and reflows at 320 px, no
// address or title holds the personal number, and the session cookie is HttpOnly and SameSite=Lax.
func TestWebFromConcernToAcknowledgement(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_LOG_LEVEL=info") // every request and login is logged: none may name the child
	s.start()
	anna := newBrowser(t, s)

	anna.open("/")
	anna.checkPage("the start page")
	anna.open("/tillganglighet")
	anna.checkPage("the accessibility statement")
	anna.login("anna.larare", "reporter", "norrkoping-skola-1")
	anna.checkPage("Mina uppgifter, empty")
	cookie := anna.sessionCookie()
	require.True(t, cookie.HTTPOnly, "the session cookie is HttpOnly")
	require.Equal(t, "Lax", string(cookie.SameSite))
	require.Equal(t, "/", cookie.Path)
	require.False(t, cookie.Secure, "dev is plain http; serve with an https public URL sets Secure (web tests)")

	anna.submit(`a[href="/oro/ny"]`)
	require.Equal(t, "Anmäl oro för ett barn", anna.heading())
	anna.checkPage("Anmäl oro, empty")

	anna.submit(`button[value="granska"]`)
	require.Contains(t, anna.text(".error-summary"), "Barnets namn: skriv barnets för- och efternamn")
	require.True(t, strings.HasPrefix(value(anna, chromedp.Title()), "Fel: "), "the title says the form has errors")
	anna.checkPage("Anmäl oro, with errors")

	fillMelwin(anna, "2012-03-16") // a birth date the personal number contradicts: only the API knows
	anna.checkPage("Anmäl oro, filled")
	anna.submit(`button[value="granska"]`)
	require.Equal(t, "Kontrollera din anmälan", anna.heading())
	anna.checkPage("Anmäl oro, the answers to check")
	anna.submit(`button[value="skicka"]`)
	require.Equal(t, "Anmäl oro för ett barn", anna.heading(), "the API's 400 brings the form back")
	require.Contains(t, anna.text(".error-summary"), "Födelsedatum", "the API's field is named in the summary")
	require.NotEmpty(t, anna.text("#child-birthdate-error"), "and shown at the field")
	anna.checkPage("Anmäl oro, with the API's errors")

	anna.do(chromedp.SetValue(chromedp.CSS("#child-birthdate"), "2012-03-15"))
	anna.submit(`button[value="granska"]`)
	anna.submit(`button[value="skicka"]`)
	require.Equal(t, "Din oro är mottagen", anna.heading())
	require.Contains(t, anna.text(".lead"), "Barnets bästa-ansvarig tar emot anmälan senast")
	require.Contains(t, anna.text(".lead"), "arbetsdag")
	anna.checkPage("the receipt")
	anna.submit(`.site-header button[type="submit"]`)
	require.Contains(t, anna.text(".flash"), "Du är utloggad")

	bertil := newBrowser(t, s)
	bertil.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	require.Contains(t, bertil.text(".task-rows"), "Senast")
	bertil.checkPage("Mina uppgifter with a task")
	link := value(bertil, chromedp.Evaluate[string](`document.querySelector(".task-rows a").getAttribute("href")`))
	require.True(t, strings.HasSuffix(link, "/ta-emot"), "the task opens the step it asks for: %s", link)
	caseURL := strings.TrimSuffix(link, "/ta-emot")

	bertil.open(caseURL)
	require.Equal(t, "Melwin Påhittad", bertil.heading())
	require.Contains(t, bertil.text("#steg-acknowledge"), "Att göra")
	bertil.checkPage("the case before it is taken")
	bertil.open("/uppgifter")
	bertil.submit(".task-rows a")
	require.Equal(t, "Ta emot ärendet", bertil.heading())
	bertil.checkPage("Ta emot ärendet")
	bertil.submit(`main button[type="submit"]`)
	require.Equal(t, "Melwin Påhittad", bertil.heading())
	require.Contains(t, bertil.text(".flash"), "Du har tagit emot ärendet")
	require.Contains(t, bertil.text("#steg-acknowledge"), "Klart")
	bertil.checkPage("the case after it was taken")

	bertil.open(caseURL + "/utse-kollega")
	bertil.checkPage("Utse kollega, empty")
	bertil.submit(`main button[type="submit"]`)
	require.Contains(t, bertil.text(".error-summary"), "Kollegans användarnamn")
	bertil.checkPage("Utse kollega, with errors")
	bertil.do(typeInto("#to", "ingen.sadan"))
	bertil.checkPage("Utse kollega, filled")
	bertil.submit(`main button[type="submit"]`)
	require.Equal(t, "Utse kollega att kartlägga", bertil.heading(), "the API refuses an unknown colleague")
	require.NotEmpty(t, bertil.text(".error-summary"))
	bertil.checkPage("Utse kollega, with the API's answer")

	bertil.open(caseURL + "/tidslinje")
	require.Contains(t, bertil.text(".timeline"), "tog emot")
	bertil.checkPage("Tidslinje")
	bertil.open("/notiser")
	bertil.checkPage("Notiser")
	bertil.open("/arenden/finns-inte")
	require.Equal(t, "Sidan finns inte", bertil.heading())
	bertil.checkPage("the 404 page")

	anna.requireNoPersonalNumberSeen()
	bertil.requireNoPersonalNumberSeen()
	s.stop()
	for _, pnr := range []string{"20120315-9817", "201203159817", "120315-9817"} {
		require.NotContains(t, s.log.String(), pnr, "the personal number in a log line")
	}
}

// fillMelwin fills the concern form for docs/process.md §13's Melwin, an invented child (the personal
// number is fictitious with a valid check digit).
func fillMelwin(b *browser, birthDate string) {
	b.t.Helper()
	b.do(
		typeInto("#child-name", "Melwin Påhittad"),
		typeInto("#child-pnr", "20120315-9817"),
		chromedp.SetValue(chromedp.CSS("#child-birthdate"), birthDate),
		chromedp.SetValue(chromedp.CSS("#child-municipality"), "norrkoping"),
		chromedp.Click(chromedp.CSS(`input[name="schooling-status"][value="school"]`)),
		chromedp.SetValue(chromedp.CSS("#schooling-unit"), "norrkoping-skola-1"),
		typeInto("#schooling-grade", "7"),
		chromedp.Click(chromedp.CSS(`input[name="areas"][value="lärande"]`)),
		chromedp.Click(chromedp.CSS(`input[name="areas"][value="relationer"]`)),
		typeInto("#observation", "Nästan ingen närvaro på ett år, isolerar sig."),
		chromedp.Click(chromedp.CSS(`input[name="suspects-harm"][value="nej"]`)),
	)
}
