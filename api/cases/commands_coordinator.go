package cases

import (
	"errors"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// The coordinator and plan owner (docs/process.md §6.4), and closing the case (§6.6). That the child is
// asked first, that another choice needs a special reason, and that a coordinator from neither
// social services nor health care needs a plan owner from one of them are the workflow's rules; the
// API names the people from the directory.

// personRequest names a professional by user ID.
type personRequest struct {
	User string `json:"user"`
}

// coordinatorRequest is the body of POST /cases/{caseId}/coordinator. ChildWish is whom the child
// wishes (null when the child could not be asked; ChildNotAskedWhy then says why).
type coordinatorRequest struct {
	commandBase
	ChildWish        *personRequest `json:"childWish"`
	ChildNotAskedWhy string         `json:"childNotAskedWhy"`
	Coordinator      *personRequest `json:"coordinator"`
	SpecialReason    string         `json:"specialReason"`
	PlanOwner        *personRequest `json:"planOwner"`
}

func (r *coordinatorRequest) validate(v *casework.ValidationError, _ time.Time) {
	if r.Coordinator == nil {
		v.Add("coordinator", "ange samordnaren: {\"user\": användar-id}")
	} else {
		httpkit.CheckText(v, "coordinator.user", r.Coordinator.User, true, httpkit.MaxShortRunes)
	}
	if r.ChildWish != nil {
		httpkit.CheckText(v, "childWish.user", r.ChildWish.User, true, httpkit.MaxShortRunes)
	}
	if r.PlanOwner != nil {
		httpkit.CheckText(v, "planOwner.user", r.PlanOwner.User, true, httpkit.MaxShortRunes)
	}
	httpkit.CheckText(v, "childNotAskedWhy", r.ChildNotAskedWhy, false, httpkit.MaxTextRunes)
	httpkit.CheckText(v, "specialReason", r.SpecialReason, false, httpkit.MaxTextRunes)
}

func (s *Handlers) appointCoordinator(c *gin.Context, r *coordinatorRequest, cc *caseCommand) (any, error) {
	cmd := workflows.AppointCoordinator{Command: cc.command(), ChildNotAskedWhy: r.ChildNotAskedWhy, SpecialReason: r.SpecialReason}
	v := &casework.ValidationError{}
	var coordinator *workflows.Person
	for _, x := range []struct {
		field string
		in    *personRequest
		out   **workflows.Person
	}{{"childWish.user", r.ChildWish, &cmd.ChildWish}, {"coordinator.user", r.Coordinator, &coordinator}, {"planOwner.user", r.PlanOwner, &cmd.PlanOwner}} {
		if x.in == nil {
			continue
		}
		p, err := s.person(c, x.field, x.in.User, cc.state, "")
		if err := collect(v, err); err != nil {
			return nil, err
		}
		*x.out = p
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cmd.Coordinator = *coordinator // validate requires it, and it resolved
	return cmd, nil
}

// collect adds a validation error's fields to v and returns any other error.
func collect(v *casework.ValidationError, err error) error {
	var valErr *casework.ValidationError
	if errors.As(err, &valErr) {
		v.Fields = append(v.Fields, valErr.Fields...)
		return nil
	}
	return err
}

// person names a professional as the case records them. A user may hold roles in several units; the
// case records the unit they act for in this case, chosen in this order (nearest first):
//  0. the unit prefer, when they hold a role there (an invited agency's proposed colleague);
//  1. a unit of theirs that takes part in the case (an active participant, or the named person's
//     unit), preferring the unit where they are coordinator, then participant, then any other role;
//  2. any unit where they are coordinator, then participant, then any other role.
//
// Ties go to the directory's order (by unit ID). Steering and admin roles never count: those users
// see no case content. E.g. nora.elevhalsa (coordinator in the central school health team,
// participant in the school's) is recorded for the school health team when that takes part.
func (s *Handlers) person(c *gin.Context, field, userID string, state workflows.CaseState, prefer string) (*workflows.Person, error) {
	u, err := s.userNamed(c.Request.Context(), field, userID)
	if err != nil {
		return nil, err
	}
	unitID, ok := actingUnit(u, state, prefer)
	if !ok {
		return nil, httpkit.FieldProblem(field, "användaren har ingen roll i en verksamhet som arbetar med barn")
	}
	unit, err := s.DB.Unit(c.Request.Context(), unitID)
	if err != nil {
		return nil, fmt.Errorf("person %s: unit: %w", field, err)
	}
	return &workflows.Person{User: u.ID, Name: u.DisplayName, UnitID: unit.ID, UnitKind: unit.Kind}, nil
}

// actingUnit is the unit a user acts for in the case (see person).
func actingUnit(u db.User, state workflows.CaseState, prefer string) (string, bool) {
	rank := func(r db.UserRole) int {
		n := 3
		switch r.Role {
		case casework.RoleCoordinator:
			n = 0
		case casework.RoleParticipant:
			n = 1
		case casework.RoleNamedPerson:
			n = 2
		}
		inCase := state.ActiveParticipant(r.UnitID) || state.NamedPersonUnit != nil && state.NamedPersonUnit.ID == r.UnitID
		switch {
		case prefer != "" && r.UnitID == prefer:
			n -= 10
		case !inCase:
			n += 10
		}
		return n
	}
	best, found := db.UserRole{}, false
	for _, r := range u.Roles {
		if handlesCases(r.Role) && (!found || rank(r) < rank(best)) {
			best, found = r, true
		}
	}
	return best.UnitID, found
}

// closingRequest is the body of POST /cases/{caseId}/closing.
type closingRequest struct {
	commandBase
	Reason workflows.CloseReason `json:"reason"`
	Note   string                `json:"note"`
}

func (r *closingRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "reason", r.Reason, workflows.CloseReasons...)
	httpkit.CheckText(v, "note", r.Note, false, httpkit.MaxTextRunes)
}

func (s *Handlers) closeCase(_ *gin.Context, r *closingRequest, cc *caseCommand) (any, error) {
	return workflows.CloseCase{Command: cc.command(), Reason: r.Reason, Note: r.Note}, nil
}
