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

// namedPersonUnit is the unit the child attends when the schooling names one of the routed kind,
// else the municipality's unit of that kind (the first by name, when there are several: the caseworker
// can hand the case over).
func (a *Activities) namedPersonUnit(ctx context.Context, req RouteConcernRequest, kind casework.UnitKind) (db.Unit, error) {
	if id := req.Schooling.UnitID; id != "" {
		u, err := a.DB.Unit(ctx, id)
		if err != nil {
			return db.Unit{}, notFoundOr(fmt.Errorf("unit %s: %w", id, err))
		}
		if u.Kind == kind {
			return u, nil
		}
	}
	for _, k := range append([]casework.UnitKind{kind}, routingFallbacks[kind]...) {
		units, err := a.DB.UnitsOfKind(ctx, req.Municipality, k)
		if err != nil {
			return db.Unit{}, fmt.Errorf("units of kind %s in %s: %w", k, req.Municipality, err)
		}
		if len(units) > 0 {
			return units[0], nil
		}
	}
	return db.Unit{}, nonRetryable(ErrKindNotFound, fmt.Errorf("no unit of kind %s in %s", kind, req.Municipality))
}

// routingFallbacks: where a municipality has no unit of the routed kind, the case goes to the next
// that does the same work rather than to nobody. Most municipalities have no central school health
// team apart from the schools' own.
var routingFallbacks = map[casework.UnitKind][]casework.UnitKind{
	casework.UnitCentralSchoolHealth: {casework.UnitSchoolHealth},
}
