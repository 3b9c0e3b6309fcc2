package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebAPIDocsInSwaggerUI opens /api/v1/docs in Chromium: Swagger UI (vendored) replaces the
// server-rendered page and lists the document's operations, under the page's
// Content-Security-Policy – no inline script, no console error such as a refused script or style –
// and "Try it out" works against this server: with a bearer token given to "Authorize", the
// directory's units are asked for and answered 200.
func TestWebAPIDocsInSwaggerUI(t *testing.T) {
	s := newSystem(t)
	s.start()
	b := newBrowser(t, s)
	var mu sync.Mutex
	var problems []string
	require.NoError(t, chromedp.Listen(b.ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console error")
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		}
	}))
	// A refused script or style is a securitypolicyviolation event in the page; the listener is set
	// before any of the page's own scripts run.
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspViolations = []; document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI))`})
	cancel()
	require.NoError(t, err)

	b.do(chromedp.Navigate(s.apiURL + "/api/v1/docs"))
	b.do(chromedp.WaitVisible(chromedp.CSS("#operations-directory-listUnits")))
	operations := value(b, chromedp.Evaluate[int](`document.querySelectorAll(".opblock").length`))
	require.Greater(t, operations, 50, "Swagger UI shows the document's operations")
	require.Equal(t, 0, b.count("#plain-style"), "the plain page's styles are gone")

	token := s.token("anna.larare")
	require.True(t, value(b, chromedp.Evaluate[bool](`(() => { window.ui.preauthorizeApiKey("bearerAuth", `+jsString(token)+`); return true })()`)))
	b.do(
		chromedp.Click(chromedp.CSS("#operations-directory-listUnits .opblock-summary-control")),
		chromedp.Click(chromedp.CSS("#operations-directory-listUnits .try-out__btn")),
		chromedp.Click(chromedp.CSS("#operations-directory-listUnits button.execute")),
		chromedp.WaitVisible(chromedp.CSS("#operations-directory-listUnits .live-responses-table tr.response .response-col_status")),
	)
	ctx, cancel = context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#operations-directory-listUnits .live-responses-table tr.response .response-col_status")))
	require.NoError(t, err)
	require.Equal(t, "200", strings.TrimSpace(status), "try it out: the API answered")
	body := b.flat("#operations-directory-listUnits .live-responses-table tr.response .response-col_description")
	require.Contains(t, body, "norrkoping-skola-1", "with the directory")

	require.Empty(t, value(b, chromedp.Evaluate[[]string](`window.cspViolations`)), "nothing refused by the Content-Security-Policy")
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, problems, "the page runs under its Content-Security-Policy without errors")
}
