package workflows

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// The plan's path: after the summons, the meeting on Monday 21 December and the social worker
// appointed coordinator at it; the plan proposed and approved the same afternoon.
const (
	tMeet     = tSummons + 72*time.Hour // Monday 2026-12-21 15:00
	tCoord    = tMeet + time.Minute
	tPlan     = tMeet + time.Hour
	tApproved = tMeet + 2*time.Hour // the guardians, then the child a second apart
)

var (
	coordinator = Actor{User: socialWorker.User, Name: socialWorker.Name, Role: casework.RoleCoordinator, Unit: socUnit, UnitKind: casework.UnitSocialServices}
	socChef     = Actor{User: "sara.chef", Name: "Sara", Role: casework.RoleSupervisor, Unit: socUnit, UnitKind: casework.UnitSocialServices}
	schoolChef  = Actor{User: "rut.rektor", Name: "Rut", Role: casework.RoleSupervisor, Unit: schoolUnit, UnitKind: casework.UnitSchool}
	bupDoctor   = Actor{User: psychiatrist.User, Name: psychiatrist.Name, Role: casework.RoleParticipant, Unit: bupUnit, UnitKind: casework.UnitBUP}
	// followUpDay is the booked follow-up: Wednesday 20 January 2027, 10:00.
	followUpDay = time.Date(2027, 1, 20, 10, 0, 0, 0, casework.Stockholm)
)

// toCoordinator: the meeting held and the child's wish appointed coordinator.
func (pt *processTest) toCoordinator() {
	pt.toSummons(false)
	pt.must(tMeet, UpdateHoldMeeting, meeting(on(namedPerson, tMeet)))
	pt.must(tCoord, UpdateAppointCoordinator, AppointCoordinator{Command: on(namedPerson, tCoord), ChildWish: &socialWorker, Coordinator: socialWorker})
}

// sip is a plan with the four statutory parts: two interventions of the municipality and the
// region, none by others (stated), the municipality holding overall responsibility.
func sip(c Command, followUp time.Time) ProposePlan {
	return ProposePlan{
		Command: c,
		Interventions: []Intervention{
			{ID: "i1", Description: "familjebehandling", Principal: Principal{Kind: casework.PrincipalMunicipality, Name: "Norrköpings kommun"},
				UnitID: socUnit, Performer: "familjebehandlare", Extent: "1 tim/vecka", Areas: []casework.WheelArea{casework.AreaHemmet},
				FollowUpHow: "samtal med familjen", Goal: "tryggare hemsituation"},
			{ID: "i2", Description: "utredning BUP", Principal: Principal{Kind: casework.PrincipalRegion, Name: "Region Östergötland"},
				UnitID: bupUnit, Performer: "psykolog", Extent: "4 besök", Areas: []casework.WheelArea{casework.AreaHalsa},
				FollowUpHow: "utlåtande"},
		},
		NoMeasuresByOthers:    true,
		OverallResponsibility: Principal{Kind: casework.PrincipalMunicipality, Name: "Norrköpings kommun"},
		FollowUpAt:            followUp,
	}
}

func approval(c Command, version int, party PartyKind, name string, approved bool) ApprovePlan {
	return ApprovePlan{Command: c, Version: version, Party: party, PartyName: name, Approved: approved, Method: ConsentWritten}
}

// approveAll: both guardians and the child approve version v from the offset on.
func (pt *processTest) approveAll(after time.Duration, v int) {
	pt.must(after, UpdateApprovePlan, approval(on(coordinator, after), v, PartyGuardian, guardianOne, true))
	pt.must(after+time.Second, UpdateApprovePlan, approval(on(coordinator, after+time.Second), v, PartyGuardian, guardianTwo, true))
	pt.must(after+2*time.Second, UpdateApprovePlan, approval(on(coordinator, after+2*time.Second), v, PartyChild, "Testbarn", true))
}

// toPlan: version 1 proposed and approved: established, follow-up booked at followUpDay.
func (pt *processTest) toPlan() {
	pt.toCoordinator()
	pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
	pt.approveAll(tApproved, 1)
}

func followUpAll(c Command, outcome FollowUpOutcome) RecordFollowUp {
	return RecordFollowUp{Command: c, Outcome: outcome, Interventions: []InterventionFollowUp{
		{InterventionID: "i1", Done: "10 träffar", GoalMet: true},
		{InterventionID: "i2", Done: "utredning klar", GoalMet: false, Note: "fortsatt behandling"},
	}}
}

func (ct *caseTest) notifiedWith(kind string) []notified {
	var out []notified
	for _, n := range ct.notified {
		if string(n.req.Kind) == kind {
			out = append(out, n)
		}
	}
	return out
}
