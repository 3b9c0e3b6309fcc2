package cases

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The handover of a case when the child moves (docs/process.md §6.6) and the reopening of a closed case
// within the policy's period (§7.2). Who hands over or reopens, and whether the period has passed,
// are the workflow's rules; the API names the new unit from the directory.

// handoverRequest is the body of POST /cases/{caseId}/handover: the unit whose named person takes the
// case over, and why.
type handoverRequest struct {
	commandBase
	ToUnitID string `json:"toUnitId"`
	Reason   string `json:"reason"`
}

func (r *handoverRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "toUnitId", r.ToUnitID, true, httpkit.MaxShortRunes)
	httpkit.CheckText(v, "reason", r.Reason, true, httpkit.MaxTextRunes)
}

// handOver resolves the unit in the directory: it must be of a kind that has a named person, and
// have one, so that somebody can take the case (docs/process.md §3). Its municipality's policy governs the
// case's new deadlines, which the workflow sets.
func (s *Handlers) handOver(c *gin.Context, r *handoverRequest, cc *caseCommand) (any, error) {
	ctx := c.Request.Context()
	unit, err := s.unitNamed(ctx, "toUnitId", r.ToUnitID)
	switch {
	case err != nil:
		return nil, err
	case cc.state.NamedPersonUnit != nil && cc.state.NamedPersonUnit.ID == unit.ID:
		return nil, httpkit.FieldProblem("toUnitId", "ärendet ligger redan hos "+unit.Name)
	case !namedPersonKinds()[unit.Kind]:
		return nil, httpkit.FieldProblem("toUnitId", "enheten har ingen barnets bästa-ansvarig: lämna över till en förskola, skola, gymnasieskola, BVC, central elevhälsa eller KAA")
	}
	named, err := s.DB.NamedPersonsOf(ctx, unit.ID)
	switch {
	case err != nil:
		return nil, fmt.Errorf("handover unit's named persons: %w", err)
	case len(named) == 0:
		return nil, httpkit.FieldProblem("toUnitId", "enheten har ingen barnets bästa-ansvarig i katalogen")
	}
	return workflows.HandOverCase{Command: cc.command(), To: casework.UnitRef{ID: unit.ID, Name: unit.Name, Kind: unit.Kind},
		ToMunicipality: unit.MunicipalityID, Reason: strings.TrimSpace(r.Reason)}, nil
}

// namedPersonKinds are the unit kinds the routing of docs/process.md §3 can give a case to, read off the
// routing itself so the two never disagree.
var namedPersonKinds = sync.OnceValue(func() map[casework.UnitKind]bool {
	kinds := map[casework.UnitKind]bool{}
	for _, status := range casework.SchoolingStatuses {
		for age := range 21 {
			if r, err := casework.RouteNamedPerson(age, status); err == nil {
				kinds[r.Kind] = true
			}
		}
	}
	return kinds
})

// reopeningRequest is the body of POST /cases/{caseId}/reopening: why a closed case is taken up again
// within the policy's period, instead of a new case.
type reopeningRequest struct {
	commandBase
	Reason string `json:"reason"`
}

func (r *reopeningRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "reason", r.Reason, true, httpkit.MaxTextRunes)
}

func (s *Handlers) reopen(_ *gin.Context, r *reopeningRequest, cc *caseCommand) (any, error) {
	return workflows.ReopenCase{Command: cc.command(), Reason: r.Reason}, nil
}
