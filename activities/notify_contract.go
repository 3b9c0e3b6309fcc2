package activities

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// NameNotify is the activity that tells people something about a case: an in-app notification and a
// mail per recipient (reminders, missed deadlines, handed-over cases, escalations, new cases,
// invitations to the meeting, appointments).
const NameNotify = "Notify"

// NotifyKind says what a notification is about. The values are recorded in histories and stored in
// the notifications table: never rename one.
type NotifyKind string

const (
	NotifyReminder          NotifyKind = "reminder"           // a deadline or follow-up is near (docs/process.md §6.6, §7.2)
	NotifyDeadlineMissed    NotifyKind = "deadline_missed"    // to the responsible unit's supervisor (§9)
	NotifyDeviationReported NotifyKind = "deviation_reported" // a deviation report to the supervisor (§9)
	NotifyEscalated         NotifyKind = "escalated"          // a disagreement went to the next step (§10)
	NotifyCaseHandedOver    NotifyKind = "case_handed_over"   // to the new unit's named person
	NotifyConcernJoined     NotifyKind = "concern_joined"     // a new concern in an open case, to the named person
	NotifyCaseReopened      NotifyKind = "case_reopened"
	NotifyNewCase           NotifyKind = "new_case"  // a new case, to the named persons of its unit (§6.1)
	NotifySummoned          NotifyKind = "summoned"  // an invitation to the meeting, to the invited unit (§6.3)
	NotifyAppointed         NotifyKind = "appointed" // to the coordinator and the plan owner (§6.4)
)

// NotifyRequest is one notification to its recipients. Key is its idempotency key: whatever retries,
// restarts or duplicate calls happen, each (Key, recipient user) gets exactly one in-app notification
// and at most one mail. Subject and Text are Swedish and carry no personal data – no name, no
// personal identity number, no health detail – only the case reference and what is due; the mail adds
// a link to the case.
type NotifyRequest struct {
	Key          string                `json:"key"`
	CaseID       string                `json:"caseId"`
	Kind         NotifyKind            `json:"kind"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	DueAt        *time.Time            `json:"dueAt,omitempty"`
	Subject      string                `json:"subject"`
	Text         string                `json:"text"`
	Recipients   []casework.Assignee   `json:"recipients"`
}

// NotifyResult says what the call did; a retry reports the mails the first attempt sent as
// AlreadySent.
type NotifyResult struct {
	Users       int `json:"users"`       // distinct users the recipients resolved to
	Mailed      int `json:"mailed"`      // mails handed to the SMTP server by this call
	AlreadySent int `json:"alreadySent"` // mails an earlier call had sent
	NoAddress   int `json:"noAddress"`   // users without a mail address: in-app only
	// Pending are mails left in the outbox because mail is off (no SMTP server configured).
	Pending int `json:"pending,omitempty"`
	// Rejected are mails the server refused for good (5xx to the recipient or the message): not
	// retried, the reason kept in the outbox; the notification is in the app.
	Rejected int `json:"rejected,omitempty"`
	// Unresolved are recipients that reached nobody: an unknown user or unit, or a role nobody
	// holds in the unit. They are logged; the workflow may address someone else.
	Unresolved int `json:"unresolved,omitempty"`
}
