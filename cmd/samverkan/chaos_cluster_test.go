package main

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// chaosClusterVictims are the processes of the production shape a kill may hit.
var chaosClusterVictims = []string{"temporal", "serve", "worker-1", "worker-2"}

// TestChaosCluster is TestChaos in the production shape (issue 15 §2): the same workload and the
// same checker, and each seeded kill SIGKILLs a random one of the Temporal server, serve and the two
// workers at a random instant and starts it again with the same configuration and ports, then waits
// until serve is ready again, as TestChaos waits for dev. It needs PostgreSQL on 127.0.0.1:5432:
//
//	SAMVERKAN_CHAOS=1 SAMVERKAN_CLUSTER=1 SAMVERKAN_CHAOS_CASES=100 SAMVERKAN_CHAOS_KILLS=20 \
//	  CGO_ENABLED=0 go test ./cmd/samverkan -run '^TestChaosCluster$' -v -timeout 40m
func TestChaosCluster(t *testing.T) {
	if os.Getenv("SAMVERKAN_CHAOS") != "1" {
		t.Skip("SAMVERKAN_CHAOS=1 runs it")
	}
	requireCluster(t)
	requireSharedPostgres(t)
	began := time.Now()
	cases, kills, seed := chaosKnobs()
	rng := rand.New(rand.NewPCG(uint64(seed), 15))
	c := newProdShape(t, clusterPostgres)
	c.setUpTemporalSchema()
	c.startTemporal()
	c.startApp()
	require.NoError(t, c.openDB().SavePolicy(context.Background(), chaosPolicy()))
	t.Logf("cluster up in %s", time.Since(began).Round(time.Second))

	hits := map[string]int{}
	all := chaosWorkload(t, c.system, seed, cases, kills, rng, func(k int) {
		victim := chaosClusterVictims[rng.IntN(len(chaosClusterVictims))]
		hits[victim]++
		c.kill(victim)
		restarted := time.Now()
		c.restart(victim)
		requireReady(t, c.apiURL, "serve after "+victim+" restarted")
		t.Logf("kill %d: %s, ready again in %s", k+1, victim, time.Since(restarted).Round(100*time.Millisecond))
	})
	report := chaosCheck(t, c.system, c.token("bertil.rektor"), all)
	t.Logf("chaos in the cluster shape, seed %d, %d cases, %d kills %v: %s; in all %s",
		seed, cases, kills, hits, report, time.Since(began).Round(time.Second))
}

// restart starts a killed process of the shape again as it was started first.
func (c *prodShape) restart(name string) {
	c.t.Helper()
	switch name {
	case "temporal":
		c.startTemporalServer()
	case "serve":
		c.startSamverkan("serve", "serve")
	default:
		c.startSamverkan(name, "worker")
	}
}
