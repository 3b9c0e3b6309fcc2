// Package activities is the case workflow's only door to the world: directory look-ups, the read
// model, notifications in the app and by mail (notify.go), and later audit. Each activity is a
// method on Activities, which holds the dependencies, and is registered under an explicit name
// (worker package) that is never renamed.
package activities

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/samverkan/samverkan/db"
)

// Activities holds what the activities need. The worker builds one and registers its methods.
type Activities struct {
	DB     *db.DB
	Logger *slog.Logger
	// Mail is how Notify mails (notify.go); the zero value is mail off.
	Mail MailSettings
	// Now is the clock of Notify's outbox and of the archive; nil means time.Now.
	Now func() time.Time
	// Temporal reads a case's histories into its archived file and deletes the executions of an
	// erased case; Codec seals the file with the keys of Temporal's payloads; Namespace is where the
	// executions are (archive.go, erasure.go).
	Temporal  client.Client
	Codec     converter.PayloadCodec
	Namespace string

	mailOff sync.Once // warns once that mail is off
}

// Names under which the worker registers the activities; recorded in histories, never renamed.
const (
	NameRouteConcern = "RouteConcern"
	NameProjectCase  = "ProjectCase"
)

// Error kinds of non-retryable activity failures, so the workflow can tell them apart.
const (
	ErrKindNotFound = "NotFound"
	ErrKindInvalid  = "Invalid"
)

// nonRetryable marks an error that no retry can fix: the directory does not have what was asked.
func nonRetryable(kind string, err error) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), kind, err)
}

func notFoundOr(err error) error {
	if errors.Is(err, db.ErrNotFound) {
		return nonRetryable(ErrKindNotFound, err)
	}
	return err
}
