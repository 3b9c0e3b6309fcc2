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
