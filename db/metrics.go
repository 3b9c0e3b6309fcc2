package db

import (
	"context"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// OperationalCounts are what the operators' metrics count in the read model (package telemetry):
// numbers by phase, municipality and kind, never a case, a child or a user.
type OperationalCounts struct {
	// Municipalities are every municipality of the directory, so a gauge can say 0 for one without cases.
	Municipalities []string
	Cases          []PhaseCount
	NextDeadlines  []DeadlineCount
	Tasks          []TaskCount
	Notifications  []NotificationCount
	Mails          []MailCount
	// MailsWaitingOverHour are the mails not sent that were made over MailWaitingTooLong ago.
	MailsWaitingOverHour int64
}

// PhaseCount is how many cases of a municipality are in a phase, and how many of those are overdue.
type PhaseCount struct {
	Phase          string
	MunicipalityID string
	Cases          int64
	Overdue        int64
}

// DeadlineCount is how many cases of a municipality have their earliest open deadline of a kind.
type DeadlineCount struct {
	MunicipalityID string
	Kind           casework.DeadlineKind
	Cases          int64
}

// TaskCount is how many tasks of a kind (a workflows.TaskKind) are open in a municipality's cases,
// and how many of those are past their deadline. A task with several assignees counts once.
type TaskCount struct {
	MunicipalityID string
	Kind           string
	Open           int64
	Overdue        int64
}

// NotificationCount is how many notifications of a kind (an activities.NotifyKind) about a deadline
// kind ("" for none) have been recorded, each once however many recipients it had.
type NotificationCount struct {
	Kind         string
	DeadlineKind casework.DeadlineKind
	Notified     int64
}

// MailCount is how many mails of the outbox are in a status.
type MailCount struct {
	Status MailStatus
	Mails  int64
}

// OperationalCounts counts the read model for the metrics. Each figure is one grouped query; the
// caller caches them (a scrape every few seconds must not become a load on the database).
func (d *DB) OperationalCounts(ctx context.Context) (OperationalCounts, error) {
	g := d.gorm.WithContext(ctx)
	var out OperationalCounts
	queries := []struct {
		what string
		dest any
		sql  string
	}{
		{"municipalities", &out.Municipalities, `SELECT id FROM municipalities ORDER BY id`},
		{"cases", &out.Cases, `
			SELECT phase, municipality_id, COUNT(*) AS cases, SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue
			FROM cases GROUP BY phase, municipality_id ORDER BY phase, municipality_id`},
		{"next deadlines", &out.NextDeadlines, `
			SELECT municipality_id, next_deadline_kind AS kind, COUNT(*) AS cases
			FROM cases WHERE next_deadline_kind IS NOT NULL
			GROUP BY municipality_id, next_deadline_kind ORDER BY municipality_id, next_deadline_kind`},
		// A task is the rows sharing (case_id, position), one per assignee.
		{"tasks", &out.Tasks, `
			SELECT c.municipality_id, t.kind, COUNT(*) AS open, SUM(CASE WHEN t.overdue THEN 1 ELSE 0 END) AS overdue
			FROM (SELECT DISTINCT case_id, position, kind, overdue FROM case_tasks) t
			JOIN cases c ON c.case_id = t.case_id
			GROUP BY c.municipality_id, t.kind ORDER BY c.municipality_id, t.kind`},
		{"notifications", &out.Notifications, `
			SELECT kind, COALESCE(deadline_kind, '') AS deadline_kind, COUNT(DISTINCT notify_key) AS notified
			FROM notifications GROUP BY kind, deadline_kind ORDER BY kind, deadline_kind`},
		{"mails", &out.Mails, `SELECT status, COUNT(*) AS mails FROM mail_outbox GROUP BY status ORDER BY status`},
	}
	for _, q := range queries {
		if err := g.Raw(q.sql).Scan(q.dest).Error; err != nil {
			return OperationalCounts{}, fmt.Errorf("count %s: %w", q.what, err)
		}
	}
	waiting, err := d.MailsWaiting(ctx, time.Now().Add(-MailWaitingTooLong)) // mailoutbox_waiting.go
	if err != nil {
		return OperationalCounts{}, err
	}
	out.MailsWaitingOverHour = waiting
	return out, nil
}
