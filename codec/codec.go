// Package codec is the room of encryption at rest in Temporal. Workflow histories hold the case:
// children's names, personal identity numbers and what professionals observed about their health
// and home. Temporal stores every payload as the client and the worker hand it over, so this
// package encrypts each payload (AES-256-GCM) before it leaves the process and decrypts it when it
// comes back; Temporal's database then holds only ciphertext where the case's data was.
//
// What the codec cannot hide is what Temporal keeps in clear beside the payloads: workflow IDs,
// search attributes, activity and update names, failure types. Those must never carry personal
// data; the case workflow uses a pseudonym for its ID for that reason.
//
// The package depends on the standard library and the SDK's converter types only, so the binary
// wires it into every Temporal client, and the API serves it to the Temporal Web UI.
package codec

import (
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const (
	// EncodingEncrypted is the "encoding" metadata of an encrypted payload, the name Temporal's
	// samples and tools use for it.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID is the metadata entry naming the key a payload is encrypted with.
	MetadataKeyID = "encryption-key-id"
	// MetadataWorkflowID is the metadata entry naming the workflow – the child's case, by its
	// pseudonymous ID – a payload was written for, so that the codec endpoint decodes it only for
	// those who may read that case (api/codec.go). It is in clear, as Temporal keeps the workflow ID
	// beside every event anyway, and bound into the ciphertext, so a payload cannot be relabelled to
	// another case.
	MetadataWorkflowID = "samverkan-workflow-id"
)

// Codec is a converter.PayloadCodec that encrypts with the keyring's active key and decrypts
// with whichever key a payload names. Each payload gets a fresh random 96-bit nonce; with random
// nonces one key should seal fewer than 2³² payloads, so rotate a key long before that (a year of
// a large region's cases is a few million).
type Codec struct {
	keys *Keyring
	// workflowID is the workflow whose payloads this codec encodes; empty outside a workflow.
	workflowID string
}

var (
	_ converter.PayloadCodec                         = (*Codec)(nil)
	_ converter.PayloadCodecWithSerializationContext = (*Codec)(nil)
)

// WithSerializationContext is the codec for the payloads of one workflow – its input, updates,
// queries, activities, failures – which the SDK asks for before encoding them (converter's
// serialization context, SDK 1.50). Payloads of no workflow keep the codec as it is.
func (c *Codec) WithSerializationContext(ctx converter.SerializationContext) converter.PayloadCodec {
	var id string
	switch sc := ctx.(type) {
	case converter.WorkflowSerializationContext:
		id = sc.WorkflowID
	case converter.ActivitySerializationContext:
		id = sc.WorkflowID
	}
	if id == "" || id == c.workflowID {
		return c
	}
	return &Codec{keys: c.keys, workflowID: id}
}

// WorkflowIDOf is the workflow an encrypted payload names as its own, or "" for a payload written
// outside a workflow or before payloads named theirs. Only a payload that decrypts proves it.
func WorkflowIDOf(p *commonpb.Payload) string { return string(p.GetMetadata()[MetadataWorkflowID]) }

// New returns a codec over the keyring.
func New(keys *Keyring) *Codec { return &Codec{keys: keys} }

// DataConverter is the SDK's default converter with this codec behind it: values become JSON (or
// proto) payloads as before, and every payload is then encrypted.
func DataConverter(c *Codec) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// Encode encrypts every payload, original metadata included, so not even the encoding of a value
// is left in clear.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.keys.activeID
	aead := c.keys.aeads[id]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return nil, fmt.Errorf("codec: marshal payload: %w", err)
		}
		// One allocation: nonce, then ciphertext and tag appended after it.
		data := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(data); err != nil {
			return nil, fmt.Errorf("codec: nonce: %w", err)
		}
		data = aead.Seal(data, data[:aead.NonceSize()], plain, additionalData(id, c.workflowID))
		meta := map[string][]byte{
			converter.MetadataEncoding: []byte(EncodingEncrypted),
			MetadataKeyID:              []byte(id),
		}
		if c.workflowID != "" {
			meta[MetadataWorkflowID] = []byte(c.workflowID)
		}
		out[i] = &commonpb.Payload{Metadata: meta, Data: data}
	}
	return out, nil
}

// Decode decrypts every encrypted payload. A payload that is not encrypted – written before the
// codec was switched on – passes through unchanged, so old histories stay readable. An encrypted
// payload that cannot be decrypted is an error, never passed on: a missing key must be noticed,
// and a tampered payload must not be believed.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		plain, err := c.open(p)
		if err != nil {
			return nil, err
		}
		out[i] = plain
	}
	return out, nil
}

func (c *Codec) open(p *commonpb.Payload) (*commonpb.Payload, error) {
	rawID, ok := p.GetMetadata()[MetadataKeyID]
	if !ok {
		return nil, errors.New("codec: encrypted payload names no key (metadata " + MetadataKeyID + " is missing)")
	}
	id := string(rawID)
	aead, ok := c.keys.aeads[id]
	if !ok {
		if ValidKeyID(id) != nil {
			return nil, errors.New("codec: encrypted payload names a malformed key ID")
		}
		// The keys held are not named: the message may reach a client (api/codec.go).
		return nil, fmt.Errorf("codec: payload is encrypted with key %q, which is not in the keyring", id)
	}
	data := p.GetData()
	if len(data) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("codec: payload encrypted with key %q is too short to be genuine", id)
	}
	nonce, sealed := data[:aead.NonceSize()], data[aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, sealed, additionalData(id, WorkflowIDOf(p)))
	if err != nil {
		return nil, fmt.Errorf("codec: payload encrypted with key %q does not decrypt: damaged or tampered with", id)
	}
	var inner commonpb.Payload
	if err := inner.Unmarshal(plain); err != nil {
		return nil, fmt.Errorf("codec: payload encrypted with key %q holds no payload: %w", id, err)
	}
	return &inner, nil
}

// additionalData binds the ciphertext to its format, key ID and workflow: a payload whose key ID was
// edited in the metadata fails authentication instead of being tried with another key, and one
// whose workflow was edited or removed fails instead of being decoded for another case's readers.
// Payloads of no workflow keep the form of payloads written before workflows were named.
func additionalData(keyID, workflowID string) []byte {
	if workflowID == "" {
		return []byte(EncodingEncrypted + "\x00" + keyID)
	}
	return []byte(EncodingEncrypted + "\x00" + keyID + "\x00" + workflowID)
}
