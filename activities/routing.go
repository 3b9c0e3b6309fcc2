package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// RouteConcernRequest asks the directory for the named person's unit and the municipality's policy.
type RouteConcernRequest struct {
	Municipality string             `json:"municipality"`
	Schooling    casework.Schooling `json:"schooling"`
	BirthDate    string             `json:"birthDate"` // YYYY-MM-DD
	OccurredAt   time.Time          `json:"occurredAt"`
}

// RouteConcernResult is the routing decision. The workflow records it in history, so a later change
// of the directory or of the routing rule never changes a running case.
type RouteConcernResult struct {
	Unit   casework.UnitRef `json:"unit"`
	Reason string           `json:"reason"` // the §3 rule that was applied, in Swedish
	Policy casework.Policy  `json:"policy"`
}

// RouteConcern decides whose named person takes a new case (docs/process.md §3) and which policy version
// the case will keep for its whole life (§7.2).
func (a *Activities) RouteConcern(ctx context.Context, req RouteConcernRequest) (RouteConcernResult, error) {
	mun, err := a.DB.Municipality(ctx, req.Municipality)
	if err != nil {
		return RouteConcernResult{}, notFoundOr(fmt.Errorf("municipality %s: %w", req.Municipality, err))
	}
	birth, err := time.ParseInLocation(time.DateOnly, req.BirthDate, casework.Stockholm)
	if err != nil {
		return RouteConcernResult{}, nonRetryable(ErrKindInvalid, fmt.Errorf("birth date: %w", err))
	}
	age := casework.AgeOn(birth, req.OccurredAt.In(casework.Stockholm))
	route, err := casework.RouteNamedPerson(age, req.Schooling.Status)
	if err != nil {
		return RouteConcernResult{}, nonRetryable(ErrKindInvalid, err)
	}
	unit, err := a.namedPersonUnit(ctx, req, route.Kind)
	if err != nil {
		return RouteConcernResult{}, err
	}
	return RouteConcernResult{
		Unit:   casework.UnitRef{ID: unit.ID, Name: unit.Name, Kind: unit.Kind},
		Reason: route.Reason,
		Policy: mun.Policy,
	}, nil
}

// namedPersonUnit is the directory's choice of the named person's unit (db.NamedPersonUnit): a
// unit the directory does not hold fails for good.
func (a *Activities) namedPersonUnit(ctx context.Context, req RouteConcernRequest, kind casework.UnitKind) (db.Unit, error) {
	u, err := a.DB.NamedPersonUnit(ctx, req.Municipality, req.Schooling.UnitID, kind)
	return u, notFoundOr(err)
}
