package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/samverkan/samverkan/db"
)

// chooseAssignment picks the role and unit a dev token acts in. The flags narrow the user's
// assignments; of several left, the demo directory's default for the user wins (db.DemoDefaultRole),
// else the first. pinned: the flags left exactly one, so there was no choice to tell about.
func chooseAssignment(user db.User, role, unit, assignment string) (chosen db.UserRole, pinned bool, err error) {
	if assignment != "" {
		if role != "" || unit != "" {
			return db.UserRole{}, false, fmt.Errorf("--assignment: give either it or --role/--unit, not both")
		}
		var ok bool
		role, unit, ok = strings.Cut(assignment, "@")
		if !ok || role == "" || unit == "" {
			return db.UserRole{}, false, fmt.Errorf("--assignment %q: write ROLE@UNIT, e.g. supervisor@norrkoping-skola-1", assignment)
		}
	}
	candidates := slices.DeleteFunc(slices.Clone(user.Roles), func(r db.UserRole) bool {
		return role != "" && string(r.Role) != role || unit != "" && r.UnitID != unit
	})
	switch {
	case len(candidates) == 0:
		return db.UserRole{}, false, fmt.Errorf("--role/--unit/--assignment: %s has no such assignment; theirs: %s",
			user.ID, strings.Join(assignmentNames(user.Roles), ", "))
	case len(candidates) == 1:
		return candidates[0], true, nil
	}
	if def, ok := db.DemoDefaultRole(user.ID); ok && slices.Contains(candidates, def) {
		return def, false, nil
	}
	return candidates[0], false, nil
}

// listAssignments tells on w which assignment the token is for and which others the user has.
func listAssignments(ctx context.Context, w io.Writer, database *db.DB, user db.User, chosen db.UserRole) {
	fmt.Fprintf(w, "%s has %d assignments; the token acts as %s. Another: --assignment ROLE@UNIT\n",
		user.ID, len(user.Roles), assignmentName(chosen))
	for _, r := range user.Roles {
		mark := " "
		if r == chosen {
			mark = "*"
		}
		name := ""
		if u, err := database.Unit(ctx, r.UnitID); err == nil {
			name = "  (" + u.Name + ")"
		}
		fmt.Fprintf(w, "  %s %s%s\n", mark, assignmentName(r), name)
	}
}

func assignmentName(r db.UserRole) string { return string(r.Role) + "@" + r.UnitID }

func assignmentNames(roles []db.UserRole) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = assignmentName(r)
	}
	return out
}

// isDefaultAssignment: r is the assignment user gets when none is chosen, worth marking only when
// the user has others.
func isDefaultAssignment(user db.User, r db.UserRole) bool {
	if len(user.Roles) < 2 {
		return false
	}
	def, ok := db.DemoDefaultRole(user.ID)
	if !ok {
		def = user.Roles[0]
	}
	return def == r
}
