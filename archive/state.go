package archive

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/converter"
)

// A case's snapshot in case_snapshots (migration 0012) is its whole state – names, personal numbers,
// what people wrote – so it is sealed as a case file is, never stored in clear.

// encodingSealedState marks the payload that carries a state before the codec encrypts it.
const encodingSealedState = "json/samverkan-case-state"

// SealState makes the bytes case_snapshots stores of a state given as JSON, encrypted by the codec
// with its current key.
func SealState(c converter.PayloadCodec, state json.RawMessage) ([]byte, error) {
	if c == nil {
		return nil, errors.New("seal case state: no codec: a case's state is never stored in clear")
	}
	if !json.Valid(state) {
		return nil, errors.New("seal case state: not JSON")
	}
	sealed, err := sealBytes(c, encodingSealedState, state)
	if err != nil {
		return nil, fmt.Errorf("seal case state: %w", err)
	}
	return sealed, nil
}

// OpenState reads what SealState made into v.
func OpenState(c converter.PayloadCodec, sealed []byte, v any) error {
	if c == nil {
		return errors.New("open case state: no codec")
	}
	raw, err := openBytes(c, encodingSealedState, sealed)
	if err != nil {
		return fmt.Errorf("open case state: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("open case state: %w", err)
	}
	return nil
}
