package report

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestFigure(t *testing.T) {
	for _, f := range []Figure{{Value: 12}, {Value: 0.875}, {Value: 2.5}, {Mark: FewerThanFive}, {Mark: Hidden}} {
		b, err := json.Marshal(f)
		require.NoError(t, err)
		var back Figure
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, f, back, string(b))
	}
	b, err := (Figure{Mark: FewerThanFive}).MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `"<5"`, string(b))
}

func TestSmallCells(t *testing.T) {
	c := &cell{}
	for i := range 7 {
		c.add([]string{"a", "b", "c", "d", "a", "b", "c"}[i])
	}
	assert.Equal(t, Figure{Mark: FewerThanFive}, c.figure(), "seven cases of four children")
	c.add("e")
	assert.Equal(t, Figure{Value: 8}, c.figure())

	t.Run("one withheld row of a partition takes the smallest shown row with it", func(t *testing.T) {
		rows := []Row{{"a", Figure{Value: 9}}, {"b", Figure{Mark: FewerThanFive}}, {"c", Figure{Value: 6}}, {"d", Figure{Value: 6}}}
		hideComplement(Figure{Value: 24}, rows)
		assert.Equal(t, []Row{{"a", Figure{Value: 9}}, {"b", Figure{Mark: FewerThanFive}}, {"c", Figure{Value: 6}}, {"d", Figure{Mark: Hidden}}}, rows)
	})
	t.Run("two withheld rows, or a withheld total, need nothing more", func(t *testing.T) {
		rows := []Row{{"a", Figure{Value: 9}}, {"b", Figure{Mark: FewerThanFive}}, {"c", Figure{Mark: FewerThanFive}}}
		hideComplement(Figure{Value: 14}, rows)
		assert.Equal(t, Figure{Value: 9}, rows[0].Cases)
		rows = []Row{{"a", Figure{Mark: FewerThanFive}}, {"b", Figure{Value: 0}}}
		hideComplement(Figure{Mark: FewerThanFive}, rows)
		assert.Equal(t, Figure{Value: 0}, rows[1].Cases)
	})
	t.Run("a share only beside both its counts", func(t *testing.T) {
		assert.Equal(t, Figure{Value: 0.667}, share(Figure{Value: 10}, Figure{Value: 5}, 10, 5))
		assert.Equal(t, Figure{Mark: Hidden}, share(Figure{Value: 10}, Figure{Mark: FewerThanFive}, 10, 3))
	})
	assert.Equal(t, 2.5, median([]int{4, 1, 2, 3}))
	assert.Equal(t, 3.0, median([]int{5, 3, 1}))
}

func TestPhaseAtYearEnd(t *testing.T) {
	_, end := YearBounds(2025)
	before, after := end.Add(-time.Hour), end.Add(time.Hour)
	dl := func(kind casework.DeadlineKind, started time.Time, done *time.Time) DeadlineFact {
		return DeadlineFact{Kind: kind, StartedAt: started, DoneAt: done}
	}
	for _, tc := range []struct {
		name  string
		facts Facts
		want  casework.Phase
	}{
		{"closed by then", Facts{ClosedAt: &before, FirstPlanAt: &before}, casework.PhaseClosed},
		{"closed after, with a plan by then", Facts{ClosedAt: &after, FirstPlanAt: &before}, casework.PhaseUppfoljning},
		{"consent complete by then", Facts{FirstPlanAt: &after, Deadlines: []DeadlineFact{dl(casework.DeadlineAcknowledge, before, &before), dl(casework.DeadlineSummons, before, nil)}}, casework.PhaseSamarbeta},
		{"taken by then, consent after", Facts{Deadlines: []DeadlineFact{dl(casework.DeadlineAcknowledge, before, &before), dl(casework.DeadlineMeeting, after, nil)}}, casework.PhaseKartlagga},
		{"taken after", Facts{Deadlines: []DeadlineFact{dl(casework.DeadlineAcknowledge, before, &after)}}, casework.PhaseUpptacka},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, phaseAt(Case{Phase: casework.PhaseClosed, Facts: tc.facts}, end, false))
		})
	}
	t.Run("while the year runs, the phase is today's", func(t *testing.T) {
		assert.Equal(t, casework.PhaseKartlagga, phaseAt(Case{Phase: casework.PhaseKartlagga, Facts: Facts{ClosedAt: &before}}, end, true))
	})
}

func TestOversight(t *testing.T) {
	// Thursday 18 December 2025: five working days ahead skip Christmas to Tuesday 30 December.
	now := time.Date(2025, 12, 18, 10, 0, 0, 0, casework.Stockholm)
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 23, 59, 59, 0, casework.Stockholm) }
	done := day(12, 1)
	cases := []Case{
		{ID: "c1", Visible: true, HasFacts: true, Phase: casework.PhaseUpptacka, Facts: Facts{AgeBand: "6-9", Deadlines: []DeadlineFact{
			{Kind: casework.DeadlineAcknowledge, DueAt: day(12, 19), Status: StatusOpen}}}},
		{ID: "c2", Visible: true, HasFacts: true, Phase: casework.PhaseSamarbeta, Facts: Facts{AgeBand: "13-15", Deadlines: []DeadlineFact{
			{Kind: casework.DeadlineAcknowledge, DueAt: day(11, 3), DoneAt: &done, Status: StatusMissed},
			{Kind: casework.DeadlineSummons, DueAt: day(12, 30), Status: StatusOpen},
			{Kind: casework.DeadlineMeeting, DueAt: day(12, 31), Status: StatusOpen}},
			Escalations: []EscalationFact{{Disagreement: "oen-1", Step: 0, Level: "kommun"}, {Disagreement: "oen-1", Step: 1, Level: "delregion", Open: true}},
			Deviations:  []DeviationFact{{ID: "avv-1", UnitID: "skola", Kind: DeviationReported}, {ID: "avv-2", UnitID: "bup", Kind: DeviationReported}}}},
		{ID: "c3", Visible: true, HasFacts: true, Phase: casework.PhaseUppfoljning, Facts: Facts{Deadlines: []DeadlineFact{
			{Kind: casework.DeadlineFollowUp, DueAt: day(12, 10), Status: StatusMissed}}}},
		{ID: "c4", Visible: false, HasFacts: true, Phase: casework.PhaseClosed, Facts: Facts{Deviations: []DeviationFact{
			{ID: "avv-1", UnitID: "skola", Kind: DeviationMissedDeadline, DeadlineKind: casework.DeadlineFollowUp}}}},
		{ID: "c5", Visible: true, Phase: casework.PhaseUpptacka},
	}
	o := ComputeOversight(OversightInput{Now: now, Units: []string{"skola"}, Cases: cases})
	ids := func(items []DeadlineItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.CaseID+":"+string(it.Kind))
		}
		return out
	}
	assert.Equal(t, 4, o.OpenCases.Total)
	assert.Equal(t, []Count{{"upptäcka", 2}, {"kartlägga", 0}, {"samarbeta", 1}, {"uppföljning", 1}}, o.OpenCases.ByPhase)
	assert.Equal(t, []string{"c1:acknowledge", "c2:summons"}, ids(o.DueSoon), "the meeting on the 31st is after the fifth working day")
	assert.Equal(t, []string{"c3:follow_up"}, ids(o.Overdue))
	assert.Equal(t, []string{"c5:acknowledge", "c1:acknowledge"}, ids(o.NotAcknowledged))
	require.Len(t, o.Deviations, 2, "the unit's deviations, the closed case's too")
	assert.Equal(t, []bool{true, false}, []bool{o.Deviations[0].Visible && o.Deviations[0].CaseID == "c2", o.Deviations[1].Visible})
	assert.Equal(t, []StepCount{{Step: 1, Level: "delregion", Count: 1}}, o.Escalations.ByStep)
}

func TestClosedIsWithheldWithItsPhase(t *testing.T) {
	_, end := YearBounds(2025)
	closedAt := end.AddDate(0, -1, 0)
	var cases []Case
	for i := range 12 {
		c := Case{Child: fmt.Sprint("child-", i), HasFacts: true, Facts: Facts{OpenedAt: end.AddDate(0, -6, 0)}}
		switch {
		case i < 5:
			c.Facts.ClosedAt = &closedAt // avslutat: 5, the smallest shown row
		case i < 8:
			c.Facts.FirstPlanAt = &closedAt // uppföljning: 3, withheld
		default:
			c.Facts.Deadlines = []DeadlineFact{{Kind: casework.DeadlineAcknowledge, DoneAt: &closedAt}} // kartlägga: 4
		}
		cases = append(cases, c)
	}
	y := ComputeYearly(YearlyInput{Year: 2025, AsOf: end.AddDate(0, 1, 0), Cases: cases})
	assert.Equal(t, Figure{Value: 12}, y.Cases.Active)
	assert.Equal(t, []Figure{{Mark: FewerThanFive}, {Mark: FewerThanFive}, {Mark: FewerThanFive}, {Mark: FewerThanFive}, {Value: 5}},
		[]Figure{y.ByPhase[0].Cases, y.ByPhase[1].Cases, y.ByPhase[2].Cases, y.ByPhase[3].Cases, y.ByPhase[4].Cases}, "four withheld: nothing more to hide")
	cases = append(cases, Case{Child: "child-x", HasFacts: true, Facts: Facts{OpenedAt: closedAt, FirstPlanAt: &closedAt}},
		Case{Child: "child-y", HasFacts: true, Facts: Facts{OpenedAt: closedAt, FirstPlanAt: &closedAt}})
	for i := range 5 {
		cases = append(cases, Case{Child: fmt.Sprint("child-s", i), HasFacts: true, Facts: Facts{OpenedAt: closedAt,
			Deadlines: []DeadlineFact{{Kind: casework.DeadlineSummons, StartedAt: closedAt}}}},
			Case{Child: fmt.Sprint("child-u", i), HasFacts: true, Facts: Facts{OpenedAt: closedAt}})
	}
	y = ComputeYearly(YearlyInput{Year: 2025, AsOf: end.AddDate(0, 1, 0), Cases: cases})
	// upptäcka 5, kartlägga 4 (<5), samarbeta 5, uppföljning 5, avslutat 5: the last of the smallest is hidden.
	assert.Equal(t, Figure{Mark: Hidden}, y.ByPhase[4].Cases)
	assert.Equal(t, Figure{Mark: Hidden}, y.Cases.Closed, "the closed cases are the avslutat row")
}
