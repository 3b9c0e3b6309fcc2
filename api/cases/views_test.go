package cases

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// TestSuspectsHarmHasOneSource: the view's `suspectsHarm` and its harm-report warning follow the
// concerns its reader sees – a reporter's own, all of them in the full view – so the top of the
// case never says false while a concern below says true, and a reporter learns nothing of another's.
func TestSuspectsHarmHasOneSource(t *testing.T) {
	state := workflows.CaseState{
		CaseID:          "c",
		NamedPersonUnit: &casework.UnitRef{ID: "skola"},
		SuspectsHarm:    true,
		Concerns: []workflows.Concern{
			{ID: "c1", SuspectsHarm: false, By: workflows.Actor{User: "larare"}},
			{ID: "c2", SuspectsHarm: true, By: workflows.Actor{User: "kurator"}},
		},
	}
	for _, row := range []struct {
		name    string
		who     auth.Claims
		harm    bool
		warning bool
	}{
		{"the reporter who suspects harm", auth.Claims{User: "kurator", Role: "reporter", Unit: "skola"}, true, true},
		{"the reporter who does not", auth.Claims{User: "larare", Role: "reporter", Unit: "skola"}, false, false},
		{"the named person, who reads every concern", auth.Claims{User: "rektor", Role: "named_person", Unit: "skola"}, true, true},
	} {
		t.Run(row.name, func(t *testing.T) {
			v, ok := caseView(state, row.who)
			require.True(t, ok)
			require.Equal(t, row.harm, v.SuspectsHarm)
			require.Equal(t, row.warning, v.HarmReportWarning != "")
			anyShown := false
			for _, c := range v.Concerns {
				anyShown = anyShown || c.SuspectsHarm
			}
			require.Equal(t, anyShown, v.SuspectsHarm, "the top agrees with the concerns shown")
		})
	}
}
