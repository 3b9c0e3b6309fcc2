package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestConcernsShedBeyondTheBoundAreRetriedSafely: beyond the API's bound on requests waiting on
// Temporal (issue 16, "beyond capacity"; docs/architecture.md §14) a concern is refused with 503
// before anything of it is done, and the client's retry under the same Idempotency-Key registers
// it – once. The system runs with a bound of one write and no wait for a slot, and twelve concerns
// about twelve children arrive at once; how many are shed depends on the machine, what holds does
// not.
func TestConcernsShedBeyondTheBoundAreRetriedSafely(t *testing.T) {
	s := newSystem(t).withoutUserRateLimit()
	s.env = append(s.env, "SAMVERKAN_API_MAX_INFLIGHT_WRITES=1", "SAMVERKAN_API_ADMISSION_WAIT=0s")
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	inboxBefore := len(s.myTasks(bertil).Items)

	const n = 12
	occurred := time.Now().Add(-time.Hour)
	bodies := make([]map[string]any, n)
	for i := range bodies {
		pnr, birth := benchChild(7000+i, occurred)
		bodies[i] = concern(pnr, birth, "norrkoping-skola-1", occurred)
	}
	key := func(i int) string { return fmt.Sprintf("shed-%d", i) }
	statuses := make([]int, n)
	var wg sync.WaitGroup
	client := benchHTTP()
	for i := range n {
		wg.Go(func() {
			statuses[i], _ = benchDo(client, http.MethodPost, s.apiURL+"/api/v1/concerns", anna, key(i), bodies[i], nil)
		})
	}
	wg.Wait()

	var shed []int
	for i, status := range statuses {
		switch status {
		case http.StatusAccepted:
		case http.StatusServiceUnavailable:
			shed = append(shed, i)
		default:
			t.Fatalf("concern %d: HTTP %d", i, status)
		}
	}
	t.Logf("%d of %d concerns shed", len(shed), n)
	require.Equal(t, float64(len(shed)), s.scrape().value("samverkan_http_requests_shed_total", "class", "writes"),
		"every 503 was a shed, none a command that timed out")
	for _, i := range shed {
		raw, err := json.Marshal(bodies[i])
		require.NoError(t, err)
		a := s.sendRaw(http.MethodPost, "/api/v1/concerns", anna, http.Header{"Idempotency-Key": {key(i)}}, raw)
		require.Equal(t, http.StatusAccepted, a.status, "concern %d sent again: %s", i, a.body)
	}
	// One case and one task each: no shed concern had left anything behind.
	for _, body := range bodies {
		require.NotEmpty(t, s.caseOf(body))
	}
	require.Eventually(t, func() bool { return len(s.myTasks(bertil).Items) == inboxBefore+n }, 30*time.Second, 200*time.Millisecond,
		"the named person's inbox holds each child's concern once")
}
