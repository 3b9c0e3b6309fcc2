package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTheMenuShowsEachRoleItsPages(t *testing.T) {
	keys := func(role string) string {
		var out []string
		for _, m := range menuFor(role) {
			out = append(out, m.Key)
		}
		return strings.Join(out, " ")
	}
	require.Equal(t, "uppgifter oro arenden notiser", keys("named_person"))
	require.Equal(t, "uppgifter oro arenden tillsyn logguppfoljning atkomstlarm arsuppfoljning notiser", keys("supervisor"))
	require.Equal(t, "arsuppfoljning notiser", keys("steering"))
	require.Equal(t, "logguppfoljning atkomstlarm atkomstlogg notiser", keys("admin"))
	require.Equal(t, pathYearly, homeOf("steering"))
	require.Equal(t, pathTasks, homeOf("reporter"))
}

func TestADeviationIsHandledWhereTheFrontEndCan(t *testing.T) {
	require.Equal(t, "/arenden/abc-1/hantera-avvikelse/avv-1", handleDeviationLink("abc-1", "avv-1", true), "the form that names the deviation")
	require.Empty(t, handleDeviationLink("abc-1", "avv-1", false), "a case the supervisor cannot open leads nowhere")
	saved := commandForms
	t.Cleanup(func() { commandForms = saved })
	commandForms = slices.DeleteFunc(slices.Clone(saved), func(f commandForm) bool { return f.Command == "handleDeviation" })
	require.Equal(t, "/arenden/abc-1#avvikelser", handleDeviationLink("abc-1", "avv-1", true), "without a form: the case's deviations")
}
