package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestProjectionCarriesTheSnapshot: the projection carries the case's state at its state sequence –
// what the query answers, but for the update IDs of recent commands and the pending events, which
// the projection carries apart – so the API can read the case without waking the workflow.
func TestProjectionCarriesTheSnapshot(t *testing.T) {
	pt := newProcessTest(t, casework.Norrbus())
	pt.toSamarbeta(false)
	pt.run(tComplete+time.Hour, func(live CaseState) {
		require.NotEmpty(t, live.RecentCommandIDs, "the scenario sent no command the snapshot leaves out")
		last := pt.projections[len(pt.projections)-1]
		require.Equal(t, live.Seq, last.StateSeq, "the case changed after its last projection")
		var snap CaseState
		require.NoError(t, json.Unmarshal(last.State, &snap))
		want := live
		want.RecentCommandIDs, want.PendingEvents = nil, nil
		require.Equal(t, asJSON(t, want), asJSON(t, snap))
		for _, p := range pt.projections {
			var s CaseState
			require.NoError(t, json.Unmarshal(p.State, &s))
			require.Equal(t, p.StateSeq, s.Seq, "a projection carries the state of another sequence")
			require.Empty(t, s.PendingEvents)
		}
	})
}
