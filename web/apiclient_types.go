package web

import "time"

// The API's request and answer types, as far as the pages use them. Each field is a property of
// the same name in api/openapi.yaml (apiclient_contract_test.go checks it); a field the pages do not
// need is simply left out – the API's answers are read leniently, its requests are strict.

// Unit is a unit of the directory.
type Unit struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Municipality string `json:"municipality"`
}

// UnitList is GET /api/v1/units.
type UnitList struct {
	Items []Unit `json:"items"`
}

// UnitRef names a unit in a case.
type UnitRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

// Task is one row of the caller's inbox.
type Task struct {
	CaseID  string     `json:"caseId"`
	Kind    string     `json:"kind"`
	Title   string     `json:"title"`
	DueAt   *time.Time `json:"dueAt"`
	Overdue bool       `json:"overdue"`
}

// TaskList is GET /api/v1/me/tasks.
type TaskList struct {
	Items      []Task  `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

// Notification is one of the caller's notifications.
type Notification struct {
	ID           string     `json:"id"`
	CaseID       string     `json:"caseId"`
	Kind         string     `json:"kind"`
	DeadlineKind *string    `json:"deadlineKind"`
	DueAt        *time.Time `json:"dueAt"`
	Subject      string     `json:"subject"`
	Text         string     `json:"text"`
	CreatedAt    time.Time  `json:"createdAt"`
	ReadAt       *time.Time `json:"readAt"`
}

// NotificationList is GET /api/v1/me/notifications.
type NotificationList struct {
	Items      []Notification `json:"items"`
	NextCursor *string        `json:"nextCursor"`
	Unread     int            `json:"unread"`
}

// ConcernRequest is POST /api/v1/concerns.
type ConcernRequest struct {
	Child        ChildInput `json:"child"`
	Areas        []string   `json:"areas"`
	Observation  string     `json:"observation"`
	SuspectsHarm bool       `json:"suspectsHarm"`
	OccurredAt   string     `json:"occurredAt"`
}

// ChildInput is who a concern is about.
type ChildInput struct {
	PersonalNumber string    `json:"personalNumber,omitempty"`
	ReserveNumber  string    `json:"reserveNumber,omitempty"`
	Name           string    `json:"name"`
	BirthDate      string    `json:"birthDate"`
	Municipality   string    `json:"municipality"`
	Schooling      Schooling `json:"schooling"`
}

// Schooling is where the child goes to school.
type Schooling struct {
	Status string `json:"status"`
	UnitID string `json:"unitId,omitempty"`
	Grade  string `json:"grade,omitempty"`
}

// ConcernReceipt is the API's receipt for a concern (202): who takes it, by role only, and by when –
// the same whether the concern started the child's case or joined one, which is not the reporter's
// to know. A caller who already had full access to the case it joined is answered with the case
// instead (200); read as a receipt, that answer leaves these fields empty and the receipt page
// names the role without a date.
type ConcernReceipt struct {
	ConcernID  string `json:"concernId"`
	Status     string `json:"status"`
	ReceivedBy struct {
		Role string `json:"role"`
	} `json:"receivedBy"`
	AcknowledgeBy *time.Time `json:"acknowledgeBy"`
}

// Deadline is one of a case's deadlines.
type Deadline struct {
	Kind      string     `json:"kind"`
	DueAt     time.Time  `json:"dueAt"`
	Status    string     `json:"status"`
	StartedAt time.Time  `json:"startedAt"`
	Rule      string     `json:"rule"`
	DoneAt    *time.Time `json:"doneAt,omitempty"`
}

// Actor is who did a step, as their token said.
type Actor struct {
	User string `json:"user"`
	Name string `json:"name,omitempty"`
	Role string `json:"role"`
	Unit string `json:"unit"`
}

// Recorded is who did a step and when.
type Recorded struct {
	By         Actor     `json:"by"`
	OccurredAt time.Time `json:"occurredAt"`
	RecordedAt time.Time `json:"recordedAt"`
}

// Action is a step the API offers the caller now, with where to send it (the case's `actions`).
type Action struct {
	Command string `json:"command"`
	Method  string `json:"method"`
	Path    string `json:"path"`
}

// Case is GET /api/v1/cases/{caseId}, as far as the hub shows it.
type Case struct {
	CaseID            string        `json:"caseId"`
	View              string        `json:"view"`
	Phase             string        `json:"phase,omitempty"`
	Municipality      string        `json:"municipality,omitempty"`
	NamedPersonUnit   *UnitRef      `json:"namedPersonUnit"`
	RoutingReason     string        `json:"routingReason,omitempty"`
	Child             *Child        `json:"child,omitempty"`
	Areas             []string      `json:"areas,omitempty"`
	SuspectsHarm      bool          `json:"suspectsHarm"`
	Overdue           bool          `json:"overdue"`
	OpenedAt          *time.Time    `json:"openedAt,omitempty"`
	Deadlines         []Deadline    `json:"deadlines"`
	Deviations        []Deviation   `json:"deviations,omitempty"`
	Concerns          []Concern     `json:"concerns"`
	Acknowledged      *Recorded     `json:"acknowledged,omitempty"`
	Assessor          string        `json:"assessor,omitempty"`
	Delegation        *Delegation   `json:"delegation,omitempty"`
	HarmReport        *HarmReport   `json:"harmReport,omitempty"`
	HarmReportWarning string        `json:"harmReportWarning,omitempty"`
	Assessment        *Assessment   `json:"assessment,omitempty"`
	Consent           *Consent      `json:"consent,omitempty"`
	Participants      []Participant `json:"participants,omitempty"`
	Summons           *Summons      `json:"summons,omitempty"`
	Meeting           *Meeting      `json:"meeting,omitempty"`
	Coordinator       *Coordinator  `json:"coordinator,omitempty"`
	Closed            *Closed       `json:"closed,omitempty"`
	Notices           []Notice      `json:"notices,omitempty"`
	Actions           []Action      `json:"actions,omitempty"`
	// Archived: the case's workflow has ended and it is read from the archive; it takes no commands.
	Archived      bool       `json:"archived"`
	EraseAfter    *time.Time `json:"eraseAfter,omitempty"`
	LegalHold     *bool      `json:"legalHold,omitempty"`
	PreviousCases []string   `json:"previousCases,omitempty"`
	CasePlan                 // the plan and what follows it (apiclient_plan.go)
}

// Child is the child a case is about.
type Child struct {
	Name           string    `json:"name"`
	PersonalNumber string    `json:"personalNumber,omitempty"`
	ReserveNumber  string    `json:"reserveNumber,omitempty"`
	BirthDate      string    `json:"birthDate"`
	Schooling      Schooling `json:"schooling"`
}

// Deviation is an avvikelse in a case.
type Deviation struct {
	ID           string     `json:"id"`
	Kind         string     `json:"kind"`
	DeadlineKind string     `json:"deadlineKind,omitempty"`
	UnitID       string     `json:"unitId"`
	Description  string     `json:"description"`
	OccurredAt   time.Time  `json:"occurredAt"`
	WithdrawnAt  *time.Time `json:"withdrawnAt,omitempty"`
	ReportedBy   *Actor     `json:"reportedBy,omitempty"`
	Handled      *Recorded  `json:"handled,omitempty"`
}

// Concern is one concern in a case.
type Concern struct {
	ID           string    `json:"id"`
	Areas        []string  `json:"areas"`
	Observation  string    `json:"observation"`
	SuspectsHarm bool      `json:"suspectsHarm"`
	OccurredAt   time.Time `json:"occurredAt"`
	ReportedBy   Actor     `json:"reportedBy"`
}

// Delegation is the assessment handed to a colleague.
type Delegation struct {
	Recorded
	To     string `json:"to"`
	ToName string `json:"toName,omitempty"`
}

// Closed says the case was closed and why.
type Closed struct {
	Recorded
	Reason string `json:"reason"`
}

// Notice is something the case tells its readers.
type Notice struct {
	Kind string    `json:"kind"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Timeline is GET /api/v1/cases/{caseId}/timeline.
type Timeline struct {
	CaseID string          `json:"caseId"`
	View   string          `json:"view"`
	Until  *time.Time      `json:"until,omitempty"`
	Events []TimelineEvent `json:"events"`
}

// TimelineEvent is one thing that happened in a case.
type TimelineEvent struct {
	Seq        int            `json:"seq"`
	Kind       string         `json:"kind"`
	OccurredAt time.Time      `json:"occurredAt"`
	RecordedAt time.Time      `json:"recordedAt"`
	By         *TimelineActor `json:"by,omitempty"`
	Text       string         `json:"text"`
}

// TimelineActor is who did a timeline event.
type TimelineActor struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	UnitName string `json:"unitName"`
}

// AcknowledgementRequest is POST …/acknowledgement: the named person takes the case.
type AcknowledgementRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
}

// DelegationRequest is POST …/delegation: the assessment to a colleague.
type DelegationRequest struct {
	OccurredAt string `json:"occurredAt,omitempty"`
	To         string `json:"to"`
}
