package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// caseStep is one step of the process as the workflow records it in the state.
type caseStep func(s *CaseState)

var (
	ackDue     = friday.Add(96 * time.Hour)
	summonsDue = friday.Add(7 * 24 * time.Hour)
	meetingDue = friday.Add(14 * 24 * time.Hour)
	schoolRef  = casework.UnitRef{ID: schoolUnit, Name: "Testskolan", Kind: casework.UnitSchool}
)

// taskCase builds a routed case in upptäcka and takes it through the steps.
func taskCase(policy casework.Policy, steps ...caseStep) CaseState {
	s := CaseState{CaseID: "c", Municipality: "norrkoping", Policy: policy, Phase: casework.PhaseUpptacka,
		NamedPersonUnit: &schoolRef, OpenedAt: friday,
		Concerns:  []Concern{{ID: "c1", By: teacher}},
		Deadlines: []Deadline{{Kind: casework.DeadlineAcknowledge, DueAt: ackDue, Status: DeadlineOpen}}}
	for _, step := range steps {
		step(&s)
	}
	return s
}

func withDeadline(kind casework.DeadlineKind, status DeadlineStatus, due time.Time) caseStep {
	return func(s *CaseState) {
		for i := range s.Deadlines {
			if s.Deadlines[i].Kind == kind {
				s.Deadlines[i].Status = status
				if status == DeadlineMet {
					done := due
					s.Deadlines[i].DoneAt = &done
				}
				return
			}
		}
		s.Deadlines = append(s.Deadlines, Deadline{Kind: kind, DueAt: due, Status: status})
	}
}

func acknowledged(by string) caseStep {
	return func(s *CaseState) {
		withDeadline(casework.DeadlineAcknowledge, DeadlineMet, friday.Add(time.Hour))(s)
		s.Acknowledged, s.Assessor, s.Phase = &Recorded{By: namedPerson}, by, casework.PhaseKartlagga
	}
}

func harmSuspected(s *CaseState) {
	s.SuspectsHarm = true
	s.Concerns = append(s.Concerns, Concern{ID: "c2", SuspectsHarm: true, By: otherNamedPerson})
}

func assessedForCollaboration(s *CaseState) {
	acknowledged(namedPerson.User)(s)
	s.Assessment = &AssessmentRecord{Completed: &Recorded{}, Outcome: OutcomeCollaboration, ProposedAgencies: proposed}
	s.Phase, s.ConsentStatus = casework.PhaseSamarbeta, ConsentPending
}

func consented(units ...string) caseStep {
	return func(s *CaseState) {
		assessedForCollaboration(s)
		s.ConsentStatus, s.ConsentScope = ConsentGiven, units
		for _, u := range proposed {
			status := ParticipantRemoved
			if contains(units, u.ID) {
				status = ParticipantActive
			}
			s.Participants = append(s.Participants, Participant{Unit: u, Status: status})
		}
		withDeadline(casework.DeadlineSummons, DeadlineOpen, summonsDue)(s)
		withDeadline(casework.DeadlineMeeting, DeadlineOpen, meetingDue)(s)
	}
}

func summoned(s *CaseState) {
	s.Summons = &SummonsRecord{}
	withDeadline(casework.DeadlineSummons, DeadlineMet, summonsDue)(s)
}

func met(s *CaseState) {
	s.Meeting = &MeetingRecord{}
	withDeadline(casework.DeadlineMeeting, DeadlineMet, meetingDue)(s)
}

func deviation(unit string, withdrawn bool) caseStep {
	return func(s *CaseState) {
		d := Deviation{Kind: DeviationMissedDeadline, UnitID: unit}
		if withdrawn {
			d.WithdrawnAt = &friday
		}
		s.Deviations = append(s.Deviations, d)
	}
}

// taskWant is a task as the table expects it.
type taskWant struct {
	kind    TaskKind
	due     *time.Time
	overdue bool
	to      []casework.Assignee
}

var (
	namedPersons = casework.Assignee{UnitID: schoolUnit, Role: casework.RoleNamedPerson}
	theAssessor  = casework.Assignee{UserID: namedPerson.User, UnitID: schoolUnit}
)

func TestOpenTasks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		state CaseState
		want  []taskWant
	}{
		{"a new concern asks the unit's named persons to acknowledge it by the deadline",
			taskCase(casework.Norrkoping()),
			[]taskWant{{TaskAcknowledge, &ackDue, false, []casework.Assignee{namedPersons}}}},
		{"a missed acknowledgement is overdue until it is done",
			taskCase(casework.Norrkoping(), withDeadline(casework.DeadlineAcknowledge, DeadlineMissed, ackDue), deviation(schoolUnit, false)),
			[]taskWant{{TaskAcknowledge, &ackDue, true, []casework.Assignee{namedPersons}},
				{TaskHandleDeviation, nil, false, []casework.Assignee{{UnitID: schoolUnit, Role: casework.RoleSupervisor}}}}},
		{"suspected harm without a recorded report asks the named person and whoever suspected it",
			taskCase(casework.Norrkoping(), harmSuspected),
			[]taskWant{{TaskAcknowledge, &ackDue, false, []casework.Assignee{namedPersons}},
				{TaskRecordHarmReport, nil, false, []casework.Assignee{namedPersons, {UserID: otherNamedPerson.User}}}}},
		{"a recorded harm report leaves nothing to record",
			taskCase(casework.Norrkoping(), harmSuspected, func(s *CaseState) { s.HarmReport = &HarmReportRecord{Reported: true} }),
			[]taskWant{{TaskAcknowledge, &ackDue, false, []casework.Assignee{namedPersons}}}},
		{"harm suspected again after the recorded report asks again, of the named person and the new reporter only: each report of concern is its own (SoL 14:1)",
			taskCase(casework.Norrkoping(), harmSuspected, func(s *CaseState) {
				s.HarmReport = &HarmReportRecord{Reported: true, Recorded: Recorded{RecordedAt: friday.Add(time.Hour)}}
				s.Concerns = append(s.Concerns, Concern{ID: "c3", SuspectsHarm: true, By: Actor{User: "mentor.tre"}, RecordedAt: friday.Add(2 * time.Hour)})
			}),
			[]taskWant{{TaskAcknowledge, &ackDue, false, []casework.Assignee{namedPersons}},
				{TaskRecordHarmReport, nil, false, []casework.Assignee{namedPersons, {UserID: "mentor.tre"}}}}},
		{"after acknowledgement the assessor assesses, acting for the named person's unit",
			taskCase(casework.Norrkoping(), acknowledged(namedPerson.User)),
			[]taskWant{{TaskAssess, nil, false, []casework.Assignee{theAssessor}}}},
		{"a delegated assessment is the colleague's task",
			taskCase(casework.Norrkoping(), acknowledged(colleague.User)),
			[]taskWant{{TaskAssess, nil, false, []casework.Assignee{{UserID: colleague.User, UnitID: schoolUnit}}}}},
		{"collaboration needed: the assessor asks for consent",
			taskCase(casework.Norrkoping(), assessedForCollaboration),
			[]taskWant{{TaskAskConsent, nil, false, []casework.Assignee{theAssessor}}}},
		{"consent given in Norrköping: the assessor and every initiating participant may summon, by the deadline",
			taskCase(casework.Norrkoping(), consented(socUnit, bupUnit, centralEHT)),
			[]taskWant{{TaskSummon, &summonsDue, false, []casework.Assignee{theAssessor, {UnitID: socUnit}, {UnitID: bupUnit}, {UnitID: centralEHT}}}}},
		{"under Norrbus the central school health team does not initiate a SIP",
			taskCase(casework.Norrbus(), consented(socUnit, centralEHT)),
			[]taskWant{{TaskSummon, &summonsDue, false, []casework.Assignee{theAssessor, {UnitID: socUnit}}}}},
		{"a missed summons is overdue",
			taskCase(casework.Norrkoping(), consented(socUnit), withDeadline(casework.DeadlineSummons, DeadlineMissed, summonsDue)),
			[]taskWant{{TaskSummon, &summonsDue, true, []casework.Assignee{theAssessor, {UnitID: socUnit}}}}},
		{"after the summons the meeting is due by its deadline",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned),
			[]taskWant{{TaskHoldMeeting, &meetingDue, false, []casework.Assignee{theAssessor, {UnitID: socUnit}}}}},
		{"an acute case's meeting answers to the acute deadline",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, func(s *CaseState) {
				s.Deadlines[len(s.Deadlines)-1].Kind = casework.DeadlineAcuteMeeting
			}),
			[]taskWant{{TaskHoldMeeting, &meetingDue, false, []casework.Assignee{theAssessor, {UnitID: socUnit}}}}},
		{"after the meeting a coordinator is appointed; no deadline",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, met),
			[]taskWant{{TaskAppointCoordinator, nil, false, []casework.Assignee{theAssessor, {UnitID: socUnit}}}}},
		{"with the coordinator appointed, the plan is the coordinator's to make",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, met,
				func(s *CaseState) { s.Coordinator = &CoordinatorRecord{Coordinator: socialWorker} }),
			[]taskWant{{TaskProposePlan, nil, false, []casework.Assignee{{UserID: socialWorker.User}}}}},
		{"a proposed plan waits for the family's approval",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, met, func(s *CaseState) {
				s.Coordinator = &CoordinatorRecord{Coordinator: socialWorker}
				s.Plans = []PlanVersion{{Version: 1, Status: PlanProposed}}
			}),
			[]taskWant{{TaskApprovePlan, nil, false, []casework.Assignee{{UserID: socialWorker.User}}}}},
		{"an established plan: the follow-up, due on its booked day",
			taskCase(casework.Norrkoping(), consented(socUnit), summoned, met, func(s *CaseState) {
				s.Coordinator = &CoordinatorRecord{Coordinator: socialWorker}
				s.Plans = []PlanVersion{{Version: 1, Status: PlanEstablished}}
				s.Phase = casework.PhaseUppfoljning
				s.Deadlines = append(s.Deadlines, Deadline{Kind: casework.DeadlineFollowUp, DueAt: friday.Add(30 * 24 * time.Hour), Status: DeadlineOpen})
			}),
			[]taskWant{{TaskFollowUp, ptrTime(friday.Add(30 * 24 * time.Hour)), false, []casework.Assignee{{UserID: socialWorker.User}}}}},
		{"a handled deviation asks nothing more of the supervisor",
			taskCase(casework.Norrkoping(), acknowledged(namedPerson.User), deviation(schoolUnit, false), func(s *CaseState) {
				s.Deviations[0].Handled = &DeviationHandling{Handling: "rutinen ses över"}
			}),
			[]taskWant{{TaskAssess, nil, false, []casework.Assignee{theAssessor}}}},
		{"consent revoked wholly: no summons is due",
			taskCase(casework.Norrkoping(), consented(socUnit), func(s *CaseState) {
				s.ConsentStatus, s.ConsentScope, s.Participants[0].Status = ConsentRevoked, nil, ParticipantRemoved
			}),
			nil},
		{"a withdrawn deviation asks nothing of the supervisor",
			taskCase(casework.Norrkoping(), acknowledged(namedPerson.User), deviation(schoolUnit, true)),
			[]taskWant{{TaskAssess, nil, false, []casework.Assignee{theAssessor}}}},
		{"deviations go once to each responsible unit's supervisors",
			taskCase(casework.Norrkoping(), acknowledged(namedPerson.User), deviation(schoolUnit, false), deviation(schoolUnit, false)),
			[]taskWant{{TaskAssess, nil, false, []casework.Assignee{theAssessor}},
				{TaskHandleDeviation, nil, false, []casework.Assignee{{UnitID: schoolUnit, Role: casework.RoleSupervisor}}}}},
		{"a closed case has no tasks",
			taskCase(casework.Norrkoping(), harmSuspected, deviation(schoolUnit, false), func(s *CaseState) { s.Phase = casework.PhaseClosed }),
			nil},
		{"a case not yet routed has no tasks",
			taskCase(casework.Norrkoping(), func(s *CaseState) { s.NamedPersonUnit = nil }),
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.state.OpenTasks()
			require.Len(t, got, len(tc.want), "%+v", got)
			for i, w := range tc.want {
				g := got[i]
				require.Equal(t, w.kind, g.Kind)
				require.NotEmpty(t, g.Title)
				require.Equal(t, w.overdue, g.Overdue, "%s overdue", g.Kind)
				require.Equal(t, w.to, g.Assignees, "%s assignees", g.Kind)
				if w.due == nil {
					require.Nil(t, g.DueAt, "%s due", g.Kind)
				} else {
					require.NotNil(t, g.DueAt, "%s due", g.Kind)
					require.True(t, w.due.Equal(*g.DueAt), "%s due %v, want %v", g.Kind, *g.DueAt, *w.due)
				}
			}
		})
	}
}

func TestTaskTable(t *testing.T) {
	t.Run("every kind is in the table once, with a title", func(t *testing.T) {
		seen := map[TaskKind]bool{}
		for _, r := range taskRules {
			require.False(t, seen[r.kind], "%s twice", r.kind)
			require.NotEmpty(t, r.title, r.kind)
			seen[r.kind] = true
		}
		for _, k := range TaskKinds {
			require.True(t, seen[k], "%s has no row", k)
		}
		require.Len(t, seen, len(TaskKinds))
	})
}

// TestProjectionCarriesTasks: the read model gets the case's open tasks and its access with every
// change, so the inbox follows the case.
func TestProjectionCarriesTasks(t *testing.T) {
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toKartlagga()
	pt.run(2*time.Hour, func(CaseState) {})
	require.NotEmpty(t, pt.projections)
	first, last := pt.projections[0], pt.projections[len(pt.projections)-1]
	require.Len(t, first.Tasks, 1)
	require.Equal(t, string(TaskAcknowledge), first.Tasks[0].Kind)
	require.NotNil(t, first.Tasks[0].DueAt)
	require.Equal(t, schoolUnit, first.Tasks[0].Assignees[0].UnitID)
	require.Len(t, last.Tasks, 1)
	require.Equal(t, string(TaskAssess), last.Tasks[0].Kind)
	require.Equal(t, namedPerson.User, last.Tasks[0].Assignees[0].UserID)
	require.Len(t, last.Access, 2, "the named person's unit and the assessor")
}

func ptrTime(t time.Time) *time.Time { return &t }
