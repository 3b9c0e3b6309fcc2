package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Helpers of the browser tests of the lists and the supervisors', steering group's and auditors'
// pages (browser_lists_test.go, browser_audit_test.go).

// loginTo logs in through the dev issuer's picker, as login does, and expects the page whose
// heading is given: the first page of the role's menu.
func (b *browser) loginTo(user, role, unit, heading string) {
	b.t.Helper()
	b.open("/")
	b.submit(`a[href="/logga-in"]`)
	b.submit(fmt.Sprintf(`button[value="%s %s %s"]`, user, role, unit))
	require.Equal(b.t, heading, b.heading(), "the first page of %s's menu", role)
}

// logout logs the user out with the header's button, so that the same browser – a shared
// computer – can log another user in (a browser is slow to start on a busy machine).
func (b *browser) logout() {
	b.t.Helper()
	b.submit(`.site-header button[type="submit"]`)
	require.Contains(b.t, b.text(".flash"), "Du är utloggad")
}

// menu is the header's menu as the user sees it, item by item.
func (b *browser) menu() []string {
	b.t.Helper()
	return value(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".site-nav a")].map(a => a.firstChild.textContent.trim())`))
}

// requireNotFound opens each path and expects the front end's 404 page.
func (b *browser) requireNotFound(paths ...string) {
	b.t.Helper()
	for _, p := range paths {
		b.open(p)
		require.Equal(b.t, "Sidan finns inte", b.heading(), p)
		status := b.status(p)
		require.Equal(b.t, http.StatusNotFound, status, p)
	}
}

// status is the HTTP status of a GET of path in this browser's session.
func (b *browser) status(path string) int {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.s.apiURL+path, nil)
	require.NoError(b.t, err)
	c := b.sessionCookie()
	req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	require.NoError(b.t, err)
	res.Body.Close()
	return res.StatusCode
}

// flat is the text of the element as written, its white space collapsed (CSS may set parts of it on
// lines of their own).
func (b *browser) flat(sel string) string {
	b.t.Helper()
	return strings.Join(strings.Fields(value(b, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))), " ")
}

// count is how many elements the selector finds.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return value(b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// download clicks a button whose answer is a file, waits until the browser has saved it whole, and
// returns the file's suggested name and content. The page stays where it was.
func (b *browser) download(sel string) (string, string) {
	b.t.Helper()
	dir := b.t.TempDir()
	began, done := make(chan string, 1), make(chan *cdpbrowser.EventDownloadProgress, 1)
	require.NoError(b.t, chromedp.ListenBrowser(b.ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdpbrowser.EventDownloadWillBegin:
			select {
			case began <- e.SuggestedFilename:
			default:
			}
		case *cdpbrowser.EventDownloadProgress:
			if e.State == cdpbrowser.DownloadProgressStateCompleted || e.State == cdpbrowser.DownloadProgressStateCanceled {
				select {
				case done <- e:
				default:
				}
			}
		}
	}))
	events := true
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events})
	require.NoError(b.t, err)
	b.do(chromedp.Click(chromedp.CSS(sel)))
	var name string
	select {
	case name = <-began:
	case <-ctx.Done():
		b.t.Fatal("no download began")
	}
	select {
	case e := <-done:
		require.Equal(b.t, cdpbrowser.DownloadProgressStateCompleted, e.State, "the download was not completed")
		content, err := os.ReadFile(filepath.Join(dir, e.GUID))
		require.NoError(b.t, err)
		b.note()
		return name, string(content)
	case <-ctx.Done():
		b.t.Fatal("the download did not complete")
	}
	return "", ""
}

// registerChildren registers a concern about n invented children of the demo school through the
// API as anna.larare, each seen at the time given, and returns their cases.
func registerChildren(t *testing.T, s *system, n, firstSerial int, seen time.Time) []string {
	t.Helper()
	anna := s.token("anna.larare")
	var out []string
	for i := range n {
		var created caseBody
		body := childConcern("Testbarn Påhittad", birthDateForAge(8+i%6), firstSerial+i, "3", []string{"lärande"},
			"Kommer ofta för sent och verkar trött.", false, seen)
		created = s.concernCase(anna, body)
		out = append(out, created.CaseID)
	}
	return out
}

// requireNoPersonalNumberIn fails when the text holds anything written like a personal number.
func requireNoPersonalNumberIn(t *testing.T, where, text string) {
	t.Helper()
	if m := personalNumberPattern.FindString(text); m != "" {
		t.Fatalf("a personal number in %s: %q", where, strings.TrimSpace(m))
	}
}
