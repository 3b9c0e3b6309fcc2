package main

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// BenchmarkRemindersDueTheSameMorning starts `samverkan dev` (embedded Temporal, worker, API and its
// real SMTP catcher), opens SAMVERKAN_BENCH_CASES (10,000) cases each with two reminders due at one
// instant R – the morning reminder of a follow-up due today and the lead reminder of a cost
// distribution due in two working days – and measures how long after R every mail has been handed to
// the SMTP server, and that exactly 2 × cases mails arrived, each once.
//
// The cases are started the way continue-as-new starts a run: with the whole state carried, already
// in uppföljning with the reminders planned for R. Walking 10,000 cases through fifteen commands each
// over the API would take hours and measure the commands, not the reminders. The policy's reminder
// hours are 00–24 so that R can be a minute from now; the reminders still go out on working days only,
// so the benchmark is skipped on a Swedish day off. Run with -benchtime 1x; -v logs progress.
// SAMVERKAN_BENCH_START_RATE (cases/s, 50) sets how much time R leaves for starting the cases.
func BenchmarkRemindersDueTheSameMorning(b *testing.B) {
	n := benchEnvInt(b, "SAMVERKAN_BENCH_CASES", 10000)
	policy := casework.Norrbus()
	policy.ReminderHours = &casework.HourWindow{From: 0, To: 24}
	if !policy.Reminders().IsWorkingDay(time.Now()) {
		b.Skip("today is not a Swedish working day: reminders wait for the next one")
	}
	s := newSystem(b)
	s.command("seed", "--demo")
	s.start()
	pid := s.cmd.Process.Pid
	idle := readProc(b, pid)

	c := s.decryptingClient()

	// R leaves room to start every case at an assumed rate, 50 cases/s unless
	// SAMVERKAN_BENCH_START_RATE says less (a busy machine); the start must end before R.
	startRate := benchEnvInt(b, "SAMVERKAN_BENCH_START_RATE", 50)
	began := time.Now()
	reminderAt := began.Add(time.Duration(n)*time.Second/time.Duration(startRate) + 30*time.Second).Truncate(time.Second)
	b.Logf("conditions: %d cases, %d CPUs, load average %s; R = %s", n, runtime.NumCPU(), loadAverage(), reminderAt.Format(time.RFC3339))
	startCasesWithReminders(b, c, n, policy, reminderAt)
	started := readProc(b, pid)
	b.Logf("%d cases started in %s: %s", n, time.Since(began).Round(time.Second), started.delta(idle))
	require.True(b, time.Now().Before(reminderAt), "starting the cases ended after R; lower SAMVERKAN_BENCH_CASES")

	want := 2 * n
	mailDir := filepath.Join(s.dataDir, "mail")
	var first time.Duration
	deadline := reminderAt.Add(30 * time.Minute)
	last, lastLog := 0, time.Now()
	for {
		got := countMails(b, mailDir)
		if got > 0 && first == 0 {
			first = time.Since(reminderAt)
		}
		if got >= want || time.Now().After(deadline) {
			break
		}
		if time.Since(lastLog) > 10*time.Second && got != last {
			b.Logf("%s after R: %d of %d mails", time.Since(reminderAt).Round(time.Second), got, want)
			last, lastLog = got, time.Now()
		}
		time.Sleep(200 * time.Millisecond)
	}
	allSent := time.Since(reminderAt)
	after := readProc(b, pid)
	// A duplicate would come after the last expected mail: give it time to arrive.
	time.Sleep(10 * time.Second)
	ids, recipients := readMails(b, mailDir)
	b.Logf("all mails after %s (first after %s): %s", allSent.Round(time.Millisecond), first.Round(time.Millisecond), after.delta(started))
	require.Equal(b, want, len(ids), "mails in the catcher")
	require.Len(b, uniqueStrings(ids), want, "each reminder's mail once")
	require.Equal(b, map[string]int{"cecilia.socialsekreterare@norrkoping-kommun.example": want}, recipients)

	b.ReportMetric(float64(want), "mails")
	b.ReportMetric(allSent.Seconds(), "s_until_all_sent")
	b.ReportMetric(first.Seconds(), "s_until_first_sent")
	b.ReportMetric(float64(want)/allSent.Seconds(), "mails/s")
	b.ReportMetric(after.hwmMB(), "hwm_MB")
	s.stop()
	summariseLog(b, s.log.String())
}

// startCasesWithReminders starts n cases in uppföljning whose two reminders are planned for at.
func startCasesWithReminders(b *testing.B, c client.Client, n int, policy casework.Policy, at time.Time) {
	b.Helper()
	cal := policy.Reminders()
	now := time.Now().In(casework.Stockholm)
	today := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, casework.Stockholm).Add(-time.Nanosecond)
	inTwo := cal.EndOfWorkingDay(now, 2)
	opened := now.AddDate(0, -1, 0)
	startCarriedCases(b, c, "benchrem", 0, n, func(pseudonym string) workflows.CaseState {
		return benchCaseWithReminders(pseudonym, policy, opened, today, inTwo, at)
	})
}

// benchCaseWithReminders is a synthetic case in uppföljning: a plan in force whose follow-up is due
// today and an acute placement whose cost distribution is due in two working days, each reminder
// planned for at. The child is nobody: no name, no personal identity number.
func benchCaseWithReminders(pseudonym string, policy casework.Policy, opened, followUpDue, costsDue, at time.Time) workflows.CaseState {
	workflowID := workflows.CaseWorkflowID(pseudonym)
	const soc, school, coordinator = "norrkoping-socialtjanst", "norrkoping-skola-1", "cecilia.socialsekreterare"
	established := opened.Add(24 * time.Hour)
	socUnit := casework.UnitRef{ID: soc, Name: "Socialtjänsten", Kind: casework.UnitSocialServices}
	st := workflows.CaseState{
		// A carried case has changed before, as every real one has: its state sequence is at least
		// one, which the read model's snapshot requires (db case_snapshots).
		Seq:             1,
		CaseID:          pseudonym + "-bench",
		Municipality:    "norrkoping",
		Policy:          policy,
		Phase:           casework.PhaseUppfoljning,
		Child:           workflows.Child{BirthDate: "2015-06-01", Schooling: casework.Schooling{Status: casework.SchoolingSchool, UnitID: school}},
		NamedPersonUnit: &casework.UnitRef{ID: school, Name: "Skolan", Kind: casework.UnitSchool},
		Areas:           []casework.WheelArea{casework.AreaLarande},
		OpenedAt:        opened,
		Deadlines: []workflows.Deadline{
			{Kind: casework.DeadlineFollowUp, StartedAt: established, DueAt: followUpDue, Rule: "bokat datum", Status: workflows.DeadlineOpen},
			{Kind: casework.DeadlineCostDistribution, StartedAt: established, DueAt: costsDue, Rule: "10 arbetsdagar", Status: workflows.DeadlineOpen},
		},
	}
	st.ConsentStatus, st.ConsentScope = workflows.ConsentGiven, []string{soc}
	st.Participants = []workflows.Participant{{Unit: socUnit, Status: workflows.ParticipantActive, Since: opened}}
	by := workflows.Actor{User: coordinator, Role: casework.RoleCoordinator, Unit: soc, UnitKind: casework.UnitSocialServices}
	rec := workflows.Recorded{By: by, OccurredAt: established, RecordedAt: established}
	st.Coordinator = &workflows.CoordinatorRecord{Recorded: rec, Coordinator: workflows.Person{User: coordinator, UnitID: soc, UnitKind: casework.UnitSocialServices}}
	municipality := workflows.Principal{Kind: casework.PrincipalMunicipality, Name: "Norrköpings kommun"}
	st.Plans = []workflows.PlanVersion{{Version: 1, Recorded: rec, Status: workflows.PlanEstablished, EstablishedAt: &established, FollowUpAt: followUpDue,
		Interventions: []workflows.Intervention{{ID: "i1", Description: "familjebehandling", Principal: municipality, UnitID: soc,
			Performer: "familjebehandlare", Extent: "1 tim/vecka", Areas: []casework.WheelArea{casework.AreaHemmet}, FollowUpHow: "samtal"}},
		NoMeasuresByOthers: true, OverallResponsibility: municipality}}
	st.Placement = &workflows.PlacementRecord{Recorded: rec, Kind: workflows.PlacementAcute}
	st.RemindersOn = true
	for d, dl := range st.Deadlines {
		st.Reminders = append(st.Reminders, workflows.ReminderRecord{
			Key: fmt.Sprintf("%s/%s/%d/1", workflowID, dl.Kind, dl.DueAt.Unix()), Deadline: d, DeadlineKind: dl.Kind, DueAt: dl.DueAt, At: at,
		})
	}
	return st
}

// benchPseudonym is the i-th made-up pseudonym of a kind, in the form the API reads case IDs in (26
// characters of lower-case base32), standing for no child.
func benchPseudonym(kind string, i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s-%d", kind, i)))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16]))
}

func countMails(b *testing.B, dir string) int {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(b, err)
	n := 0
	for _, e := range entries {
		if devMailName.MatchString(e.Name()) {
			n++
		}
	}
	return n
}

// readMails returns each mail's Message-ID and how many went to each address.
func readMails(b *testing.B, dir string) (ids []string, to map[string]int) {
	entries, err := os.ReadDir(dir)
	require.NoError(b, err)
	to = map[string]int{}
	for _, e := range entries {
		if !devMailName.MatchString(e.Name()) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(b, err)
		head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			name, value, _ := strings.Cut(line, ":")
			switch strings.ToLower(name) {
			case "message-id":
				ids = append(ids, strings.TrimSpace(value))
			case "to":
				to[strings.Trim(strings.TrimSpace(value), "<>")]++
			}
		}
	}
	return ids, to
}

func uniqueStrings(xs []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range xs {
		out[x] = true
	}
	return out
}
