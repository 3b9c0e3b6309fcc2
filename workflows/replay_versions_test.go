package workflows

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// versionChanges are the workflow's GetVersion change IDs. Each must be taken by at least one recorded
// history, so the replay test runs its new branch; the histories recorded before it exercise the
// default branch.
var versionChanges = []string{searchAttributesVersion, pendingRevocationVersion, projectCarriedVersion,
	remindersVersion, firstConcernTimerVersion, reopenWindowVersion, phaseSinceVersion}

func TestEveryVersionBranchIsInARecordedHistory(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	taken := map[string][]string{}
	for _, f := range files {
		for _, id := range versionMarkers(t, f) {
			taken[id] = append(taken[id], filepath.Base(f))
		}
	}
	for _, id := range versionChanges {
		require.NotEmpty(t, taken[id], "no recorded history takes the %q branch: record one (cmd/samverkan recordHistory)", id)
	}
}

// versionMarkers are the change IDs of the Version markers in a recorded history.
func versionMarkers(t *testing.T, file string) []string {
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var h struct {
		Events []struct {
			Marker *struct {
				MarkerName string `json:"markerName"`
				Details    map[string]struct {
					Payloads []struct {
						Data string `json:"data"`
					} `json:"payloads"`
				} `json:"details"`
			} `json:"markerRecordedEventAttributes"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(raw, &h), file)
	var ids []string
	for _, e := range h.Events {
		if e.Marker == nil || e.Marker.MarkerName != "Version" || len(e.Marker.Details["change-id"].Payloads) == 0 {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(e.Marker.Details["change-id"].Payloads[0].Data)
		require.NoError(t, err)
		var id string
		require.NoError(t, json.Unmarshal(data, &id))
		ids = append(ids, id)
	}
	return ids
}
