package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// getCase returns a case's live state from its workflow. Who may read it (until the full model of
// the access issue): the named person and the supervisor of the named person's unit see the case; a
// reporter sees what they reported and that it was received; anyone else gets 404, so a case's
// existence does not leak.
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

// readsWholeCase: the named person of the case's unit and that unit's supervisor. Colleagues in the
// same unit are not: sharing a workplace is not a need to know.
func readsWholeCase(state workflows.CaseState, who auth.Claims) bool {
	u := state.NamedPersonUnit
	if u == nil || u.ID != who.Unit {
		return false
	}
	role := casework.Role(who.Role)
	return role == casework.RoleNamedPerson || role == casework.RoleSupervisor
}

// caseView is what the reader may see of the case: all of it for the named person's unit; for a
// reporter only their own concerns, who received them and the case reference (DOMAIN.md §1).
func caseView(state workflows.CaseState, who auth.Claims) (caseJSON, bool) {
	v := caseJSON{CaseID: state.CaseID, Deadlines: []deadlineJSON{}}
	if u := state.NamedPersonUnit; u != nil {
		v.NamedPersonUnit = &unitRefJSON{ID: u.ID, Name: u.Name, Kind: u.Kind}
	}
	if !readsWholeCase(state, who) {
		v.View = "reporter"
		v.Concerns = concernsJSON(state.Concerns, func(c workflows.Concern) bool { return c.By.User == who.User })
		return v, len(v.Concerns) > 0
	}
	opened, policy := localTime(state.OpenedAt), state.Policy.PolicyRef
	v.View = "full"
	v.Phase, v.Municipality, v.Policy, v.OpenedAt, v.Areas = state.Phase, state.Municipality, &policy, &opened, state.Areas
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
