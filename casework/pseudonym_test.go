package casework

import "testing"

func TestChildPseudonym(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	a := ChildPseudonym(key, "201203150004")
	t.Run("the same child gets the same pseudonym", func(t *testing.T) {
		if b := ChildPseudonym(key, "201203150004"); a != b {
			t.Fatalf("got %q and %q", a, b)
		}
	})
	t.Run("another child gets another pseudonym", func(t *testing.T) {
		if b := ChildPseudonym(key, "201203150012"); a == b {
			t.Fatalf("both %q", a)
		}
	})
	t.Run("another key gives another pseudonym", func(t *testing.T) {
		if b := ChildPseudonym([]byte("another key of at least 32 bytes!!"), "201203150004"); a == b {
			t.Fatalf("both %q", a)
		}
	})
	t.Run("the pseudonym is 26 lower-case base32 characters", func(t *testing.T) {
		if len(a) != 26 {
			t.Fatalf("length %d", len(a))
		}
		for _, r := range a {
			if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
				t.Fatalf("unexpected %q in %q", r, a)
			}
		}
	})
}
