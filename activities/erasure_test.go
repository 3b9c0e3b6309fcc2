package activities

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
	"github.com/samverkan/samverkan/report"
)

// archiveFixture seals case files made of a recorded history (workflows/testdata) into a database.
type archiveFixture struct {
	d       *db.DB
	a       *Activities
	history []byte
	now     time.Time
}

// newArchiveFixture opens a fresh database, or the one opts names (a second process's view of it).
func newArchiveFixture(t testing.TB, opts ...db.Options) *archiveFixture {
	ctx := context.Background()
	var d *db.DB
	if len(opts) == 0 {
		d = dbtest.Open(t)
	} else {
		d = dbtest.OpenWith(t, opts[0])
		_, err := d.Migrate(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, d.SeedDemo(ctx))
	kr, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: bytes.Repeat([]byte{7}, codec.KeySize)})
	require.NoError(t, err)
	raw, err := os.ReadFile("../workflows/testdata/archived_after_reopening_window.json")
	require.NoError(t, err)
	var h historypb.History
	require.NoError(t, protojson.Unmarshal(raw, &h))
	bin, err := proto.Marshal(&h)
	require.NoError(t, err)
	f := &archiveFixture{d: d, history: bin, now: time.Date(2032, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.a = &Activities{DB: d, Logger: dbtest.Logger(t), Codec: codec.New(kr), Now: func() time.Time { return f.now }}
	return f
}

// put archives case i, closed at closed and due for erasure after eraseAfter. It has no runs left
// in Temporal (RunIDs empty), so the sweep needs no Temporal.
func (f *archiveFixture) put(t testing.TB, i int, closed, eraseAfter time.Time) (string, int) {
	caseID := caseIDOf(i)
	sealed, err := archive.Seal(f.a.Codec, archive.File{CaseID: caseID, WorkflowID: "case-bench", State: []byte(`{"caseId":"` + caseID + `"}`),
		Runs: [][]byte{f.history}})
	require.NoError(t, err)
	created, err := f.d.ArchiveCase(context.Background(), db.ArchivedCase{CaseID: caseID, WorkflowID: fmt.Sprintf("case-b%d", i),
		MunicipalityID: "norrkoping", NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
		OpenedAt: closed.Add(-time.Hour), ClosedAt: closed, ArchivedAt: closed, EraseAfter: eraseAfter, Content: sealed})
	require.NoError(t, err)
	require.True(t, created)
	return caseID, len(sealed)
}

// project writes the read-model rows of case i, closed at closed – its row, an access row and facts –
// as its workflow's projection would have before the archive.
func (f *archiveFixture) project(t testing.TB, i int, closed time.Time) {
	facts := &db.CaseFacts{OpenedAt: closed.Add(-time.Hour), ClosedAt: &closed, JSON: []byte(`{"ageBand":"10-12"}`)}
	require.NoError(t, f.d.ProjectCase(context.Background(), db.CaseProjection{
		Case: db.CaseRow{CaseID: caseIDOf(i), WorkflowID: fmt.Sprintf("case-b%d", i), MunicipalityID: "norrkoping",
			Phase: string(casework.PhaseClosed), NamedPersonUnitID: "norrkoping-skola-1",
			Policy: casework.PolicyRef{ID: "norrkoping", Version: 1}, OpenedAt: closed.Add(-time.Hour), StateSeq: 1},
		Access: []db.CaseAccess{{Relation: db.RelationNamedPerson, UnitID: "norrkoping-skola-1"}},
		Facts:  facts}))
}

func caseIDOf(i int) string { return fmt.Sprintf("BENCH%021d-%d", i, i) }

// TestTheSweepErasesOnlyWhatIsDueAndUnheld: a case past its erase-after time is erased once – a
// second sweep erases nothing and fails nothing – a held one and one not yet due stay, and the
// erasure is recorded for the oversight.
func TestTheSweepErasesOnlyWhatIsDueAndUnheld(t *testing.T) {
	ctx := context.Background()
	f := newArchiveFixture(t)
	closed := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	due, _ := f.put(t, 1, closed, f.now.Add(-time.Hour))
	held, _ := f.put(t, 2, closed, f.now.Add(-time.Hour))
	notYet, _ := f.put(t, 3, closed, f.now.Add(time.Hour))
	_, err := f.d.SetLegalHold(ctx, held, true, "Begäran från förvaltningsrätten.", "adam.admin", f.now)
	require.NoError(t, err)

	res, err := f.a.EraseDueCases(ctx, EraseBatch{Limit: 10})
	require.NoError(t, err)
	require.Equal(t, EraseBatchResult{Selected: 1, Erased: 1}, res)
	_, err = f.d.ArchivedCase(ctx, due)
	require.ErrorIs(t, err, db.ErrNotFound)
	for _, id := range []string{held, notYet} {
		_, err := f.d.ArchivedCase(ctx, id)
		require.NoError(t, err, "%s was erased", id)
	}
	again, err := f.a.EraseDueCases(ctx, EraseBatch{Limit: 10})
	require.NoError(t, err)
	require.Equal(t, EraseBatchResult{}, again)
	erased, err := f.d.EraseCase(ctx, db.ArchivedCase{CaseID: due}, f.now, factsWithoutIdentity)
	require.NoError(t, err)
	require.False(t, erased, "a case erased already is erased again")
	list, err := f.d.Erasures(ctx, []string{"norrkoping-skola-1"}, f.now.AddDate(-1, 0, 0))
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, due, list[0].CaseID)

	_, err = f.d.SetLegalHold(ctx, held, false, "", "adam.admin", f.now)
	require.NoError(t, err)
	res, err = f.a.EraseDueCases(ctx, EraseBatch{Limit: 10})
	require.NoError(t, err)
	require.Equal(t, 1, res.Erased, "a lifted hold lets the sweep erase the case")
}

// BenchmarkArchiveAndSweep archives b.N case files, each holding the recorded history of a closed
// case, and sweeps them all with their read-model rows (a case row, an access row, facts): the
// per-case cost of the archive and of erasure (issue 13), in time, in
// sealed bytes and in database bytes (what the database grew by while archiving). Issue 13's figure
// is at 10,000 cases:
//
//	CGO_ENABLED=0 go test -run '^$' -bench BenchmarkArchiveAndSweep -benchtime 10000x -benchmem ./activities
func BenchmarkArchiveAndSweep(b *testing.B) {
	f := newArchiveFixture(b)
	closed := f.now.AddDate(-6, 0, 0)
	for i := range b.N {
		f.project(b, i, closed)
	}
	sizeBefore := databaseBytes(b, f.d)
	b.ResetTimer()
	began, total := time.Now(), 0
	for i := range b.N {
		_, n := f.put(b, i, closed, closed.AddDate(5, 0, 0))
		total += n
	}
	archived := time.Since(began)
	b.StopTimer()
	grown := databaseBytes(b, f.d) - sizeBefore
	b.StartTimer()
	began = time.Now()
	erased := 0
	for {
		res, err := f.a.EraseDueCases(context.Background(), EraseBatch{Limit: 100})
		require.NoError(b, err)
		erased += res.Erased
		if !res.More {
			break
		}
	}
	swept := time.Since(began)
	require.Equal(b, b.N, erased)
	b.ReportMetric(float64(archived.Microseconds())/1000/float64(b.N), "archive-ms/case")
	b.ReportMetric(float64(swept.Microseconds())/1000/float64(b.N), "sweep-ms/case")
	b.ReportMetric(float64(total)/float64(b.N), "sealed-bytes/case")
	b.ReportMetric(float64(grown)/float64(b.N), "db-bytes/case")
}

// databaseBytes is the size of the database: on SQLite its pages, the write-ahead log moved in
// first; on PostgreSQL the archive table with its indexes and TOAST.
func databaseBytes(b *testing.B, d *db.DB) int64 {
	var n int64
	if dbtest.IsPostgres() {
		require.NoError(b, d.Gorm().Raw("SELECT pg_total_relation_size('case_archive')").Scan(&n).Error)
		return n
	}
	require.NoError(b, d.ReleaseErasedPages(context.Background()))
	require.NoError(b, d.Gorm().Raw("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&n).Error)
	return n
}

// TestErasureKeepsOnlyFactsWithoutIdentity: the yearly follow-up of a year counts the same after its
// cases are erased as before, while what the read model keeps of their facts holds nothing that
// links to a case or a child – no case ID, no workflow ID (the child's pseudonym), no deviation or
// disagreement ID, no unit – and no time finer than the year (docs/process.md §7.2, §12).
func TestErasureKeepsOnlyFactsWithoutIdentity(t *testing.T) {
	ctx := context.Background()
	f := newArchiveFixture(t)
	opened := time.Date(2026, 3, 2, 9, 15, 0, 0, casework.Stockholm)
	closed := opened.AddDate(0, 2, 0)
	planned, days := opened.AddDate(0, 0, 20), 4
	var identities []string
	for i := range report.MinChildren + 1 { // enough children that no cell is withheld
		caseID, _ := f.put(t, i, closed, f.now.Add(-time.Hour))
		workflowID := fmt.Sprintf("case-b%d", i)
		identities = append(identities, caseID, workflowID)
		facts := &report.Facts{AgeBand: "10-12", Areas: []casework.WheelArea{"trygg"}, NamedPersonUnitKind: "school",
			OpenedAt: opened, ClosedAt: &closed, CloseReason: "goals_met", PlansEstablished: 1, FirstPlanAt: &planned,
			Deadlines: []report.DeadlineFact{{Kind: casework.DeadlineAcknowledge, StartedAt: opened, DueAt: opened.AddDate(0, 0, 3),
				DoneAt: &planned, Status: report.StatusMet, WorkingDays: &days}},
			Deviations: []report.DeviationFact{{ID: "avv-kanariefagel", Kind: report.DeviationReported, UnitID: "norrkoping-skola-1",
				OccurredAt: opened.Add(time.Hour), Handled: true}},
			Escalations: []report.EscalationFact{{Disagreement: "oenighet-kanariefagel", Step: 0, Level: "rektor", StartedAt: opened.Add(2 * time.Hour), Decided: true}}}
		require.NoError(t, f.a.ProjectCase(ctx, CaseProjection{CaseID: caseID, WorkflowID: workflowID, Municipality: "norrkoping",
			Phase: casework.PhaseClosed, NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
			OpenedAt: opened, StateSeq: 1, Facts: facts}))
	}
	identities = append(identities, "avv-kanariefagel", "oenighet-kanariefagel", "norrkoping-skola-1")
	yearly := func() report.Yearly {
		from, to := report.YearBounds(2026)
		rows, err := f.d.FactsInPeriod(ctx, from, to, []string{"norrkoping"})
		require.NoError(t, err)
		var cases []report.Case
		for _, r := range rows {
			facts, err := report.ParseFacts(r.JSON)
			require.NoError(t, err)
			cases = append(cases, report.Case{ID: r.CaseID, Child: r.WorkflowID, Municipality: r.MunicipalityID,
				Phase: casework.Phase(r.Phase), Policy: r.Policy, HasFacts: true, Facts: facts})
		}
		return report.ComputeYearly(report.YearlyInput{Year: 2026, AsOf: f.now, Cases: cases, Ladders: [][]string{{"rektor"}}})
	}
	before := yearly()
	require.Equal(t, "6", before.Cases.Active.String())

	res, err := f.a.EraseDueCases(ctx, EraseBatch{Limit: 100})
	require.NoError(t, err)
	require.Equal(t, report.MinChildren+1, res.Erased)
	require.Equal(t, before, yearly(), "the year counts differently after its cases were erased")

	var kept []string
	require.NoError(t, f.d.Gorm().Raw("SELECT facts FROM erased_case_facts").Scan(&kept).Error)
	require.Len(t, kept, report.MinChildren+1)
	var keys []string
	require.NoError(t, f.d.Gorm().Raw("SELECT id FROM erased_case_facts").Scan(&keys).Error)
	all := strings.Join(append(kept, keys...), "\n")
	for _, id := range identities {
		require.NotContains(t, all, id, "the facts kept after erasure link to a case or a child")
	}
	for _, fine := range []string{"T09:15", "T10:15", "T11:15", "-03-", "-05-"} {
		require.NotContains(t, all, fine, "the facts kept after erasure hold a time finer than the year")
	}
}

// TestErasureTakesEveryMailOfTheCase: the outbox keys a case's mails by its workflow ID (deviations,
// reminders, …) or by its case ID (what the case tells its people: new case, summons, appointments);
// the sweep erases both, and leaves the mails of the child's later case and of other cases.
func TestErasureTakesEveryMailOfTheCase(t *testing.T) {
	ctx := context.Background()
	f := newArchiveFixture(t)
	closed := f.now.AddDate(-6, 0, 0)
	f.project(t, 1, closed)
	caseID, _ := f.put(t, 1, closed, f.now.Add(-time.Hour))
	other, _ := f.put(t, 2, closed, f.now.Add(time.Hour))
	mail := func(key string, at time.Time) {
		_, err := f.d.EnqueueMail(ctx, db.OutboxMail{Key: key, UserID: "bertil.rektor", To: "bertil@example.org",
			Subject: "Samverkan", Body: "Ett ärende väntar.", CreatedAt: at})
		require.NoError(t, err)
	}
	mail(caseID+"/new-case", closed.Add(-time.Hour))
	mail("case-b1/deviation/avv-1", closed.Add(-time.Hour))
	mail("case-b1/concern/1", f.now.Add(-time.Minute)) // the child's case after this one was archived
	mail(other+"/new-case", closed.Add(-time.Hour))

	res, err := f.a.EraseDueCases(ctx, EraseBatch{Limit: 10})
	require.NoError(t, err)
	require.Equal(t, 1, res.Erased)
	var keys []string
	require.NoError(t, f.d.Gorm().Raw("SELECT notify_key FROM mail_outbox ORDER BY notify_key").Scan(&keys).Error)
	require.Equal(t, []string{other + "/new-case", "case-b1/concern/1"}, keys)
}
