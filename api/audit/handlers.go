// Package audit is the access log's views: a case's own log for the supervisor of its named
// person's unit; for auditors the export, the chain's verification, a child's extract and the
// alerts; the weekly log review with its sign-off. Writing the log is api/accesslog.
package audit

import (
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/db"
)

// Handlers holds what the audit routes need.
type Handlers struct {
	Temporal     client.Client
	DB           *db.DB
	PseudonymKey []byte
	Logger       *slog.Logger
	Now          func() time.Time
	Log          *accesslog.Log
	// Codec opens archived case files (the child's extract, a case's access log after it ended).
	Codec archive.Codec
	// ReviewSampleSize is how many rows a weekly log review samples (reviews.go; 0 means 20).
	ReviewSampleSize int
}
