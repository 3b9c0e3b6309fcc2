package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// The browser tests drive the web front end of a real `samverkan dev` (newSystem) with Debian's
// headless Chromium through chromedp. Without chromium they are skipped with a message saying how
// to install it; .ci/run installs it.

// chromiumPath is Debian's chromium, or "" when it is not installed.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}

// browser is one headless Chromium with a profile of its own: one user's browser.
type browser struct {
	t   *testing.T
	ctx context.Context
	s   *system
	// seen are the addresses and titles of every page it showed, for the check that no personal
	// number is in any of them.
	seen []string
}

func newBrowser(t *testing.T, s *system) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("the browser tests need Debian's chromium (apt-get install -y chromium); .ci/run installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	require.NoError(t, chromedp.Do(ctx), "start chromium") // the first run starts it: no timeout here
	return &browser{t: t, ctx: ctx, s: s}
}

// do runs steps with a deadline.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

func value[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(b.t, err)
	return v
}

// open navigates to a path of the system and waits for its main heading.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.s.apiURL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
	b.note()
}

// submit clicks a button that leaves the page and waits for the next page.
func (b *browser) submit(sel string) {
	b.t.Helper()
	b.markPage()
	b.do(chromedp.Click(chromedp.CSS(sel)))
	b.waitForNewPage()
}

// markPage marks the page shown now, so that waitForNewPage knows when another has replaced it.
func (b *browser) markPage() {
	b.t.Helper()
	value(b, chromedp.Evaluate[bool](`window.samverkanOldPage = true`))
}

// waitForNewPage waits until the page marked by markPage is gone and the next one has loaded.
func (b *browser) waitForNewPage() {
	b.t.Helper()
	require.Eventually(b.t, func() bool {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`window.samverkanOldPage !== true && document.readyState === "complete" && document.querySelector("h1") !== null`))
		return err == nil && loaded // an error: the page is between documents
	}, 60*time.Second, 50*time.Millisecond, "no new page came")
	b.note()
}

func (b *browser) note() {
	b.seen = append(b.seen, value(b, chromedp.Location()), value(b, chromedp.Title()))
}

func (b *browser) heading() string {
	return strings.TrimSpace(value(b, chromedp.Text(chromedp.CSS("h1"))))
}

func (b *browser) text(sel string) string { return value(b, chromedp.Text(chromedp.CSS(sel))) }

// login logs in through the dev issuer's picker, as a person would: the start page's button, then
// the button of the user's assignment.
func (b *browser) login(user, role, unit string) {
	b.t.Helper()
	b.open("/")
	b.submit(`a[href="/logga-in"]`)
	require.Equal(b.t, "Logga in i samverkan", b.heading())
	b.submit(fmt.Sprintf(`button[value="%s %s %s"]`, user, role, unit))
	require.Equal(b.t, "Mina uppgifter", b.heading(), "after the login the inbox opens")
}

// axeTags are the rules the pages must pass: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "..", "web", "testdata", "vendor", "axe-core", "axe.min.js"))
	return string(b), err
})

// axe runs axe-core in the page and fails the test listing every violation; state names the page
// and its state in the message.
func (b *browser) axe(state string) {
	b.t.Helper()
	src, err := axeSource()
	require.NoError(b.t, err, "web/testdata/vendor/axe-core/axe.min.js (scripts/vendor-web-assets.sh)")
	if !value(b, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		_ = value(b, chromedp.Evaluate[bool](src+"\n;true"))
	}
	tags, _ := json.Marshal(axeTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}}).then(r => JSON.stringify(r.violations.map(v =>
		({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}))))`
	out := value(b, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	require.NoError(b.t, json.Unmarshal([]byte(out), &violations))
	for _, v := range violations {
		b.t.Errorf("axe, %s: %s (%s): %s\n  %s", state, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// reflowsAt320 checks that the page needs no horizontal scrolling 320 CSS pixels wide (WCAG 1.4.10),
// then restores the window.
func (b *browser) reflowsAt320(state string) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(320, 720))
	fits := value(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= document.documentElement.clientWidth`))
	b.do(chromedp.EmulateViewport(1280, 900))
	require.True(b.t, fits, "%s scrolls sideways at 320 px", state)
}

// checkPage runs the accessibility and reflow checks on the page as it is.
func (b *browser) checkPage(state string) {
	b.t.Helper()
	b.axe(state)
	b.reflowsAt320(state)
}

// sessionCookie is the front end's session cookie in this browser.
func (b *browser) sessionCookie() *network.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	got, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.s.apiURL + "/"}})
	require.NoError(b.t, err)
	for _, c := range got.Cookies {
		if c.Name == "samverkan" || c.Name == "__Host-samverkan" {
			return c
		}
	}
	b.t.Fatalf("no session cookie among %d cookies", len(got.Cookies))
	return nil
}

// personalNumberPattern finds anything written like a personal number: 10 or 12 digits, with or
// without the hyphen.
var personalNumberPattern = regexp.MustCompile(`(^|[^0-9])([0-9]{2})?[0-9]{6}[-+]?[0-9]{4}([^0-9]|$)`)

// requireNoPersonalNumberSeen fails if any address or title the browser showed holds one.
func (b *browser) requireNoPersonalNumberSeen() {
	b.t.Helper()
	require.NotEmpty(b.t, b.seen)
	for _, s := range b.seen {
		require.False(b.t, personalNumberPattern.MatchString(s), "a personal number in an address or title: %q", s)
	}
}

// typeInto focuses a field and types into it with key events, as a person would.
func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(text))
}
