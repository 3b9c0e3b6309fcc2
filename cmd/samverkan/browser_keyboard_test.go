package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// TestWebKeyboardOnlyConcern registers a concern without the mouse: the login, every field of the
// form, the check page and the send are reached with Tab and used with the keys a keyboard user
// presses (typing, arrows in radio groups and lists, Space for a checkbox, Enter for a button).
func TestWebKeyboardOnlyConcern(t *testing.T) {
	s := newSystem(t)
	s.start()
	b := newBrowser(t, s)
	b.open("/")
	b.tabTo(`a[href="/logga-in"]`)
	b.press(kb.Enter)
	b.tabTo(`button[value="anna.larare reporter norrkoping-skola-1"]`)
	b.press(kb.Enter)
	require.Equal(t, "Mina uppgifter", b.heading())
	b.tabTo(`a[href="/oro/ny"]`)
	b.press(kb.Enter)
	require.Equal(t, "Anmäl oro för ett barn", b.heading())

	b.tabTo("#child-name")
	b.keys("Kim Testsson")
	b.tabTo("#child-pnr")
	b.keys("120315-9817")
	b.tabTo("#child-municipality")
	b.chooseOption("#child-municipality", "norrkoping")
	b.tabTo("#schooling-status") // the first radio: förskola; the next is grundskola
	b.keys(kb.ArrowDown)
	b.tabTo("#schooling-unit")
	b.chooseOption("#schooling-unit", "norrkoping-skola-1")
	b.tabTo("#schooling-grade")
	b.keys("7")
	b.tabTo("#areas")
	b.keys(" ")
	b.tabTo("#observation")
	b.keys("Kommer sent varje dag och sover på lektionerna.")
	b.tabTo("#suspects-harm") // ja; the next is nej
	b.keys(kb.ArrowDown)
	b.tabTo(`button[value="granska"]`)
	b.press(kb.Enter)
	require.Equal(t, "Kontrollera din anmälan", b.heading(), "errors: %s", b.errors())
	require.Contains(t, b.text(".summary-list"), "20120315-9817", "the short form was read as the full personal number")
	b.tabTo(`button[value="skicka"]`)
	b.press(kb.Enter)
	require.Equal(t, "Din oro är mottagen", b.heading(), "errors: %s", b.errors())
	b.requireNoPersonalNumberSeen()
}

// tabTo presses Tab until the element matching sel has the focus (reading where the focus is, as a
// sighted keyboard user sees it).
func (b *browser) tabTo(sel string) {
	b.t.Helper()
	check := fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, sel)
	for range 120 {
		if value(b, chromedp.Evaluate[bool](check)) {
			return
		}
		b.do(chromedp.KeyEvent(kb.Tab))
	}
	b.t.Fatalf("Tab never reached %s", sel)
}

// keys types into the focused element.
func (b *browser) keys(k string) { b.t.Helper(); b.do(chromedp.KeyEvent(k)) }

// press presses a key that leaves the page, and waits for the next one.
func (b *browser) press(k string) {
	b.t.Helper()
	b.markPage()
	b.do(chromedp.KeyEvent(k))
	b.waitForNewPage()
}

// chooseOption moves the focused list to the option with the value by arrow keys.
func (b *browser) chooseOption(sel, want string) {
	b.t.Helper()
	for range 100 {
		if value(b, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value`, sel))) == want {
			return
		}
		b.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.Sleep(10*time.Millisecond))
	}
	b.t.Fatalf("the arrow keys never chose %s in %s", want, sel)
}

// errors is the error summary's text, if the page has one.
func (b *browser) errors() string {
	return strings.TrimSpace(value(b, chromedp.Evaluate[string](`(document.querySelector(".error-summary") || {}).innerText || ""`)))
}
