package timeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTimelineGoldens: the timeline of every recorded history reads as it did when its golden file
// under testdata/golden was written – the history reader stays the timeline of every case begun
// before case events (case_events.go), so no change may alter what they read. The goldens of the
// histories recorded before case events were written on main before case events existed.
// SAMVERKAN_UPDATE_GOLDENS=1 writes the goldens of histories that have none; it never overwrites one.
func TestTimelineGoldens(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "workflows", "testdata", "*.json"))
	require.NoError(t, err)
	own, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	for _, f := range append(files, own...) {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			got := goldenTimeline(t, f)
			golden := filepath.Join("testdata", "golden", name+".json")
			want, err := os.ReadFile(golden)
			if os.IsNotExist(err) && os.Getenv("SAMVERKAN_UPDATE_GOLDENS") != "" {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
				return
			}
			require.NoError(t, err, "no golden for %s (SAMVERKAN_UPDATE_GOLDENS=1 writes it)", name)
			require.Equal(t, string(want), string(got))
		})
	}
}

// goldenTimeline is the JSON timeline the history reader makes of one recorded history.
func goldenTimeline(t *testing.T, file string) []byte {
	t.Helper()
	names := newNameBook()
	entries := readTimeline(t, nil, recordedFile(t, file))
	b, err := json.MarshalIndent(timelineView("golden", entries, nil, names), "", "  ")
	require.NoError(t, err)
	return append(b, '\n')
}
