package main

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEmbeddedTemporalRunsItsSQLiteInWAL: the embedded server's settings reach SQLite. They were
// once spelt so that SQLite ignored them, and the server synced a rollback journal on every commit:
// a third of the figures issue 16 measured. The journal mode is kept in the file, so the file tells
// what the server ran with.
func TestEmbeddedTemporalRunsItsSQLiteInWAL(t *testing.T) {
	s := newSystem(t)
	s.start()
	s.stop()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(s.dataDir, "temporal.db")+"?mode=ro")
	require.NoError(t, err)
	defer conn.Close()
	var mode string
	require.NoError(t, conn.QueryRow("PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
}
