package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// harmWarning is the plain Swedish warning of docs/process.md §8.
const harmWarning = "Misstanke om att barnet far illa: anmälan till socialtjänsten enligt 14 kap. 1 § SoL är inte registrerad."

// TestPupilInGradeSix is the worked example of docs/process.md §13 from source 003, through HTTP: a pupil
// in åk 6 whose attendance changed last month tells the mentor, in a talk using the wheel, of an
// event in the family. The mentor suspects the pupil is harmed, so the case warns until the report
// to social services is recorded. The named person assesses trygghet, hemmet and relationer; the
// five questions lead to social services and health care (BUP); after consent and the meeting the
// pupil is asked whom they want as coordinator. The pupil wishes the mentor, who is not chosen: that
// needs a written special reason, and a coordinator from the school needs a plan owner from social
// services or health care. The pupil and the family are invented.
func TestPupilInGradeSix(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	birth := birthDateForAge(12)

	created := s.concernCase(anna, childConcern("Alva Påhittad", birth, 984, "6",
		[]string{"trygghet", "hemmet", "relationer"},
		"Närvaron har förändrats den senaste månaden. I ett samtal med mig som mentor, med hjulet som stöd, berättade Alva om en händelse i familjen.",
		true, localDay(-2, 9, 0)))
	caseID := created.CaseID

	t.Run("the suspicion of harm shows plainly until a report is recorded", func(t *testing.T) {
		status, c := s.read(bertil, caseID)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, harmWarning, c.HarmReportWarning, "the named person sees it")
		_, r := s.read(anna, caseID)
		require.Equal(t, "reporter", r.View)
		require.Equal(t, harmWarning, r.HarmReportWarning, "the reporter, whose duty it is, sees it")

		c = s.mustAct(bertil, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 10, 0))})
		require.Equal(t, harmWarning, c.HarmReportWarning, "taking the case does not answer the duty to report")

		r = s.mustAct(anna, "POST", caseID, "harm-report", map[string]any{"occurredAt": rfc3339(localDay(-2, 11, 0)),
			"reported": true, "reportedAt": rfc3339(localDay(-2, 10, 30))})
		require.Equal(t, "reporter", r.View, "the reporter records her report and still sees only her part")
		require.Empty(t, r.HarmReportWarning)

		_, c = s.read(bertil, caseID)
		require.Empty(t, c.HarmReportWarning)
		require.True(t, c.HarmReport.Reported)
		require.Equal(t, rfc3339(localDay(-2, 10, 30)), c.HarmReport.ReportedAt)
		require.Equal(t, "anna.larare", c.HarmReport.By.User)
	})
	t.Run("the named person assesses; the five questions lead to social services and BUP", func(t *testing.T) {
		s.mustAct(bertil, "PUT", caseID, "assessment", map[string]any{
			"occurredAt": rfc3339(localDay(-2, 12, 0)),
			"areas": []map[string]any{
				{"area": "trygghet", "observation": "Berättar om en händelse i familjen som gör henne rädd.", "level": "hög"},
				{"area": "hemmet", "observation": "Oro för situationen hemma sedan en månad.", "level": "hög"},
				{"area": "relationer", "observation": "Drar sig undan kamraterna på rasterna.", "level": "måttlig"},
			},
			"childView": map[string]any{"view": "Alva vill att det ska bli lugnt hemma och vill kunna prata med någon."},
			"fiveQuestions": map[string]any{
				"haveAllInformation": "Nej, socialtjänsten behöver utreda händelsen.",
				"obstacles":          "Otrygghet hemma.",
				"whatICanDo":         "Samtal med mentor och skolkurator varje vecka.",
				"whatOrgCanDo":       "Elevhälsan erbjuder stödsamtal.",
				"helpNeeded":         "Socialtjänsten och hälso- och sjukvården (BUP).",
			},
			"partners": map[string]any{"earlier": []string{}, "today": []string{"norrkoping-skola-1"},
				"forward": []string{"norrkoping-socialtjanst", "norrkoping-bup"}},
		})
		c := s.mustAct(bertil, "POST", caseID, "assessment/completion", map[string]any{"occurredAt": rfc3339(localDay(-2, 13, 0)),
			"outcome": "collaboration", "proposedAgencies": []string{"norrkoping-socialtjanst", "norrkoping-bup"},
			"relevantAreas": []string{"trygghet", "hemmet", "relationer"}})
		require.Equal(t, "samarbeta", c.Phase)
	})
	scope := []string{"norrkoping-socialtjanst", "norrkoping-bup"}
	t.Run("the guardian with sole custody and Alva (12) consent; the meeting is held", func(t *testing.T) {
		s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 14, 0)),
			"party": "guardian", "partyName": "Vårdnadshavare Påhittad", "custody": "sole", "given": true, "scope": scope, "method": "written"})
		c := s.mustAct(bertil, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 14, 30)),
			"party": "child", "given": true, "scope": scope, "method": "oral"})
		require.Equal(t, "given", c.Consent.Status)
		s.mustAct(bertil, "POST", caseID, "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 15, 0)),
			"meetingAt": rfc3339(localDay(-1, 10, 0)), "place": "Lärkängsskolan", "agencies": scope, "inviteChild": true, "inviteGuardians": true})
		c = s.mustAct(bertil, "POST", caseID, "meeting", map[string]any{"occurredAt": rfc3339(localDay(-1, 10, 0)),
			"attendance": []map[string]any{{"participant": "norrkoping-socialtjanst", "present": true},
				{"participant": "norrkoping-bup", "present": true}, {"participant": "child", "present": true},
				{"participant": "guardians", "present": true}},
			"commonPicture": "Alva är otrygg hemma; socialtjänsten utreder, BUP erbjuder stödsamtal.",
			"decisions": []map[string]any{{"unitId": "norrkoping-socialtjanst", "decision": "Inleder utredning och erbjuder stöd till familjen."},
				{"unitId": "norrkoping-bup", "decision": "Stödsamtal med Alva varannan vecka."}}})
		status, _, _ := c.deadline("meeting")
		require.Equal(t, "met", status)
	})
	t.Run("Alva wishes her mentor; another choice needs a special reason, and a school coordinator a plan owner", func(t *testing.T) {
		appoint := map[string]any{"occurredAt": rfc3339(localDay(-1, 10, 30)),
			"childWish": map[string]any{"user": "anna.larare"}, "coordinator": map[string]any{"user": "bertil.rektor"},
			"planOwner": map[string]any{"user": "cecilia.socialsekreterare"}}
		status, _, p := s.act(bertil, "POST", caseID, "coordinator", appoint)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"specialReason"}, fieldsOf(p), "another coordinator than the child's wish: %+v", p)

		appoint["specialReason"] = "Mentorn har inget mandat att samordna insatser från flera huvudmän; rektorn samordnar och mentorn deltar i mötena, vilket Alva har fått förklarat."
		delete(appoint, "planOwner")
		status, _, p = s.act(bertil, "POST", caseID, "coordinator", appoint)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"planOwner"}, fieldsOf(p), "a coordinator from the school needs a plan owner: %+v", p)

		appoint["planOwner"] = map[string]any{"user": "anna.larare"}
		status, _, p = s.act(bertil, "POST", caseID, "coordinator", appoint)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"planOwner"}, fieldsOf(p), "the plan owner must come from social services or health care: %+v", p)

		appoint["planOwner"] = map[string]any{"user": "cecilia.socialsekreterare"}
		c := s.mustAct(bertil, "POST", caseID, "coordinator", appoint)
		require.Equal(t, "anna.larare", c.Coordinator.ChildWish.User, "the child's wish stays on record")
		require.Equal(t, "bertil.rektor", c.Coordinator.Coordinator.User)
		require.Equal(t, "school", c.Coordinator.Coordinator.UnitKind)
		require.Equal(t, "cecilia.socialsekreterare", c.Coordinator.PlanOwner.User)
		require.Equal(t, "social_services", c.Coordinator.PlanOwner.UnitKind)
		require.NotEmpty(t, c.Coordinator.SpecialReason)

		status, owner := s.read(s.token("cecilia.socialsekreterare"), caseID)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "full", owner.View, "the plan owner reads the case")
	})
	s.recordHistory("case-"+caseID[:26], "pupil_grade_6")
	s.stop()
}
