package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestPlanFollowedUpRevisedHandedOverAndReopened walks Saga, 13, in Norrköping through the plan
// (docs/process.md §6.5, §6.6), a deviation (§9), the move to Luleå (§6.6) and a reopening (§7.2), through
// HTTP. Her guardians have joint custody, so both approve the plan, and at 13 she approves it
// herself. Saga and her family are invented.
func TestPlanFollowedUpRevisedHandedOverAndReopened(t *testing.T) {
	s := newSystem(t)
	s.start()
	caseID := s.walkToCoordinator(story{name: "Saga Påhittad", municipality: "norrkoping", school: "norrkoping-skola-1",
		age: 13, serial: 611, reporter: "anna.larare", named: "bertil.rektor",
		agencies: []string{agencyBUP, agencySocialServices, agencySchoolHealth}, custody: "joint",
		guardians: []string{"Vårdnadshavare Ett Påhittad", "Vårdnadshavare Två Påhittad"}, coordinator: coordinatorUser})
	bertil, cecilia, frida := s.token("bertil.rektor"), s.token(coordinatorUser), s.token("frida.bup")
	david := s.tokenFor("david.chef", "norrkoping-skola-1")

	t.Run("a plan that does not state the measures by others is refused, naming the part", func(t *testing.T) {
		plan := planBody()
		plan["interventions"] = plan["interventions"].([]map[string]any)[:2] // the association's measure left out
		status, _, p := s.actPlan(cecilia, "POST", caseID, "plans", plan)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"noMeasuresByOthers"}, fieldsOf(p), "part 3: the measures by others, or that there are none")
	})
	t.Run("a plan without overall responsibility, with an unknown principal or unit names each field", func(t *testing.T) {
		plan := planBody()
		delete(plan, "overallResponsibility")
		plan["interventions"].([]map[string]any)[0]["principal"] = map[string]any{"kind": "kyrkan", "name": "Församlingen"}
		status, _, p := s.actPlan(cecilia, "POST", caseID, "plans", plan)
		require.Equal(t, http.StatusBadRequest, status)
		require.ElementsMatch(t, []string{"interventions[0].principal.kind", "overallResponsibility"}, fieldsOf(p))

		plan = planBody()
		plan["interventions"].([]map[string]any)[1]["unitId"] = "ingen-sadan-enhet"
		status, _, p = s.actPlan(cecilia, "POST", caseID, "plans", plan)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"interventions[1].unitId"}, fieldsOf(p), "a responsible unit is one of the directory")
	})
	t.Run("the named person does not propose the plan: the coordinator does", func(t *testing.T) {
		status, _, _ := s.actPlan(bertil, "POST", caseID, "plans", planBody())
		require.Equal(t, http.StatusForbidden, status)
	})

	followUp := time.Now().AddDate(0, 0, 28).Truncate(time.Hour)
	t.Run("the coordinator proposes; both guardians and Saga approve; the plan is established", func(t *testing.T) {
		plan := planBody()
		plan["followUpAt"] = rfc3339(followUp)
		c := s.mustActPlan(cecilia, "POST", caseID, "plans", plan)
		require.Len(t, c.Plans, 1)
		require.Equal(t, "proposed", c.Plans[0].Status)
		require.Equal(t, "samarbeta", c.Phase)

		c = s.mustActPlan(cecilia, "POST", caseID, "plans/1/approvals", approvalBody("guardian", "Vårdnadshavare Ett Påhittad"))
		require.Equal(t, "proposed", c.Plans[0].Status, "the other guardian has not approved")
		c = s.mustActPlan(cecilia, "POST", caseID, "plans/1/approvals", approvalBody("guardian", "Vårdnadshavare Två Påhittad"))
		require.Equal(t, "proposed", c.Plans[0].Status, "at 13 Saga approves too")
		c = s.mustActPlan(cecilia, "POST", caseID, "plans/1/approvals", approvalBody("child", ""))
		require.Equal(t, "established", c.Plans[0].Status)
		require.Equal(t, "Saga Påhittad", c.Plans[0].Approvals[2].PartyName, "the child's approval carries the case's name of her")
		require.Equal(t, "uppföljning", c.Phase)
		require.Equal(t, []string{"open"}, c.deadlines("follow_up"))
		_, due, _ := c.deadline("follow_up")
		local := followUp.In(casework.Stockholm)
		endOfDay := time.Date(local.Year(), local.Month(), local.Day(), 23, 59, 59, 0, casework.Stockholm)
		require.Equal(t, rfc3339(endOfDay), due, "the booked follow-up is due by the end of its day")
	})
	t.Run("a version that is not proposed any more cannot be approved, one that does not exist is not found", func(t *testing.T) {
		status, _, _ := s.actPlan(cecilia, "POST", caseID, "plans/1/approvals", approvalBody("child", ""))
		require.Equal(t, http.StatusConflict, status)
		status, _, _ = s.actPlan(cecilia, "POST", caseID, "plans/7/approvals", approvalBody("child", ""))
		require.Equal(t, http.StatusNotFound, status)
		status, _, p := s.actPlan(cecilia, "POST", caseID, "plans/första/approvals", approvalBody("child", ""))
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"version"}, fieldsOf(p))
	})
	t.Run("the follow-up revises the plan and books the next one", func(t *testing.T) {
		next := time.Now().AddDate(0, 0, 56).Truncate(time.Hour)
		status, _, p := s.actPlan(cecilia, "POST", caseID, "follow-ups", followUpBody(next, "i1", "i2"))
		require.Equal(t, http.StatusBadRequest, status, "every intervention is followed up")
		require.Equal(t, []string{"interventions"}, fieldsOf(p))

		c := s.mustActPlan(cecilia, "POST", caseID, "follow-ups", followUpBody(next, "i1", "i2", "i3"))
		require.Len(t, c.FollowUps, 1)
		require.Equal(t, 1, c.FollowUps[0].PlanVersion)
		require.Equal(t, "revise", c.FollowUps[0].Outcome)
		require.Equal(t, rfc3339(next.In(casework.Stockholm)), c.FollowUps[0].NextFollowUpAt)
		require.Equal(t, []string{"met", "open"}, c.deadlines("follow_up"))
	})
	t.Run("a revision supersedes version 1 once approved; both stay in the case", func(t *testing.T) {
		plan := planBody()
		plan["interventions"].([]map[string]any)[1]["extent"] = "Varannan vecka"
		c := s.mustActPlan(cecilia, "POST", caseID, "plans", plan)
		require.Len(t, c.Plans, 2)
		require.Equal(t, []string{"established", "proposed"}, []string{c.Plans[0].Status, c.Plans[1].Status},
			"the plan in force stays until the revision is approved")
		for _, a := range []map[string]any{approvalBody("guardian", "Vårdnadshavare Ett Påhittad"),
			approvalBody("guardian", "Vårdnadshavare Två Påhittad"), approvalBody("child", "")} {
			c = s.mustActPlan(cecilia, "POST", caseID, "plans/2/approvals", a)
		}
		require.Equal(t, []string{"superseded", "established"}, []string{c.Plans[0].Status, c.Plans[1].Status})
		require.Equal(t, 2, c.Plans[1].Version)
		require.Len(t, c.Plans[0].Interventions, 3, "the superseded version is kept as it was")
	})

	var schoolDeviation string
	t.Run("BUP reports deviations; only the supervisor of the deviation's unit records the handling", func(t *testing.T) {
		c := s.mustActPlan(frida, "POST", caseID, "deviations", deviationBody("norrkoping-skola-1"))
		schoolDeviation = c.lastDeviation()
		d := c.Deviations[c.deviation(schoolDeviation)]
		require.Equal(t, "reported", d.Kind)
		require.Equal(t, "frida.bup", d.ReportedBy.User)
		require.Nil(t, d.Handled)

		c = s.mustActPlan(cecilia, "POST", caseID, "deviations", map[string]any{"unitId": agencyBUP,
			"description": "Bedömningssamtalet hölls inte inom tre veckor."})
		bupDeviation := c.lastDeviation()
		require.NotEqual(t, schoolDeviation, bupDeviation)
		handling := map[string]any{"handling": "Rutinen för tidsbokning är ändrad."}
		status, _, _ := s.actPlan(david, "POST", caseID, "deviations/"+bupDeviation+"/handling", handling)
		require.Equal(t, http.StatusForbidden, status, "the school's supervisor does not handle BUP's deviation")
		c = s.mustActPlan(s.tokenFor("karin.verksamhetschef", agencyBUP), "POST", caseID, "deviations/"+bupDeviation+"/handling", handling)
		require.Equal(t, "karin.verksamhetschef", c.Deviations[c.deviation(bupDeviation)].Handled.By.User)
		status, _, _ = s.actPlan(s.tokenFor("karin.verksamhetschef", agencyBUP), "POST", caseID, "deviations/"+bupDeviation+"/handling", handling)
		require.Equal(t, http.StatusConflict, status, "handled once")
		status, _, _ = s.actPlan(david, "POST", caseID, "deviations/avv-99/handling", handling)
		require.Equal(t, http.StatusNotFound, status)
		status, _, p := s.actPlan(frida, "POST", caseID, "deviations", deviationBody("ingen-sadan-enhet"))
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"unitId"}, fieldsOf(p))
	})

	t.Run("the case is handed over to a school in Luleå, whose named person takes it", func(t *testing.T) {
		status, _, p := s.actPlan(bertil, "POST", caseID, "handover", map[string]any{"toUnitId": "lulea-bup", "reason": "Flytt."})
		require.Equal(t, http.StatusBadRequest, status, "BUP has no named person")
		require.Equal(t, []string{"toUnitId"}, fieldsOf(p))
		status, _, p = s.actPlan(bertil, "POST", caseID, "handover", map[string]any{"toUnitId": "norrkoping-skola-1", "reason": "Flytt."})
		require.Equal(t, http.StatusBadRequest, status, "the case is there already")
		require.Equal(t, []string{"toUnitId"}, fieldsOf(p))

		c := s.mustActPlan(bertil, "POST", caseID, "handover", map[string]any{"toUnitId": "lulea-skola-1",
			"reason": "Familjen har flyttat till Luleå."})
		require.Equal(t, "none", c.View, "the school in Norrköping has no part in the case any more")
		status, _ = s.readPlan(bertil, caseID)
		require.Equal(t, http.StatusNotFound, status)

		rasmus := s.token("rasmus.rektor")
		status, c = s.readPlan(rasmus, caseID)
		require.Equal(t, http.StatusOK, status, "the new named person reads the case before taking it")
		require.Equal(t, "lulea-skola-1", c.NamedPersonUnit.ID)
		require.Len(t, c.Handovers, 1)
		h := c.Handovers[0]
		require.Equal(t, "norrkoping-skola-1", h.From.ID)
		require.Equal(t, "Tallmonskolan", h.To.Name)
		require.Equal(t, []string{"norrkoping", "lulea"}, []string{h.FromMunicipality, h.ToMunicipality})
		require.Equal(t, casework.Norrbus().ID, h.ToPolicy.ID, "Luleå's policy applies to new deadlines")
		require.Nil(t, h.Acknowledged)
		require.True(t, c.hasNotice("case_handed_over"))

		c = s.mustActPlan(rasmus, "POST", caseID, "acknowledgement", nil)
		require.Equal(t, "rasmus.rektor", c.Handovers[0].Acknowledged.By.User)
		require.Equal(t, "uppföljning", c.Phase, "the case goes on where it was")
		require.Equal(t, "established", c.Plans[1].Status)
	})
	t.Run("the supervisor of a unit that left the case still handles its deviation, and reads nothing", func(t *testing.T) {
		status, _ := s.readPlan(david, caseID)
		require.Equal(t, http.StatusNotFound, status)
		c := s.mustActPlan(david, "POST", caseID, "deviations/"+schoolDeviation+"/handling",
			map[string]any{"handling": "Kallelserutinen är genomgången med skolans personal."})
		require.Equal(t, "none", c.View)
		_, c = s.readPlan(cecilia, caseID)
		require.Equal(t, "david.chef", c.Deviations[c.deviation(schoolDeviation)].Handled.By.User)
	})

	t.Run("closed, the case takes nothing but a reopening; reopened, the named person takes it again", func(t *testing.T) {
		rasmus := s.token("rasmus.rektor")
		c := s.mustActPlan(cecilia, "POST", caseID, "closing", closingBody())
		require.Equal(t, "avslutat", c.Phase)
		require.Equal(t, "uppföljning", c.Closed.PhaseBefore)
		require.NotEmpty(t, c.ReopenUntil, "a closed case may be reopened within the policy's period")
		status, _, _ := s.actPlan(cecilia, "POST", caseID, "follow-ups",
			followUpBody(time.Now().AddDate(0, 0, 30), "i1", "i2", "i3"))
		require.Equal(t, http.StatusConflict, status)
		status, _, _ = s.actPlan(frida, "POST", caseID, "reopening", map[string]any{"reason": "Ny oro."})
		require.Equal(t, http.StatusForbidden, status, "BUP does not reopen")
		status, _, p := s.actPlan(rasmus, "POST", caseID, "reopening", map[string]any{})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"reason"}, fieldsOf(p))

		c = s.mustActPlan(rasmus, "POST", caseID, "reopening", map[string]any{"reason": "Skolan ser ny frånvaro."})
		require.Equal(t, "uppföljning", c.Phase)
		require.Len(t, c.Reopenings, 1)
		require.Equal(t, "needs_met", c.Reopenings[0].Closing.Reason)
		require.Nil(t, c.Closed)
		require.Empty(t, c.ReopenUntil)
		require.True(t, c.hasNotice("case_reopened"))
		status, _, _ = s.actPlan(rasmus, "POST", caseID, "reopening", map[string]any{"reason": "Igen."})
		require.Equal(t, http.StatusConflict, status, "an open case is not reopened")

		c = s.mustActPlan(rasmus, "POST", caseID, "acknowledgement", nil)
		require.Equal(t, "rasmus.rektor", c.Reopenings[0].Acknowledged.By.User)
	})
	s.recordHistory("case-"+caseID[:26], "plan_handover_reopening")
	s.stop()
}
