package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/workflows"
)

// getCase returns a case's live state from its workflow. Who may read it (until the full model of
// the access issue): the named person's unit sees the case; a reporter sees what they reported and
// that it was received; anyone else gets 404, so a case's existence does not leak.
func (s *Server) getCase(c *gin.Context) {
	caseID := c.Param("caseId")
	workflowID, ok := workflowIDOfCase(caseID)
	if !ok {
		writeError(c, errNotFound)
		return
	}
	state, err := s.caseState(c, workflowID)
	if err != nil {
		writeError(c, err)
		return
	}
	if state.CaseID != caseID {
		writeError(c, errNotFound) // an earlier case of the same child; read-model look-up comes later
		return
	}
	view, ok := caseView(state, caller(c))
	if !ok {
		writeError(c, errNotFound)
		return
	}
	c.JSON(http.StatusOK, view)
}

func (s *Server) caseState(c *gin.Context, workflowID string) (workflows.CaseState, error) {
	var state workflows.CaseState
	res, err := s.Temporal.QueryWorkflow(c.Request.Context(), workflowID, "", workflows.QueryCaseState)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return state, errNotFound
	}
	if err != nil {
		return state, fmt.Errorf("query case state: %w", err)
	}
	if err := res.Get(&state); err != nil {
		return state, fmt.Errorf("decode case state: %w", err)
	}
	return state, nil
}

// workflowIDOfCase reads the workflow ID out of a case ID ("<pseudonym>-<suffix>"), refusing
// anything else before it reaches Temporal.
func workflowIDOfCase(caseID string) (string, bool) {
	pseudonym, suffix, ok := strings.Cut(caseID, "-")
	if !ok || len(pseudonym) != 26 || len(suffix) == 0 || len(suffix) > 16 || !isBase32Lower(pseudonym) || !isBase32Lower(suffix) {
		return "", false
	}
	return workflows.CaseWorkflowID(pseudonym), true
}

func isBase32Lower(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

func caseView(state workflows.CaseState, who auth.Claims) (caseJSON, bool) {
	v := caseJSON{
		CaseID: state.CaseID, Phase: state.Phase, Municipality: state.Municipality, Policy: state.Policy.PolicyRef,
		Areas: state.Areas, OpenedAt: localTime(state.OpenedAt), Deadlines: []deadlineJSON{},
	}
	if u := state.NamedPersonUnit; u != nil {
		v.NamedPersonUnit = &unitRefJSON{ID: u.ID, Name: u.Name, Kind: u.Kind}
	}
	if u := state.NamedPersonUnit; u != nil && u.ID == who.Unit {
		v.View = "full"
		v.RoutingReason, v.SuspectsHarm, v.Overdue = state.RoutingReason, state.SuspectsHarm, state.Overdue
		v.Child = &childViewJSON{Name: state.Child.Name, PersonalNumber: state.Child.PersonalNumber,
			ReserveNumber: state.Child.ReserveNumber, BirthDate: state.Child.BirthDate, Schooling: state.Child.Schooling}
		v.Deadlines = deadlinesJSON(state.Deadlines)
		for _, d := range state.Deviations {
			v.Deviations = append(v.Deviations, deviationJSON{Kind: d.Kind, DeadlineKind: d.DeadlineKind, UnitID: d.UnitID,
				Description: d.Description, OccurredAt: localTime(d.OccurredAt), RecordedAt: localTime(d.RecordedAt)})
		}
		v.Concerns = concernsJSON(state.Concerns, func(workflows.Concern) bool { return true })
		return v, true
	}
	v.View = "reporter"
	v.Areas = nil
	v.Concerns = concernsJSON(state.Concerns, func(c workflows.Concern) bool { return c.By.User == who.User })
	return v, len(v.Concerns) > 0
}
