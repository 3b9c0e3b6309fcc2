package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// matrixActions are the commands of a case by route, with the name the case's actions give each –
// the names the web front end relies on.
var matrixActions = map[string]string{
	"POST /api/v1/cases/:caseId/acknowledgement":                          "acknowledge",
	"POST /api/v1/cases/:caseId/delegation":                               "delegate",
	"POST /api/v1/cases/:caseId/harm-report":                              "harmReport",
	"PUT /api/v1/cases/:caseId/assessment":                                "assessment",
	"POST /api/v1/cases/:caseId/assessment/completion":                    "completeAssessment",
	"POST /api/v1/cases/:caseId/consents":                                 "consent",
	"POST /api/v1/cases/:caseId/consent-revocations":                      "revokeConsent",
	"POST /api/v1/cases/:caseId/summons":                                  "summons",
	"POST /api/v1/cases/:caseId/summons/invitations/:invitationId/answer": "answerInvitation",
	"POST /api/v1/cases/:caseId/meeting":                                  "meeting",
	"POST /api/v1/cases/:caseId/coordinator":                              "appointCoordinator",
	"POST /api/v1/cases/:caseId/plans":                                    "proposePlan",
	"POST /api/v1/cases/:caseId/plans/:version/approvals":                 "approvePlan",
	"POST /api/v1/cases/:caseId/follow-ups":                               "followUp",
	"POST /api/v1/cases/:caseId/deviations":                               "reportDeviation",
	"POST /api/v1/cases/:caseId/deviations/:deviationId/handling":         "handleDeviation",
	"POST /api/v1/cases/:caseId/disagreements":                            "raiseDisagreement",
	"POST /api/v1/cases/:caseId/disagreements/:disagreementId/decision":   "decideDisagreement",
	"POST /api/v1/cases/:caseId/disagreements/:disagreementId/escalation": "escalateDisagreement",
	"POST /api/v1/cases/:caseId/placement":                                "placement",
	"POST /api/v1/cases/:caseId/placement/health-examination":             "healthExamination",
	"POST /api/v1/cases/:caseId/placement/cost-distribution":              "costDistribution",
	"POST /api/v1/cases/:caseId/handover":                                 "handover",
	"POST /api/v1/cases/:caseId/closing":                                  "close",
	"POST /api/v1/cases/:caseId/reopening":                                "reopen",
}

// refusedForTheirBody are the cells whose command is the user's to give, so it is offered, but whose
// body is not theirs: a participating agency records a revocation of consent for itself only, and
// the matrix's revocation is for the school health team (403 from the workflow's check of the body).
var refusedForTheirBody = map[string][]string{
	"POST /api/v1/cases/:caseId/consent-revocations": {"cecilia.socialsekreterare", "frida.bup"},
}

// TestEveryCommandHasAnAction: the table above names every command route of the matrix, so each
// command's cells check the case's actions.
func TestEveryCommandHasAnAction(t *testing.T) {
	var commands []string
	for _, row := range matrixRows() {
		// A legal hold is an admin's decision about the archive (legalhold.go), not a step of the case.
		if row.route == "POST /api/v1/cases/:caseId/legal-hold" {
			continue
		}
		if strings.HasPrefix(row.route, "POST /api/v1/cases/:caseId/") || strings.HasPrefix(row.route, "PUT /api/v1/cases/:caseId/") {
			commands = append(commands, row.route)
		}
	}
	var named []string
	for route := range matrixActions {
		named = append(named, route)
	}
	slices.Sort(commands)
	slices.Sort(named)
	require.Equal(t, commands, named)
}

// requireActionsAgree holds the case's actions, as the cell's user reads them just before sending
// the cell's request, against the answer the matrix expects for it – every body in the matrix being
// one that would be valid: the command is offered, with this request's method and path, exactly
// when the request is allowed (2xx). A user who cannot read the case is offered nothing.
func (m *matrix) requireActionsAgree(t testing.TB, sc *system, row *matrixRow, user string, cell, token, caseID, path string, expect int) {
	method, _, _ := strings.Cut(row.route, " ")
	command := matrixActions[row.route]
	ans := sc.sendRaw(http.MethodGet, "/api/v1/cases/"+caseID, token, nil, nil)
	var view struct {
		Actions []struct{ Command, Method, Path string }
	}
	if ans.status == http.StatusOK {
		require.NoError(t, json.Unmarshal(ans.body, &view), "%s: the case", cell)
	}
	offered := false
	for _, a := range view.Actions {
		if a.Method == method && a.Path == path {
			offered = true
			require.Equal(t, command, a.Command, "%s: the action's name", cell)
		}
	}
	allowed := expect >= 200 && expect < 300
	if slices.Contains(refusedForTheirBody[row.route], user) && ans.status == http.StatusOK {
		allowed = expect == http.StatusForbidden
	}
	if offered != allowed {
		t.Errorf("%s: offered %v (reading the case: %d), but the request is answered %d; actions %+v", cell, offered, ans.status, expect, view.Actions)
	}
}
