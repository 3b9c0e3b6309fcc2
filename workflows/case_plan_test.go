package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestPlanNeedsItsFourStatutoryParts(t *testing.T) {
	without := func(change func(*ProposePlan)) ProposePlan {
		p := sip(on(coordinator, tPlan), followUpDay)
		p.Interventions = append([]Intervention{}, p.Interventions...)
		change(&p)
		return p
	}
	for _, tc := range []struct {
		name    string
		plan    ProposePlan
		errType string
		field   string
	}{
		{"no interventions (part 1)", without(func(p *ProposePlan) { p.Interventions = nil }), ErrTypeInvalid, "interventions"},
		{"an intervention without its responsible principal (part 2)", without(func(p *ProposePlan) { p.Interventions[1].Principal = Principal{} }), ErrTypeInvalid, "interventions[1].principal"},
		{"no word on measures by others (part 3)", without(func(p *ProposePlan) { p.NoMeasuresByOthers = false }), ErrTypeInvalid, "noMeasuresByOthers"},
		{"measures by others said to be none while there is one", without(func(p *ProposePlan) {
			p.Interventions = append(p.Interventions, Intervention{ID: "i3", Description: "läxhjälp", Principal: Principal{Kind: PrincipalOther, Name: "Föreningen Läxhjälpen"},
				Performer: "volontär", Extent: "2 tim/vecka", Areas: []casework.WheelArea{casework.AreaLarande}, FollowUpHow: "närvaro"})
		}), ErrTypeInvalid, "noMeasuresByOthers"},
		{"no overall responsibility (part 4)", without(func(p *ProposePlan) { p.OverallResponsibility = Principal{} }), ErrTypeInvalid, "overallResponsibility"},
		{"overall responsibility with the police", without(func(p *ProposePlan) {
			p.OverallResponsibility = Principal{Kind: casework.PrincipalPolice, Name: "Polisen"}
		}), ErrTypeInvalid, "overallResponsibility"},
		{"no booked follow-up", without(func(p *ProposePlan) { p.FollowUpAt = time.Time{} }), ErrTypeInvalid, "followUpAt"},
		{"an intervention without how it is followed up", without(func(p *ProposePlan) { p.Interventions[0].FollowUpHow = "" }), ErrTypeInvalid, "interventions[0].followUpHow"},
		{"by the named person, who is not the coordinator", without(func(p *ProposePlan) { p.By = namedPerson }), ErrTypeForbidden, ""},
		{"measures by others listed: accepted", without(func(p *ProposePlan) {
			p.NoMeasuresByOthers = false
			p.Interventions = append(p.Interventions, Intervention{ID: "i3", Description: "läxhjälp", Principal: Principal{Kind: PrincipalOther, Name: "Föreningen Läxhjälpen"},
				Performer: "volontär", Extent: "2 tim/vecka", Areas: []casework.WheelArea{casework.AreaLarande}, FollowUpHow: "närvaro"})
		}), "", ""},
		{"all four parts: accepted", sip(on(coordinator, tPlan), followUpDay), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrkoping())
			pt.toCoordinator()
			s := pt.send(tPlan, UpdateProposePlan, tc.plan)
			pt.run(tPlan+time.Minute, func(st CaseState) {
				if tc.errType != "" {
					requireRejected(t, s, tc.errType)
					require.True(t, strings.HasPrefix(errMessage(s.err), tc.field), "message %q names %q", errMessage(s.err), tc.field)
					require.Empty(t, st.Plans)
					return
				}
				requireAccepted(t, s)
				require.Len(t, st.Plans, 1)
				require.Equal(t, PlanProposed, st.Plans[0].Status)
				require.Equal(t, casework.PhaseSamarbeta, st.Phase, "a proposed plan is not yet in force")
			})
		})
	}
	t.Run("before a coordinator is appointed: conflict", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toSummons(false)
		pt.must(tMeet, UpdateHoldMeeting, meeting(on(namedPerson, tMeet)))
		s := pt.send(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
		pt.run(tPlan+time.Minute, func(CaseState) { requireRejected(t, s, ErrTypeConflict) })
	})
}

// errMessage is an application error's own message, without the SDK's wrapping.
func errMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, " (type: "); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

func TestPlanIsEstablishedOnlyWithTheFamilysApproval(t *testing.T) {
	t.Run("one guardian of two and no child: still proposed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toCoordinator()
		pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
		pt.must(tApproved, UpdateApprovePlan, approval(on(coordinator, tApproved), 1, PartyGuardian, guardianOne, true))
		pt.must(tApproved+time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Second), 1, PartyChild, "Testbarn", true))
		pt.run(tApproved+time.Minute, func(s CaseState) {
			require.Equal(t, PlanProposed, s.Plans[0].Status, "joint custody: both guardians approve")
			require.Nil(t, s.EstablishedPlan())
			require.Nil(t, deadlineOf(s, casework.DeadlineFollowUp), "no follow-up runs for a plan not in force")
		})
	})
	t.Run("both guardians but not the 14-year-old: still proposed", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toCoordinator()
		pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
		pt.must(tApproved, UpdateApprovePlan, approval(on(coordinator, tApproved), 1, PartyGuardian, guardianOne, true))
		pt.must(tApproved+time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Second), 1, PartyGuardian, guardianTwo, true))
		pt.run(tApproved+time.Minute, func(s CaseState) {
			require.Equal(t, PlanProposed, s.Plans[0].Status)
		})
	})
	t.Run("everyone approves: established, the follow-up booked and running", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		pt.run(tApproved+time.Minute, func(s CaseState) {
			p := s.EstablishedPlan()
			require.NotNil(t, p)
			require.Equal(t, 1, p.Version)
			require.Len(t, p.Approvals, 3)
			require.Equal(t, casework.PhaseUppfoljning, s.Phase)
			d := deadlineOf(s, casework.DeadlineFollowUp)
			require.NotNil(t, d)
			require.Equal(t, DeadlineOpen, d.Status)
			require.True(t, d.DueAt.Equal(time.Date(2027, 1, 20, 23, 59, 59, 999999999, casework.Stockholm)), "due at the end of the booked day: %s", d.DueAt)
		})
	})
	t.Run("a guardian says no: declined, not established, and the case says so", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toCoordinator()
		pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
		pt.must(tApproved, UpdateApprovePlan, approval(on(coordinator, tApproved), 1, PartyGuardian, guardianOne, false))
		late := pt.send(tApproved+time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Second), 1, PartyGuardian, guardianTwo, true))
		pt.run(tApproved+time.Minute, func(s CaseState) {
			require.Equal(t, PlanDeclined, s.Plans[0].Status)
			require.Nil(t, s.EstablishedPlan())
			require.Len(t, noticesOf(s, NoticePlanDeclined), 1)
			requireRejected(t, late, ErrTypeConflict)
		})
	})
	t.Run("an 11-year-old's approval is not required", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.birthDate = "2015-06-01"
		pt.toCoordinator()
		pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
		pt.must(tApproved, UpdateApprovePlan, approval(on(coordinator, tApproved), 1, PartyGuardian, guardianOne, true))
		pt.must(tApproved+time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Second), 1, PartyGuardian, guardianTwo, true))
		pt.run(tApproved+time.Minute, func(s CaseState) {
			require.NotNil(t, s.EstablishedPlan())
		})
	})
}

func TestPlanRevisionKeepsEarlierVersions(t *testing.T) {
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toPlan()
	revised := sip(on(coordinator, tApproved+time.Hour), time.Date(2027, 2, 10, 9, 0, 0, 0, casework.Stockholm))
	revised.Interventions = append(revised.Interventions[:1:1], Intervention{ID: "i3", Description: "stödsamtal i skolan",
		Principal: Principal{Kind: casework.PrincipalMunicipality, Name: "Norrköpings kommun"}, UnitID: schoolUnit, Performer: "kurator",
		Extent: "varannan vecka", Areas: []casework.WheelArea{casework.AreaLarande}, FollowUpHow: "närvaro"})
	pt.must(tApproved+time.Hour, UpdateProposePlan, revised)
	pt.at(tApproved+time.Hour+time.Minute, func(s CaseState) {
		require.Equal(t, PlanEstablished, s.Plans[0].Status, "version 1 stays in force until version 2 is approved")
		require.Equal(t, PlanProposed, s.Plans[1].Status)
	})
	pt.approveAll(tApproved+2*time.Hour, 2)
	pt.run(tApproved+3*time.Hour, func(s CaseState) {
		require.Len(t, s.Plans, 2)
		require.Equal(t, PlanSuperseded, s.Plans[0].Status)
		require.Equal(t, "utredning BUP", s.Plans[0].Interventions[1].Description, "the earlier version is kept as it was")
		require.Equal(t, PlanEstablished, s.Plans[1].Status)
		var open, cancelled int
		for _, d := range s.Deadlines {
			if d.Kind == casework.DeadlineFollowUp {
				switch d.Status {
				case DeadlineOpen:
					open++
					require.Equal(t, 10, d.DueAt.Day(), "the revision's booked follow-up")
				case DeadlineCancelled:
					cancelled++
				}
			}
		}
		require.Equal(t, 1, open)
		require.Equal(t, 1, cancelled, "version 1's follow-up gave way to version 2's")
	})
}

func TestFollowUp(t *testing.T) {
	held := offset(followUpDay)
	t.Run("held on the booked day and revised with a new date", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		in := followUpAll(on(coordinator, held), FollowUpRevise)
		next := time.Date(2027, 3, 3, 10, 0, 0, 0, casework.Stockholm)
		in.NextFollowUpAt = &next
		pt.must(held, UpdateRecordFollowUp, in)
		pt.run(held+time.Hour, func(s CaseState) {
			require.Len(t, s.FollowUps, 1)
			require.Equal(t, casework.PhaseUppfoljning, s.Phase)
			var met, open int
			for _, d := range s.Deadlines {
				if d.Kind == casework.DeadlineFollowUp {
					if d.Status == DeadlineMet {
						met++
					}
					if d.Status == DeadlineOpen {
						open++
						require.Equal(t, time.March, d.DueAt.Month())
					}
				}
			}
			require.Equal(t, 1, met)
			require.Equal(t, 1, open)
			require.False(t, s.Overdue)
		})
	})
	t.Run("not held by the booked day: a deviation to the coordinator's unit and a mail to its supervisor", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		pt.run(held+48*time.Hour, func(s CaseState) {
			d := deadlineOf(s, casework.DeadlineFollowUp)
			require.Equal(t, DeadlineMissed, d.Status)
			require.True(t, s.Overdue)
			dev := s.Deviations[len(s.Deviations)-1]
			require.Equal(t, casework.DeadlineFollowUp, dev.DeadlineKind)
			require.Equal(t, socUnit, dev.UnitID, "the follow-up is the coordinator's routine")
			mails := pt.notifiedWith("deadline_missed")
			require.Len(t, mails, 1)
			require.Equal(t, socUnit, mails[0].req.Recipients[0].UnitID)
			require.Equal(t, casework.RoleSupervisor, mails[0].req.Recipients[0].Role)
		})
	})
	t.Run("an intervention left out of the follow-up is rejected", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		in := followUpAll(on(coordinator, held), FollowUpClose)
		in.CloseReason = CloseNeedsMet
		in.Interventions = in.Interventions[:1]
		s := pt.send(held, UpdateRecordFollowUp, in)
		pt.run(held+time.Hour, func(CaseState) {
			requireRejected(t, s, ErrTypeInvalid)
			require.Contains(t, errMessage(s.err), "i2")
		})
	})
	for _, reason := range CloseReasons {
		t.Run("closes the case: "+string(reason), func(t *testing.T) {
			pt := newProcessTest(t, casework.Norrkoping())
			pt.toPlan()
			in := followUpAll(on(coordinator, held), FollowUpClose)
			in.CloseReason = reason
			pt.must(held, UpdateRecordFollowUp, in)
			pt.run(held+time.Hour, func(s CaseState) {
				require.Equal(t, casework.PhaseClosed, s.Phase)
				require.Equal(t, reason, s.Closed.Reason)
				require.Equal(t, casework.PhaseUppfoljning, s.Closed.PhaseBefore)
				require.Equal(t, DeadlineMet, deadlineOf(s, casework.DeadlineFollowUp).Status)
				require.NotNil(t, s.ReopenUntil)
				// 90 days after 20 January is 20 April; the period ends when that day does.
				require.True(t, s.ReopenUntil.Equal(time.Date(2027, 4, 21, 0, 0, 0, 0, casework.Stockholm)), "reopenable until %s", s.ReopenUntil)
			})
		})
	}
}

func TestPlanApprovedByTheGuardiansWhoConsented(t *testing.T) {
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toCoordinator()
	pt.must(tPlan, UpdateProposePlan, sip(on(coordinator, tPlan), followUpDay))
	pt.must(tApproved, UpdateApprovePlan, approval(on(coordinator, tApproved), 1, PartyGuardian, guardianOne, true))
	pt.must(tApproved+time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Second), 1, PartyGuardian, "Någon Annan", true))
	pt.must(tApproved+2*time.Second, UpdateApprovePlan, approval(on(coordinator, tApproved+2*time.Second), 1, PartyChild, "Testbarn", true))
	pt.at(tApproved+time.Minute, func(s CaseState) {
		require.Equal(t, PlanProposed, s.Plans[0].Status, "a second name that did not consent does not stand for the other guardian")
	})
	pt.must(tApproved+time.Hour, UpdateApprovePlan, approval(on(coordinator, tApproved+time.Hour), 1, PartyGuardian, strings.ToUpper(guardianTwo), true))
	pt.run(tApproved+2*time.Hour, func(s CaseState) {
		require.Equal(t, PlanEstablished, s.Plans[0].Status)
	})
}
