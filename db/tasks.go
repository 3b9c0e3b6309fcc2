package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/casework"
)

// CaseTask is one assignee's row of a task open in a case: the rows of one task share Position.
type CaseTask struct {
	Position int
	Kind     string // a workflows.TaskKind
	Title    string // Swedish; no personal data
	DueAt    *time.Time
	Overdue  bool
	casework.Assignee
}

// CaseAccess is one unit's or user's part in a case (a casework.AccessGrant).
type CaseAccess struct {
	Relation casework.AccessRelation
	UnitID   string
	UserID   string
}

// CaseProjection is everything the read model keeps of one case.
type CaseProjection struct {
	Case   CaseRow
	Tasks  []CaseTask
	Access []CaseAccess
	Facts  *CaseFacts // facts.go; nil from workflows older than them
	// Events are case events not yet written (case_events.go); written whatever the row's state
	// sequence, since an event never changes once recorded.
	Events []CaseEventRow
	// Snapshot is the case's whole state at the row's state sequence (snapshots.go), written when it
	// is newer than the stored snapshot; nil from workflows older than snapshots, which leave the
	// stored one behind the row, where reads no longer take it.
	Snapshot *CaseSnapshot
	// Rewrite writes a projection of the same state sequence as the stored one too, not only a newer
	// one: `samverkan reproject` repairs a row that was corrupted, or projected by an older release,
	// without ever going back to an older state.
	Rewrite bool
}

type caseTaskModel struct {
	CaseID   string
	Position int
	Kind     string
	Title    string
	UnitID   *string
	UserID   *string
	Role     *string
	DueAt    *time.Time
	Overdue  bool
}

func (caseTaskModel) TableName() string { return "case_tasks" }

type caseAccessModel struct {
	CaseID   string
	Relation string
	UnitID   *string
	UserID   *string
}

func (caseAccessModel) TableName() string { return "case_access" }

// ProjectCase writes a case's row, tasks, access, facts and snapshot in one transaction, when the row is newer
// than the stored one (UpsertCase's rule); the case's tasks, access and facts are then replaced
// whole. A list, inbox or report therefore never sees a row of one version of the case beside tasks
// or facts of another.
func (d *DB) ProjectCase(ctx context.Context, p CaseProjection) error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("project case %q: %w", p.Case.CaseID, err)
	}
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := insertCaseEvents(tx, p.Events); err != nil {
			return err
		}
		if p.Snapshot != nil {
			if err := upsertSnapshot(tx, *p.Snapshot, p.Rewrite); err != nil {
				return err
			}
		}
		written, err := upsertCase(tx, p.Case, p.Rewrite)
		if err != nil || !written {
			return err
		}
		if err := tx.Exec("DELETE FROM case_tasks WHERE case_id = ?", p.Case.CaseID).Error; err != nil {
			return fmt.Errorf("delete tasks: %w", err)
		}
		if err := tx.Exec("DELETE FROM case_access WHERE case_id = ?", p.Case.CaseID).Error; err != nil {
			return fmt.Errorf("delete access: %w", err)
		}
		if tasks := p.taskModels(); len(tasks) > 0 {
			if err := tx.Create(&tasks).Error; err != nil {
				return fmt.Errorf("insert tasks: %w", err)
			}
		}
		if access := p.accessModels(); len(access) > 0 {
			if err := tx.Create(&access).Error; err != nil {
				return fmt.Errorf("insert access: %w", err)
			}
		}
		return replaceFacts(tx, p.Case, p.Facts)
	})
	if err != nil {
		return fmt.Errorf("project case %q: %w", p.Case.CaseID, err)
	}
	return nil
}

func (p CaseProjection) validate() error {
	if err := p.Facts.validate(); err != nil {
		return err
	}
	if s := p.Snapshot; s != nil {
		if err := s.validate(); err != nil {
			return err
		}
		if s.CaseID != p.Case.CaseID || s.StateSeq != p.Case.StateSeq {
			return errors.New("snapshot: not of the row's case and state sequence")
		}
	}
	for i, t := range p.Tasks {
		switch {
		case t.Kind == "" || t.Title == "":
			return fmt.Errorf("task %d: kind and title are required", i)
		case t.UserID == "" && t.UnitID == "":
			return fmt.Errorf("task %d: neither a user nor a unit", i)
		}
	}
	for i, a := range p.Access {
		if a.Relation == "" || (a.UnitID == "") == (a.UserID == "") {
			return fmt.Errorf("access %d: a relation and exactly one of unit and user are required", i)
		}
	}
	return nil
}

func (p CaseProjection) taskModels() []caseTaskModel {
	out := make([]caseTaskModel, len(p.Tasks))
	for i, t := range p.Tasks {
		out[i] = caseTaskModel{CaseID: p.Case.CaseID, Position: t.Position, Kind: t.Kind, Title: t.Title,
			UnitID: nullable(t.UnitID), UserID: nullable(t.UserID), Role: nullable(string(t.Role)), Overdue: t.Overdue}
		if t.DueAt != nil {
			at := utc(*t.DueAt)
			out[i].DueAt = &at
		}
	}
	return out
}

func (p CaseProjection) accessModels() []caseAccessModel {
	out := make([]caseAccessModel, len(p.Access))
	for i, a := range p.Access {
		out[i] = caseAccessModel{CaseID: p.Case.CaseID, Relation: string(a.Relation), UnitID: nullable(a.UnitID), UserID: nullable(a.UserID)}
	}
	return out
}

// nullable stores "" as NULL, so "no unit" is never mistaken for a unit.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// TaskItem is one task in a viewer's inbox.
type TaskItem struct {
	CaseID  string
	Kind    string
	Title   string
	DueAt   *time.Time
	Overdue bool
}

// TaskPage is one page of an inbox; NextCursor is empty on the last page.
type TaskPage struct {
	Items      []TaskItem
	NextCursor string
}

// TaskQuery asks for a viewer's inbox, a page at a time.
type TaskQuery struct {
	Viewer Viewer
	Limit  int    // DefaultPageSize when 0, at most MaxPageSize
	Cursor string // from the previous page
}

// taskOrder: overdue first, then by due time (none last), then a stable order within equal times.
var taskOrder = []sortKey{{col: "t.overdue", desc: true}, {col: "t.due_at", nullable: true},
	{col: "t.case_id"}, {col: "t.position"}}

type taskCursor struct {
	Overdue  bool       `json:"o"`
	DueAt    *time.Time `json:"d,omitempty"`
	CaseID   string     `json:"c"`
	Position int        `json:"p"`
}

// MyTasks lists what the viewer must do now across their cases: tasks addressed to them as a user,
// or to their role in the unit they act for. Steering and administrators have none.
func (d *DB) MyTasks(ctx context.Context, q TaskQuery) (TaskPage, error) {
	where, args := q.Viewer.taskClause()
	if where == "" {
		return TaskPage{Items: []TaskItem{}}, nil
	}
	if q.Cursor != "" {
		var cur taskCursor
		if err := decodeCursor(q.Cursor, &cur); err != nil {
			return TaskPage{}, err
		}
		more, moreArgs := after(taskOrder, []any{cur.Overdue, timeOrNil(cur.DueAt), cur.CaseID, cur.Position})
		where, args = where+" AND "+more, append(args, moreArgs...)
	}
	limit := pageSize(q.Limit)
	// DISTINCT: a task reaches one viewer by several rows when they are both its user and its role.
	var rows []struct {
		CaseID   string
		Position int
		Kind     string
		Title    string
		DueAt    *time.Time
		Overdue  bool
	}
	err := d.gorm.WithContext(ctx).Raw(`SELECT DISTINCT t.case_id, t.position, t.kind, t.title, t.due_at, t.overdue
		FROM case_tasks t WHERE `+where+` ORDER BY `+orderBy(taskOrder)+` LIMIT ?`, append(args, limit+1)...).
		Scan(&rows).Error
	if err != nil {
		return TaskPage{}, fmt.Errorf("my tasks: %w", err)
	}
	page := TaskPage{Items: []TaskItem{}}
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(taskCursor{Overdue: last.Overdue, DueAt: utcPtr(last.DueAt), CaseID: last.CaseID, Position: last.Position})
			break
		}
		page.Items = append(page.Items, TaskItem{CaseID: r.CaseID, Kind: r.Kind, Title: r.Title, DueAt: utcPtr(r.DueAt), Overdue: r.Overdue})
	}
	return page, nil
}

// taskClause matches the task rows addressed to the viewer, or is "" when none can be.
func (v Viewer) taskClause() (string, []any) {
	if !v.readsCases() {
		return "", nil
	}
	where := "((t.user_id = ? AND (t.unit_id IS NULL OR t.unit_id = ?)) OR (t.user_id IS NULL AND t.unit_id = ? AND t.role = ?)"
	args := []any{v.User, v.Unit, v.Unit, string(v.Role)}
	if v.isCaseworker() {
		where += " OR (t.user_id IS NULL AND t.unit_id = ? AND t.role IS NULL)"
		args = append(args, v.Unit)
	}
	return where + ")", args
}

// isCaseworker: the roles that work a unit's cases and so take the tasks addressed to the unit's
// caseworkers. A supervisor has their own tasks; a reporter has no part through the unit.
func (v Viewer) isCaseworker() bool {
	switch v.Role {
	case casework.RoleNamedPerson, casework.RoleCoordinator, casework.RoleParticipant:
		return true
	}
	return false
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// timeOrNil gives a missing time as an untyped nil, which after() reads as NULL.
func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return utc(*t)
}

// ErrInvalidCursor is returned, wrapped, for a cursor that no page of this kind gave out.
var ErrInvalidCursor = errors.New("invalid cursor")
