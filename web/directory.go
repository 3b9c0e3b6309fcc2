package web

import (
	"context"
	"time"
)

// directoryTTL is how long the front end keeps the directory's units: they hold no case data and
// change seldom, and the header and the concern form need them on every page.
const directoryTTL = 5 * time.Minute

// directory is the units of GET /api/v1/units, read with the user's token and kept a while.
func (s *Server) directory(ctx context.Context, sess *session) ([]Unit, error) {
	s.unitsMu.Lock()
	defer s.unitsMu.Unlock()
	if s.units != nil && s.now().Sub(s.unitsRead) < directoryTTL {
		return s.units, nil
	}
	units, err := s.api.Units(ctx, sess.AccessToken)
	if err != nil {
		return nil, err
	}
	s.units, s.unitsRead = units, s.now()
	return units, nil
}

// unitName is a unit's name in the directory, or its ID when the directory does not answer.
func (s *Server) unitName(ctx context.Context, sess *session, id string) string {
	if u, ok := s.unit(ctx, sess, id); ok {
		return u.Name
	}
	return id
}

// unit is a unit of the directory; false when the directory does not answer or has no such unit.
func (s *Server) unit(ctx context.Context, sess *session, id string) (Unit, bool) {
	units, err := s.directory(ctx, sess)
	if err != nil {
		return Unit{}, false
	}
	for _, u := range units {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// municipalityChoices are the directory's municipalities, in the directory's order, for a list.
func municipalityChoices(units []Unit) []choice {
	var out []choice
	seen := map[string]bool{}
	for _, u := range units {
		if !seen[u.Municipality] {
			seen[u.Municipality] = true
			out = append(out, choice{u.Municipality, municipalityName(u.Municipality)})
		}
	}
	return out
}
