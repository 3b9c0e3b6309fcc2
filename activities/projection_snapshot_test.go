package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestProjectCaseSnapshot: the projection stores the case's state sealed – the child's name is
// nowhere in clear – under the row's state sequence, reads back as it was sent, is never stored
// without a codec, and a projection without a state (a workflow older than snapshots) leaves the
// stored one unread.
func TestProjectCaseSnapshot(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	kr, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: bytes.Repeat([]byte{5}, codec.KeySize)})
	require.NoError(t, err)
	a := &Activities{DB: d, Logger: dbtest.Logger(t), Codec: codec.New(kr)}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, casework.Stockholm)
	state := func(seq int) json.RawMessage {
		return json.RawMessage(`{"caseId":"case-s","child":{"name":"Kanariefågel Påhittad","personalNumber":"201203042383"},"seq":` + string(rune('0'+seq)) + `}`)
	}
	p := CaseProjection{CaseID: "case-s", WorkflowID: "case-x", Municipality: "norrkoping", Phase: casework.PhaseUpptacka,
		NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1}, OpenedAt: at, StateSeq: 1,
		State: state(1)}
	require.NoError(t, a.ProjectCase(ctx, p))
	require.NoError(t, a.ProjectCase(ctx, p), "a retried projection")

	stored, err := d.CaseSnapshot(ctx, "case-s")
	require.NoError(t, err)
	require.EqualValues(t, 1, stored.StateSeq)
	for _, needle := range []string{"Kanarie", "201203042383", "042383"} {
		require.NotContains(t, string(stored.State), needle)
	}
	var back struct {
		Child struct {
			Name string `json:"name"`
		} `json:"child"`
		Seq int64 `json:"seq"`
	}
	require.NoError(t, archive.OpenState(a.Codec, stored.State, &back))
	require.Equal(t, "Kanariefågel Påhittad", back.Child.Name)
	require.EqualValues(t, 1, back.Seq)

	plain := &Activities{DB: d, Logger: dbtest.Logger(t)}
	p.StateSeq, p.State = 2, state(2)
	require.Error(t, plain.ProjectCase(ctx, p), "never in clear")
	row, err := d.Case(ctx, "case-s")
	require.NoError(t, err)
	require.EqualValues(t, 1, row.StateSeq, "nothing of a refused projection is written")

	p.StateSeq, p.State = 3, nil
	require.NoError(t, a.ProjectCase(ctx, p))
	_, err = d.CaseSnapshot(ctx, "case-s")
	require.ErrorIs(t, err, db.ErrNotFound, "a snapshot behind the row is not read")

	p.StateSeq, p.State = 4, json.RawMessage(`{"caseId":`)
	require.Error(t, a.ProjectCase(ctx, p), "a state that is no JSON")
}
