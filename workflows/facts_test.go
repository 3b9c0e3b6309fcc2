package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestAgeBands(t *testing.T) {
	at := time.Date(2026, 12, 18, 10, 0, 0, 0, casework.Stockholm)
	for birth, want := range map[string]string{
		"2021-12-19": "0-5", "2020-12-18": "6-9", "2017-12-19": "6-9", "2016-12-18": "10-12", "2014-01-01": "10-12",
		"2013-12-18": "13-15", "2011-01-01": "13-15", "2010-12-18": "16-17", "2008-12-19": "16-17",
		"2008-12-18": "18-20", "2006-01-01": "18-20", "": "",
	} {
		require.Equal(t, want, ageBand(birth, at), birth)
	}
}

// The facts of a case with a plan, a missed follow-up and an escalation carry the counts and no
// identity.
func TestProjectedFacts(t *testing.T) {
	pt := newProcessTest(t, casework.Norrbus())
	pt.toPlan()
	tRaise := tApproved + time.Hour
	pt.must(tRaise, UpdateRaiseDisagreement, raise(on(coordinator, tRaise)))
	pt.run(offset(followUpDay)+48*time.Hour, func(s CaseState) {
		f := projectedFacts(&s)
		require.Equal(t, "13-15", f.AgeBand)
		require.Equal(t, casework.UnitSchool, f.NamedPersonUnitKind)
		require.ElementsMatch(t, []casework.UnitKind{casework.UnitSocialServices, casework.UnitBUP}, f.AgencyKinds)
		require.Equal(t, 1, f.PlansEstablished)
		require.NotNil(t, f.FirstPlanAt)
		var followUp, summons bool
		for _, d := range f.Deadlines {
			switch d.Kind {
			case casework.DeadlineFollowUp:
				followUp = true
				require.Equal(t, "missed", d.Status)
			case casework.DeadlineSummons:
				summons = true
				require.Equal(t, "met", d.Status)
				require.NotNil(t, d.WorkingDays)
				require.Equal(t, 0, *d.WorkingDays, "the summons went out the day consent was given")
			}
		}
		require.True(t, followUp && summons)
		require.Len(t, f.Deviations, 1)
		require.Equal(t, "missed_deadline", f.Deviations[0].Kind)
		require.GreaterOrEqual(t, len(f.Escalations), 2, "the first step escalated by itself")
		require.True(t, f.Escalations[len(f.Escalations)-1].Open)
		b := asJSON(t, f)
		for _, identity := range []string{"Testbarn", "201203159812", "2012-03-15", guardianOne} {
			require.NotContains(t, b, identity)
		}
	})
}
