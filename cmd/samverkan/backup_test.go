package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// TestBackupUnderLoadRestoresAndCasesGoOn: `samverkan backup` copies a running dev while concerns
// keep arriving; the disk is then lost (the process killed, its folder never used again), the
// backup restored into a fresh folder, and dev started on it: the case made before the backup is
// there, its acknowledgement deadline – open at the backup – fires, and the access log's chain
// verifies (issue 15).
func TestBackupUnderLoadRestoresAndCasesGoOn(t *testing.T) {
	if os.Getenv("SAMVERKAN_TEST_DATABASE_URL") != "" {
		t.Skip("backup copies dev's own SQLite; with PostgreSQL the README's pg_dump applies")
	}
	s := newSystem(t)
	s.command("seed", "--demo")
	short := casework.Norrkoping()
	short.Version = 2
	short.Deadlines[casework.DeadlineAcknowledge] = casework.Hours(40 * time.Second)
	require.NoError(t, s.openDB().SavePolicy(context.Background(), short))
	s.start()
	anna := s.token("anna.larare")
	birth := time.Date(2014, 9, 2, 0, 0, 0, 0, casework.Stockholm)
	created := s.concernCase(anna, concern(syntheticPersonalNumber(birth, 982), "2014-09-02", "norrkoping-skola-1", time.Now().Truncate(time.Second)))
	due, err := time.Parse(time.RFC3339, created.Deadlines[0].DueAt)
	require.NoError(t, err)

	// Load: other children's concerns keep coming while the backup runs.
	var posted, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			b, _ := json.Marshal(concern(syntheticPersonalNumber(birth.AddDate(0, 0, 1+i%300), 100+i%800), birth.AddDate(0, 0, 1+i%300).Format("2006-01-02"),
				"norrkoping-skola-1", time.Now().Truncate(time.Second)))
			req, _ := http.NewRequest("POST", s.apiURL+"/api/v1/concerns", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+anna)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode >= 300 {
				failed.Add(1)
			} else {
				posted.Add(1)
			}
			if res != nil {
				res.Body.Close()
			}
		}
	})
	time.Sleep(2 * time.Second)
	backup := filepath.Join(t.TempDir(), "backup")
	out := s.command("backup", backup)
	close(stop)
	wg.Wait()
	t.Logf("backup under load: %d concerns answered, %d not; %s", posted.Load(), failed.Load(), out)
	require.Positive(t, posted.Load())
	require.Zero(t, failed.Load())
	s.kill() // the disk is lost: s's folder is never used again

	r := newSystem(t)
	r.command("restore", backup)
	r.start()
	bertil, adam := r.token("bertil.rektor"), r.token("adam.admin")
	require.Eventually(t, func() bool {
		var c caseBody
		if r.call("GET", "/api/v1/cases/"+created.CaseID, bertil, nil, &c) != http.StatusOK || len(c.Deadlines) != 1 {
			return false
		}
		return c.Deadlines[0].Status == "missed" && len(c.Deviations) == 1
	}, time.Until(due)+90*time.Second, 500*time.Millisecond, "the deadline open at the backup never fired after the restore")
	var rep struct {
		OK      bool
		Checked int64
	}
	require.Equal(t, http.StatusOK, r.call("GET", "/api/v1/audit/access-log/verification", adam, nil, &rep))
	require.True(t, rep.OK, "the restored access log's chain verifies")
	require.Positive(t, rep.Checked)
	r.stop()
}
