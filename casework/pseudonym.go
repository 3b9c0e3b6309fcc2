package casework

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// ChildPseudonym is the keyed pseudonym that stands for a child wherever an identifier is visible
// outside the encrypted case content: workflow IDs, search attributes, logs. Without the key it
// cannot be turned back into the identity, and the same child always gets the same pseudonym, which
// is what keeps one open case per child (docs/process.md §6).
//
// identity is the normalised personal number (12 digits), or for a reserve number
// "reserve:<municipality>:<number>" since reserve numbers are only unique where they were assigned.
func ChildPseudonym(key []byte, identity string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("samverkan/child/v1\x00"))
	mac.Write([]byte(identity))
	sum := mac.Sum(nil)
	// 130 bits in 26 lower-case base32 letters: no collisions among Sweden's children.
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:17]))[:26]
}

// CasePseudonym reads the child's pseudonym out of a case ID ("<pseudonym>-<suffix>": the pseudonym
// and a random suffix in lower-case base32, so each case of one child has its own ID), refusing
// anything else – a client's path must never put arbitrary text where a case ID goes.
func CasePseudonym(caseID string) (string, bool) {
	pseudonym, suffix, ok := strings.Cut(caseID, "-")
	if !ok || len(pseudonym) != 26 || len(suffix) == 0 || len(suffix) > 16 || !isBase32Lower(pseudonym) || !isBase32Lower(suffix) {
		return "", false
	}
	return pseudonym, true
}

func isBase32Lower(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}
