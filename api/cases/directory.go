package cases

import (
	"context"
	"errors"
	"fmt"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/db"
)

// What a request names in the directory – a unit, a user – is looked up here: a name the directory
// does not know is the field's problem (400 naming it), any other failure is the server's.

func (s *Handlers) unitNamed(ctx context.Context, field, id string) (db.Unit, error) {
	return named(field, "okänd enhet", func() (db.Unit, error) { return s.DB.Unit(ctx, id) })
}

func (s *Handlers) userNamed(ctx context.Context, field, id string) (db.User, error) {
	return named(field, "okänd användare", func() (db.User, error) { return s.DB.User(ctx, id) })
}

func (s *Handlers) municipalityNamed(ctx context.Context, field, id string) (db.Municipality, error) {
	return named(field, "okänd kommun", func() (db.Municipality, error) { return s.DB.Municipality(ctx, id) })
}

func named[T any](field, unknown string, find func() (T, error)) (T, error) {
	found, err := find()
	switch {
	case errors.Is(err, db.ErrNotFound):
		return found, httpkit.FieldProblem(field, unknown)
	case err != nil:
		return found, fmt.Errorf("%s: %w", field, err)
	}
	return found, nil
}
