package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// TestCaseReadFromItsSnapshot: with Temporal out of reach – as a worker busy with a storm of
// deadlines is for a query – a case with a snapshot is read from it, shaped by the same access rule
// (a reporter sees their part, anyone without a part 404); a command, checked against the live state,
// still answers 503, and so does a case without a snapshot, or with one behind its row.
func TestCaseReadFromItsSnapshot(t *testing.T) {
	s, _ := outageServer(t)
	ring, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: bytes.Repeat([]byte{7}, codec.KeySize)})
	require.NoError(t, err)
	s.Codec = codec.New(ring)
	h := s.Handler() // with the codec, which reads snapshots
	s.Tokens.(apitest.Tokens)["erik"] = auth.Claims{User: "erik.larare", Role: "reporter", Unit: "norrkoping-skola-2"}
	ctx := context.Background()
	const caseID, bare = "lru26rjx6g7xdul45au2mbaqn2-h4f65sc4", "mxh2pq7rcmhqyoc2ofz4nbprd4-k2a7sd3b"
	opened := time.Date(2026, 11, 26, 9, 30, 0, 0, casework.Stockholm)
	state := workflows.CaseState{CaseID: caseID, Municipality: "norrkoping", Phase: casework.PhaseKartlagga, Seq: 3,
		Policy: casework.Norrkoping(), OpenedAt: opened, Areas: []casework.WheelArea{"lärande"},
		Child:           workflows.Child{Name: "Melwin Påhittad", PersonalNumber: "201203159817", BirthDate: "2012-03-15"},
		NamedPersonUnit: &casework.UnitRef{ID: school, Name: "Lärkängsskolan", Kind: casework.UnitSchool},
		Concerns: []workflows.Concern{{ID: "c1", Areas: []casework.WheelArea{"lärande"}, Observation: "Nästan ingen närvaro.",
			OccurredAt: opened, RecordedAt: opened, By: workflows.Actor{User: "anna.larare", Role: casework.RoleReporter, Unit: school}}}}
	raw, err := json.Marshal(state)
	require.NoError(t, err)
	sealed, err := archive.SealState(s.Codec, raw)
	require.NoError(t, err)
	require.NoError(t, s.DB.ProjectCase(ctx, db.CaseProjection{
		Case: db.CaseRow{CaseID: caseID, WorkflowID: "case-x", MunicipalityID: "norrkoping", Phase: string(state.Phase),
			NamedPersonUnitID: school, Policy: state.Policy.PolicyRef, OpenedAt: opened, StateSeq: 3},
		Snapshot: &db.CaseSnapshot{CaseID: caseID, StateSeq: 3, State: sealed}}))

	var full struct {
		View  string `json:"view"`
		Phase string `json:"phase"`
		Child struct {
			Name string `json:"name"`
		} `json:"child"`
		Actions []any `json:"actions"`
	}
	rec := call(h, http.MethodGet, "/api/v1/cases/"+caseID, "bertil", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &full))
	require.Equal(t, "full", full.View)
	require.Equal(t, "Melwin Påhittad", full.Child.Name)
	require.NotEmpty(t, full.Actions, "the named person is offered the steps of the snapshot's state")

	rec = call(h, http.MethodGet, "/api/v1/cases/"+caseID, "anna", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"view":"reporter"`)
	require.NotContains(t, rec.Body.String(), "Melwin")
	require.Equal(t, http.StatusNotFound, call(h, http.MethodGet, "/api/v1/cases/"+caseID, "erik", "").Code, "someone without a part")

	requireUnavailable(t, call(h, http.MethodPost, "/api/v1/cases/"+caseID+"/acknowledgement", "bertil", `{}`))
	requireUnavailable(t, call(h, http.MethodGet, "/api/v1/cases/"+bare, "bertil", ""))

	// A release before snapshots projects the row past it: the snapshot no longer shows the case.
	row := db.CaseRow{CaseID: caseID, WorkflowID: "case-x", MunicipalityID: "norrkoping", Phase: string(state.Phase),
		NamedPersonUnitID: school, Policy: state.Policy.PolicyRef, OpenedAt: opened, StateSeq: 4}
	require.NoError(t, s.DB.ProjectCase(ctx, db.CaseProjection{Case: row}))
	requireUnavailable(t, call(h, http.MethodGet, "/api/v1/cases/"+caseID, "bertil", ""))
}
