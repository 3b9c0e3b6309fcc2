// Package archive is the case file that outlives its workflow (issue 13, docs/process.md §7.2): what it
// holds, how it is sealed with the codec keyring Temporal's payloads use, and how a case's histories
// are read from Temporal into it. The database keeps the sealed file (db/archive.go); the Case
// workflow's ArchiveCase activity and `samverkan archive` write it, the API reads it.
package archive

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Codec seals and opens case files: the payload codec of Temporal's payloads (codec.Codec).
type Codec = converter.PayloadCodec

// FormatVersion is the version of File's layout; a reader refuses a newer one.
const FormatVersion = 1

// File is a closed case's whole file: the final state – plan versions, consents and revocations,
// deviations are in it – and the history of every run of the workflow, from which the timeline is
// read exactly as from a live case.
type File struct {
	FormatVersion int       `json:"formatVersion"`
	CaseID        string    `json:"caseId"`
	WorkflowID    string    `json:"workflowId"`
	RunIDs        []string  `json:"runIds"` // oldest first
	ArchivedAt    time.Time `json:"archivedAt"`
	// State is the workflow's final workflows.CaseState as JSON (this package may not import
	// workflows, which the activities that write the file are imported by).
	State json.RawMessage `json:"state"`
	// Runs are the histories of the runs, oldest first, each a historypb.History in protobuf's binary
	// form with the payloads as Temporal stores them (encrypted by the codec).
	Runs [][]byte `json:"runs"`
}

// Histories are the events of every run, oldest run first: what the timeline reads.
func (f File) Histories() ([][]*historypb.HistoryEvent, error) {
	out := make([][]*historypb.HistoryEvent, len(f.Runs))
	for i, raw := range f.Runs {
		var h historypb.History
		if err := proto.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("archived history of run %d: %w", i+1, err)
		}
		out[i] = h.Events
	}
	return out, nil
}

// encodingSealed marks the payload that carries a file before the codec encrypts it.
const encodingSealed = "binary/samverkan-case-file+gzip"

// Seal makes the bytes the archive stores: the file as JSON, compressed, encrypted by the codec
// with its current key (the keyring's rotation applies: an older key still opens what it sealed).
func Seal(c converter.PayloadCodec, f File) ([]byte, error) {
	if c == nil {
		return nil, errors.New("seal case file: no codec: the archive never stores a file in clear")
	}
	f.FormatVersion = FormatVersion
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("seal case file %s: %w", f.CaseID, err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sealed, err := sealBytes(c, encodingSealed, buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("seal case file %s: %w", f.CaseID, err)
	}
	return sealed, nil
}

// sealBytes encrypts data with the codec's current key as a payload of the given encoding; it
// refuses a codec that leaves the payload as it was.
func sealBytes(c converter.PayloadCodec, encoding string, data []byte) ([]byte, error) {
	p := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(encoding)}, Data: data}
	enc, err := c.Encode([]*commonpb.Payload{p})
	if err != nil {
		return nil, err
	}
	if len(enc) != 1 || string(enc[0].GetMetadata()[converter.MetadataEncoding]) == encoding {
		return nil, errors.New("the codec did not encrypt it")
	}
	return proto.Marshal(enc[0])
}

// openBytes reads what sealBytes made with the same encoding.
func openBytes(c converter.PayloadCodec, encoding string, sealed []byte) ([]byte, error) {
	var p commonpb.Payload
	if err := proto.Unmarshal(sealed, &p); err != nil {
		return nil, err
	}
	dec, err := c.Decode([]*commonpb.Payload{&p})
	if err != nil {
		return nil, err
	}
	if len(dec) != 1 || string(dec[0].GetMetadata()[converter.MetadataEncoding]) != encoding {
		return nil, fmt.Errorf("not a sealed %s", encoding)
	}
	return dec[0].GetData(), nil
}

// Open reads what Seal made.
func Open(c converter.PayloadCodec, sealed []byte) (File, error) {
	var f File
	if c == nil {
		return f, errors.New("open case file: no codec")
	}
	data, err := openBytes(c, encodingSealed, sealed)
	if err != nil {
		return f, fmt.Errorf("open case file: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return f, fmt.Errorf("open case file: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return f, fmt.Errorf("open case file: %w", err)
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return f, fmt.Errorf("open case file: %w", err)
	}
	if f.FormatVersion > FormatVersion {
		return f, fmt.Errorf("open case file %s: format %d is newer than this release reads (%d)", f.CaseID, f.FormatVersion, FormatVersion)
	}
	return f, nil
}
