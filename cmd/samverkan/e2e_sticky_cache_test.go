package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestStickyCacheBoundHoldsInDev: the worker's sticky cache keeps at most
// SAMVERKAN_WORKER_STICKY_CACHE cases in memory in `samverkan dev` too, where the embedded server's
// own workers start first. They used to fix the process's cache at the SDK's 10,000, so the bound
// that keeps sleeping cases on disk never applied there (issue 16: 10,000 cases held 1.4 GB).
func TestStickyCacheBoundHoldsInDev(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_WORKER_STICKY_CACHE=2")
	s.command("seed", "--demo")
	s.start()
	defer s.stop()
	anna := s.token("anna.larare")
	birth := time.Date(2014, 3, 9, 0, 0, 0, 0, casework.Stockholm)
	now := time.Now().Add(-time.Hour).Truncate(time.Second)
	for serial := 960; serial < 966; serial++ {
		s.concernCase(anna, concern(syntheticPersonalNumber(birth, serial), "2014-03-09", "norrkoping-skola-1", now))
	}
	m := s.scrape()
	size := m.value("temporal_sticky_cache_size", "workflow_type", "Case")
	require.Positive(t, size, "the cache holds the cases the worker just ran")
	require.LessOrEqual(t, size, 2.0, "six cases run, a cache of two")
}
