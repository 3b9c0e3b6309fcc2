package main

import "testing"

// TestFreePortNeverHandsOutAPortTwice: a test's system picks its five ports and the embedded
// Temporal server its own, each found free and closed again until its listener binds it; two picks
// of the same random port in one process then collide ("address already in use" in CI, about one
// system start in a hundred).
func TestFreePortNeverHandsOutAPortTwice(t *testing.T) {
	seen := map[int]bool{}
	for range 3000 {
		p := freeTCPPort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
	}
}

// TestTestsAndDevPickPortsApart: a test picks its system's ports (freeTCPPort), and the dev process
// it starts picks its internal services' (freePort) a moment later in another process, which knows
// nothing of the test's picks; another test's dev process took a port a test had picked and not yet
// bound ("address already in use" from the Web UI, which then stopped the process). The two pick
// from ranges apart.
func TestTestsAndDevPickPortsApart(t *testing.T) {
	for range 200 {
		if p := freeTCPPort(t); p >= servicePortsFrom {
			t.Fatalf("a test's port %d is in the internal services' range (from %d)", p, servicePortsFrom)
		}
		p, err := freePort("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if p < servicePortsFrom {
			t.Fatalf("an internal service's port %d is in the tests' range (below %d)", p, servicePortsFrom)
		}
	}
}
