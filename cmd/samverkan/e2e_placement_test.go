package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestPlacementAndDisagreementsUnderNorrbus is a Luleå case under the Norrbus guideline (docs/process.md
// §10, §11), through HTTP: social services place Elias, 10, outside the home – a planned placement
// needs the health examination and the cost distribution first; after the acute one the cost
// distribution is due within 10 working days – and the principals disagree, once decided at the
// municipality's step and once taken up the ladder to the county steering group. Elias and his
// family are invented.
func TestPlacementAndDisagreementsUnderNorrbus(t *testing.T) {
	s := newSystem(t)
	s.start()
	caseID := s.walkToCoordinator(story{name: "Elias Påhittad", municipality: "lulea", school: "lulea-skola-1",
		age: 10, serial: 612, reporter: "rasmus.rektor", named: "rasmus.rektor",
		agencies: []string{"lulea-socialtjanst", "lulea-bup", "lulea-elevhalsa"}, custody: "sole",
		guardians: []string{"Vårdnadshavare Ett Påhittad"}, coordinator: "greta.socialsekreterare"})
	rasmus, greta := s.token("rasmus.rektor"), s.token("greta.socialsekreterare")

	t.Run("a planned placement needs the health examination and the cost distribution first", func(t *testing.T) {
		status, _, p := s.actPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "planned"})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"healthExaminationAt"}, fieldsOf(p))
		status, _, p = s.actPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "planned",
			"healthExaminationAt": rfc3339(localDay(-1, 9, 0))})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"costDistribution"}, fieldsOf(p))
		status, _, p = s.actPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "planned",
			"healthExaminationAt": rfc3339(localDay(-1, 9, 0)), "costDistribution": map[string]any{"parties": []string{}}})
		require.Equal(t, http.StatusBadRequest, status)
		require.ElementsMatch(t, []string{"costDistribution.agreement", "costDistribution.parties"}, fieldsOf(p))
		status, _, p = s.actPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "hemma"})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"kind"}, fieldsOf(p))
	})
	t.Run("only social services place the child", func(t *testing.T) {
		status, _, _ := s.actPlan(rasmus, "POST", caseID, "placement", map[string]any{"kind": "acute"})
		require.Equal(t, http.StatusForbidden, status)
	})
	t.Run("after the acute placement the cost distribution is due within 10 working days", func(t *testing.T) {
		placedAt := time.Now().Add(-time.Minute).Truncate(time.Second)
		c := s.mustActPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "acute", "occurredAt": rfc3339(placedAt)})
		require.Equal(t, "acute", c.Placement.Kind)
		require.Nil(t, c.Placement.CostDistribution)
		require.True(t, c.hasNotice("health_examination_missing"))
		status, due, _ := c.deadline("cost_distribution")
		require.Equal(t, "open", status)
		want, _ := casework.Norrbus().DueAt(casework.DeadlineCostDistribution, placedAt)
		require.Equal(t, rfc3339(want), due)

		status2, _, _ := s.actPlan(greta, "POST", caseID, "placement", map[string]any{"kind": "acute"})
		require.Equal(t, http.StatusConflict, status2, "one placement")
	})
	t.Run("the cost distribution and the health examination are recorded", func(t *testing.T) {
		c := s.mustActPlan(greta, "POST", caseID, "placement/cost-distribution", map[string]any{
			"agreement": "Kommunen och regionen delar kostnaden lika.", "parties": []string{"Luleå kommun", "Region Norrbotten"}})
		require.Equal(t, "Kommunen och regionen delar kostnaden lika.", c.Placement.CostDistribution.Agreement)
		status, _, _ := c.deadline("cost_distribution")
		require.Equal(t, "met", status)
		c = s.mustActPlan(greta, "POST", caseID, "placement/health-examination", nil)
		require.NotEmpty(t, c.Placement.HealthExaminationAt)
		status2, _, _ := s.actPlan(greta, "POST", caseID, "placement/health-examination", nil)
		require.Equal(t, http.StatusConflict, status2)
	})

	t.Run("a disagreement about cost is decided at the municipality's step", func(t *testing.T) {
		status, _, p := s.actPlan(greta, "POST", caseID, "disagreements", map[string]any{"subject": "pengar",
			"question": "Vem betalar?", "parties": []string{"Luleå kommun"}})
		require.Equal(t, http.StatusBadRequest, status)
		require.ElementsMatch(t, []string{"subject", "parties"}, fieldsOf(p))

		c := s.mustActPlan(greta, "POST", caseID, "disagreements", disagreementBody())
		require.Len(t, c.Disagreements, 1)
		d := c.Disagreements[0]
		require.Equal(t, "cost", d.Subject)
		require.Len(t, d.Steps, 1)
		require.Equal(t, "kommun", d.Steps[0].Level)
		require.NotEmpty(t, d.Steps[0].DueAt, "an undecided step goes on by itself after the policy's working days")

		c = s.mustActPlan(rasmus, "POST", caseID, "disagreements/"+d.ID+"/decision", map[string]any{"decision": "Kommunen betalar."})
		require.NotNil(t, c.Disagreements[0].Resolved)
		require.Equal(t, "Kommunen betalar.", c.Disagreements[0].Steps[0].Decision)
		status, _, _ = s.actPlan(rasmus, "POST", caseID, "disagreements/"+d.ID+"/decision", map[string]any{"decision": "Igen."})
		require.Equal(t, http.StatusConflict, status, "decided once")
		status, _, _ = s.actPlan(rasmus, "POST", caseID, "disagreements/oen-99/decision", map[string]any{"decision": "x"})
		require.Equal(t, http.StatusNotFound, status)
	})
	t.Run("a disagreement about responsibility climbs the ladder to the county steering group", func(t *testing.T) {
		c := s.mustActPlan(greta, "POST", caseID, "disagreements", map[string]any{"subject": "responsibility",
			"question": "Vem samordnar insatserna under placeringen?", "parties": []string{"Socialtjänsten", "BUP"}})
		id := c.lastDisagreement()
		escalate := map[string]any{"reason": "Frågan kan inte lösas i kommunen."}
		c = s.mustActPlan(greta, "POST", caseID, "disagreements/"+id+"/escalation", escalate)
		d := c.Disagreements[len(c.Disagreements)-1]
		require.Len(t, d.Steps, 2)
		require.Equal(t, "greta.socialsekreterare", d.Steps[0].EscalatedBy)
		require.Equal(t, "Frågan kan inte lösas i kommunen.", d.Steps[0].Reason)
		require.Equal(t, "delregion", d.Steps[1].Level)

		c = s.mustActPlan(greta, "POST", caseID, "disagreements/"+id+"/escalation", escalate)
		d = c.Disagreements[len(c.Disagreements)-1]
		require.Equal(t, "länsstyrgrupp", d.Steps[2].Level)
		require.Empty(t, d.Steps[2].DueAt, "the last step does not escalate by itself")
		require.True(t, c.hasNotice("escalation_at_top"))
		status, _, _ := s.actPlan(greta, "POST", caseID, "disagreements/"+id+"/escalation", escalate)
		require.Equal(t, http.StatusConflict, status, "there is no step above the county steering group")
	})
	s.recordHistory("case-"+caseID[:26], "placement_and_disagreements")
	s.stop()
}
