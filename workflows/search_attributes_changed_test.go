package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

func TestChangedOnlyKeepsTheUpdatesThatChangeSomething(t *testing.T) {
	due := time.Date(2026, 12, 7, 22, 59, 59, 999e6, time.UTC)
	current := temporal.NewSearchAttributes(saPhase.ValueSet("upptacka"), saOverdue.ValueSet(false), saNextDeadline.ValueSet(due))
	sameInstant := due.In(time.FixedZone("CET", 3600))
	set := func(key temporal.SearchAttributeKey, v any) attributeUpdate {
		return attributeUpdate{key: key, want: v}
	}

	require.Empty(t, changedOnly(current, []attributeUpdate{
		set(saPhase, "upptacka"), set(saOverdue, false), set(saNextDeadline, sameInstant), set(saNamedPersonUnit, nil),
	}), "nothing changes: no upsert")

	changed := changedOnly(current, []attributeUpdate{
		set(saPhase, "kartlagga"), set(saOverdue, false), set(saNextDeadline, nil), set(saNamedPersonUnit, "skola-1"),
		set(saOverdue, true),
	})
	var keys []string
	for _, u := range changed {
		keys = append(keys, u.key.GetName())
	}
	require.Equal(t, []string{SearchAttrPhase, SearchAttrNextDeadline, SearchAttrNamedPersonUnit, SearchAttrOverdue}, keys,
		"a changed phase, an unset deadline, a new unit and a flipped flag; the same flag value is left out")
}
