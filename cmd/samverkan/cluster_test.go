package main

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/workflows"
)

// TestCluster runs the production shape – the Temporal server built from the pinned module on
// PostgreSQL, `samverkan migrate`, one `serve`, two `worker`s and a mail catcher, each a process of
// its own – and walks Melwin's case (docs/process.md §13) through HTTP to an established plan with
// its follow-up booked. Mid-flow, while the summons is being answered, it SIGKILLs the worker that
// ran the case's last workflow task: the other worker takes the case over and it completes, every
// command once; the consistency checker of TestChaos then finds the read model and the mail
// catcher in line with the workflow and the outbox (issue 15 §1).
//
//	SAMVERKAN_CLUSTER=1 CGO_ENABLED=0 go test ./cmd/samverkan -run '^TestCluster$' -v
func TestCluster(t *testing.T) {
	requireCluster(t)
	requireSharedPostgres(t)
	began := time.Now()
	c := newProdShape(t, clusterPostgres)
	c.setUpTemporalSchema()
	c.startTemporal()
	c.startApp()
	t.Logf("cluster up in %s", time.Since(began).Round(time.Second))

	rc := &retryingClient{base: c.apiURL, timeout: 2 * time.Minute}
	caseID := c.walkMelwin(rc, 983, func(caseID string) {
		holder := c.caseWorker(caseID)
		c.kill(holder)
		t.Logf("SIGKILL %s, which ran the case's last workflow task", holder)
	})
	bertil := c.token("bertil.rektor")
	status, pc := c.readPlan(bertil, caseID)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, pc.Plans, 1)
	require.Equal(t, "established", pc.Plans[0].Status, "the guardians and Melwin approved the plan")
	require.Equal(t, "uppföljning", pc.Phase)
	require.Equal(t, []string{"open"}, pc.deadlines("follow_up"), "the follow-up is booked")
	require.Equal(t, "cecilia.socialsekreterare", pc.Coordinator.Coordinator.User)
	require.Empty(t, pc.Deviations)

	// Every mail the outbox marked sent reached the catcher once, none is left pending; the read
	// model has the workflow's phase.
	g := c.openDB().Gorm()
	require.Eventually(t, func() bool {
		var pending int64
		require.NoError(t, g.Raw("SELECT count(*) FROM mail_outbox WHERE status IN ('pending', 'sending')").Scan(&pending).Error)
		return pending == 0
	}, time.Minute, time.Second, "mails still pending")
	report := chaosCheck(t, c.system, bertil, []chaosCase{{id: caseID, acks: true}})
	require.Contains(t, c.mailSubjects(), "Kallelse till samverkansmöte i ärende "+caseID, "the summons was mailed")
	require.Zero(t, rc.serverError, rc.figures())
	t.Logf("cluster walk: %s; client: %s; in all %s", report, rc.figures(), time.Since(began).Round(time.Second))
}

// walkMelwin walks Melwin, 14, through docs/process.md §13 with the retrying client – concern,
// acknowledgement, assessment with his view, collaboration with BUP, social services and the school
// health team, consent of both guardians and Melwin, the summons, the meeting, the coordinator he
// wished, and a plan that all three approve with its follow-up booked. midFlow runs while the
// summons is on its way.
func (c *prodShape) walkMelwin(rc *retryingClient, serial int, midFlow func(caseID string)) string {
	t := c.t
	anna, bertil, cecilia := c.token("anna.larare"), c.token("bertil.rektor"), c.token("cecilia.socialsekreterare")
	key := func(step string) string { return "melwin-" + c.suffix + "-" + strconv.Itoa(serial) + "-" + step }
	melwin := childConcern("Melwin Påhittad", birthDateForAge(14), serial, "7", []string{"lärande", "hälsa", "relationer", "hemmet"},
		"Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig från kamraterna.", false, localDay(-2, 9, 0))
	require.Equal(t, http.StatusAccepted, rc.send(t, anna, "POST", "/api/v1/concerns", key("concern"), melwin, nil))
	id := c.caseOf(melwin) // the reporter's receipt names no case
	for _, step := range melwinSteps(bertil, cecilia) {
		send := func() int {
			return rc.send(t, step.token, step.method, "/api/v1/cases/"+id+"/"+step.command, key(step.name), step.body, nil)
		}
		if step.name != "summons" || midFlow == nil {
			require.Equal(t, http.StatusOK, send(), step.name)
			continue
		}
		answered := make(chan int, 1)
		go func() { answered <- send() }()
		time.Sleep(150 * time.Millisecond)
		midFlow(id)
		require.Equal(t, http.StatusOK, <-answered, step.name)
	}
	return id
}

type melwinStep struct {
	name, token, method, command string
	body                         map[string]any
}

// melwinSteps are the commands after the concern, each named for its Idempotency-Key.
func melwinSteps(bertil, cecilia string) []melwinStep {
	scope := []string{agencyBUP, agencySocialServices, agencySchoolHealth}
	consent := func(minute int, party, name string) map[string]any {
		b := map[string]any{"occurredAt": rfc3339(localDay(-2, 14, minute)), "party": party, "given": true, "scope": scope, "method": "written"}
		if name != "" {
			b["partyName"], b["custody"] = name, "joint"
		}
		return b
	}
	attendance := []map[string]any{{"participant": "child", "present": true}, {"participant": "guardians", "present": true}}
	for _, a := range scope {
		attendance = append(attendance, map[string]any{"participant": a, "present": true})
	}
	plan := planBody()
	plan["followUpAt"] = rfc3339(time.Now().AddDate(0, 0, 28).Truncate(time.Hour))
	return []melwinStep{
		{"acknowledgement", bertil, "POST", "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 10, 0))}},
		{"assessment", bertil, "PUT", "assessment", map[string]any{
			"occurredAt": rfc3339(localDay(-2, 11, 0)),
			"areas": []map[string]any{
				{"area": "lärande", "observation": "Närvaro under 10 % sedan ett år.", "level": "hög"},
				{"area": "relationer", "observation": "Isolerar sig; blir aggressiv när han pressas.", "level": "hög"},
			},
			"childView": map[string]any{"view": "Melwin säger att skolan känns för stor."},
			"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Lång frånvaro.",
				"whatICanDo": "Anpassad studiegång.", "whatOrgCanDo": "Elevhälsan följer upp.", "helpNeeded": "BUP och socialtjänsten."},
		}},
		{"completion", bertil, "POST", "assessment/completion", map[string]any{"occurredAt": rfc3339(localDay(-2, 13, 0)),
			"outcome": "collaboration", "proposedAgencies": scope, "relevantAreas": []string{"lärande", "relationer"}}},
		{"consent-guardian-1", bertil, "POST", "consents", consent(0, "guardian", "Vårdnadshavare Ett Påhittad")},
		{"consent-guardian-2", bertil, "POST", "consents", consent(10, "guardian", "Vårdnadshavare Två Påhittad")},
		{"consent-child", bertil, "POST", "consents", consent(20, "child", "")},
		{"summons", bertil, "POST", "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 16, 0)),
			"meetingAt": rfc3339(localDay(-1, 13, 0)), "place": "Lärkängsskolan, konferensrummet",
			"agencies": scope, "inviteChild": true, "inviteGuardians": true}},
		{"meeting", bertil, "POST", "meeting", map[string]any{"occurredAt": rfc3339(localDay(-1, 13, 0)),
			"attendance": attendance, "commonPicture": "Melwin vill tillbaka till skolan men orkar inte.",
			"decisions": []map[string]any{
				{"unitId": agencyBUP, "decision": "Bedömningssamtal inom tre veckor."},
				{"unitId": agencySocialServices, "decision": "Erbjuder familjebehandling."},
				{"unitId": agencySchoolHealth, "noFurtherAction": true, "reason": "Fortsatt stöd inom skolans ordinarie elevhälsoarbete."},
			}}},
		{"coordinator", bertil, "POST", "coordinator", map[string]any{"occurredAt": rfc3339(localDay(-1, 14, 0)),
			"childWish": map[string]any{"user": coordinatorUser}, "coordinator": map[string]any{"user": coordinatorUser}}},
		{"plan", cecilia, "POST", "plans", plan},
		{"approval-guardian-1", cecilia, "POST", "plans/1/approvals", approvalBody("guardian", "Vårdnadshavare Ett Påhittad")},
		{"approval-guardian-2", cecilia, "POST", "plans/1/approvals", approvalBody("guardian", "Vårdnadshavare Två Påhittad")},
		{"approval-child", cecilia, "POST", "plans/1/approvals", approvalBody("child", "")},
	}
}

// caseWorker names the worker process that completed the case's last workflow task: the one whose
// cache holds the case and that its next task goes to first.
func (c *prodShape) caseWorker(caseID string) string {
	c.t.Helper()
	tc, err := client.Dial(client.Options{HostPort: c.temporal, Namespace: clusterNS, Logger: quietSDKLogger{}})
	require.NoError(c.t, err)
	defer tc.Close()
	it := tc.GetWorkflowHistory(context.Background(), workflows.CaseWorkflowID(caseID[:26]), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	identity := ""
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(c.t, err)
		if a := e.GetWorkflowTaskCompletedEventAttributes(); a != nil {
			identity = a.Identity
		}
	}
	pid, _, _ := strings.Cut(identity, "@")
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, cmd := range c.procs {
		if strings.HasPrefix(name, "worker") && strconv.Itoa(cmd.Process.Pid) == pid {
			return name
		}
	}
	c.t.Fatalf("no worker of ours completed the case's last workflow task (identity %q)", identity)
	return ""
}

// mailSubjects are the decoded subjects of the mails in the catcher.
func (c *prodShape) mailSubjects() []string {
	c.t.Helper()
	files, err := filepath.Glob(filepath.Join(c.dir, "mail", "*.eml"))
	require.NoError(c.t, err)
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(c.t, err)
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		require.NoError(c.t, err)
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		require.NoError(c.t, err)
		out = append(out, subject)
	}
	return out
}
