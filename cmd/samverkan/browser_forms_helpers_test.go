package main

import (
	"strings"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// What the command forms' browser tests do on a form, as a person would: open it from the case's
// button, type, choose, press a button, read what came back.

// fill sets a text field, a text area or a list to value ("" empties it).
func (b *browser) fill(id, text string) {
	b.t.Helper()
	set := value(b, chromedp.Evaluate[bool](`(() => { const e = document.getElementById(`+jsString(id)+`); if (!e) return false;
		e.value = `+jsString(text)+`; return e.value === `+jsString(text)+` })()`))
	require.True(b.t, set, "#%s takes %q", id, text)
}

// choose ticks the radio or checkbox of the field name with value.
func (b *browser) choose(name, value string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`input[name="` + name + `"][value="` + value + `"]`)))
}

// send clicks the form's button of the given action value, or its only submit button when action is
// "", and waits for the page that comes back.
func (b *browser) send(action string) {
	b.t.Helper()
	if action == "" {
		b.submit(`main form button.button--primary[type="submit"]`)
		return
	}
	b.submit(`main form button[value="` + action + `"]:not(.visually-hidden)`)
}

// openAction opens, from the case's page, the button whose label starts with label, and returns its
// address. The button is the case's only way in: it is there because the API offers the step.
func (b *browser) openAction(caseID, label string) string {
	b.t.Helper()
	b.open("/arenden/" + caseID)
	href := value(b, chromedp.Evaluate[string](`(() => { const a = [...document.querySelectorAll(".command-buttons a")]
		.find(a => a.textContent.trim().startsWith(`+jsString(label)+`)); return a ? a.getAttribute("href") : "" })()`))
	require.NotEmpty(b.t, href, "the case offers %q: %s", label, b.text(".page"))
	b.open(href)
	return href
}

// requireNoAction fails if the case's page offers a button whose label starts with label.
func (b *browser) requireNoAction(caseID, label string) {
	b.t.Helper()
	b.open("/arenden/" + caseID)
	has := value(b, chromedp.Evaluate[bool](`[...document.querySelectorAll(".command-buttons a")]
		.some(a => a.textContent.trim().startsWith(`+jsString(label)+`))`))
	require.False(b.t, has, "the case still offers %q", label)
}

// requireFieldError checks that the field shows an error (containing want, if given, in any case:
// the page starts the API's reason with a capital) and that the error summary links to it.
func (b *browser) requireFieldError(id, want string) {
	b.t.Helper()
	got := value(b, chromedp.Evaluate[string](`(document.getElementById(`+jsString(id+"-error")+`) || {}).textContent || ""`))
	require.NotEmpty(b.t, got, "an error at #%s; the summary says: %s", id, b.errors())
	require.Contains(b.t, strings.ToLower(got), strings.ToLower(want))
	linked := value(b, chromedp.Evaluate[bool](`!!document.querySelector('.error-summary a[href="#`+id+`"]')`))
	require.True(b.t, linked, "the error summary links to #%s: %s", id, b.errors())
	marked := value(b, chromedp.Evaluate[string](`(() => { const e = document.getElementById(`+jsString(id)+`);
		if (!e) return "missing"; if (e.type === "radio" || e.type === "checkbox") return "a choice";
		return e.getAttribute("aria-invalid") || "" })()`))
	require.Contains(b.t, []string{"true", "a choice"}, marked, "#%s is marked invalid (its fieldset is described by the error)", id)
}

func (b *browser) flash() string {
	return value(b, chromedp.Evaluate[string](`(document.querySelector(".flash") || {}).textContent || ""`))
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
