package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/activities"
)

// The case file outlives its workflow (issue 13, docs/process.md §7.2): before a finished case's workflow
// completes – its reopening period over, or at its closing where the policy has none – the
// ArchiveCase activity writes the whole file to the application database. From then on the API reads
// the case from the archive, and Temporal's history may go.

// archiveVersion guards the archiving at the end of a finished case. Cases that completed before it
// are archived by `samverkan archive` while their histories last; the DefaultVersion branch may go
// once no case begun before this release is still open.
const archiveVersion = "archive-before-completion"

// archiveRetryAfter is how long a case whose archiving failed past the activity's retries waits
// before it tries again. It does not complete before its file is archived: its history would be the
// only record, and the namespace deletes it.
const archiveRetryAfter = time.Hour

// archive writes the finished case's file, retrying until it is written.
func (c *caseRun) archive(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, archiveVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	// The state travels as itself; the activity receives it as raw JSON (activities.ArchiveRequest).
	// Marshalling it here would be no different, but workflow code marshals nothing itself.
	req := archiveCaseInput{ArchiveRequest: ArchiveRequestOf(c.state), State: c.state}
	for {
		var res activities.ArchiveResult
		err := workflow.ExecuteActivity(withActivityOptions(ctx, backgroundBudget), activities.NameArchiveCase, req).Get(ctx, &res)
		if err == nil {
			return nil
		}
		workflow.GetLogger(ctx).Error("archiving the case failed; trying again later", "caseId", c.state.CaseID, "error", err)
		if err := workflow.Sleep(ctx, archiveRetryAfter); err != nil {
			return err
		}
	}
}

// archiveCaseInput is the ArchiveCase activity's input as the workflow sends it: the request with
// the state itself in its "state" field.
type archiveCaseInput struct {
	activities.ArchiveRequest
	State CaseState `json:"state"`
}

// ArchiveRequestOf is what the archive is given of a closed case, but its state: the workflow's and
// `samverkan archive`'s for cases that completed before the archive existed (which set State). The
// erase-after time is the closing's business time plus the retention of the case's policy version.
func ArchiveRequestOf(state CaseState) activities.ArchiveRequest {
	req := activities.ArchiveRequest{CaseID: state.CaseID, Municipality: state.Municipality,
		Policy: state.Policy.PolicyRef, OpenedAt: state.OpenedAt}
	if u := state.NamedPersonUnit; u != nil {
		req.NamedPersonUnitID = u.ID
	}
	if cl := state.Closed; cl != nil {
		req.ClosedAt = cl.OccurredAt
	}
	req.EraseAfter = state.Policy.EraseAfter(req.ClosedAt)
	return req
}
