package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCleanStopIsQuiet: Ctrl-C on `samverkan dev` with a case open writes no warning or error. A
// stop that warns teaches people to skip the warnings that matter.
func TestCleanStopIsQuiet(t *testing.T) {
	s := newSystem(t) // logs at warn and above
	s.start()
	anna := s.token("anna.larare")
	require.Equal(t, http.StatusAccepted, s.call("POST", "/api/v1/concerns", anna,
		childConcern("Vilgot Påhittad", birthDateForAge(9), 318, "3", []string{"trygghet"},
			"Vill inte gå hem efter skolan.", false, time.Now().Add(-time.Hour)), nil))

	signalled := time.Now()
	s.stop()

	var loud []string
	lines := bufio.NewScanner(bytes.NewReader(s.log.Bytes()))
	lines.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for lines.Scan() {
		var entry struct {
			Time  time.Time `json:"time"`
			Level string    `json:"level"`
		}
		if json.Unmarshal(lines.Bytes(), &entry) != nil || entry.Time.Before(signalled) {
			continue // the banner, or a line from before the stop
		}
		if entry.Level == "WARN" || entry.Level == "ERROR" {
			loud = append(loud, lines.Text())
		}
	}
	require.NoError(t, lines.Err())
	assert.Empty(t, loud, "a clean stop logged %d warnings or errors", len(loud))
}
