package cases

import (
	"time"

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

// TestReporterViewNamesNoUnit: the reporter view never names the named person's unit – the child's
// school – neither as the case's unit nor through the one who recorded the report to social
// services (issue 17: a reporter of another school must not learn where the child goes).
func TestReporterViewNamesNoUnit(t *testing.T) {
	state := workflows.CaseState{
		CaseID:          "c",
		NamedPersonUnit: &casework.UnitRef{ID: "skola-2", Name: "Friskolan"},
		SuspectsHarm:    true,
		Concerns:        []workflows.Concern{{ID: "c1", SuspectsHarm: true, By: workflows.Actor{User: "larare", Unit: "skola-1"}}},
		ProcessState: workflows.ProcessState{HarmReport: &workflows.HarmReportRecord{Reported: true,
			Recorded: workflows.Recorded{By: workflows.Actor{User: "rektor", Name: "Rektor Två", Role: casework.RoleNamedPerson, Unit: "skola-2"}}}},
	}
	v, ok := caseView(state, auth.Claims{User: "larare", Role: "reporter", Unit: "skola-1"})
	require.True(t, ok)
	require.Equal(t, "reporter", v.View)
	require.Nil(t, v.NamedPersonUnit)
	require.NotNil(t, v.HarmReport)
	require.Equal(t, workflows.Actor{Role: casework.RoleNamedPerson}, v.HarmReport.By)

	full, ok := caseView(state, auth.Claims{User: "rektor", Role: "named_person", Unit: "skola-2"})
	require.True(t, ok)
	require.Equal(t, "skola-2", full.NamedPersonUnit.ID)
	require.Equal(t, "rektor", full.HarmReport.By.User)
}

// A reporter who suspects harm of a child whose case already has a recorded report to social
// services sees what the reporter of a new case sees – the warning, no report – so the answer tells
// them nothing of the case before them (issue 17), and their own duty to report is asked of them.
func TestReporterViewOfHarmTellsNothingOfAnEarlierReport(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, casework.Stockholm)
	mine := workflows.Concern{ID: "mine", SuspectsHarm: true, By: workflows.Actor{User: "mentor", Unit: "skola-1"}, RecordedAt: at.Add(2 * time.Hour)}
	joined := workflows.CaseState{
		CaseID: "c", SuspectsHarm: true,
		Concerns: []workflows.Concern{{ID: "earlier", SuspectsHarm: true, By: workflows.Actor{User: "larare", Unit: "skola-2"}, RecordedAt: at}, mine},
		ProcessState: workflows.ProcessState{HarmReport: &workflows.HarmReportRecord{Reported: true, ReportedAt: &at,
			Recorded: workflows.Recorded{By: workflows.Actor{User: "rektor", Role: casework.RoleNamedPerson, Unit: "skola-2"}, OccurredAt: at, RecordedAt: at.Add(time.Hour)}}},
	}
	fresh := workflows.CaseState{CaseID: "c", SuspectsHarm: true, Concerns: []workflows.Concern{mine}}
	reporter := auth.Claims{User: "mentor", Role: "reporter", Unit: "skola-1"}
	inJoined, ok := caseView(joined, reporter)
	require.True(t, ok)
	inFresh, ok := caseView(fresh, reporter)
	require.True(t, ok)
	require.Equal(t, inFresh, inJoined)
	require.NotEmpty(t, inJoined.HarmReportWarning)
	require.Nil(t, inJoined.HarmReport)
}
