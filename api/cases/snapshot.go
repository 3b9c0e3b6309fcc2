package cases

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// A case is read from its snapshot (issue 16, docs/architecture.md §15): the whole state its
// workflow last projected, sealed in case_snapshots. A query would wake the workflow, and when
// thousands of deadlines fall due at once the worker has them to do first: the query waits behind
// them and the reader gets 503. The snapshot is read from the database whatever the worker is doing.
//
// It trails the workflow only by what the workflow changes on its own – a deadline passing, an
// escalation, a routing retried – until that change's projection lands, which is moments, or as long
// as the worker is behind. Who may read what is decided on the snapshot's state exactly as on the
// live one (caseView, AccessTo; 404 without a part), and an archived case is still read from the
// archive first.
//
// The live query is used when the reader needs the last second, and that is:
//   - a command: the state it is checked against (prepareCommand) and the state it is answered with
//     (answerCommand) are the workflow's own, since the command is applied to that state;
//   - the read after a command – the web's redirect to the case, another tab, another instance of
//     serve: the API stores the state it answered the command with as the snapshot before it
//     answers (storeSnapshot), under the projection's rule (a newer state sequence only), so any
//     next read shows the command's effect, even while the projection of it waits behind a storm;
//   - a case without a snapshot it can use: none yet (a case projected by a release before
//     snapshots, until its next change), or one behind the case's row (a rollback's projections),
//     or one that cannot be opened.
//
// Other choices were weighed: a ?live=1 or a header from the web after its own command helps the
// web only, not other clients, and in a storm sends exactly that read to the busy worker; a state
// sequence returned by the command and compared on the next read does the same and needs every
// client to carry it. Storing the answered state costs one write per command and makes the API a
// writer of one table of the read model – only of what the workflow itself answered, with its own
// sequence number, so it is the projection arriving early, never a second truth.

// loadSnapshot reads the case's snapshot; ok false when there is none to use.
func (src Source) loadSnapshot(c *gin.Context, caseID string) (state workflows.CaseState, ok bool, err error) {
	if src.DB == nil || src.Codec == nil {
		return state, false, nil
	}
	row, err := src.DB.CaseSnapshot(c.Request.Context(), caseID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return state, false, nil
	case err != nil:
		return state, false, err
	}
	if err := archive.OpenState(src.Codec, row.State, &state); err != nil || state.CaseID != caseID {
		// The workflow is the truth and the snapshot only its copy: a snapshot sealed with a key the
		// keyring no longer holds, or otherwise unreadable, is read past, not failed on.
		httpkit.Logger(c).WarnContext(c.Request.Context(), "case snapshot unreadable; reading the workflow",
			"caseId", caseID, "requestId", httpkit.RequestID(c), "error", err)
		return workflows.CaseState{}, false, nil
	}
	return state, true, nil
}

// storeSnapshot stores state – the workflow's answer to a query just after a command – as the case's
// snapshot, when it is newer than the stored one. A failure is logged, not answered: the command was
// applied, and its projection brings the snapshot up to date.
func (src Source) storeSnapshot(c *gin.Context, state workflows.CaseState) {
	if src.DB == nil || src.Codec == nil || state.CaseID == "" || state.Seq < 1 {
		return
	}
	err := func() error {
		raw, err := json.Marshal(workflows.Snapshot(state))
		if err != nil {
			return err
		}
		sealed, err := archive.SealState(src.Codec, raw)
		if err != nil {
			return err
		}
		return src.DB.StoreCaseSnapshot(c.Request.Context(), db.CaseSnapshot{CaseID: state.CaseID, StateSeq: state.Seq, State: sealed})
	}()
	if err != nil {
		httpkit.Logger(c).WarnContext(c.Request.Context(), "case snapshot not stored after a command",
			"caseId", state.CaseID, "requestId", httpkit.RequestID(c), "error", fmt.Errorf("store snapshot: %w", err))
	}
}
