package cases

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// A legal hold (issue 13, docs/process.md §7.2) keeps an archived case past its erase-after time – a
// dispute, a request from a court or the police – until an admin lifts it. Placing and lifting are
// access-logged like reading the case (handlers.go).

type legalHoldRequest struct {
	// Hold places the hold (true) or lifts it (false).
	Hold   *bool  `json:"hold"`
	Reason string `json:"reason"`
}

type legalHoldJSON struct {
	CaseID     string             `json:"caseId"`
	LegalHold  bool               `json:"legalHold"`
	Reason     string             `json:"reason,omitempty"`
	By         string             `json:"by,omitempty"`
	At         *httpkit.LocalTime `json:"at,omitempty"`
	EraseAfter httpkit.LocalTime  `json:"eraseAfter"`
}

// maxHoldReason bounds the reason's length.
const maxHoldReason = 1000

// legalHold answers POST /cases/{caseId}/legal-hold: admins only (403 for others); 404 for a case
// the archive does not hold (a live case is kept anyway; an erased one is gone).
func (s *Handlers) legalHold(c *gin.Context) {
	who := httpkit.Caller(c)
	if casework.Role(who.Role) != casework.RoleAdmin {
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "bara en administratör kan besluta om bevarande"))
		return
	}
	var req legalHoldRequest
	if err := httpkit.DecodeJSON(c, &req); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	v := &casework.ValidationError{}
	reason := strings.TrimSpace(req.Reason)
	if req.Hold == nil {
		v.Add("hold", "ange true för att besluta om bevarande eller false för att häva det")
	}
	if req.Hold != nil && *req.Hold && reason == "" {
		v.Add("reason", "ange skälet till bevarandet")
	}
	if len(reason) > maxHoldReason {
		v.Add("reason", "får vara högst 1000 tecken")
	}
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	caseID := c.Param("caseId")
	if _, ok := casework.CasePseudonym(caseID); !ok {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	row, err := s.DB.SetLegalHold(c.Request.Context(), caseID, *req.Hold, reason, who.User, s.Now())
	if errors.Is(err, db.ErrNotFound) {
		err = httpkit.ErrNotFound
	}
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	out := legalHoldJSON{CaseID: row.CaseID, EraseAfter: httpkit.LocalTime(row.EraseAfter)}
	if h := row.LegalHold; h != nil {
		out.LegalHold, out.Reason, out.By, out.At = true, h.Reason, h.By, httpkit.LocalTimePtr(&h.At)
	}
	c.JSON(http.StatusOK, out)
}
