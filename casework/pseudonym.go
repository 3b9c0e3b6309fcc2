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
// is what keeps one open case per child (DOMAIN.md §6).
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
