package web

// samplePlan is a plan with its four parts, for the contract test (apiclient_contract_test.go).
func samplePlan() PlanRequest {
	return PlanRequest{Interventions: []InterventionInput{{ID: "i1", Description: "Läxhjälp.", Principal: Principal{Kind: "municipality", Name: "Norrköpings kommun"},
		UnitID: "norrkoping-skola-1", Performer: "Mentor", Extent: "1 tim/vecka", Areas: []string{"lärande"}, FollowUpHow: "Vid mötet",
		FollowUpAt: "2026-02-10T09:00:00+01:00"}},
		NoMeasuresByOthers: true, OverallResponsibility: &Principal{Kind: "municipality", Name: "Norrköpings kommun"},
		FollowUpAt: "2026-03-10T09:00:00+01:00", ChildParticipation: "Barnet var med."}
}
