package db

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/casework"
)

// NamedPersonUnit is the unit whose named person takes a new case routed to kind (docs/process.md
// §3): the unit the child attends when the schooling names one of that kind, else the municipality's
// unit of that kind or its fallbacks (casework.FallbackKinds) – the first by name, when there are
// several: the caseworker can hand the case over. ErrNotFound when the directory has none. The
// routing activity decides with it, and the API checks with it before a concern that every concern
// can be routed, so that the answer never depends on whether the child already had a case.
func (d *DB) NamedPersonUnit(ctx context.Context, municipalityID, unitID string, kind casework.UnitKind) (Unit, error) {
	if unitID != "" {
		u, err := d.Unit(ctx, unitID)
		if err != nil {
			return Unit{}, err
		}
		if u.Kind == kind {
			return u, nil
		}
	}
	for _, k := range append([]casework.UnitKind{kind}, casework.FallbackKinds(kind)...) {
		units, err := d.UnitsOfKind(ctx, municipalityID, k)
		if err != nil {
			return Unit{}, fmt.Errorf("units of kind %s in %s: %w", k, municipalityID, err)
		}
		if len(units) > 0 {
			return units[0], nil
		}
	}
	return Unit{}, fmt.Errorf("no unit of kind %s in %s: %w", kind, municipalityID, ErrNotFound)
}
