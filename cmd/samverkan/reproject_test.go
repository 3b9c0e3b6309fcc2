package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestReprojectRebuildsALostReadModel: the read model of open cases is lost (its rows deleted) and
// corrupted (a phase and a snapshot overwritten at the same state sequence); `samverkan reproject`, paging one
// case at a time, rebuilds both from the workflows, and a second run changes nothing (issue 15).
func TestReprojectRebuildsALostReadModel(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_TEMPORAL_ADDRESS=127.0.0.1:"+s.getenv("SAMVERKAN_DEV_TEMPORAL_PORT"))
	s.command("seed", "--demo")
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	birth := time.Date(2014, 9, 2, 0, 0, 0, 0, casework.Stockholm)
	var ids []string
	for i := range 3 {
		created := s.concernCase(anna, concern(syntheticPersonalNumber(birth, 700+i), "2014-09-02", "norrkoping-skola-1", time.Now().Add(-time.Hour).Truncate(time.Second)))
		ids = append(ids, created.CaseID)
	}
	list := func() string {
		var body map[string]any
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases?scope=unit", bertil, nil, &body))
		items, _ := body["items"].([]any)
		var got []string
		for _, it := range items {
			m := it.(map[string]any)
			got = append(got, m["caseId"].(string)+":"+m["phase"].(string))
		}
		return strings.Join(got, ",")
	}
	var before string
	require.Eventually(t, func() bool { before = list(); return strings.Count(before, ":upptäcka") == 3 }, 30*time.Second, 200*time.Millisecond)

	g := s.openDB().Gorm()
	require.NoError(t, g.Exec("UPDATE cases SET phase = 'kartlägga' WHERE case_id = ?", ids[0]).Error)
	require.NoError(t, g.Exec("UPDATE case_snapshots SET state = 'x' WHERE case_id = ?", ids[0]).Error)
	for _, table := range []string{"case_tasks", "case_access", "case_facts", "case_snapshots"} {
		require.NoError(t, g.Exec("DELETE FROM "+table+" WHERE case_id IN ?", ids[1:]).Error)
	}
	require.NoError(t, g.Exec("DELETE FROM cases WHERE case_id IN ?", ids[1:]).Error)
	require.NotEqual(t, before, list())

	// Visibility is eventually consistent: the cases must be listed before the run can find them.
	require.Eventually(t, func() bool {
		return strings.Contains(s.command("reproject", "--page-size", "1"), "reprojected 3 open cases")
	}, 30*time.Second, time.Second)
	require.Equal(t, before, list())
	out := s.command("reproject")
	require.Contains(t, out, "reprojected 3 open cases")
	require.Equal(t, before, list(), "a second run changes nothing")
	var tasks int64
	require.NoError(t, g.Raw("SELECT COUNT(*) FROM case_tasks WHERE case_id IN ?", ids).Scan(&tasks).Error)
	require.Positive(t, tasks)
	// Each case's snapshot is back, at its row's state sequence, and no longer the corrupted one.
	var snapshots int64
	require.NoError(t, g.Raw(`SELECT COUNT(*) FROM case_snapshots s JOIN cases c ON c.case_id = s.case_id
		WHERE s.case_id IN ? AND s.state_seq = c.state_seq AND s.state <> 'x'`, ids).Scan(&snapshots).Error)
	require.EqualValues(t, 3, snapshots)
}
