package web

import (
	"context"
	"net/http"
	"time"
)

// The case list (GET /api/v1/cases), as Ärenden asks for it.

// CaseListQuery is what the list is asked: its scope and filters, and the page.
type CaseListQuery struct {
	Scope        string // "unit" (my unit's cases) or "mine" (the cases I work on); "" is the API's default, mine
	Phase        string
	Overdue      string // "true", "false", or "" for either
	Municipality string
	Cursor       string
	Limit        int
}

// CaseListItem is a case as a list shows it: no names, no personal numbers (the read model holds none).
type CaseListItem struct {
	CaseID          string        `json:"caseId"`
	Phase           string        `json:"phase"`
	Municipality    string        `json:"municipality"`
	NamedPersonUnit *UnitRef      `json:"namedPersonUnit"`
	NextDeadline    *NextDeadline `json:"nextDeadline"`
	Overdue         bool          `json:"overdue"`
	OpenedAt        time.Time     `json:"openedAt"`
	Relations       []string      `json:"relations"`
}

// NextDeadline is a listed case's next open deadline.
type NextDeadline struct {
	Kind  string    `json:"kind"`
	DueAt time.Time `json:"dueAt"`
}

// CaseList is GET /api/v1/cases.
type CaseList struct {
	Items      []CaseListItem `json:"items"`
	NextCursor *string        `json:"nextCursor"`
}

// Cases is GET /api/v1/cases (listCases): a page of the caller's cases.
func (cl *Client) Cases(ctx context.Context, token string, q CaseListQuery) (CaseList, error) {
	query := nonEmpty("scope", q.Scope, "phase", q.Phase, "overdue", q.Overdue, "municipality", q.Municipality)
	for k, v := range pageQuery(q.Cursor, q.Limit) {
		query[k] = v
	}
	var out CaseList
	err := cl.do(ctx, call{method: http.MethodGet, path: "/api/v1/cases", query: query, token: token}, &out)
	return out, err
}
