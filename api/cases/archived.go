package cases

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// A case whose workflow has ended is read from the archive (issue 13, docs/process.md §7.2), with the same
// rules of who may read it as a live case: the access grants of its final state – who had a part at
// its closing – reaching the caller by casework/access.go. Commands on it answer 409.

// errArchived answers a command on an archived case.
var errArchived = httpkit.Status(http.StatusConflict, "ärendet är avslutat och arkiverat; en ny orosanmälan om barnet öppnar ett nytt ärende")

// Source is where the API reads a case: the archive when the case is archived, its snapshot or its
// workflow otherwise (snapshot.go).
type Source struct {
	Temporal client.Client
	DB       *db.DB
	// Codec opens the archived file (the keys of Temporal's payloads).
	Codec archive.Codec
}

// Loaded is a case as Source.Load found it. Archived and File are set for an archived case.
type Loaded struct {
	WorkflowID string
	State      workflows.CaseState
	Archived   *db.ArchivedCase
	File       *archive.File
}

// Load reads the path's case: from the archive if it is there, else from its snapshot, else from its
// running workflow (snapshot.go says when which). None: httpkit.ErrNotFound.
func (src Source) Load(c *gin.Context) (Loaded, error) {
	return src.load(c, false)
}

// LoadLive is Load without the snapshot: the state a command is checked against is its workflow's.
func (src Source) LoadLive(c *gin.Context) (Loaded, error) {
	return src.load(c, true)
}

func (src Source) load(c *gin.Context, live bool) (Loaded, error) {
	caseID := c.Param("caseId")
	if _, ok := casework.CasePseudonym(caseID); !ok {
		return Loaded{}, httpkit.ErrNotFound
	}
	if src.DB != nil {
		row, err := src.DB.ArchivedCase(c.Request.Context(), caseID)
		switch {
		case err == nil:
			return src.openArchived(row)
		case !errors.Is(err, db.ErrNotFound):
			return Loaded{}, err
		}
	}
	if !live {
		if state, ok, err := src.loadSnapshot(c, caseID); err != nil || ok {
			workflowID, _ := workflowIDOfCase(caseID)
			return Loaded{WorkflowID: workflowID, State: state}, err
		}
	}
	workflowID, state, err := loadLive(c, src.Temporal, caseID)
	return Loaded{WorkflowID: workflowID, State: state}, err
}

func (src Source) openArchived(row db.ArchivedCase) (Loaded, error) {
	f, err := archive.Open(src.Codec, row.Content)
	if err != nil {
		return Loaded{}, fmt.Errorf("archived case %s: %w", row.CaseID, err)
	}
	var state workflows.CaseState
	if err := json.Unmarshal(f.State, &state); err != nil {
		return Loaded{}, fmt.Errorf("archived case %s: state: %w", row.CaseID, err)
	}
	return Loaded{WorkflowID: row.WorkflowID, State: state, Archived: &row, File: &f}, nil
}

// archived marks the view of an archived case: no actions, when it is erased, whether it is held.
// Only a reader with full access sees the retention.
func (v *caseJSON) archived(row db.ArchivedCase) {
	v.Archived, v.Actions = true, []actionJSON{}
	if v.View == "full" {
		held := row.LegalHold != nil
		v.EraseAfter, v.LegalHold = httpkit.LocalTimePtr(&row.EraseAfter), &held
	}
}

// previousCases are the archived cases of the same child that a live case follows; a failure to
// read them leaves the link out rather than fail the case.
func (s *Handlers) previousCases(c *gin.Context, workflowID, caseID string) []string {
	if s.DB == nil || workflowID == "" {
		return nil
	}
	rows, err := s.DB.ArchivedCasesOfWorkflow(c.Request.Context(), workflowID, false)
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range rows {
		if r.CaseID != caseID {
			out = append(out, r.CaseID)
		}
	}
	return out
}
