package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// TestArchivedCaseOutlivesItsWorkflowAndIsErasedAfterRetention is issue 13's acceptance: with a
// policy whose reopening period and retention are seconds long, a closed case's workflow archives
// the case and completes; its execution is deleted through Temporal's API, and the case, its
// timeline (byte for byte) and its access log still read over HTTP for the same people, 404 for
// others, commands 409. After erase-after the retention sweep erases it: 404, and its canary name and
// personal number are in no file of the data folder (SQLite and WAL, Temporal's database) and in no
// table of the application database (on PostgreSQL too), its IDs only in the access log and the
// erasure record, while a second case under a legal hold is untouched, row for row.
func TestArchivedCaseOutlivesItsWorkflowAndIsErasedAfterRetention(t *testing.T) {
	t.Parallel() // mostly waiting for the reopening period and the retention to pass
	s := newSystem(t)
	s.command("seed", "--demo")
	short := casework.Norrkoping()
	short.Version = 2
	reopen, retention := casework.Duration(3*time.Second), casework.Duration(40*time.Second)
	short.ReopenWithin, short.Retention = &reopen, &retention
	require.NoError(t, s.openDB().SavePolicy(context.Background(), short))
	s.start()
	anna, bertil, erik := s.token("anna.larare"), s.token("bertil.rektor"), s.token("erik.bvc")
	david, adam := s.token("david.chef"), s.token("adam.admin")

	const canaryName = "Kanariefågel Arkivsson"
	canaryNumber := syntheticPersonalNumber(time.Date(2013, 4, 5, 0, 0, 0, 0, casework.Stockholm), 977)
	canary := concern(canaryNumber, "2013-04-05", "norrkoping-skola-1", time.Now().Add(-time.Minute).Truncate(time.Second))
	canary["child"].(map[string]any)["name"] = canaryName
	held := concern(syntheticPersonalNumber(time.Date(2013, 6, 7, 0, 0, 0, 0, casework.Stockholm), 978), "2013-06-07",
		"norrkoping-skola-1", time.Now().Add(-time.Minute).Truncate(time.Second))

	closeCase := func(body map[string]any) string {
		created := s.concernCase(anna, body)
		s.mustAct(bertil, "POST", created.CaseID, "acknowledgement", nil)
		s.mustAct(bertil, "POST", created.CaseID, "closing", closingBody())
		return created.CaseID
	}
	caseID, heldID := closeCase(canary), closeCase(held)
	workflowID := "case-" + caseID[:26]
	tc := s.decryptingClient()
	ctx := context.Background()
	for _, id := range []string{workflowID, "case-" + heldID[:26]} {
		require.Eventually(t, func() bool {
			d, err := tc.DescribeWorkflowExecution(ctx, id, "")
			return err == nil && d.GetWorkflowExecutionInfo().GetCloseTime() != nil
		}, 90*time.Second, 250*time.Millisecond, "the workflow did not complete after its reopening period")
	}
	s.recordHistory(workflowID, "archived_after_reopening_window")
	// A case that completed before the archive existed: `samverkan archive` archives it from its
	// history, and only it.
	require.NoError(t, s.openDB().Gorm().Exec("DELETE FROM case_archive WHERE case_id = ?", caseID).Error)
	out := s.command("archive", "--temporal-address", "127.0.0.1:"+s.getenv("SAMVERKAN_DEV_TEMPORAL_PORT"))
	require.Contains(t, out, "archived 1 case(s); 1 archived already")

	get := func(path, token string) answer { return s.sendRaw("GET", path, token, nil, nil) }
	timelineBefore, pageBefore := get("/api/v1/cases/"+caseID+"/timeline", bertil), get("/api/v1/cases/"+caseID+"/timeline?format=html", bertil)
	require.Equal(t, http.StatusOK, timelineBefore.status)

	// The execution goes, as the namespace's retention would take it.
	_, err := tc.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace: "default", WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: workflowID}})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := tc.DescribeWorkflowExecution(ctx, workflowID, "")
		var nf *serviceerror.NotFound
		return errors.As(err, &nf)
	}, 60*time.Second, 250*time.Millisecond, "the execution was not deleted")

	var archived struct {
		caseBody
		Archived   bool                   `json:"archived"`
		EraseAfter string                 `json:"eraseAfter"`
		Actions    []any                  `json:"actions"`
		LegalHold  *bool                  `json:"legalHold"`
		Child      *struct{ Name string } `json:"child"`
	}
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID, bertil, nil, &archived))
	require.True(t, archived.Archived)
	require.Equal(t, "avslutat", archived.Phase)
	require.Equal(t, canaryName, archived.Child.Name)
	require.Empty(t, archived.Actions, "an archived case offers no command")
	require.NotEmpty(t, archived.EraseAfter)
	timelineAfter := get("/api/v1/cases/"+caseID+"/timeline", bertil)
	require.Equal(t, http.StatusOK, timelineAfter.status)
	require.Equal(t, string(timelineBefore.body), string(timelineAfter.body), "the archived timeline reads differently")
	pageAfter := get("/api/v1/cases/"+caseID+"/timeline?format=html", bertil)
	require.Equal(t, http.StatusOK, pageAfter.status)
	require.Equal(t, len(pageBefore.body), len(pageAfter.body), "the printed timeline's length changed")
	var reporter caseBody
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID, anna, nil, &reporter))
	require.Equal(t, "reporter", reporter.View)
	require.Equal(t, http.StatusNotFound, get("/api/v1/cases/"+caseID, erik).status, "someone without a part reads the archived case")
	require.Equal(t, http.StatusNotFound, get("/api/v1/cases/"+caseID+"/timeline", erik).status)
	require.Equal(t, http.StatusOK, get("/api/v1/cases/"+caseID+"/access-log", david).status)
	var files struct {
		Cases []struct {
			CaseID   string `json:"caseId"`
			Archived bool   `json:"archived"`
		} `json:"cases"`
	}
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/child-extract?part=cases&personalNumber="+canaryNumber, adam, nil, &files))
	require.Len(t, files.Cases, 1, "the child's extract holds the archived case file")
	require.True(t, files.Cases[0].Archived)
	page := get("/api/v1/audit/child-extract?part=cases&format=html&personalNumber="+canaryNumber, adam)
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, string(page.body), canaryName)
	status, _, _ := s.act(bertil, "POST", caseID, "reopening", map[string]any{"reason": "Ny oro."})
	require.Equal(t, http.StatusConflict, status, "a command on an archived case")

	// The second case under a legal hold; the admin's hold needs a reason.
	require.Equal(t, http.StatusBadRequest, s.sendRaw("POST", "/api/v1/cases/"+heldID+"/legal-hold", adam, nil, []byte(`{"hold":true}`)).status)
	require.Equal(t, http.StatusForbidden, s.sendRaw("POST", "/api/v1/cases/"+heldID+"/legal-hold", bertil, nil, []byte(`{"hold":true,"reason":"x"}`)).status)
	require.Equal(t, http.StatusOK, s.sendRaw("POST", "/api/v1/cases/"+heldID+"/legal-hold", adam, nil,
		[]byte(`{"hold":true,"reason":"Begäran från förvaltningsrätten."}`)).status)

	heldBefore, err := s.openDB().ArchivedCase(ctx, heldID)
	require.NoError(t, err)

	eraseAfter, err := time.Parse(time.RFC3339, archived.EraseAfter)
	require.NoError(t, err)
	time.Sleep(time.Until(eraseAfter) + time.Second)
	h := tc.ScheduleClient().GetHandle(ctx, workflows.RetentionScheduleID)
	require.NoError(t, h.Trigger(ctx, client.ScheduleTriggerOptions{}))
	require.Eventually(t, func() bool { return get("/api/v1/cases/"+caseID, bertil).status == http.StatusNotFound },
		90*time.Second, 500*time.Millisecond, "the sweep did not erase the case")
	require.Equal(t, http.StatusNotFound, get("/api/v1/cases/"+caseID+"/timeline", bertil).status)
	require.Equal(t, http.StatusOK, get("/api/v1/cases/"+heldID, bertil).status, "the sweep erased a case under legal hold")
	var oversight struct {
		Erasures []struct {
			CaseID string `json:"caseId"`
		} `json:"erasures"`
	}
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/oversight", david, nil, &oversight))
	require.Len(t, oversight.Erasures, 1, "the supervisor sees the erasure")
	require.Equal(t, caseID, oversight.Erasures[0].CaseID)

	// Neither database file holds the canary, nor Temporal's (the histories are encrypted and, of the
	// erased case, deleted).
	dataFiles, err := filepath.Glob(filepath.Join(s.dataDir, "*"))
	require.NoError(t, err)
	searched := 0
	for _, f := range dataFiles {
		if fi, err := os.Stat(f); err != nil || fi.IsDir() {
			continue
		}
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		searched++
		for _, needle := range []string{canaryName, canaryNumber, canaryNumber[2:]} {
			require.False(t, bytes.Contains(raw, []byte(needle)), "%s holds %q", filepath.Base(f), needle)
		}
	}
	require.Positive(t, searched)
	// Nor does any table of the application database, which on PostgreSQL is not in the data folder;
	// the erased case's IDs are left only where the access log and the erasure record keep them. The
	// held case's rows prove the search reads.
	require.Empty(t, s.tablesHolding(canaryName, canaryNumber, canaryNumber[2:]), "tables hold the canary")
	require.Subset(t, []string{"access_log", "case_erasures"}, s.tablesHolding(caseID, workflowID),
		"the erased case's IDs are left in a table the sweep erases")
	require.Contains(t, s.tablesHolding(heldID), "case_archive")
	heldAfter, err := s.openDB().ArchivedCase(ctx, heldID)
	require.NoError(t, err)
	require.Equal(t, heldBefore, heldAfter, "the sweep changed the held case's file")
	for _, table := range []string{"cases", "case_access", "case_facts"} {
		var n int64
		require.NoError(t, s.openDB().Gorm().Raw("SELECT COUNT(*) FROM "+table+" WHERE case_id = ?", heldID).Scan(&n).Error)
		require.Positive(t, n, "the sweep erased the held case's rows in %s", table)
	}
	s.stop()
}
