package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestWebMelwin14 walks docs/process.md §13's first worked example – Melwin, 14, invented – through
// the front end's pages only, one shared browser in which each person logs in and out in turn: the
// teacher anna.larare registers the concern; the principal bertil.rektor, the school's named
// person, takes the case from Mina uppgifter, assesses it with Melwin's own view and the five
// questions, completes the assessment with BUP, social services and the school health team,
// records both guardians' and Melwin's consent and summons the agencies; BUP (frida.bup) and social
// services (cecilia.socialsekreterare) answer the summons from their inboxes; the principal records
// the meeting – the school health team needs to do nothing further, and says why – and appoints
// the coordinator Melwin asked for, Cecilia; as coordinator she proposes the plan (SIP), records
// the guardians' and Melwin's approvals and the follow-up; then a guardian withdraws consent for
// BUP, after which BUP's user finds the case neither in Mina uppgifter nor by its address (404),
// and reads only its timeline up to the revocation.
// Every page visited passes axe (WCAG 2.0/2.1 A and AA).
func TestWebMelwin14(t *testing.T) {
	t.Parallel() // most of it is waiting for the meeting's time: the package's other long tests run meanwhile
	s := newSystem(t)
	s.start()
	b := newBrowser(t, s)

	melwinConcern(t, b)
	b.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	link := value(b, chromedp.Evaluate[string](`document.querySelector('.task-rows a[href$="/ta-emot"]').getAttribute("href")`))
	caseID := strings.TrimSuffix(strings.TrimPrefix(link, "/arenden/"), "/ta-emot")
	require.NotEmpty(t, caseID, "the named person's inbox has the new case")
	caseURL := "/arenden/" + caseID
	melwinAcknowledge(t, b, caseURL)
	melwinAssess(t, b)
	melwinConsent(t, b)
	meetingAt := melwinSummon(t, b)
	b.logout()

	melwinAnswer(t, b, "frida.bup", "norrkoping-bup", caseURL)
	melwinAnswer(t, b, coordinatorUser, "norrkoping-socialtjanst", caseURL)

	// The meeting is recorded once its summoned time has come (docs/process.md §6).
	time.Sleep(time.Until(meetingAt.Add(time.Second)))
	b.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	melwinMeeting(t, b, caseURL)
	melwinCoordinator(t, b)
	b.logout()

	b.login(coordinatorUser, "coordinator", "norrkoping-socialtjanst")
	melwinPlan(t, b, caseID)
	melwinApprovals(t, b, caseID)
	melwinFollowUp(t, b, caseID)
	melwinRevokeForBUP(t, b, caseID)
	b.logout()

	b.login("frida.bup", "participant", "norrkoping-bup")
	b.axe("Mina uppgifter, BUP after the revocation")
	require.NotContains(t, b.text("main"), caseID, "the case is gone from BUP's inbox")
	b.open("/uppgifter?arende=" + caseID)
	require.Contains(t, b.text("main"), "Inga uppgifter matchar filtret")
	b.requireNotFound(caseURL)
	b.axe("the 404 page for BUP")
	// What BUP had stays its own: the timeline up to the revocation, nothing after it
	// (docs/process.md §5).
	b.open(caseURL + "/tidslinje")
	require.Equal(t, "Tidslinje", b.heading())
	require.Contains(t, strings.ToLower(b.text("main")), "återkall", "it says that consent was withdrawn")
	b.axe("the timeline up to the revocation, for BUP")
	b.requireNoPersonalNumberSeen()
}

// melwinConcern registers the concern as the teacher. Her receipt does not name the case; the
// principal finds it in Mina uppgifter.
func melwinConcern(t *testing.T, b *browser) {
	b.login("anna.larare", "reporter", "norrkoping-skola-1")
	b.axe("Mina uppgifter, the teacher's")
	b.submit(`a[href="/oro/ny"]`)
	require.Equal(t, "Anmäl oro för ett barn", b.heading())
	b.axe("Anmäl oro, empty")
	fillMelwin(b, "2012-03-15")
	b.tick("areas", "hälsa", "hemmet")
	b.fillFields(map[string]string{"#observation": "Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig."})
	backdate(b, 180)
	b.axe("Anmäl oro, filled")
	b.submit(`button[value="granska"]`)
	require.Equal(t, "Kontrollera din anmälan", b.heading())
	require.True(t, containsAll(b.text("main"), "Melwin Påhittad", "lärande", "hälsa", "relationer", "hemmet"), b.text("main"))
	b.axe("Kontrollera din anmälan")
	b.submit(`button[value="skicka"]`)
	require.Equal(t, "Din oro är mottagen", b.heading())
	require.Contains(t, b.text(".lead"), "Barnets bästa-ansvarig tar emot anmälan senast")
	b.axe("the receipt")
	b.logout()
}

func melwinAcknowledge(t *testing.T, b *browser, caseURL string) {
	require.Contains(t, b.text(".task-rows"), "Senast")
	b.axe("Mina uppgifter, the named person's")
	b.submit(`.task-rows a[href="` + caseURL + `/ta-emot"]`)
	require.Equal(t, "Ta emot ärendet", b.heading())
	backdate(b, 170)
	b.axe("Ta emot ärendet")
	b.sendForm()
	require.Equal(t, "Melwin Påhittad", b.heading())
	require.Contains(t, b.flash(), "Du har tagit emot ärendet")
	require.Contains(t, b.text("#steg-acknowledge"), "Klart")
	b.axe("the case, taken")
}

func melwinAssess(t *testing.T, b *browser) {
	b.openActionAt("kartlagg", "Kartlägg barnets situation")
	b.axe("Kartlägg, empty")
	b.fillFields(map[string]string{
		"#area-larande-observation":    "Närvaro under 10 % sedan ett år; saknar betyg i flera ämnen.",
		"#area-halsa-observation":      "Sover dåligt, ont i magen på morgnarna enligt vårdnadshavarna.",
		"#area-relationer-observation": "Isolerar sig; blir aggressiv när han pressas att komma till skolan.",
		"#area-hemmet-observation":     "Vårdnadshavarna är oroliga och orkar inte längre få iväg honom.",
		"#child-view":                  "Melwin säger att skolan känns för stor och att han inte vet hur han ska komma tillbaka.",
		"#q-information":               "Nej: elevhälsans utredning pekar på behov av en psykiatrisk bedömning.",
		"#q-obstacles":                 "Lång frånvaro, ångest inför skolan, isolering.",
		"#q-i-can-do":                  "Anpassad studiegång och en trygg vuxen på skolan.",
		"#q-org-can-do":                "Elevhälsan följer upp; skolan anpassar schemat.",
		"#q-help-needed":               "Bedömning från BUP och stöd till familjen från socialtjänsten.",
	})
	b.tick("area-larande-level", "hög")
	b.tick("area-halsa-level", "måttlig")
	b.tick("area-relationer-level", "hög")
	b.tick("area-hemmet-level", "måttlig")
	b.tick("partners-earlier", "norrkoping-bvc-1", "norrkoping-forskola-1")
	b.tick("partners-forward", agencyBUP, agencySocialServices)
	b.axe("Kartlägg, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Kartläggningen är sparad")
	require.Contains(t, b.text("main"), "Lärande: Hög")
	b.axe("the case with the assessment")

	b.openActionAt("avsluta-kartlaggning", "Avsluta kartläggningen")
	b.tick("outcome", "collaboration")
	if !b.isChecked(`input[name="proposed-agencies"][value="` + agencySchoolHealth + `"]`) {
		b.tick("proposed-agencies", agencySchoolHealth)
	}
	b.axe("Avsluta kartläggningen, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Kartläggningen är avslutad")
	require.True(t, containsAll(b.text("main"), "BUP Lärkängen", "Elevhälsan Lärkängsskolan", "Socialtjänsten Lärkängen"), b.text("main"))
	b.axe("the case with the assessment completed")
}

// melwinConsent records both guardians' consent (joint custody) and Melwin's own: at 14 he is
// asked too (docs/process.md §5).
func melwinConsent(t *testing.T, b *browser) {
	for _, g := range []string{guardianOne, guardianTwo} {
		b.openActionAt("samtycke", "Registrera samtycke")
		b.tick("party", "guardian")
		if !b.isChecked(`input[name="custody"][value="joint"]`) {
			b.tick("custody", "joint")
		}
		b.fillFields(map[string]string{"#party-name": g})
		b.tick("given", "ja")
		b.tick("scope", agencyBUP, agencySocialServices, agencySchoolHealth)
		b.tick("method", "written")
		b.axe("Samtycke, a guardian's, filled")
		b.sendForm()
		require.Contains(t, b.flash(), "Svaret om samtycke är registrerat")
	}
	require.NotContains(t, b.actions(), "Kalla till samverkansmöte", "Melwin has not answered")
	b.openActionAt("samtycke", "Registrera samtycke")
	b.tick("party", "child")
	b.tick("given", "ja")
	b.tick("scope", agencyBUP, agencySocialServices, agencySchoolHealth)
	b.tick("method", "oral")
	b.axe("Samtycke, Melwin's, filled")
	b.sendForm()
	require.True(t, containsAll(b.text("main"), "Samtycke finns.", "Barnet: Gav samtycke", "Samtycket gäller: BUP Lärkängen, Elevhälsan Lärkängsskolan, Socialtjänsten"), b.text("main"))
	require.Contains(t, b.actions(), "Kalla till samverkansmöte")
	b.axe("the case with consent given")
}

// melwinSummon summons the agencies to a meeting a few minutes ahead, so that they can answer the
// summons before it, and returns the meeting's time.
func melwinSummon(t *testing.T, b *browser) time.Time {
	b.openActionAt("kalla-till-mote", "Kalla till samverkansmöte")
	require.Contains(t, b.text("main"), "arbetsdagar kvar")
	meetingAt := time.Now().In(casework.Stockholm).Truncate(time.Minute).Add(3 * time.Minute)
	b.fillFields(map[string]string{"#meeting-at-date": meetingAt.Format(time.DateOnly), "#meeting-at-time": meetingAt.Format("15:04"),
		"#place": "Lärkängsskolan, konferensrummet"})
	b.axe("Kalla, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Kallelsen till samverkansmötet är registrerad")
	require.Contains(t, b.text("main"), "BUP Lärkängen")
	b.axe("the case with the summons")
	return meetingAt
}

// melwinAnswer logs an agency's user in; the invitation in Mina uppgifter opens its form, where
// the agency accepts.
func melwinAnswer(t *testing.T, b *browser, user, unit, caseURL string) {
	b.login(user, "participant", unit)
	b.axe("Mina uppgifter with the invitation, " + unit)
	b.submit(`.task-rows a[href="` + caseURL + `/svara-pa-kallelsen"]`)
	require.Equal(t, "Svara på kallelsen", b.heading())
	require.Contains(t, b.text(".lead"), "Lärkängsskolan, konferensrummet")
	b.tick("response", "accept")
	b.axe("Svara på kallelsen, filled, " + unit)
	b.sendForm()
	require.Contains(t, b.flash(), "Ert svar på kallelsen är skickat")
	require.Equal(t, "Melwin Påhittad", b.heading())
	b.axe("the case, " + unit)
	b.logout()
}

func melwinMeeting(t *testing.T, b *browser, caseURL string) {
	b.open(caseURL)
	b.openActionAt("registrera-mote", "Registrera samverkansmötet")
	b.tick("present", "child", "guardians", agencyBUP, agencySocialServices, agencySchoolHealth)
	b.fillFields(map[string]string{
		"#common-picture":                             "Melwin vill tillbaka till skolan men orkar inte; familjen behöver stöd.",
		"#decision-" + agencyBUP + "-text":            "Bedömningssamtal inom tre veckor.",
		"#decision-" + agencySocialServices + "-text": "Erbjuder familjebehandling.",
		"#decision-" + agencySchoolHealth + "-reason": "Elevhälsans utredning är klar och remissen till BUP skickad; stödet ges inom elevhälsans ordinarie arbete.",
	})
	b.tick("decision-"+agencyBUP, "insats")
	b.tick("decision-"+agencySocialServices, "insats")
	b.tick("decision-"+agencySchoolHealth, "inget")
	b.axe("Mötet, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Samverkansmötet är registrerat")
	require.True(t, containsAll(b.text("main"), "Inga fler insatser: Elevhälsans utredning", "Erbjuder familjebehandling."), b.text("main"))
	b.axe("the case with the meeting")
}

// melwinCoordinator: Melwin is asked first, wishes Cecilia of social services, and gets her; from
// social services she needs no plan owner.
func melwinCoordinator(t *testing.T, b *browser) {
	b.openActionAt("utse-samordnare", "Utse samordnare")
	b.tick("child-asked", "ja")
	b.fillFields(map[string]string{"#child-wish": coordinatorUser, "#coordinator": coordinatorUser})
	b.axe("Samordnare, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Samordnaren är utsedd")
	require.True(t, containsAll(b.text("main"), "Cecilia Socialsekreterare är samordnare", "Barnet önskade Cecilia Socialsekreterare"), b.text("main"))
	b.axe("the case with the coordinator")
}

var melwinInterventions = []planRowInput{
	{description: "Anpassad studiegång med en trygg vuxen varje morgon.", goal: "Melwin är i skolan varje dag.", kind: "municipality",
		principal: "Norrköpings kommun", unit: "norrkoping-skola-1", performer: "Mentor på Lärkängsskolan",
		extent: "20 minuter varje skoldag under vårterminen", areas: []string{"lärande", "relationer"}, how: "Vid uppföljningsmötet, med skolans närvaro"},
	{description: "Bedömningssamtal och vid behov behandling av ångest.", goal: "Melwin sover och äter bättre.", kind: "region",
		principal: "Region Östergötland", unit: agencyBUP, performer: "Psykolog på BUP", extent: "Ett samtal i veckan i sex veckor",
		areas: []string{"hälsa"}, how: "BUP berättar vid uppföljningsmötet"},
	{description: "Familjebehandling i hemmet.", goal: "Familjen orkar hjälpa Melwin till skolan.", kind: "municipality",
		principal: "Norrköpings kommun", unit: agencySocialServices, performer: "Familjebehandlare", extent: "Ett besök i veckan",
		areas: []string{"hemmet"}, how: "Vid uppföljningsmötet"},
}

// melwinPlan proposes the plan (SIP) with an intervention by each of the school, BUP and social
// services, checks it and sends it.
func melwinPlan(t *testing.T, b *browser, caseID string) {
	b.openAction(caseID, "Föreslå plan (SIP)")
	require.Equal(t, "Föreslå plan (SIP)", b.heading())
	b.axe("Föreslå plan, empty")
	for i, row := range melwinInterventions {
		if i > 0 {
			b.send("lagg-till")
		}
		fillPlanRow(b, i, row)
	}
	b.choose("no-measures", "ja")
	b.choose("overall-kind", "municipality")
	b.fill("overall-name", "Norrköpings kommun")
	b.fill("follow-up-date", formatDay(time.Now().AddDate(0, 0, 42)))
	b.fill("child-participation", "Melwin var med på mötet och vill börja med korta dagar.")
	b.axe("Föreslå plan, filled")
	b.send("granska")
	require.Equal(t, "Kontrollera planen", b.heading())
	require.Contains(t, b.text("main"), "Familjebehandling i hemmet.")
	b.axe("the plan to check")
	b.send("skicka")
	require.Equal(t, "Melwin Påhittad", b.heading())
	require.Contains(t, b.flash(), "Planen är föreslagen")
	require.True(t, containsAll(b.flat("main"), "Planen (SIP), version 1 Föreslagen, väntar på godkännande", "Familjebehandling i hemmet.",
		"Ansvarig: Region Östergötland, Psykolog på BUP (BUP Lärkängen)"), "the hub shows the plan: %s", planPart(b))
	b.axe("the case with the plan proposed")
}

// melwinApprovals records that both guardians and Melwin approve version 1: the plan is
// established.
func melwinApprovals(t *testing.T, b *browser, caseID string) {
	for _, who := range []string{"vardnadshavare:" + guardianOne, "vardnadshavare:" + guardianTwo, "barnet"} {
		b.openAction(caseID, "Registrera godkännande av planen: version 1")
		b.choose("who", who)
		b.choose("approved", "ja")
		b.choose("method", "written")
		b.axe("Godkännande, filled")
		b.send("")
		require.Contains(t, b.flash(), "Svaret på planen är registrerat")
	}
	require.Contains(t, b.text("#steg-propose_plan"), "Klart")
	require.True(t, containsAll(b.flat("main"), "Planen (SIP), version 1 Gäller sedan", "Barnet (Melwin Påhittad) godkände"), planPart(b))
	b.axe("the case with the plan established")
}

func melwinFollowUp(t *testing.T, b *browser, caseID string) {
	b.openAction(caseID, "Följ upp planen")
	for i, done := range []string{"Mentorn har mött Melwin varje morgon.", "Fem samtal av sex är hållna.", "Familjebehandlaren har besökt familjen varje vecka."} {
		p := "fu-" + string(rune('0'+i)) + "-"
		b.choose(p+"goal-met", "ja")
		b.fill(p+"done", done)
	}
	b.choose("outcome", "revise")
	b.fill("next-date", formatDay(time.Now().AddDate(0, 0, 56)))
	b.axe("Följ upp, filled")
	b.send("")
	require.Contains(t, b.flash(), "Uppföljningen är registrerad")
	require.True(t, containsAll(b.flat("main"), "Uppföljningar", "Fem samtal av sex är hållna. (målet är nått)", "Planen fortsätter; nästa uppföljning"),
		planPart(b))
	b.axe("the case after the follow-up")
}

// melwinRevokeForBUP: a guardian tells the coordinator that the consent no longer covers BUP.
func melwinRevokeForBUP(t *testing.T, b *browser, caseID string) {
	b.openAction(caseID, "Registrera återkallat samtycke")
	b.tick("party", "guardian")
	b.fillFields(map[string]string{"#party-name": guardianTwo})
	b.tick("extent", "vissa")
	b.tick("agencies", agencyBUP)
	b.axe("Återkalla, filled")
	b.sendForm()
	require.Contains(t, b.flash(), "Återkallelsen av samtycket är registrerad")
	require.Contains(t, b.text("main"), "Deltar inte längre: samtycket har återkallats")
	b.axe("the case after the revocation for BUP")
}

// planPart is the hub's text from the plan on, for a failure's message.
func planPart(b *browser) string {
	text := b.flat("main")
	if i := strings.Index(text, "Planen (SIP)"); i >= 0 {
		return text[i:]
	}
	return text
}
