package casework

import (
	"errors"
	"strings"
)

// FieldError names one input field that is wrong and why, in Swedish for the caseworker. Field uses
// the API's JSON path ("child.personalNumber", "areas[1]").
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ValidationError is every field error of one input, so a caller can fix them all at once.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records one problem.
func (e *ValidationError) Add(field, reason string) {
	e.Fields = append(e.Fields, FieldError{field, reason})
}

// Err returns nil when nothing was added, so callers can `return v.Err()`.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Take adds the field problems of err, when it is a ValidationError, and returns nil; any other
// error it returns as it is. A caller that checks several fields against something that may fail
// collects every problem before answering.
func (e *ValidationError) Take(err error) error {
	var v *ValidationError
	if errors.As(err, &v) {
		e.Fields = append(e.Fields, v.Fields...)
		return nil
	}
	return err
}
