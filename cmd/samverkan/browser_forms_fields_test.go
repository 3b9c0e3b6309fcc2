package main

import (
	"context"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// Helpers of the command forms' browser tests: what is on the page (without waiting for it, as
// chromedp's queries do), and filling fields.

// exists says whether an element matches sel now.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return value(b, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`) !== null`))
}

// isChecked says whether the radio or checkbox sel is checked.
func (b *browser) isChecked(sel string) bool {
	b.t.Helper()
	return value(b, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`).checked`))
}

// fieldValue is what the input or textarea sel holds.
func (b *browser) fieldValue(sel string) string {
	b.t.Helper()
	return value(b, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel)+`).value`))
}

// actions are the labels of the case page's buttons: the steps the API offers the user now.
func (b *browser) actions() string {
	b.t.Helper()
	return value(b, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".command-buttons a")).map(a => a.textContent.trim()).join("\n")`))
}

// openActionAt follows the case page's button for the step whose form is at path.
func (b *browser) openActionAt(path, heading string) {
	b.t.Helper()
	b.submit(`.command-buttons a[href$="/` + path + `"]`)
	require.Equal(b.t, heading, b.heading())
}

// fillFields sets the fields (by CSS selector) to the values.
func (b *browser) fillFields(fields map[string]string) {
	b.t.Helper()
	for sel, v := range fields {
		ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
		set := chromedp.SetValue(chromedp.CSS(sel), v)
		if v == "" {
			set = chromedp.Clear(chromedp.CSS(sel)) // SetValue cannot tell "" from a failure
		}
		err := chromedp.Do(ctx, set)
		cancel()
		require.NoError(b.t, err, "set %s", sel)
	}
}

// tick clicks each radio or checkbox, by name and value.
func (b *browser) tick(name string, values ...string) {
	b.t.Helper()
	for _, v := range values {
		b.do(chromedp.Click(chromedp.CSS(`input[name="` + name + `"][value="` + v + `"]`)))
	}
}

// sendForm submits the main form of a command page and waits for what comes back.
func (b *browser) sendForm() { b.t.Helper(); b.submit(`main form button[type="submit"]`) }

// requireErrorAt checks that the field shows an error and that the summary names it.
func (b *browser) requireErrorAt(fieldID, summaryText string) {
	b.t.Helper()
	require.True(b.t, b.exists("#"+fieldID+"-error"), "an error at #%s; the summary says: %s", fieldID, b.summary())
	require.Contains(b.t, b.summary(), summaryText)
	require.True(b.t, b.exists(`.error-summary a[href="#`+fieldID+`"]`), "the summary links to #%s", fieldID)
}

func (b *browser) summary() string {
	b.t.Helper()
	if !b.exists(".error-summary") {
		return ""
	}
	return b.text(".error-summary")
}

// dayFromToday is the date offset days from today in Swedish time, as the forms ask for it.
func dayFromToday(offset int) string {
	return time.Now().In(casework.Stockholm).AddDate(0, 0, offset).Format(time.DateOnly)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
