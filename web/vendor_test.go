package web

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestVendoredAssetsAreAsRecorded holds the vendored files to static/vendor/VERSIONS.md: each file
// listed is there with the SHA-256 recorded, so a hand edit or a half refresh shows.
func TestVendoredAssetsAreAsRecorded(t *testing.T) {
	record, err := os.ReadFile(filepath.Join("static", "vendor", "VERSIONS.md"))
	require.NoError(t, err)
	rows := regexp.MustCompile("(?m)^\\| `((?:web|api)/[^`]+)` \\|.*\\| ([0-9a-f]{64}) \\|$").FindAllStringSubmatch(string(record), -1)
	require.Len(t, rows, 10, "VERSIONS.md lists the CSS, the axe script, the docs page's Swagger UI and their licences")
	for _, row := range rows {
		data, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(row[1]))) // from the repository's root
		require.NoError(t, err, "scripts/vendor-web-assets.sh refreshes %s", row[1])
		sum := sha256.Sum256(data)
		require.Equal(t, row[2], hex.EncodeToString(sum[:]), "%s differs from what VERSIONS.md records", row[1])
	}
}
