// Package reports is the steering group's yearly follow-up (JSON, CSV and a page) and the
// supervisors' oversight, computed by package report from the read model's facts.
package reports

import (
	"time"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/db"
)

// Handlers holds what the reports routes need.
type Handlers struct {
	DB  *db.DB
	Now func() time.Time
	Log *accesslog.Log
}
