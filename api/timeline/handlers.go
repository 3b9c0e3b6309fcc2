// Package timeline is the case's history as its readers may see it (GET /cases/{caseId}/timeline):
// every business event in order of business time, read from the case events the workflow recorded
// (events.go) or, for a case begun before them, from the workflow's history (history.go), as JSON or as a
// page to print for the case file.
package timeline

import (
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/db"
)

// Handlers holds what the timeline routes need.
type Handlers struct {
	Temporal client.Client
	DB       *db.DB
	// Codec decrypts the history's payloads (the API reads histories as the Temporal UI would).
	Codec converter.PayloadCodec
	Now   func() time.Time
	Log   *accesslog.Log
}
