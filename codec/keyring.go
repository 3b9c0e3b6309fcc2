package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// KeySize is the length of every key: AES-256.
const KeySize = 32

// Key is one AES-256 key and the ID that payloads encrypted with it carry in their metadata. The
// ID is stored in clear next to every payload, so it must name the key, never describe what it
// protects.
type Key struct {
	ID     string
	Secret []byte
}

// Keyring holds every key that may still be needed to read a history. The first key is the
// active one and encrypts everything new; the others only decrypt. Rotating is putting a new key
// first and keeping the old ones for as long as a history written with them may be read: a case
// lives for years, so an old key is dropped only when no retained history uses it.
type Keyring struct {
	activeID string
	aeads    map[string]cipher.AEAD
	ids      []string
}

// NewKeyring builds a keyring from keys, the first of which is active. IDs must be unique,
// non-empty and short printable ASCII without ':' or ','; every secret must be KeySize bytes.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no key: at least one is needed to encrypt")
	}
	r := &Keyring{activeID: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for i, k := range keys {
		if err := ValidKeyID(k.ID); err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("key %d: ID %q is given twice", i+1, k.ID)
		}
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("key %q is %d bytes; AES-256 needs exactly %d", k.ID, len(k.Secret), KeySize)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
		r.aeads[k.ID] = aead
		r.ids = append(r.ids, k.ID)
	}
	return r, nil
}

// ActiveKeyID names the key that encrypts new payloads.
func (r *Keyring) ActiveKeyID() string { return r.activeID }

// KeyIDs lists every key's ID, the active one first.
func (r *Keyring) KeyIDs() []string { return append([]string(nil), r.ids...) }

// ValidKeyID says what is wrong with a key ID, or nil. The limits keep the ID safe in the list
// form of the configuration ("id:secret,id:secret") and in payload metadata.
func ValidKeyID(id string) error {
	if id == "" {
		return errors.New("key ID is empty")
	}
	if len(id) > 64 {
		return fmt.Errorf("key ID %.16q… is longer than 64 characters", id)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return fmt.Errorf("key ID %q may hold only letters, digits, '-', '_' and '.'", id)
		}
	}
	return nil
}
