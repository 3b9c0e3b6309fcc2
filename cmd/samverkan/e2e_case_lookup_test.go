package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/workflows"
)

// registerConcern posts a concern as a reporter without a part in the case, which is answered with
// a receipt only (202, no case ID: api/cases/concern_receipt.go), and returns the ID of the case it
// started or joined, found as the tests' own look-up (caseFinder) finds it.
func (s *system) registerConcern(token string, body any) string {
	s.t.Helper()
	return s.concernCase(token, body).CaseID
}

// concernCase posts a concern like registerConcern and returns the case it started or joined as the
// API's full answer to a concern held it before a reporter's answer became a receipt: the case's
// ID, phase, named person's unit and deadlines – for the many tests that build a case this way.
func (s *system) concernCase(token string, body any) caseBody {
	s.t.Helper()
	require.Equal(s.t, http.StatusAccepted, s.call("POST", "/api/v1/concerns", token, body, nil))
	state, err := s.cases().state(body)
	require.NoError(s.t, err)
	c := caseBody{CaseID: state.CaseID, Phase: string(state.Phase)}
	if u := state.NamedPersonUnit; u != nil {
		c.NamedPersonUnit.ID, c.NamedPersonUnit.Name = u.ID, u.Name
	}
	for _, d := range state.Deadlines {
		c.Deadlines = append(c.Deadlines, struct {
			Kind   string `json:"kind"`
			DueAt  string `json:"dueAt"`
			Status string `json:"status"`
		}{string(d.Kind), d.DueAt.In(casework.Stockholm).Format(time.RFC3339), string(d.Status)})
	}
	return c
}

// caseOf is the ID of the child's open case of a concern's body.
func (s *system) caseOf(body any) string {
	s.t.Helper()
	id, err := s.cases().caseID(body)
	require.NoError(s.t, err)
	return id
}

// cases is the system's caseFinder, made on first use; the system must have started (which makes
// the keys it reads). Call it first from the test's goroutine: it may fail the test.
func (s *system) cases() *caseFinder {
	s.t.Helper()
	if s.finder == nil {
		cfg, err := config.Load(newFlagSet(), nil, s.getenv)
		require.NoError(s.t, err)
		key, err := pseudonymKey(cfg, true)
		require.NoError(s.t, err)
		s.finder = &caseFinder{pseudonymKey: key, temporal: s.decryptingClient()}
	}
	return s.finder
}

// caseFinder finds the child's open case of a concern's body in Temporal, by the child's pseudonym
// as the API does, since a reporter's answer names no case. It fails no test itself, so that the
// chaos test and the benchmarks may use it from their goroutines and across restarts.
type caseFinder struct {
	pseudonymKey []byte
	temporal     client.Client
}

func (f *caseFinder) caseID(body any) (string, error) {
	state, err := f.state(body)
	return state.CaseID, err
}

func (f *caseFinder) state(body any) (workflows.CaseState, error) {
	var state workflows.CaseState
	raw, err := json.Marshal(body)
	if err != nil {
		return state, err
	}
	var req struct {
		Child struct{ PersonalNumber, ReserveNumber, Municipality string }
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return state, err
	}
	// The identity the pseudonym is made from (api/cases/concern_request.go).
	identity := "reserve:" + req.Child.Municipality + ":" + strings.ToUpper(req.Child.ReserveNumber)
	if req.Child.PersonalNumber != "" {
		pn, err := casework.ParsePersonalNumber(req.Child.PersonalNumber, time.Now().In(casework.Stockholm))
		if err != nil {
			return state, err
		}
		identity = pn.Digits()
	}
	workflowID := workflows.CaseWorkflowID(casework.ChildPseudonym(f.pseudonymKey, identity))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := f.temporal.QueryWorkflow(ctx, workflowID, "", workflows.QueryCaseState)
	if err != nil {
		return state, fmt.Errorf("the case of %s: %w", workflowID, err)
	}
	return state, res.Get(&state)
}
