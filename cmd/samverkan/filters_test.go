package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestSavedFilters(t *testing.T) {
	// Thursday 7 January 2027: 20 working days back, over trettondedag jul, nyårsdagen, nyårsafton
	// and Christmas, is Thursday 3 December 2026.
	now := time.Date(2027, 1, 7, 9, 0, 0, 0, casework.Stockholm)
	since := casework.NewCalendar(true).SubtractWorkingDays(now, 20)
	require.True(t, since.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, casework.Stockholm)), "%s", since)
	filters := savedFilters(now, "lulea", 20)
	require.Len(t, filters, 3)
	require.Contains(t, filters[1].query, `SamverkanPhase = "samarbeta"`)
	require.Contains(t, filters[1].query, `SamverkanPhaseSince < "2026-12-02T23:00:00Z"`)
	require.Contains(t, filters[0].query, `SamverkanMunicipality = "lulea"`)
}

// Every search attribute the dev server registers is registered by the compose setup and listed for
// other clusters, so the workflow's upsert never fails on a cluster set up by the docs.
func TestSearchAttributesAreDocumentedForClusters(t *testing.T) {
	setup, err := os.ReadFile("../../deploy/temporal/setup.sh")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../deploy/README.md")
	require.NoError(t, err)
	for name, typ := range caseSearchAttributes {
		kind := map[int32]string{1: "Text", 2: "Keyword", 3: "Int", 4: "Double", 5: "Bool", 6: "Datetime"}[int32(typ)]
		require.Contains(t, string(setup), name+":"+kind, "deploy/temporal/setup.sh")
		require.True(t, strings.Contains(string(readme), "--name "+name+" --type "+kind), "deploy/README.md lists %s", name)
	}
}
