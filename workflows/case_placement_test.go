package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

func TestPlacementOutsideTheHome(t *testing.T) {
	tPlace := tApproved + time.Hour // Monday 21 December 2026, 18:00
	costs := &CostDistribution{Agreement: "lika delar", Parties: []string{"Kommunen", "Regionen"}}
	examined := friday.Add(tApproved)
	t.Run("a planned placement needs the health examination and the cost distribution first", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		noExam := pt.send(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace), Kind: PlacementPlanned, CostDistribution: costs})
		noCosts := pt.send(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace), Kind: PlacementPlanned, HealthExaminationAt: &examined})
		notSoc := pt.send(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(bupDoctor, tPlace), Kind: PlacementPlanned, HealthExaminationAt: &examined, CostDistribution: costs})
		ok := pt.send(tPlace+time.Minute, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace+time.Minute), Kind: PlacementPlanned, HealthExaminationAt: &examined, CostDistribution: costs})
		pt.run(tPlace+time.Hour, func(s CaseState) {
			requireRejected(t, noExam, ErrTypeInvalid)
			require.Contains(t, errMessage(noExam.err), "healthExaminationAt")
			requireRejected(t, noCosts, ErrTypeInvalid)
			require.Contains(t, errMessage(noCosts.err), "costDistribution")
			requireRejected(t, notSoc, ErrTypeForbidden)
			requireAccepted(t, ok)
			require.Equal(t, PlacementPlanned, s.Placement.Kind)
			require.Nil(t, deadlineOf(s, casework.DeadlineCostDistribution), "settled before: no deadline")
		})
	})
	t.Run("acute: the cost distribution settled within 10 working days meets the deadline", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		pt.must(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace), Kind: PlacementAcute})
		settle := offset(time.Date(2027, 1, 11, 15, 0, 0, 0, casework.Stockholm)) // the 10th working day
		pt.must(settle, UpdateSettleCostDistribution, SettleCostDistribution{Command: on(coordinator, settle), CostDistribution: *costs})
		pt.must(settle+time.Minute, UpdateRecordHealthExamination, RecordHealthExamination{Command: on(coordinator, settle)})
		pt.run(settle+48*time.Hour, func(s CaseState) {
			d := deadlineOf(s, casework.DeadlineCostDistribution)
			require.Equal(t, DeadlineMet, d.Status)
			require.True(t, d.DueAt.Equal(time.Date(2027, 1, 11, 23, 59, 59, 999999999, casework.Stockholm)), "due %s", d.DueAt)
			require.Len(t, noticesOf(s, NoticeHealthExamination), 1, "asked for until recorded")
			require.NotNil(t, s.Placement.HealthExaminationAt)
			require.False(t, s.Overdue)
		})
	})
	t.Run("acute: not settled in time is a deviation for social services", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrbus())
		pt.toPlan()
		pt.must(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace), Kind: PlacementAcute})
		pt.run(offset(time.Date(2027, 1, 12, 12, 0, 0, 0, casework.Stockholm)), func(s CaseState) {
			d := deadlineOf(s, casework.DeadlineCostDistribution)
			require.Equal(t, DeadlineMissed, d.Status)
			dev := s.Deviations[len(s.Deviations)-1]
			require.Equal(t, casework.DeadlineCostDistribution, dev.DeadlineKind)
			require.Equal(t, socUnit, dev.UnitID)
			require.True(t, s.Overdue)
			var reminded bool
			for _, n := range pt.notifiedWith("reminder") {
				reminded = reminded || n.req.DeadlineKind == casework.DeadlineCostDistribution
			}
			require.True(t, reminded, "the coordinator was reminded before")
		})
	})
	t.Run("Norrköping sets no cost distribution deadline", func(t *testing.T) {
		pt := newProcessTest(t, casework.Norrkoping())
		pt.toPlan()
		pt.must(tPlace, UpdateRecordPlacement, RecordPlacement{Command: on(coordinator, tPlace), Kind: PlacementAcute})
		pt.run(tPlace+time.Hour, func(s CaseState) {
			require.Nil(t, deadlineOf(s, casework.DeadlineCostDistribution))
		})
	})
}

func TestDeviationReportAndHandling(t *testing.T) {
	tReport := tApproved + time.Hour
	pt := newProcessTest(t, casework.Norrkoping())
	pt.toPlan()
	pt.must(tReport, UpdateReportDeviation, ReportDeviation{Command: on(bupDoctor, tReport), UnitID: socUnit, Description: "kallelsen kom inte fram"})
	outsider := pt.send(tReport, UpdateReportDeviation, ReportDeviation{Command: on(otherNamedPerson, tReport), UnitID: socUnit, Description: "x"})
	notTheirs := pt.send(tReport+time.Minute, UpdateHandleDeviation, HandleDeviation{Command: on(schoolChef, tReport+time.Minute), DeviationID: "avv-1", Handling: "x"})
	pt.must(tReport+time.Hour, UpdateHandleDeviation, HandleDeviation{Command: on(socChef, tReport+time.Hour), DeviationID: "avv-1", Handling: "rutinen för kallelser ses över"})
	twice := pt.send(tReport+2*time.Hour, UpdateHandleDeviation, HandleDeviation{Command: on(socChef, tReport+2*time.Hour), DeviationID: "avv-1", Handling: "igen"})
	pt.at(tReport+time.Second, func(s CaseState) {
		require.True(t, s.Deviations[0].Open())
		require.Equal(t, bupDoctor.User, s.Deviations[0].ReportedBy.User)
	})
	pt.run(tReport+3*time.Hour, func(s CaseState) {
		requireRejected(t, outsider, ErrTypeForbidden)
		requireRejected(t, notTheirs, ErrTypeForbidden)
		requireRejected(t, twice, ErrTypeConflict)
		d := s.Deviations[0]
		require.Equal(t, DeviationReported, d.Kind)
		require.False(t, d.Open())
		require.Equal(t, socChef.User, d.Handled.By.User)
		mails := pt.notifiedWith("deviation_reported")
		require.Len(t, mails, 1)
		require.Equal(t, socUnit, mails[0].req.Recipients[0].UnitID)
	})
}
