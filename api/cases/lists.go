package cases

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// Lists come from the read model, never from the workflows (docs/architecture.md §1): it holds no names and no
// personal numbers, and who has a part in each case (its grants), which the workflow projects after
// every change; the lists let each grant reach whom casework's reach table says, as access.go does.
// Opening a case from a list still asks the workflow and access.go.

// listPhases are the phases a list may be filtered by.
var listPhases = []casework.Phase{casework.PhaseUpptacka, casework.PhaseKartlagga, casework.PhaseSamarbeta,
	casework.PhaseUppfoljning, casework.PhaseClosed}

type caseListItemJSON struct {
	CaseID          string            `json:"caseId"`
	Phase           casework.Phase    `json:"phase"`
	Municipality    string            `json:"municipality"`
	NamedPersonUnit *httpkit.UnitRef  `json:"namedPersonUnit"`
	NextDeadline    *nextDeadlineJSON `json:"nextDeadline"`
	Overdue         bool              `json:"overdue"`
	OpenedAt        httpkit.LocalTime `json:"openedAt"`
	// Relations are the caller's parts in the case: named_person, supervisor, assessor, coordinator,
	// plan_owner, participant.
	Relations []string `json:"relations"`
}

type nextDeadlineJSON struct {
	Kind  casework.DeadlineKind `json:"kind"`
	DueAt httpkit.LocalTime     `json:"dueAt"`
}

type caseListJSON struct {
	Items      []caseListItemJSON `json:"items"`
	NextCursor *string            `json:"nextCursor"`
}

// listCases is GET /api/v1/cases: the caller's cases (scope=mine, the default) or their unit's
// (scope=unit), filtered by phase, overdue and municipality, a page at a time by an opaque cursor,
// ordered by next deadline (none last) and case id.
func (s *Handlers) listCases(c *gin.Context) {
	v := &casework.ValidationError{}
	params := httpkit.QueryParams(c, v, "scope", "phase", "overdue", "municipality", "limit", "cursor")
	q := db.CaseListQuery{Viewer: viewer(httpkit.Caller(c)), Scope: db.ScopeMine, Municipality: params["municipality"]}
	switch scope := params["scope"]; scope {
	case "", string(db.ScopeMine), string(db.ScopeUnit):
		if scope != "" {
			q.Scope = db.ListScope(scope)
		}
	default:
		v.Add("scope", "ska vara mine eller unit")
	}
	if p := params["phase"]; p != "" && !slices.Contains(listPhases, casework.Phase(p)) {
		v.Add("phase", "okänd fas: upptäcka, kartlägga, samarbeta, uppföljning eller avslutat")
	}
	q.Phase = params["phase"]
	switch params["overdue"] {
	case "":
	case "true", "false":
		overdue := params["overdue"] == "true"
		q.Overdue = &overdue
	default:
		v.Add("overdue", "ska vara true eller false")
	}
	q.Limit, q.Cursor = pageParams(v, params)
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	page, err := s.DB.ListCases(c.Request.Context(), q)
	if err != nil {
		httpkit.WriteError(c, cursorProblem(err))
		return
	}
	out := caseListJSON{Items: make([]caseListItemJSON, len(page.Items)), NextCursor: cursorJSON(page.NextCursor)}
	for i, it := range page.Items {
		item := caseListItemJSON{CaseID: it.CaseID, Phase: casework.Phase(it.Phase), Municipality: it.MunicipalityID,
			Overdue: it.Overdue, OpenedAt: httpkit.LocalTime(it.OpenedAt), Relations: it.Relations}
		if it.NamedPersonUnitID != "" {
			item.NamedPersonUnit = &httpkit.UnitRef{ID: it.NamedPersonUnitID, Name: it.NamedPersonUnitName}
		}
		if it.NextDeadlineAt != nil {
			item.NextDeadline = &nextDeadlineJSON{Kind: it.NextDeadlineKind, DueAt: httpkit.LocalTime(*it.NextDeadlineAt)}
		}
		if item.Relations == nil {
			item.Relations = []string{}
		}
		out.Items[i] = item
	}
	c.JSON(http.StatusOK, out)
}

func viewer(who auth.Claims) db.Viewer {
	return db.Viewer{User: who.User, Role: casework.Role(who.Role), Unit: who.Unit}
}

// pageParams reads limit (1–200, default 50) and cursor.
func pageParams(v *casework.ValidationError, params map[string]string) (limit int, cursor string) {
	if l, ok := params["limit"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > db.MaxPageSize {
			v.Add("limit", "ska vara ett heltal från 1 till "+strconv.Itoa(db.MaxPageSize))
		}
		limit = n
	}
	return limit, params["cursor"]
}

// cursorProblem names the cursor when the database did not recognise it.
func cursorProblem(err error) error {
	if errors.Is(err, db.ErrInvalidCursor) {
		return httpkit.FieldProblem("cursor", "ogiltig: använd nextCursor från föregående sida")
	}
	return err
}

func cursorJSON(cursor string) *string {
	if cursor == "" {
		return nil
	}
	return &cursor
}
