package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/stretchr/testify/require"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// recordHistory writes the case workflow's history to $SAMVERKAN_RECORD_HISTORIES/name.json when that
// is set: how the histories in workflows/testdata/, which the replay test runs, are made. They are
// written decrypted (the children are invented), so the replay test needs no key.
func (s *system) recordHistory(workflowID, name string) {
	s.t.Helper()
	dir := os.Getenv("SAMVERKAN_RECORD_HISTORIES")
	if dir == "" {
		return
	}
	c := s.decryptingClient()
	var h historypb.History
	it := c.GetWorkflowHistory(context.Background(), workflowID, "", false, 0)
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(s.t, err)
		h.Events = append(h.Events, e)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	require.NoError(s.t, err)
	require.NoError(s.t, os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644))
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Info(string, ...any)  {}
func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}
