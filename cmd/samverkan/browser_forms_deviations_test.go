package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// eliasStory is Elias, 10, in Luleå under the Norrbus guideline – whose disagreements climb a ladder
// of three steps – walked through HTTP to his coordinator, Greta of social services. Elias and his
// family are invented.
func eliasStory(serial int) story {
	return story{name: "Elias Påhittad", municipality: "lulea", school: "lulea-skola-1", age: 10, serial: serial,
		reporter: "rasmus.rektor", named: "rasmus.rektor", agencies: []string{"lulea-socialtjanst", "lulea-bup", "lulea-elevhalsa"},
		custody: "sole", guardians: []string{guardianOne}, coordinator: "greta.socialsekreterare"}
}

// luleaPlan is a plan of Luleå's principals, so that a disagreement's form offers them as parties.
func luleaPlan() map[string]any {
	return map[string]any{
		"interventions": []map[string]any{
			intervention("i1", "Stöd i klassrummet.", "municipality", "Luleå kommun", "Speciallärare"),
			intervention("i2", "Samtal vid BUP.", "region", "Region Norrbotten", "Psykolog vid BUP"),
		},
		"noMeasuresByOthers":    true,
		"overallResponsibility": map[string]any{"kind": "municipality", "name": "Luleå kommun"},
		"followUpAt":            rfc3339(time.Now().AddDate(0, 0, 28).Truncate(time.Hour)),
	}
}

// TestWebDeviationsAndDisagreements is what keeps Elias's case honest, in the browser: Rasmus, the
// named person, reports a deviation about BUP; Vera, BUP's supervisor, records its handling (and,
// for a second one handled meanwhile, meets the API's 409); Greta, the coordinator, raises a
// disagreement about cost, takes it up the ladder and records its decision. Each form is shown empty,
// with the API's 400 at its fields, and filled, and passes axe and the 320 px reflow.
func TestWebDeviationsAndDisagreements(t *testing.T) {
	s := newSystem(t)
	s.start()
	caseID := s.walkToCoordinator(eliasStory(631))
	greta := s.token("greta.socialsekreterare")
	s.mustActPlan(greta, "POST", caseID, "plans", luleaPlan())

	rasmus := newBrowser(t, s)
	rasmus.login("rasmus.rektor", "named_person", "lulea-skola-1")
	rasmus.openAction(caseID, "Rapportera avvikelse")
	rasmus.checkPage("Rapportera avvikelse, empty")
	rasmus.send("")
	rasmus.requireFieldError("unit", "saknas")
	rasmus.requireFieldError("description", "saknas")
	rasmus.checkPage("Rapportera avvikelse, with the API's errors")
	rasmus.choose("unit", "lulea-bup")
	rasmus.fill("description", "Bedömningssamtalet bokades inte inom tre veckor.")
	rasmus.checkPage("Rapportera avvikelse, filled")
	rasmus.send("")
	require.Contains(t, rasmus.flash(), "Avvikelsen är rapporterad")
	_, c := s.readPlan(s.token("rasmus.rektor"), caseID)
	first := c.lastDeviation()
	d := c.Deviations[c.deviation(first)]
	require.Equal(t, "lulea-bup", d.UnitID)
	require.Equal(t, "rasmus.rektor", d.ReportedBy.User)
	c = s.mustActPlan(s.token("rasmus.rektor"), "POST", caseID, "deviations", map[string]any{"unitId": "lulea-bup",
		"description": "Kallelsen till BUP:s möte kom fram för sent."})
	second := c.lastDeviation()

	vera := newBrowser(t, s)
	vera.login("vera.verksamhetschef", "supervisor", "lulea-bup")
	vera.open("/arenden/" + caseID + "/hantera-avvikelse")
	require.Equal(t, "Elias Påhittad", vera.heading(), "with two deviations to handle the inbox's link leads to the case to choose")
	vera.openAction(caseID, "Hantera avvikelse: Bedömningssamtalet")
	require.Contains(t, vera.text("main"), "Rasmus Rektor", "the deviation is shown with who wrote it")
	vera.checkPage("Hantera avvikelse, empty")
	vera.send("")
	vera.requireFieldError("handling", "saknas")
	vera.checkPage("Hantera avvikelse, with the API's errors")
	vera.fill("handling", "Tidsbokningen går nu via en gemensam kö som kontrolleras varje dag.")
	vera.checkPage("Hantera avvikelse, filled")
	vera.send("")
	require.Contains(t, vera.flash(), "Hanteringen av avvikelsen är registrerad")
	_, c = s.readPlan(s.token("rasmus.rektor"), caseID)
	require.Equal(t, "vera.verksamhetschef", c.Deviations[c.deviation(first)].Handled.By.User)

	vera.open("/arenden/" + caseID + "/hantera-avvikelse")
	require.Equal(t, "Hantera avvikelse", vera.heading(), "the one deviation left to handle opens at once")
	vera.fill("handling", "Kallelserna skickas nu en vecka tidigare.")
	s.mustActPlan(s.tokenFor("vera.verksamhetschef", "lulea-bup"), "POST", caseID, "deviations/"+second+"/handling",
		map[string]any{"handling": "Hanterad i telefon."})
	vera.send("")
	require.Equal(t, http.StatusConflict, responseStatus(vera), "handled meanwhile")
	require.Contains(t, vera.errors(), "redan hanterad")
	vera.checkPage("Hantera avvikelse, with the API's 409")
	vera.requireNoAction(caseID, "Hantera avvikelse")

	disagreeInBrowser(t, s, caseID)
	rasmus.requireNoPersonalNumberSeen()
	vera.requireNoPersonalNumberSeen()
}

// disagreeInBrowser is Greta's disagreement about cost: raised, taken to the ladder's next step,
// decided there.
func disagreeInBrowser(t *testing.T, s *system, caseID string) {
	b := newBrowser(t, s)
	b.login("greta.socialsekreterare", "coordinator", "lulea-socialtjanst")
	b.openAction(caseID, "Anmäl oenighet")
	b.checkPage("Anmäl oenighet, empty")
	b.send("")
	b.requireFieldError("subject", "saknas")
	b.requireFieldError("question", "saknas")
	b.requireFieldError("parties", "minst")
	b.checkPage("Anmäl oenighet, with the API's errors")
	b.choose("subject", "cost")
	b.fill("question", "Vem betalar stödet i klassrummet under våren?")
	b.choose("parties", "Luleå kommun")
	b.send("")
	b.requireFieldError("parties", "minst två")
	b.choose("parties", "Region Norrbotten")
	b.checkPage("Anmäl oenighet, filled")
	b.send("")
	require.Contains(t, b.flash(), "Oenigheten är anmäld")
	_, c := s.readPlan(s.token("greta.socialsekreterare"), caseID)
	require.Len(t, c.Disagreements, 1)
	d := c.Disagreements[0]
	require.Equal(t, []string{"Luleå kommun", "Region Norrbotten"}, d.Parties)
	require.Equal(t, "kommun", d.Steps[0].Level)

	b.openAction(caseID, "Lyft oenigheten vidare: Vem betalar")
	require.Contains(t, b.text("main"), "kommun sedan")
	b.checkPage("Lyft oenigheten, empty")
	b.send("")
	b.requireFieldError("reason", "saknas")
	b.checkPage("Lyft oenigheten, with the API's errors")
	b.fill("reason", "Kommunen och regionen har mötts två gånger utan att komma överens.")
	b.send("")
	require.Contains(t, b.flash(), "lyft till nästa steg")

	b.openAction(caseID, "Registrera beslut om oenighet: Vem betalar")
	require.Contains(t, b.text("main"), "delregion sedan")
	b.checkPage("Besluta oenighet, empty")
	b.send("")
	b.requireFieldError("decision", "saknas")
	b.checkPage("Besluta oenighet, with the API's errors")
	b.fill("decision", "Delregionen beslutade att kommunen och regionen delar kostnaden lika.")
	b.checkPage("Besluta oenighet, filled")
	b.send("")
	require.Contains(t, b.flash(), "Beslutet om oenigheten är registrerat")
	_, c = s.readPlan(s.token("greta.socialsekreterare"), caseID)
	d = c.Disagreements[0]
	require.NotNil(t, d.Resolved)
	require.Len(t, d.Steps, 2)
	require.Equal(t, "greta.socialsekreterare", d.Steps[0].EscalatedBy)
	require.NotEmpty(t, d.Steps[1].Decision)
	b.requireNoAction(caseID, "Registrera beslut om oenighet")
	b.requireNoPersonalNumberSeen()
}
