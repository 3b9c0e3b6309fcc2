package workflows

import (
	"slices"
	"time"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
)

// The tasks open in the case and whom they are for, for the read model's "my tasks" inbox (who has a
// part in the case, for lists, is access_grants.go). They are computed from the state alone, so the
// projection is the same on every replay, and follow the workflow's own rules of who may give which
// command (case_*.go), so the inbox never offers a command the workflow refuses.

// TaskKind is a kind of step somebody must take in a case now. The values are snake_case English,
// stored in the read model and shown to API clients: never rename one, add new ones.
type TaskKind string

const (
	TaskAcknowledge        TaskKind = "acknowledge"         // the named person takes the concern (§6.1)
	TaskAssess             TaskKind = "assess"              // kartläggning (§6.2)
	TaskRecordHarmReport   TaskKind = "record_harm_report"  // whether an orosanmälan was made (§8)
	TaskAskConsent         TaskKind = "ask_consent"         // from guardians and child (§5)
	TaskSummon             TaskKind = "summon"              // kallelse (§6.3)
	TaskAnswerInvitation   TaskKind = "answer_invitation"   // the invited agency answers the summons (§6.3)
	TaskHoldMeeting        TaskKind = "hold_meeting"        // samverkansmöte (§6.3)
	TaskAppointCoordinator TaskKind = "appoint_coordinator" // samordningsperson (§6.4)
	TaskHandleDeviation    TaskKind = "handle_deviation"    // avvikelse to the supervisor (§9)
	TaskProposePlan        TaskKind = "propose_plan"        // SIP (§6.5)
	TaskApprovePlan        TaskKind = "approve_plan"        // the child's and guardians' approval (§6.5)
	TaskFollowUp           TaskKind = "follow_up"           // the booked follow-up (§6.6)
	TaskDecideDisagreement TaskKind = "decide_disagreement" // oenighet (§10)
	TaskCostDistribution   TaskKind = "settle_cost_distribution"
	TaskHealthExamination  TaskKind = "record_health_examination" // placement (§11)
)

// TaskKinds lists every kind; each has one row in taskRules.
var TaskKinds = []TaskKind{TaskAcknowledge, TaskAssess, TaskRecordHarmReport, TaskAskConsent, TaskSummon, TaskAnswerInvitation, TaskHoldMeeting,
	TaskAppointCoordinator, TaskHandleDeviation, TaskProposePlan, TaskApprovePlan, TaskFollowUp, TaskDecideDisagreement,
	TaskCostDistribution, TaskHealthExamination}

// Task is one step open in the case. DueAt is the deadline the step answers to, when the policy
// sets one; Overdue says that deadline has passed with the step not done.
type Task struct {
	Kind      TaskKind
	Title     string // Swedish, as the inbox shows it; never personal data
	DueAt     *time.Time
	Overdue   bool
	Assignees []casework.Assignee
}

// taskRule is one row of the task table: when a kind of task is open, for whom, and which deadline
// it answers to. A new kind of task (approve plan, follow up, …) is a new row.
type taskRule struct {
	kind      TaskKind
	title     string
	deadlines []casework.DeadlineKind
	open      func(s *CaseState) bool
	to        func(s *CaseState) []casework.Assignee
}

var taskRules = []taskRule{
	{kind: TaskAcknowledge, title: "Ta emot ärendet",
		deadlines: []casework.DeadlineKind{casework.DeadlineAcknowledge},
		open: func(s *CaseState) bool {
			return s.Acknowledged == nil || s.PendingHandover() != nil || s.pendingReopening() != nil
		},
		to: (*CaseState).namedPersons},
	{kind: TaskRecordHarmReport, title: "Registrera om orosanmälan till socialtjänsten är gjord",
		open: (*CaseState).HarmReportMissing,
		to:   (*CaseState).harmReporters},
	{kind: TaskAssess, title: "Kartlägg barnets situation",
		open: func(s *CaseState) bool { return s.Phase == casework.PhaseKartlagga && !s.assessed() },
		to:   (*CaseState).theAssessor},
	{kind: TaskAskConsent, title: "Inhämta samtycke från vårdnadshavare och barn",
		open: func(s *CaseState) bool {
			return s.Phase == casework.PhaseSamarbeta && s.ConsentStatus == ConsentPending
		},
		to: (*CaseState).consentTakers},
	{kind: TaskSummon, title: "Kalla till samverkansmöte",
		deadlines: []casework.DeadlineKind{casework.DeadlineSummons},
		open:      func(s *CaseState) bool { return s.collaborating() && s.Summons == nil },
		to:        (*CaseState).sipInitiators},
	{kind: TaskAnswerInvitation, title: "Svara på kallelsen till samverkansmötet",
		open: func(s *CaseState) bool { return s.collaborating() && len(s.unanswered()) > 0 },
		to:   (*CaseState).unanswered},
	{kind: TaskHoldMeeting, title: "Håll samverkansmötet",
		deadlines: []casework.DeadlineKind{casework.DeadlineMeeting, casework.DeadlineAcuteMeeting},
		open:      func(s *CaseState) bool { return s.collaborating() && s.Summons != nil && s.Meeting == nil },
		to:        (*CaseState).sipInitiators},
	{kind: TaskAppointCoordinator, title: "Utse samordningsperson – fråga barnet först",
		open: func(s *CaseState) bool { return s.collaborating() && s.Meeting != nil && s.Coordinator == nil },
		to:   (*CaseState).sipInitiators},
	{kind: TaskProposePlan, title: "Ta fram samordnad individuell plan (SIP)",
		open: func(s *CaseState) bool {
			return s.Coordinator != nil && s.Phase == casework.PhaseSamarbeta && s.EstablishedPlan() == nil && s.ProposedPlan() == nil
		},
		to: (*CaseState).planMakers},
	{kind: TaskApprovePlan, title: "Inhämta barnets och vårdnadshavarnas godkännande av planen",
		open: func(s *CaseState) bool { return s.ProposedPlan() != nil },
		to:   (*CaseState).planMakers},
	{kind: TaskFollowUp, title: "Håll uppföljningen av planen",
		deadlines: []casework.DeadlineKind{casework.DeadlineFollowUp},
		open:      func(s *CaseState) bool { return s.Phase == casework.PhaseUppfoljning && s.EstablishedPlan() != nil },
		to:        (*CaseState).planMakers},
	{kind: TaskCostDistribution, title: "Gör klart kostnadsfördelningen för placeringen",
		deadlines: []casework.DeadlineKind{casework.DeadlineCostDistribution},
		open:      func(s *CaseState) bool { return s.Placement != nil && s.Placement.CostDistribution == nil },
		to:        (*CaseState).placementHolders},
	{kind: TaskHealthExamination, title: "Registrera hälsoundersökningen av det placerade barnet",
		open: func(s *CaseState) bool { return s.Placement != nil && s.Placement.HealthExaminationAt == nil },
		to:   (*CaseState).placementHolders},
	{kind: TaskDecideDisagreement, title: "Registrera beslut om oenigheten mellan huvudmännen",
		open: func(s *CaseState) bool { return len(s.openDisagreements()) > 0 },
		to: func(s *CaseState) []casework.Assignee {
			return append(s.theAssessor(), s.planMakers()...)
		}},
	{kind: TaskHandleDeviation, title: "Hantera avvikelse",
		open: func(s *CaseState) bool { return len(s.deviationUnits()) > 0 },
		to:   (*CaseState).deviationSupervisors},
}

// planMakers make and follow up the plan (isCoordinator): the coordinator and plan owner while their
// unit takes part.
func (s *CaseState) planMakers() []casework.Assignee {
	var out []casework.Assignee
	if co := s.Coordinator; co != nil {
		for _, p := range []*Person{&co.Coordinator, co.PlanOwner} {
			if p != nil && p.User != "" && s.unitTakesPart(p.UnitID) {
				out = append(out, casework.Assignee{UserID: p.User})
			}
		}
	}
	return out
}

// placementHolders record what a placement still lacks: social services who decided it, and the
// coordinator.
func (s *CaseState) placementHolders() []casework.Assignee {
	out := []casework.Assignee{}
	if p := s.Placement; p != nil && s.unitTakesPart(p.By.Unit) {
		out = append(out, casework.Assignee{UserID: p.By.User, UnitID: p.By.Unit})
	}
	return append(out, s.planMakers()...)
}

// OpenTasks lists the tasks open in the case, in the table's order. A closed case has none: nothing
// can be recorded in it any more.
func (s *CaseState) OpenTasks() []Task {
	if s.NamedPersonUnit == nil || s.Phase == casework.PhaseClosed {
		return nil
	}
	var tasks []Task
	for _, r := range taskRules {
		if !r.open(s) {
			continue
		}
		t := Task{Kind: r.kind, Title: r.title, Assignees: dedupeAssignees(r.to(s))}
		if d := s.pendingDeadline(r.deadlines); d != nil {
			due := d.DueAt
			t.DueAt, t.Overdue = &due, d.Status == DeadlineMissed
		}
		if len(t.Assignees) > 0 {
			tasks = append(tasks, t)
		}
	}
	return tasks
}

// pendingDeadline is the first deadline of the kinds whose step is still to be done: open, or missed
// and not yet done.
func (s *CaseState) pendingDeadline(kinds []casework.DeadlineKind) *Deadline {
	for i := range s.Deadlines {
		d := &s.Deadlines[i]
		if slices.Contains(kinds, d.Kind) && d.DoneAt == nil && (d.Status == DeadlineOpen || d.Status == DeadlineMissed) {
			return d
		}
	}
	return nil
}

// collaborating: consent holds, so the steps of samarbeta can be taken (validateSummons and
// validateMeeting refuse them otherwise).
func (s *CaseState) collaborating() bool {
	return s.Phase == casework.PhaseSamarbeta && s.ConsentStatus == ConsentGiven
}

func (s *CaseState) assessed() bool { return s.Assessment != nil && s.Assessment.Completed != nil }

// namedPersons are the named persons of the case's unit (isNamedPerson).
func (s *CaseState) namedPersons() []casework.Assignee {
	return []casework.Assignee{{UnitID: s.NamedPersonUnit.ID, Role: casework.RoleNamedPerson}}
}

// assessor is the assessor acting for the named person's unit (isAssessor); before anyone is
// recorded, the unit's named persons.
func (s *CaseState) assessor() casework.Assignee {
	if s.Assessor == "" {
		return s.namedPersons()[0]
	}
	return casework.Assignee{UserID: s.Assessor, UnitID: s.NamedPersonUnit.ID}
}

func (s *CaseState) theAssessor() []casework.Assignee { return []casework.Assignee{s.assessor()} }

// consentTakers record consent (validateConsent): the assessor, and the coordinator and plan owner
// while their unit takes part (isCoordinator).
func (s *CaseState) consentTakers() []casework.Assignee {
	return append([]casework.Assignee{s.assessor()}, s.planMakers()...)
}

// sipInitiators may summon, hold the meeting and appoint the coordinator (mayInitiateSIP): the
// assessor, and the caseworkers of the participants whose kind of unit the policy lets initiate a SIP.
func (s *CaseState) sipInitiators() []casework.Assignee {
	out := []casework.Assignee{s.assessor()}
	for _, p := range s.Participants {
		if p.Status == ParticipantActive && slices.Contains(s.Policy.SIPInitiators, p.Unit.Kind) {
			out = append(out, casework.Assignee{UnitID: p.Unit.ID})
		}
	}
	return out
}

// harmReporters must record whether a report to social services was made (docs/process.md §8): the named
// person, and each professional whose suspicion of harm is not yet answered, since the legal duty is
// theirs.
func (s *CaseState) harmReporters() []casework.Assignee {
	out := s.namedPersons()
	for _, c := range s.unansweredHarmConcerns() {
		if c.By.User != "" {
			out = append(out, casework.Assignee{UserID: c.By.User})
		}
	}
	return out
}

// deviationUnits are the responsible units of the deviations still to be handled, in order of
// first deviation.
func (s *CaseState) deviationUnits() []string {
	var units []string
	for _, d := range s.Deviations {
		if d.Open() && d.UnitID != "" && !slices.Contains(units, d.UnitID) {
			units = append(units, d.UnitID)
		}
	}
	return units
}

func (s *CaseState) deviationSupervisors() []casework.Assignee {
	var out []casework.Assignee
	for _, unit := range s.deviationUnits() {
		out = append(out, casework.Assignee{UnitID: unit, Role: casework.RoleSupervisor})
	}
	return out
}

func dedupeAssignees(as []casework.Assignee) []casework.Assignee {
	var out []casework.Assignee
	for _, a := range as {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// projectedTasks are the tasks as the ProjectCase activity takes them.
func projectedTasks(s *CaseState) []activities.ProjectedTask {
	var out []activities.ProjectedTask
	for _, t := range s.OpenTasks() {
		out = append(out, activities.ProjectedTask{Kind: string(t.Kind), Title: t.Title, DueAt: t.DueAt, Overdue: t.Overdue,
			Assignees: t.Assignees})
	}
	return out
}
