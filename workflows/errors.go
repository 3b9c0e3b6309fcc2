package workflows

import (
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/casework"
)

// Types of the application errors that validators and handlers return. Each error carries a
// Refusal as its detail, so the API maps a rejected command to its HTTP status and names the fields
// at fault without reading messages. Messages are Swedish: the API passes them to the caseworker as
// the reason. The types are recorded in histories and shown in Temporal's UI: never rename one.
const (
	ErrTypeInvalid  = "InvalidCommand" // the command's own fields are wrong → 400
	ErrTypeConflict = "StateConflict"  // the command does not fit the case's state → 409
	ErrTypeRouting  = "RoutingFailed"  // the directory cannot route the concern → 422
	// ErrTypeForbidden: the actor may see the case but this command is not theirs to give → 403.
	ErrTypeForbidden = "NotPermitted"
	// ErrTypeUnavailable: something the command needs could not be reached (an activity failed) and
	// nothing was changed; the client may try again → 503.
	ErrTypeUnavailable = "Unavailable"
)

// Refusal is the typed detail of every application error the case workflow answers a command with:
// its kind (one of the ErrType constants, the error's type too) and, for an invalid command, the
// fields at fault by the command's JSON names – which are the API's.
type Refusal struct {
	Kind   string                `json:"kind"`
	Fields []casework.FieldError `json:"fields,omitempty"`
}

// refuse builds the application error of a refusal; the message is the reason, in Swedish.
func refuse(kind, message string, fields ...casework.FieldError) error {
	return temporal.NewApplicationError(message, kind, Refusal{Kind: kind, Fields: fields})
}

// invalid: the command's field at field (its JSON path) is wrong, for the reason.
func invalid(field, reason string, args ...any) error {
	f := casework.FieldError{Field: field, Reason: fmt.Sprintf(reason, args...)}
	return refuse(ErrTypeInvalid, f.Field+": "+f.Reason, f)
}

// invalidFields: several fields are wrong at once.
func invalidFields(fields ...casework.FieldError) error {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return refuse(ErrTypeInvalid, strings.Join(parts, "; "), fields...)
}

func conflict(format string, args ...any) error {
	return refuse(ErrTypeConflict, fmt.Sprintf(format, args...))
}

func forbidden(format string, args ...any) error {
	return refuse(ErrTypeForbidden, fmt.Sprintf(format, args...))
}

// unavailable: an activity the command needed failed. The cause stays in the workflow's history and
// the worker's log; the client gets only that it may try again.
func unavailable(what string, cause error) error {
	return temporal.NewApplicationErrorWithCause(what+" kunde inte läsas", ErrTypeUnavailable, cause, Refusal{Kind: ErrTypeUnavailable})
}

// RefusalOf reads the refusal an update was answered with out of the error its client got, and its
// reason. An error of one of our types without the detail (from a worker older than it) is a refusal
// without fields; anything else is no refusal.
func RefusalOf(err error) (Refusal, string, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return Refusal{}, "", false
	}
	var r Refusal
	if appErr.HasDetails() && appErr.Details(&r) == nil && r.Kind == appErr.Type() {
		return r, appErr.Message(), true
	}
	switch appErr.Type() {
	case ErrTypeInvalid, ErrTypeConflict, ErrTypeRouting, ErrTypeForbidden, ErrTypeUnavailable:
		return Refusal{Kind: appErr.Type()}, appErr.Message(), true
	}
	return Refusal{}, "", false
}
