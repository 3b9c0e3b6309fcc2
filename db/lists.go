package db

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Page sizes of lists and inboxes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Viewer is who asks for a list: the user, in the role and for the unit their token names.
type Viewer struct {
	User string
	Role casework.Role
	Unit string
}

// readsCases: steering and administrators never read case content (casework's reach table gives
// their roles none), so no list or inbox shows them a case.
func (v Viewer) readsCases() bool {
	if v.User == "" {
		return false
	}
	for _, rel := range casework.AccessRelations {
		if casework.RelationReach(rel, v.Role) != casework.ReachNone {
			return true
		}
	}
	return false
}

// ListScope chooses which of the viewer's cases a list shows.
type ListScope string

const (
	// ScopeMine: the cases the viewer works on – as named person, assessor, coordinator or plan
	// owner, or because their unit takes part.
	ScopeMine ListScope = "mine"
	// ScopeUnit: the cases of the viewer's unit – as the named person's unit or a participant –
	// that the viewer's role may read: a supervisor's view of the units they supervise.
	ScopeUnit ListScope = "unit"
)

// Relations of the viewer to a case, as lists show them.
const (
	RelationNamedPerson = "named_person"
	RelationSupervisor  = "supervisor"
	RelationAssessor    = "assessor"
	RelationCoordinator = "coordinator"
	RelationPlanOwner   = "plan_owner"
	RelationParticipant = "participant" // the viewer's unit takes part within the consent
)

// CaseListQuery asks for a page of the viewer's cases. Empty filters match everything.
type CaseListQuery struct {
	Viewer       Viewer
	Scope        ListScope // ScopeMine, ScopeUnit, or empty for every case the viewer may read
	Phase        string
	Overdue      *bool
	Municipality string
	Limit        int    // DefaultPageSize when 0, at most MaxPageSize
	Cursor       string // from the previous page
}

// CaseListItem is a case as a list shows it: no names, no personal numbers.
type CaseListItem struct {
	CaseID              string
	Phase               string
	MunicipalityID      string
	NamedPersonUnitID   string
	NamedPersonUnitName string
	NextDeadlineKind    casework.DeadlineKind
	NextDeadlineAt      *time.Time
	Overdue             bool
	OpenedAt            time.Time
	Relations           []string // the viewer's, sorted
}

// CaseListPage is one page of a list; NextCursor is empty on the last page.
type CaseListPage struct {
	Items      []CaseListItem
	NextCursor string
}

// caseOrder: by next deadline (none last), then by case id, so every case has one place.
var caseOrder = []sortKey{{col: "c.next_deadline_at", nullable: true}, {col: "c.case_id"}}

type caseCursor struct {
	NextDeadlineAt *time.Time `json:"d,omitempty"`
	CaseID         string     `json:"c"`
}

// ListCases lists the cases the viewer may read, in the scope and with the filters asked, a page at
// a time by keyset (a case added or changed between pages is neither repeated nor skipped because of
// an offset).
func (d *DB) ListCases(ctx context.Context, q CaseListQuery) (CaseListPage, error) {
	access, args := q.Viewer.accessClause(q.Scope)
	if access == "" {
		return CaseListPage{Items: []CaseListItem{}}, nil
	}
	where := []string{"c.case_id IN (SELECT a.case_id FROM case_access a WHERE " + access + ")"}
	for _, f := range []struct {
		sql string
		arg any
		set bool
	}{
		{"c.phase = ?", q.Phase, q.Phase != ""},
		{"c.municipality_id = ?", q.Municipality, q.Municipality != ""},
		{"c.overdue = ?", q.Overdue != nil && *q.Overdue, q.Overdue != nil},
	} {
		if f.set {
			where, args = append(where, f.sql), append(args, f.arg)
		}
	}
	if q.Cursor != "" {
		var cur caseCursor
		if err := decodeCursor(q.Cursor, &cur); err != nil {
			return CaseListPage{}, err
		}
		more, moreArgs := after(caseOrder, []any{timeOrNil(cur.NextDeadlineAt), cur.CaseID})
		where, args = append(where, more), append(args, moreArgs...)
	}
	limit := pageSize(q.Limit)
	var rows []struct {
		CaseID              string
		Phase               string
		MunicipalityID      string
		NamedPersonUnitID   *string
		NamedPersonUnitName *string
		NextDeadlineKind    *string
		NextDeadlineAt      *time.Time
		Overdue             bool
		OpenedAt            time.Time
	}
	err := d.gorm.WithContext(ctx).Raw(`SELECT c.case_id, c.phase, c.municipality_id, c.named_person_unit_id,
			u.name AS named_person_unit_name, c.next_deadline_kind, c.next_deadline_at, c.overdue, c.opened_at
		FROM cases c LEFT JOIN units u ON u.id = c.named_person_unit_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+orderBy(caseOrder)+` LIMIT ?`, append(args, limit+1)...).
		Scan(&rows).Error
	if err != nil {
		return CaseListPage{}, fmt.Errorf("list cases: %w", err)
	}
	page := CaseListPage{Items: []CaseListItem{}}
	for i, r := range rows {
		if i == limit {
			last := page.Items[i-1]
			page.NextCursor = encodeCursor(caseCursor{NextDeadlineAt: last.NextDeadlineAt, CaseID: last.CaseID})
			break
		}
		item := CaseListItem{CaseID: r.CaseID, Phase: r.Phase, MunicipalityID: r.MunicipalityID,
			NextDeadlineAt: utcPtr(r.NextDeadlineAt), Overdue: r.Overdue, OpenedAt: r.OpenedAt.UTC()}
		item.NamedPersonUnitID, item.NamedPersonUnitName = deref(r.NamedPersonUnitID), deref(r.NamedPersonUnitName)
		item.NextDeadlineKind = casework.DeadlineKind(deref(r.NextDeadlineKind))
		page.Items = append(page.Items, item)
	}
	if err := d.addRelations(ctx, q.Viewer, page.Items); err != nil {
		return CaseListPage{}, err
	}
	return page, nil
}

// addRelations fills in the viewer's relations to each listed case, whatever the scope.
func (d *DB) addRelations(ctx context.Context, v Viewer, items []CaseListItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.CaseID
	}
	access, args := v.accessClause("")
	var rows []struct {
		CaseID   string
		Relation casework.AccessRelation
		UnitID   *string
	}
	err := d.gorm.WithContext(ctx).Raw(`SELECT a.case_id, a.relation, a.unit_id FROM case_access a
		WHERE a.case_id IN ? AND (`+access+`)`, append([]any{ids}, args...)...).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("list cases: relations: %w", err)
	}
	byCase := map[string][]string{}
	for _, r := range rows {
		rel := string(r.Relation) // a user's own part: assessor, coordinator, plan owner
		if r.UnitID != nil {
			switch {
			case v.Role == casework.RoleSupervisor:
				rel = RelationSupervisor
			case r.Relation == casework.AccessNamedPersonUnit:
				rel = RelationNamedPerson
			default:
				rel = RelationParticipant
			}
		}
		if !slices.Contains(byCase[r.CaseID], rel) {
			byCase[r.CaseID] = append(byCase[r.CaseID], rel)
		}
	}
	for i := range items {
		items[i].Relations = byCase[items[i].CaseID]
		slices.Sort(items[i].Relations)
	}
	return nil
}

// accessClause is the condition on case_access rows (alias a) that give the viewer a part in the
// case within scope ("" for any scope), or "" when nothing can: the grants whose relation reaches
// the viewer's role on the scope's side by casework's reach table, matched on the viewer's unit or
// user as the relation says. (The workflow lists the coordinator and plan owner only while their
// unit takes part, as it does for the API's check in memory.)
func (v Viewer) accessClause(scope ListScope) (string, []any) {
	if v.User == "" {
		return "", nil
	}
	side := map[ListScope]casework.Reach{ScopeMine: casework.ReachWork, ScopeUnit: casework.ReachUnit}[scope]
	if side == casework.ReachNone {
		side = casework.ReachWork | casework.ReachUnit
	}
	var ofUnit, ofUser []string
	for _, rel := range casework.AccessRelations {
		switch {
		case casework.RelationReach(rel, v.Role)&side == casework.ReachNone:
		case rel.OfUnit():
			ofUnit = append(ofUnit, string(rel))
		default:
			ofUser = append(ofUser, string(rel))
		}
	}
	var parts []string
	var args []any
	if len(ofUser) > 0 {
		parts, args = append(parts, "(a.user_id = ? AND a.relation IN ?)"), append(args, v.User, ofUser)
	}
	if len(ofUnit) > 0 {
		parts, args = append(parts, "(a.unit_id = ? AND a.relation IN ?)"), append(args, v.Unit, ofUnit)
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}

// sortKey is one column of a keyset order. A nullable column sorts its NULLs last, in either
// direction, on both databases (NULLS LAST is explicit because SQLite sorts NULLs first).
type sortKey struct {
	col      string
	desc     bool
	nullable bool
}

func orderBy(keys []sortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.col + " ASC"
		if k.desc {
			parts[i] = k.col + " DESC"
		}
		if k.nullable {
			parts[i] += " NULLS LAST"
		}
	}
	return strings.Join(parts, ", ")
}

// after is the condition "comes after vals in the order of keys", spelt out column by column rather
// than as a row comparison because a NULL (nil in vals) must sort last: nothing comes after a NULL
// in its own column, and every NULL comes after any value.
func after(keys []sortKey, vals []any) (string, []any) {
	var terms []string
	var args []any
	for i, k := range keys {
		var conds []string
		var condArgs []any
		for j := range i {
			if vals[j] == nil {
				conds = append(conds, keys[j].col+" IS NULL")
			} else {
				conds, condArgs = append(conds, keys[j].col+" = ?"), append(condArgs, vals[j])
			}
		}
		if vals[i] == nil {
			continue
		}
		op := " > ?"
		if k.desc {
			op = " < ?"
		}
		gt := k.col + op
		if k.nullable {
			gt = "(" + gt + " OR " + k.col + " IS NULL)"
		}
		terms, args = append(terms, "("+strings.Join(append(conds, gt), " AND ")+")"), append(append(args, condArgs...), vals[i])
	}
	if len(terms) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(terms, " OR ") + ")", args
}

// Cursors are opaque to clients: the last row's sort values, as base64url JSON.
func encodeCursor(v any) string {
	b, _ := json.Marshal(v) // plain structs of strings, times and numbers: never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return fmt.Errorf("%w: not one this API gave out", ErrInvalidCursor)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: not one this API gave out", ErrInvalidCursor)
	}
	return nil
}
