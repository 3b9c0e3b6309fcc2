package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestWebFormsOfSamarbeta walks the forms of samarbeta in a browser, from a case whose assessment
// proposed BUP, social services and the school health team: the school's named person records both
// guardians' consent (joint custody), the summons, the meeting with its decisions and the
// coordinator the child was asked about; a guardian withdraws consent for the school health team;
// then BUP's frida.bup, whom the family told they withdraw consent for BUP, records that and no
// longer reaches the case. Each form is opened from the case page's button, checked with axe and at
// 320 px empty, with the form's own errors, with the API's 400 (and 403) at its fields and in the
// error summary, and filled; after each the case page shows what was recorded.
func TestWebFormsOfSamarbeta(t *testing.T) {
	s := newSystem(t)
	s.start()
	fixture := newCaseBuilder(s).build(s, fixtureSpec{track: trackNorrkoping, stage: stageConsentPending})
	caseURL := "/arenden/" + fixture.caseID

	bertil := newBrowser(t, s)
	bertil.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	bertil.open(caseURL)
	require.Contains(t, bertil.actions(), "Registrera samtycke")
	require.NotContains(t, bertil.actions(), "Kalla till samverkansmöte", "not before consent is given")

	consent(t, bertil)
	summon(t, bertil)
	holdMeeting(t, bertil)
	appointCoordinator(t, bertil)
	revokeForSchoolHealth(t, bertil, caseURL)

	frida := newBrowser(t, s)
	frida.login("frida.bup", "participant", "norrkoping-bup")
	revokeForOwnAgency(t, frida, caseURL)
	bertil.requireNoPersonalNumberSeen()
	frida.requireNoPersonalNumberSeen()
}

func consent(t *testing.T, b *browser) {
	b.openActionAt("samtycke", "Registrera samtycke")
	b.checkPage("Samtycke, empty")
	b.sendForm()
	b.requireErrorAt("party", "Välj om det är en vårdnadshavare eller barnet självt")
	b.requireErrorAt("given", "Välj om samtycke lämnas eller inte")
	b.requireErrorAt("method", "Välj om svaret lämnades skriftligt eller muntligt")
	b.checkPage("Samtycke, with the form's errors")

	b.tick("party", "guardian")
	b.tick("custody", "joint")
	b.tick("given", "ja")
	b.tick("method", "written")
	b.sendForm()
	b.requireErrorAt("party-name", "Vårdnadshavarens namn saknas")
	b.requireErrorAt("scope", "Verksamheter som samtycket gäller: ange minst en")
	b.checkPage("Samtycke, with the API's errors")

	b.fillFields(map[string]string{"#party-name": "Vårdnadshavare Ett Påhittad"})
	backdate(b, 40)
	b.tick("scope", agencyBUP, agencySocialServices, agencySchoolHealth)
	b.checkPage("Samtycke, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Svaret om samtycke är registrerat")
	require.Contains(t, b.text("main"), "Alla som behöver samtycka har inte svarat än", "joint custody: the other guardian too")
	b.checkPage("the case with one guardian's consent")

	b.openActionAt("samtycke", "Registrera samtycke")
	require.True(t, b.isChecked(`input[name="custody"][value="joint"]`), "the custody the case knows")
	b.tick("party", "guardian")
	b.fillFields(map[string]string{"#party-name": "Vårdnadshavare Två Påhittad"})
	backdate(b, 30)
	b.tick("given", "ja")
	b.tick("scope", agencyBUP, agencySocialServices, agencySchoolHealth)
	b.tick("method", "oral")
	b.sendForm()
	require.Contains(t, b.text("main"), "Samtycket gäller: BUP Lärkängen, Socialtjänsten Lärkängen, barn och unga, Elevhälsan Lärkängsskolan")
	require.Contains(t, b.actions(), "Kalla till samverkansmöte")
	b.checkPage("the case with consent given")
}

func summon(t *testing.T, b *browser) {
	b.openActionAt("kalla-till-mote", "Kalla till samverkansmöte")
	require.Contains(t, b.text("main"), "arbetsdagar kvar", "the deadlines of the summons and the meeting")
	require.True(t, b.isChecked(`input[name="agencies"][value="`+agencyBUP+`"]`), "every agency within the consent is proposed")
	b.checkPage("Kalla, empty")
	b.sendForm()
	b.requireErrorAt("meeting-at-date", "Mötets datum och tid: skriv datumet som ÅÅÅÅ-MM-DD")
	b.checkPage("Kalla, with the form's errors")

	backdate(b, 20)
	b.fillFields(map[string]string{"#meeting-at-date": dayFromToday(-1), "#meeting-at-time": "13:00"})
	b.sendForm()
	b.requireErrorAt("place", "Plats saknas")
	b.fillFields(map[string]string{"#place": "Lärkängsskolan, konferensrummet"})
	b.sendForm()
	b.requireErrorAt("meeting-at-date", "Mötets datum och tid: mötet måste ligga efter kallelsen")
	b.checkPage("Kalla, with the API's errors")

	// The meeting was ten minutes ago: a meeting is recorded once its summoned time has come.
	meetingDate, meetingClock := minutesAgo(10)
	b.fillFields(map[string]string{"#meeting-at-date": meetingDate, "#meeting-at-time": meetingClock})
	b.checkPage("Kalla, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Kallelsen till samverkansmötet är registrerad")
	require.True(t, containsAll(b.text("main"), "Mötet är kallat till "+meetingDate+" kl. "+strings.Replace(meetingClock, ":", ".", 1)+
		", Lärkängsskolan, konferensrummet", "BUP Lärkängen", "Vårdnadshavarna", "Kallad"), b.text("main"))
	require.Contains(t, b.actions(), "Registrera samverkansmötet")
	b.checkPage("the case with the summons")
}

func holdMeeting(t *testing.T, b *browser) {
	b.openActionAt("registrera-mote", "Registrera samverkansmötet")
	require.Contains(t, b.text("main"), "ska mötet hållas senast", "the meeting's deadline")
	b.checkPage("Mötet, empty")
	b.tick("decision-"+agencyBUP, "inget")
	b.sendForm()
	b.requireErrorAt("common-picture", "Gemensam bild av barnets situation saknas")
	b.requireErrorAt("decision-"+agencyBUP+"-reason", "BUP Lärkängen, varför inga fler insatser behövs: ange varför inga fler insatser behövs från er")
	b.checkPage("Mötet, with the API's errors")

	b.tick("present", "child", "guardians", agencyBUP, agencySocialServices)
	b.fillFields(map[string]string{
		"#common-picture":                             "Melwin behöver stöd i skolan och familjen stöd hemma.",
		"#decision-" + agencyBUP + "-reason":          "BUP:s bedömning visar inget behov av behandling nu.",
		"#decision-" + agencySocialServices + "-text": "Erbjuder familjen föräldrastöd.",
	})
	b.tick("decision-"+agencySocialServices, "insats")
	b.checkPage("Mötet, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Samverkansmötet är registrerat")
	require.True(t, containsAll(b.text("main"), "Inga fler insatser: BUP:s bedömning", "Erbjuder familjen föräldrastöd.",
		"Var med på mötet", "Var inte med på mötet"), b.text("main"))
	require.Contains(t, b.actions(), "Utse samordnare")
	b.checkPage("the case with the meeting")
}

func appointCoordinator(t *testing.T, b *browser) {
	b.openActionAt("utse-samordnare", "Utse samordnare")
	b.checkPage("Samordnare, empty")
	b.sendForm()
	b.requireErrorAt("child-asked", "Barnet ska tillfrågas först")
	b.checkPage("Samordnare, with the form's errors")

	b.tick("child-asked", "ja")
	b.fillFields(map[string]string{"#child-wish": "cecilia.socialsekreterare", "#coordinator": "bertil.rektor"})
	b.sendForm()
	b.requireErrorAt("special-reason", "Särskilt skäl: en annan samordnare än barnets önskan kräver ett skriftligt särskilt skäl")
	b.checkPage("Samordnare, with the API's errors")

	b.fillFields(map[string]string{"#special-reason": "Melwin träffar rektorn varje dag; socialsekreteraren är föräldraledig i vår."})
	b.sendForm()
	b.requireErrorAt("plan-owner", "Planansvarig: samordnaren kommer varken från socialtjänsten eller hälso- och sjukvården")
	b.fillFields(map[string]string{"#plan-owner": "cecilia.socialsekreterare"})
	b.checkPage("Samordnare, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Samordnaren är utsedd")
	require.True(t, containsAll(b.text("main"), "Bertil Rektor är samordnare", "Cecilia Socialsekreterare är planansvarig",
		"Barnet önskade Cecilia Socialsekreterare", "Särskilt skäl till ett annat val"))
	b.checkPage("the case with the coordinator")
}

func revokeForSchoolHealth(t *testing.T, b *browser, caseURL string) {
	b.open(caseURL)
	b.openActionAt("aterkalla-samtycke", "Registrera återkallat samtycke")
	b.checkPage("Återkalla, empty")
	b.tick("party", "guardian")
	b.tick("extent", "vissa")
	b.sendForm()
	b.requireErrorAt("agencies", "Välj de verksamheter som samtycket inte längre gäller")
	b.checkPage("Återkalla, with the form's errors")

	b.fillFields(map[string]string{"#party-name": "Vårdnadshavare Ett Påhittad"})
	revokedOn := backdate(b, 40)
	b.tick("agencies", agencySchoolHealth)
	b.checkPage("Återkalla, filled")
	b.sendForm()
	require.Contains(t, b.text(".flash"), "Återkallelsen av samtycket är registrerad")
	require.Contains(t, b.text("main"), "Deltar inte längre: samtycket har återkallats")
	require.Contains(t, b.text("main"), "Återkallade samtycket "+revokedOn+" – för Elevhälsan Lärkängsskolan")
	b.checkPage("the case after a revocation for one agency")
}

func revokeForOwnAgency(t *testing.T, b *browser, caseURL string) {
	b.open(caseURL)
	b.openActionAt("aterkalla-samtycke", "Registrera återkallat samtycke")
	b.tick("party", "guardian")
	b.fillFields(map[string]string{"#party-name": "Vårdnadshavare Två Påhittad"})
	backdate(b, 30)
	b.tick("extent", "vissa")
	b.tick("agencies", agencySocialServices)
	b.sendForm()
	require.Contains(t, b.summary(), "Återkallelse registreras av barnets bästa-ansvarig, den som kartlägger eller samordnaren; en deltagande verksamhet kan registrera att samtycket för den egna verksamheten återkallats",
		"the API's 403: a participant records a revocation for its own agency only")
	b.checkPage("Återkalla as BUP, with the API's refusal")

	b.tick("agencies", agencySocialServices, agencyBUP)
	b.sendForm()
	require.Equal(t, "Mina uppgifter", b.heading(), "the case is no longer BUP's to open")
	require.Contains(t, b.text(".flash"), "Din verksamhet har inte längre tillgång till ärendet")
	b.checkPage("Mina uppgifter after revoking for the own agency")
	b.open(caseURL)
	require.Equal(t, "Sidan finns inte", b.heading(), "nor by its address")
}

// backdate opens the form's "earlier than now" time and sets it to minutes ago; it returns that
// day, which is yesterday shortly after midnight.
func backdate(b *browser, minutes int) string {
	date, clock := minutesAgo(minutes)
	b.fillFields(map[string]string{"#occurred-date": date, "#occurred-time": clock})
	return date
}

// minutesAgo is the date and time of day (HH:MM, Swedish time) so many minutes ago.
func minutesAgo(minutes int) (date, clock string) {
	at := time.Now().In(casework.Stockholm).Add(-time.Duration(minutes) * time.Minute)
	return at.Format(time.DateOnly), at.Format("15:04")
}
