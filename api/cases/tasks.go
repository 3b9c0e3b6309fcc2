package cases

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

type taskJSON struct {
	CaseID string `json:"caseId"`
	// Kind is what to do, in snake_case English: one of workflows.TaskKinds.
	Kind    string             `json:"kind"`
	Title   string             `json:"title"` // the same in Swedish, for the inbox
	DueAt   *httpkit.LocalTime `json:"dueAt"` // the deadline the task answers to; null when the policy sets none
	Overdue bool               `json:"overdue"`
}

type taskListJSON struct {
	Items      []taskJSON `json:"items"`
	NextCursor *string    `json:"nextCursor"`
}

// myTasks is GET /api/v1/me/tasks: what the caller must do now, in the role and for the unit of
// their token – overdue first, then by due time (none last) – from the read model, where the
// workflow keeps each case's open tasks and whom they are for.
func (s *Handlers) myTasks(c *gin.Context) {
	v := &casework.ValidationError{}
	params := httpkit.QueryParams(c, v, "limit", "cursor")
	limit, cursor := pageParams(v, params)
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	page, err := s.DB.MyTasks(c.Request.Context(), db.TaskQuery{Viewer: viewer(httpkit.Caller(c)), Limit: limit, Cursor: cursor})
	if err != nil {
		httpkit.WriteError(c, cursorProblem(err))
		return
	}
	out := taskListJSON{Items: make([]taskJSON, len(page.Items)), NextCursor: cursorJSON(page.NextCursor)}
	for i, t := range page.Items {
		out.Items[i] = taskJSON{CaseID: t.CaseID, Kind: t.Kind, Title: t.Title, DueAt: httpkit.LocalTimePtr(t.DueAt), Overdue: t.Overdue}
	}
	c.JSON(http.StatusOK, out)
}
