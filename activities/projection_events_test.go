package activities

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestProjectCaseEvents: the projection writes the case's events sealed – a name and what someone
// wrote are nowhere in the row – once each, and refuses to write them without a codec.
func TestProjectCaseEvents(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	kr, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: bytes.Repeat([]byte{3}, codec.KeySize)})
	require.NoError(t, err)
	a := &Activities{DB: d, Logger: dbtest.Logger(t), Codec: codec.New(kr)}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, casework.Stockholm)
	step := CaseEvent{Seq: 1, Kind: EventStep, OccurredAt: at, RecordedAt: at.Add(time.Hour),
		By:   &EventActor{User: "anna.larare", Name: "Kanariefågel Påhittad", Role: casework.RoleReporter, Unit: "norrkoping-skola-1"},
		Step: &StepEvent{Update: "RegisterConcern", Command: RecordedInput(map[string]string{"observation": "Kanariefrånvaro"}), Answer: RecordedInput(struct{}{})}}
	routed := CaseEvent{Seq: 2, Kind: EventConcernRouted, OccurredAt: at, RecordedAt: at.Add(time.Hour),
		Routing: &RouteConcernResult{Unit: casework.UnitRef{ID: "norrkoping-skola-1", Name: "Lärkängsskolan"}}}
	projection := CaseProjection{CaseID: "case-e", WorkflowID: "case-x", Municipality: "norrkoping", Phase: casework.PhaseUpptacka,
		NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1}, OpenedAt: at, StateSeq: 1,
		Events: []CaseEvent{step, routed}}

	require.NoError(t, a.ProjectCase(ctx, projection))
	require.NoError(t, a.ProjectCase(ctx, projection), "a retried projection")
	rows, err := d.CaseEvents(ctx, "case-e")
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, "anna.larare", rows[0].ByUser)
	require.Equal(t, string(casework.RoleReporter), rows[0].ByRole)
	require.Empty(t, rows[1].ByUser, "the system")
	for _, r := range rows {
		require.NotContains(t, string(r.Body), "Kanarie")
	}
	var back CaseEvent
	require.NoError(t, archive.OpenEvent(a.Codec, rows[0].Body, &back))
	require.Equal(t, "Kanariefågel Påhittad", back.By.Name)
	cmd, err := back.Step.Command.JSON()
	require.NoError(t, err)
	require.JSONEq(t, `{"observation":"Kanariefrånvaro"}`, string(cmd))

	plain := &Activities{DB: d, Logger: dbtest.Logger(t)}
	projection.StateSeq, projection.Events = 2, []CaseEvent{{Seq: 3, Kind: EventNoticeSent, OccurredAt: at, RecordedAt: at, Notice: &NoticeEvent{}}}
	require.Error(t, plain.ProjectCase(ctx, projection), "never in clear")
}
