package cases

import (
	"time"

	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// getCase returns a case – from its snapshot, or live from its workflow (snapshot.go) – as much of it
// as the caller may see (access.go); anyone without a part in the case gets 404, so a case's
// existence does not leak.
func (s *Handlers) getCase(c *gin.Context) {
	l, err := s.source().Load(c)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	state, who := l.State, httpkit.Caller(c)
	view, ok := caseView(state, who)
	if !ok {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	if l.Archived != nil {
		// An archived case takes no command; its reader sees that it is archived (archived.go).
		view.archived(*l.Archived)
		c.JSON(http.StatusOK, view)
		return
	}
	if view.View == "full" {
		// The child's earlier cases are not a reporter's to know (concern_receipt.go).
		view.PreviousCases = s.previousCases(c, l.WorkflowID, state.CaseID)
	}
	actor, err := s.actor(c, who)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	view.Actions = s.caseActions(state, who, actor)
	c.JSON(http.StatusOK, view)
}

func (s *Handlers) source() Source { return Source{Temporal: s.Temporal, DB: s.DB, Codec: s.Codec} }

// Load finds the case of the path's caseId and returns its workflow ID and state, or
// httpkit.ErrNotFound – for every room of the API that reads a case. An archived case is read from
// the archive (archived.go), an open one from its snapshot when it has one (snapshot.go).
func Load(c *gin.Context, src Source) (workflowID string, state workflows.CaseState, err error) {
	l, err := src.Load(c)
	return l.WorkflowID, l.State, err
}

// loadLive reads the case from its running workflow.
func loadLive(c *gin.Context, temporal client.Client, caseID string) (workflowID string, state workflows.CaseState, err error) {
	workflowID, ok := workflowIDOfCase(caseID)
	if !ok {
		return "", state, httpkit.ErrNotFound
	}
	state, err = liveState(c, temporal, workflowID)
	if err != nil {
		return "", state, err
	}
	if state.CaseID != caseID {
		return "", state, httpkit.ErrNotFound // an earlier case of the same child: archived, or gone
	}
	return workflowID, state, nil
}

func liveState(c *gin.Context, temporal client.Client, workflowID string) (workflows.CaseState, error) {
	var state workflows.CaseState
	ctx, cancel := context.WithTimeout(c.Request.Context(), httpkit.QueryWait) // then 503 (httpkit/unavailable.go)
	defer cancel()
	res, err := temporal.QueryWorkflow(ctx, workflowID, "", workflows.QueryCaseState)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return state, httpkit.ErrNotFound
	}
	if err != nil {
		return state, fmt.Errorf("query case state: %w", err)
	}
	if err := res.Get(&state); err != nil {
		return state, fmt.Errorf("decode case state: %w", err)
	}
	return state, nil
}

// reportedHarmSince says whether user reported a suspicion of harm after t.
func reportedHarmSince(concerns []workflows.Concern, user string, t time.Time) bool {
	for _, c := range concerns {
		if c.By.User == user && c.SuspectsHarm && c.RecordedAt.After(t) {
			return true
		}
	}
	return false
}

// workflowIDOfCase reads the workflow ID out of a case ID, refusing anything that is no case ID
// before it reaches Temporal.
func workflowIDOfCase(caseID string) (string, bool) {
	pseudonym, ok := casework.CasePseudonym(caseID)
	if !ok {
		return "", false
	}
	return workflows.CaseWorkflowID(pseudonym), true
}

// caseView is what the reader may see of the case (access.go): all of it with full access; for a
// reporter only their own concerns, the case reference and, when they suspected harm, whether the
// report to social services is recorded (docs/process.md §1, §8) – not the named person's unit.
func caseView(state workflows.CaseState, who auth.Claims) (caseJSON, bool) {
	v := caseJSON{CaseID: state.CaseID, Deadlines: []deadlineJSON{}, Actions: []actionJSON{}}
	switch AccessTo(state, who) {
	case NoAccess:
		return v, false
	case ReporterAccess:
		v.View = "reporter"
		v.Concerns = concernsJSON(state.Concerns, func(c workflows.Concern) bool { return c.By.User == who.User })
		v.suspectsHarm()
		if v.SuspectsHarm {
			v.harmReport(state)
			// An answer recorded before the reporter's own suspicion is not about it, and would tell them
			// that the child had a case before their concern (issue 17): they see what the reporter of a
			// new case sees, the warning (HarmReportMissing asks again for a later suspicion).
			if h := state.HarmReport; h != nil && reportedHarmSince(state.Concerns, who.User, h.RecordedAt) {
				v.HarmReport = nil
			}
			// Recorded by someone else – the named person, as a rule – it names them by role only:
			// their name and unit would name the child's school.
			if h := v.HarmReport; h != nil && h.By.User != who.User {
				h.By = workflows.Actor{Role: h.By.Role}
			}
		}
		return v, true
	}
	// Only full access names the named person's unit: it is the child's school, which a reporter of
	// another unit must not learn by reporting (concern_receipt.go).
	if u := state.NamedPersonUnit; u != nil {
		v.NamedPersonUnit = &httpkit.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind}
	}
	opened, policy := httpkit.LocalTime(state.OpenedAt), state.Policy.PolicyRef
	v.View = "full"
	v.Phase, v.Municipality, v.Policy, v.OpenedAt, v.Areas = state.Phase, state.Municipality, &policy, &opened, state.Areas
	v.RoutingReason, v.Overdue = state.RoutingReason, state.Overdue
	v.Child = &childViewJSON{Name: state.Child.Name, PersonalNumber: state.Child.PersonalNumber,
		ReserveNumber: state.Child.ReserveNumber, BirthDate: state.Child.BirthDate, Schooling: state.Child.Schooling}
	v.Deadlines = deadlinesJSON(state.Deadlines)
	for _, d := range state.Deviations {
		v.Deviations = append(v.Deviations, deviationView(d))
	}
	v.Concerns = concernsJSON(state.Concerns, func(workflows.Concern) bool { return true })
	v.suspectsHarm()
	v.process(state)
	v.plan(state)
	return v, true
}

// LiveState is the live state of the case workflow workflowID, or httpkit.ErrNotFound – for the
// codec endpoint, which knows a payload's workflow but not its case ID.
func LiveState(c *gin.Context, temporal client.Client, workflowID string) (workflows.CaseState, error) {
	return liveState(c, temporal, workflowID)
}
