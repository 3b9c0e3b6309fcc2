package cases

import (
	"time"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// concernReceiptJSON is the answer to a concern for a caller who had no full access to the case
// before it – every reporter of a new case, and a reporter whose concern joined a case they had no
// part in. It must not tell a new case from a joined one: whether a child already has a case, its
// ID, phase and school are not the reporter's to know (docs/process.md §1). So every field is made
// from the request and the directory alone, never from the case: the same status (202), the same
// keys, the same date for the same request.
type concernReceiptJSON struct {
	ConcernID string `json:"concernId"`
	// Status is always "received".
	Status     string           `json:"status"`
	ReceivedBy concernRecipient `json:"receivedBy"`
	// AcknowledgeBy is when the named person must have taken the concern at the latest, by the
	// municipality's policy from when it was observed; null when the policy sets no such deadline.
	AcknowledgeBy *httpkit.LocalTime `json:"acknowledgeBy"`
	ReceivedAt    httpkit.LocalTime  `json:"receivedAt"`
	Concern       receiptConcernJSON `json:"concern"`
}

// concernRecipient names who takes the concern by role only: the named person's unit would be the
// child's school, which a reporter of another unit must not learn.
type concernRecipient struct {
	Role casework.Role `json:"role"`
}

// receiptConcernJSON is the reporter's own concern as they sent it.
type receiptConcernJSON struct {
	Areas        []casework.WheelArea `json:"areas"`
	Observation  string               `json:"observation"`
	SuspectsHarm bool                 `json:"suspectsHarm"`
	OccurredAt   httpkit.LocalTime    `json:"occurredAt"`
}

func newConcernReceipt(concernID string, cmd workflows.RegisterConcern, policy casework.Policy, now time.Time) concernReceiptJSON {
	r := concernReceiptJSON{
		ConcernID:  concernID,
		Status:     "received",
		ReceivedBy: concernRecipient{Role: casework.RoleNamedPerson},
		ReceivedAt: httpkit.LocalTime(now),
		Concern: receiptConcernJSON{Areas: cmd.Areas, Observation: cmd.Observation, SuspectsHarm: cmd.SuspectsHarm,
			OccurredAt: httpkit.LocalTime(cmd.OccurredAt)},
	}
	if due, ok := policy.DueAt(casework.DeadlineAcknowledge, cmd.OccurredAt); ok {
		at := httpkit.LocalTime(due)
		r.AcknowledgeBy = &at
	}
	return r
}
