package casework

import (
	"testing"
	"time"
)

func TestEraseAfterIsTheClosingPlusTheRetention(t *testing.T) {
	closed := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if got, want := Norrbus().EraseAfter(closed), time.Date(2031, 3, 2, 10, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("default retention: erase after %s, want %s", got, want)
	}
	p := Norrbus()
	d := Duration(3 * time.Second)
	p.Retention = &d
	if got := p.EraseAfter(closed); !got.Equal(closed.Add(3 * time.Second)) {
		t.Fatalf("retention of 3s: erase after %s", got)
	}
	zero := Duration(0)
	p.Retention = &zero
	if p.Validate() == nil {
		t.Fatal("a retention of zero is valid")
	}
}
