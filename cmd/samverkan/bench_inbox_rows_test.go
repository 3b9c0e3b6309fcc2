package main

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// The read model of BenchmarkInboxOnPostgres: SAMVERKAN_BENCH_INBOX_CASES cases over the demo
// directory's named-person units, a tenth of them open. Cases live for years and the read model
// keeps the closed ones, with the access they had; only open cases have tasks.
const (
	inboxOpenShare = 0.10
	inboxChunk     = 5000 // cases generated and inserted at a time
	inboxBatch     = 1000 // rows per INSERT
)

// fillInbox inserts n synthetic cases with their tasks and access in one transaction, a chunk at a
// time, and analyses the tables as autovacuum would have by then.
func fillInbox(b *testing.B, d *db.DB, n int) {
	began := time.Now()
	dir := readInboxDirectory(b, d)
	rng := rand.New(rand.NewPCG(6, 100000)) // the same read model on every run
	now := time.Now().UTC().Truncate(time.Second)
	var cases, tasks, access int
	err := d.Gorm().Transaction(func(tx *gorm.DB) error {
		tx = tx.Session(&gorm.Session{CreateBatchSize: inboxBatch})
		for from := 0; from < n; from += inboxChunk {
			var chunk inboxRows
			for i := from; i < min(from+inboxChunk, n); i++ {
				dir.addCase(&chunk, i, rng, now)
			}
			for _, rows := range []any{&chunk.cases, &chunk.tasks, &chunk.access} {
				if err := tx.Create(rows).Error; err != nil {
					return err
				}
			}
			cases, tasks, access = cases+len(chunk.cases), tasks+len(chunk.tasks), access+len(chunk.access)
		}
		return nil
	})
	require.NoError(b, err)
	require.NoError(b, d.Gorm().Exec("ANALYZE cases, case_tasks, case_access").Error)
	b.Logf("read model: %d cases, %d task rows, %d access rows inserted in %s", cases, tasks, access,
		time.Since(began).Round(time.Millisecond))
}

// A case's row, its tasks and its access as this benchmark writes them (db/migrations/0002, 0003).
type inboxCase struct {
	CaseID, WorkflowID, MunicipalityID, Phase string
	NamedPersonUnitID, PolicyID               string
	PolicyVersion                             int
	OpenedAt                                  time.Time
	NextDeadlineKind                          *string
	NextDeadlineAt                            *time.Time
	Overdue, SuspectsHarm                     bool
	StateSeq                                  int64
	UpdatedAt                                 time.Time
}

func (inboxCase) TableName() string { return "cases" }

type inboxTask struct {
	CaseID               string
	Position             int
	Kind, Title          string
	UnitID, UserID, Role *string
	DueAt                *time.Time
	Overdue              bool
}

func (inboxTask) TableName() string { return "case_tasks" }

type inboxAccess struct {
	CaseID, Relation string
	UnitID, UserID   *string
}

func (inboxAccess) TableName() string { return "case_access" }

type inboxRows struct {
	cases  []inboxCase
	tasks  []inboxTask
	access []inboxAccess
}

// inboxDirectory is what the synthetic cases take from the demo directory.
type inboxDirectory struct {
	homes       []inboxHome                   // the units that have named persons
	partners    map[string][]inboxPartner     // by municipality: social services, BUP, school health
	coordinator map[string]string             // by municipality: social services' coordinator
	policy      map[string]casework.PolicyRef // by municipality: the newest version
}

type inboxPartner struct {
	unit string
	kind casework.UnitKind
}

type inboxHome struct {
	unit, municipality string
	namedPersons       []string
}

func readInboxDirectory(b *testing.B, d *db.DB) *inboxDirectory {
	g := d.Gorm()
	dir := &inboxDirectory{partners: map[string][]inboxPartner{},
		coordinator: map[string]string{}, policy: map[string]casework.PolicyRef{}}
	var roles []struct{ UserID, UnitID, MunicipalityID, Kind, Role string }
	require.NoError(b, g.Raw(`SELECT r.user_id, r.unit_id, u.municipality_id, u.kind, r.role FROM user_roles r
		JOIN units u ON u.id = r.unit_id ORDER BY r.unit_id, r.user_id`).Scan(&roles).Error)
	for _, r := range roles {
		switch {
		case r.Role == string(casework.RoleNamedPerson):
			if k := len(dir.homes) - 1; k >= 0 && dir.homes[k].unit == r.UnitID {
				dir.homes[k].namedPersons = append(dir.homes[k].namedPersons, r.UserID)
			} else {
				dir.homes = append(dir.homes, inboxHome{unit: r.UnitID, municipality: r.MunicipalityID, namedPersons: []string{r.UserID}})
			}
		case r.Role == string(casework.RoleCoordinator) && r.Kind == string(casework.UnitSocialServices):
			dir.coordinator[r.MunicipalityID] = r.UserID
		}
	}
	var units []struct{ ID, MunicipalityID, Kind string }
	require.NoError(b, g.Raw(`SELECT id, municipality_id, kind FROM units WHERE kind IN ? ORDER BY id`,
		[]string{string(casework.UnitSocialServices), string(casework.UnitBUP), string(casework.UnitSchoolHealth)}).Scan(&units).Error)
	for _, u := range units {
		dir.partners[u.MunicipalityID] = append(dir.partners[u.MunicipalityID], inboxPartner{u.ID, casework.UnitKind(u.Kind)})
	}
	var policies []struct {
		ID, PolicyID string
		Version      int
	}
	require.NoError(b, g.Raw(`SELECT m.id, m.policy_id, MAX(p.version) AS version FROM municipalities m
		JOIN policies p ON p.id = m.policy_id GROUP BY m.id, m.policy_id`).Scan(&policies).Error)
	for _, p := range policies {
		dir.policy[p.ID] = casework.PolicyRef{ID: p.PolicyID, Version: p.Version}
	}
	require.NotEmpty(b, dir.homes, "the demo directory has no named persons")
	return dir
}

// inboxTitles are the tasks' titles as workflows/tasks.go gives them.
var inboxTitles = map[workflows.TaskKind]string{
	workflows.TaskAcknowledge:        "Ta emot ärendet",
	workflows.TaskRecordHarmReport:   "Registrera om orosanmälan till socialtjänsten är gjord",
	workflows.TaskAssess:             "Kartlägg barnets situation",
	workflows.TaskAskConsent:         "Inhämta samtycke från vårdnadshavare och barn",
	workflows.TaskSummon:             "Kalla till samverkansmöte",
	workflows.TaskHoldMeeting:        "Håll samverkansmötet",
	workflows.TaskAppointCoordinator: "Utse samordningsperson – fråga barnet först",
	workflows.TaskHandleDeviation:    "Hantera avvikelse",
}

// addCase adds case i: at home unit i mod the number of units, closed or open in some phase, with
// the tasks and access the workflow would project for it (workflows/tasks.go).
func (dir *inboxDirectory) addCase(rows *inboxRows, i int, rng *rand.Rand, now time.Time) {
	home := dir.homes[i%len(dir.homes)]
	pseudonym := inboxID(rng, 26)
	c := &inboxCase{CaseID: pseudonym + "-" + inboxID(rng, 8), WorkflowID: workflows.CaseWorkflowID(pseudonym),
		MunicipalityID: home.municipality, NamedPersonUnitID: home.unit, PolicyID: dir.policy[home.municipality].ID,
		PolicyVersion: dir.policy[home.municipality].Version, OpenedAt: now.Add(-inboxAge(rng, 3*365)),
		SuspectsHarm: rng.Float64() < .15, StateSeq: 1 + rng.Int64N(40), UpdatedAt: now}
	k := &inboxCaseRows{rows: rows, caseID: c.CaseID, now: now}
	k.grant(casework.AccessNamedPersonUnit, home.unit, "")
	assessor := inboxAssignee{user: home.namedPersons[rng.IntN(len(home.namedPersons))], unit: home.unit}
	namedPersons := inboxAssignee{unit: home.unit, role: casework.RoleNamedPerson}
	partners := dir.somePartners(home.municipality, rng)
	harmReport := []inboxAssignee{namedPersons, {user: fmt.Sprintf("larare.%d", rng.IntN(300))}}
	phase := rng.Float64() / inboxOpenShare // below 1: open, in the phase its value says
	if phase < 1 {
		c.OpenedAt = now.Add(-inboxAge(rng, 120))
	}
	switch {
	case phase >= 1:
		c.Phase = string(casework.PhaseClosed)
		if rng.Float64() < .8 {
			k.grant(casework.AccessAssessor, "", assessor.user)
		}
		if rng.Float64() < .4 {
			k.grantAll(partners)
		}
	case phase < .3:
		c.Phase = string(casework.PhaseUpptacka)
		k.task(workflows.TaskAcknowledge, c.deadline(casework.DeadlineAcknowledge, rng, now), namedPersons)
		if c.SuspectsHarm {
			k.task(workflows.TaskRecordHarmReport, nil, harmReport...)
		}
	case phase < .65:
		c.Phase = string(casework.PhaseKartlagga)
		k.grant(casework.AccessAssessor, "", assessor.user)
		k.task(workflows.TaskAssess, nil, assessor)
		if c.SuspectsHarm && rng.Float64() < .5 {
			k.task(workflows.TaskRecordHarmReport, nil, harmReport...)
		}
	case phase < .9:
		c.Phase = string(casework.PhaseSamarbeta)
		k.grant(casework.AccessAssessor, "", assessor.user)
		k.grantAll(partners)
		dir.samarbetaTask(k, c, rng, now, assessor, partners)
	default:
		c.Phase = string(casework.PhaseUppfoljning)
		k.grant(casework.AccessAssessor, "", assessor.user)
		k.grantAll(partners)
		k.grant(casework.AccessCoordinator, "", dir.coordinator[home.municipality])
	}
	if c.Overdue { // a missed deadline writes a deviation for the unit's supervisor
		k.task(workflows.TaskHandleDeviation, nil, inboxAssignee{unit: home.unit, role: casework.RoleSupervisor})
	}
	rows.cases = append(rows.cases, *c)
}

// samarbetaTask is the one step open in collaboration: consent, summons, meeting or coordinator.
func (dir *inboxDirectory) samarbetaTask(k *inboxCaseRows, c *inboxCase, rng *rand.Rand, now time.Time, assessor inboxAssignee, partners []inboxPartner) {
	initiators := []inboxAssignee{assessor}
	for _, p := range partners {
		if p.kind != casework.UnitSchoolHealth { // social services and BUP: SIPInitiators of every built-in policy
			initiators = append(initiators, inboxAssignee{unit: p.unit})
		}
	}
	switch rng.IntN(4) {
	case 0:
		k.task(workflows.TaskAskConsent, nil, assessor)
	case 1:
		k.task(workflows.TaskSummon, c.deadline(casework.DeadlineSummons, rng, now), initiators...)
	case 2:
		k.task(workflows.TaskHoldMeeting, c.deadline(casework.DeadlineMeeting, rng, now), initiators...)
	default:
		k.task(workflows.TaskAppointCoordinator, nil, initiators...)
	}
}

// somePartners are the agencies taking part: social services always, BUP and school health often.
func (dir *inboxDirectory) somePartners(municipality string, rng *rand.Rand) []inboxPartner {
	var out []inboxPartner
	for _, p := range dir.partners[municipality] {
		if p.kind == casework.UnitSocialServices || rng.Float64() < .5 {
			out = append(out, p)
		}
	}
	return out
}

// deadline sets the case's next deadline somewhere from five days ago to 25 days ahead, overdue
// when passed, and returns it for the task that answers to it.
func (c *inboxCase) deadline(kind casework.DeadlineKind, rng *rand.Rand, now time.Time) *time.Time {
	due := now.Add(-5*24*time.Hour + inboxAge(rng, 30))
	k := string(kind)
	c.NextDeadlineKind, c.NextDeadlineAt, c.Overdue = &k, &due, due.Before(now)
	return &due
}

type inboxAssignee struct {
	user, unit string
	role       casework.Role
}

// inboxCaseRows adds one case's tasks and access to the rows, numbering its tasks.
type inboxCaseRows struct {
	rows   *inboxRows
	caseID string
	now    time.Time
	tasks  int
}

func (k *inboxCaseRows) task(kind workflows.TaskKind, due *time.Time, to ...inboxAssignee) {
	for _, a := range to {
		k.rows.tasks = append(k.rows.tasks, inboxTask{CaseID: k.caseID, Position: k.tasks, Kind: string(kind),
			Title: inboxTitles[kind], UnitID: inboxNullable(a.unit), UserID: inboxNullable(a.user),
			Role: inboxNullable(string(a.role)), DueAt: due, Overdue: due != nil && due.Before(k.now)})
	}
	k.tasks++
}

func (k *inboxCaseRows) grant(relation casework.AccessRelation, unit, user string) {
	k.rows.access = append(k.rows.access, inboxAccess{CaseID: k.caseID, Relation: string(relation),
		UnitID: inboxNullable(unit), UserID: inboxNullable(user)})
}

func (k *inboxCaseRows) grantAll(partners []inboxPartner) {
	for _, p := range partners {
		k.grant(casework.AccessParticipantUnit, p.unit, "")
	}
}

func inboxNullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// inboxAge is a random duration up to days long.
func inboxAge(rng *rand.Rand, days int) time.Duration {
	return time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour)))
}

// inboxID is n random characters of the lower-case base32 alphabet the API's IDs use.
func inboxID(rng *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}
