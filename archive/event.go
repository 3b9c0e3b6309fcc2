package archive

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/converter"
)

// A case event's body in case_events (migration 0010) is sealed as a case file is: it names people
// and carries what they wrote, so it is never stored in clear.

// encodingSealedEvent marks the payload that carries an event before the codec encrypts it.
const encodingSealedEvent = "json/samverkan-case-event"

// SealEvent makes the bytes case_events stores of an event: v as JSON, encrypted by the codec with
// its current key.
func SealEvent(c converter.PayloadCodec, v any) ([]byte, error) {
	if c == nil {
		return nil, errors.New("seal case event: no codec: case events are never stored in clear")
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("seal case event: %w", err)
	}
	sealed, err := sealBytes(c, encodingSealedEvent, raw)
	if err != nil {
		return nil, fmt.Errorf("seal case event: %w", err)
	}
	return sealed, nil
}

// OpenEvent reads what SealEvent made into v.
func OpenEvent(c converter.PayloadCodec, sealed []byte, v any) error {
	if c == nil {
		return errors.New("open case event: no codec")
	}
	raw, err := openBytes(c, encodingSealedEvent, sealed)
	if err != nil {
		return fmt.Errorf("open case event: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("open case event: %w", err)
	}
	return nil
}
