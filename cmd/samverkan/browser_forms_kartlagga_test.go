package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebFormsOfKartlagga walks the forms of upptäcka and kartlägga after the case is taken, as the
// school's named person bertil.rektor does in a browser: the report to social services that a
// suspicion of harm calls for, the assessment with the wheel, the child's view, the five questions
// and the partners, and its completion with the agencies that are needed. Each form is opened from
// the case page's button – there only while the API offers the step – and checked with axe and at
// 320 px empty, with the form's own errors, with the API's 400 shown at its fields, and filled;
// after each the case page shows what was recorded.
func TestWebFormsOfKartlagga(t *testing.T) {
	s := newSystem(t)
	s.start()
	concern := childConcern("Melwin Påhittad", birthDateForAge(14), 31, "7", []string{"lärande", "hälsa", "relationer", "hemmet"},
		"Nästan ingen närvaro på ett år, isolerar sig.", true, time.Now().Add(-2*time.Hour).Truncate(time.Second))
	created := s.concernCase(s.token("anna.larare"), concern)
	caseURL := "/arenden/" + created.CaseID
	s.mustAct(s.token("bertil.rektor"), "POST", created.CaseID, "acknowledgement", nil)

	anna := newBrowser(t, s)
	anna.login("anna.larare", "reporter", "norrkoping-skola-1")
	anna.open(caseURL)
	require.Contains(t, anna.actions(), "Registrera orosanmälan till socialtjänsten", "the duty to report is the reporter's own too")
	require.NotContains(t, anna.actions(), "Kartlägg barnets situation")
	anna.openActionAt("orosanmalan", "Registrera orosanmälan till socialtjänsten")
	anna.checkPage("Orosanmälan as the reporter, empty")

	bertil := newBrowser(t, s)
	bertil.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	require.True(t, bertil.exists(`.task-rows a[href="`+caseURL+`/kartlagg"]`), "the inbox's task opens the assessment's form")
	require.True(t, bertil.exists(`.task-rows a[href="`+caseURL+`/orosanmalan"]`), "and the report's")
	bertil.open(caseURL)
	require.True(t, bertil.exists(".message-box--warning"), "the case says the report to social services is not recorded")
	require.Contains(t, bertil.actions(), "Registrera orosanmälan till socialtjänsten")
	require.Contains(t, bertil.actions(), "Kartlägg barnets situation")
	require.NotContains(t, bertil.actions(), "Avsluta kartläggningen", "not offered before the assessment has what it needs")

	harmReport(t, bertil, caseURL)
	assess(t, bertil, caseURL)
	completeAssessment(t, bertil)
	anna.requireNoPersonalNumberSeen()
	bertil.requireNoPersonalNumberSeen()
}

func harmReport(t *testing.T, b *browser, caseURL string) {
	b.openActionAt("orosanmalan", "Registrera orosanmälan till socialtjänsten")
	require.Contains(t, b.text(".duty"), "14 kapitlet 1 §")
	b.checkPage("Orosanmälan, empty")
	b.sendForm()
	b.requireErrorAt("reported", "Välj om en orosanmälan har gjorts till socialtjänsten")
	b.checkPage("Orosanmälan, with the form's errors")

	b.tick("reported", "nej")
	b.sendForm()
	b.requireErrorAt("reason", "Skäl till att ingen anmälan behövs: ange varför ingen anmälan gjordes")
	b.checkPage("Orosanmälan, with the API's errors")

	b.tick("reported", "ja")
	// An hour ago, not a fixed time of today: shortly after midnight Swedish time that would lie
	// ahead of now, and before the concern, which was seen two hours ago.
	reportedDate, reportedClock := minutesAgo(60)
	b.fillFields(map[string]string{"#reported-at-date": reportedDate, "#reported-at-time": reportedClock})
	b.checkPage("Orosanmälan, filled")
	b.sendForm()
	require.Equal(t, "Melwin Påhittad", b.heading())
	require.Contains(t, b.text(".flash"), "Svaret om orosanmälan är registrerat")
	require.Contains(t, b.text("main"), "En orosanmälan till socialtjänsten gjordes "+reportedDate)
	require.False(t, b.exists(".message-box--warning"), "the warning is gone once the answer is recorded")
	b.checkPage("the case with the answer about the report")
	b.open(caseURL)
}

func assess(t *testing.T, b *browser, caseURL string) {
	b.openActionAt("kartlagg", "Kartlägg barnets situation")
	require.Equal(t, 7, value(b, chromedp.Evaluate[int](`document.querySelectorAll("fieldset.area").length`)), "a fieldset for each area of the wheel")
	require.Contains(t, b.text(`fieldset.area:has(#area-larande-observation)`), "Anmälan gäller det här området")
	b.checkPage("Kartlägg, empty")

	b.fillFields(map[string]string{
		"#area-halsa-observation": "Ont i magen varje morgon, äter inte lunch.",
		"#child-view":             "Melwin säger att det är jobbigt i matsalen.",
		"#child-not-heard":        "Ville inte prata.",
	})
	b.sendForm()
	b.requireErrorAt("area-halsa-level", "Välj hur allvarlig oron är inom hälsa")
	require.Equal(t, "Ont i magen varje morgon, äter inte lunch.", b.fieldValue("#area-halsa-observation"), "what was typed comes back")
	b.checkPage("Kartlägg, with the form's errors")

	b.tick("area-halsa-level", "måttlig")
	b.tick("area-trygghet-level", "låg")
	b.sendForm()
	b.requireErrorAt("area-trygghet-observation", "Trygghet, det du ser: beskriv vad som ses inom området")
	b.requireErrorAt("child-not-heard", "ange antingen barnets egen syn eller varför den inte gick att få, inte båda")
	b.checkPage("Kartlägg, with the API's errors")

	b.fillFields(map[string]string{
		"#area-trygghet-observation": "Känner sig otrygg på rasterna.",
		"#child-not-heard":           "",
		"#area-larande-observation":  "Nästan ingen närvaro på ett år.",
		"#q-information":             "Nej, vi vet inte hur det är hemma.",
		"#q-obstacles":               "Oro och ensamhet.",
		"#q-i-can-do":                "Samtal varje vecka.",
		"#q-org-can-do":              "Elevhälsan kan träffa honom.",
		"#q-help-needed":             "BUP och socialtjänsten.",
		"#partners-earlier-other":    "Fritidsgården Lärkan",
	})
	b.tick("area-larande-level", "hög")
	b.tick("partners-earlier", "norrkoping-bvc-1")
	b.tick("partners-forward", "norrkoping-bup", "norrkoping-socialtjanst")
	b.checkPage("Kartlägg, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Kartläggningen är sparad")
	require.Contains(t, b.text("main"), "Hälsa: Måttlig")
	require.Contains(t, b.text("main"), "Lärande: Hög")
	require.Contains(t, b.actions(), "Avsluta kartläggningen", "offered once the assessment has its areas, the child's view and the five questions")
	b.checkPage("the case with the assessment saved")

	b.open(caseURL + "/kartlagg")
	require.Equal(t, "Ont i magen varje morgon, äter inte lunch.", b.fieldValue("#area-halsa-observation"), "the form starts from what was saved")
	require.True(t, b.isChecked(`input[name="area-larande-level"][value="hög"]`))
	require.True(t, b.isChecked(`input[name="partners-forward"][value="norrkoping-bup"]`))
	require.Equal(t, "Fritidsgården Lärkan", b.fieldValue("#partners-earlier-other"))
	b.open(caseURL)
}

func completeAssessment(t *testing.T, b *browser) {
	b.openActionAt("avsluta-kartlaggning", "Avsluta kartläggningen")
	require.True(t, b.isChecked(`input[name="proposed-agencies"][value="norrkoping-socialtjanst"]`), "the agencies of the partner question going forward")
	require.True(t, b.isChecked(`input[name="relevant-areas"][value="hälsa"]`), "and the areas with a concern are proposed")
	b.checkPage("Avsluta kartläggningen, empty")
	b.sendForm()
	b.requireErrorAt("outcome", "Välj om barnet behöver stöd från andra verksamheter")
	b.checkPage("Avsluta kartläggningen, with the form's errors")

	b.tick("outcome", "collaboration")
	b.tick("proposed-agencies", "norrkoping-bup", "norrkoping-socialtjanst")
	b.tick("relevant-areas", "hälsa", "lärande", "trygghet")
	b.sendForm()
	b.requireErrorAt("proposed-agencies", "Verksamheter som behövs: ange minst en")
	b.requireErrorAt("relevant-areas", "Områden som samverkan gäller")
	b.checkPage("Avsluta kartläggningen, with the API's errors")

	b.tick("proposed-agencies", "norrkoping-bup", "norrkoping-socialtjanst", "norrkoping-elevhalsa")
	b.tick("relevant-areas", "hälsa", "lärande", "trygghet")
	b.checkPage("Avsluta kartläggningen, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Kartläggningen är avslutad")
	require.True(t, containsAll(b.text("main"), "Barnet behöver stöd från andra verksamheter", "BUP Lärkängen", "Elevhälsan Lärkängsskolan"))
	require.Contains(t, b.text("#steg-ask_consent"), "Pågår", "consent is asked")
	require.Contains(t, b.actions(), "Registrera samtycke")
	b.checkPage("the case with the assessment completed")
}
