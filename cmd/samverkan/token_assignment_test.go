package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

func TestChooseAssignment(t *testing.T) {
	users := map[string]db.User{}
	for _, u := range db.DemoUsers() {
		users[u.ID] = u
	}
	supervisor := func(unit string) db.UserRole { return db.UserRole{UnitID: unit, Role: casework.RoleSupervisor} }
	cases := []struct {
		name                   string
		user                   string
		role, unit, assignment string
		want                   db.UserRole
		pinned                 bool
	}{
		{name: "a user with several assignments gets the default, not the first", user: "david.chef",
			want: supervisor("norrkoping-skola-1")},
		{name: "a role that several assignments share still gets the default", user: "david.chef", role: "supervisor",
			want: supervisor("norrkoping-skola-1")},
		{name: "--unit picks one", user: "david.chef", unit: "norrkoping-kaa", want: supervisor("norrkoping-kaa"), pinned: true},
		{name: "--assignment picks one", user: "david.chef", assignment: "supervisor@norrkoping-gymnasium-1",
			want: supervisor("norrkoping-gymnasium-1"), pinned: true},
		{name: "a user with one assignment gets it", user: "anna.larare",
			want: db.UserRole{UnitID: "norrkoping-skola-1", Role: casework.RoleReporter}, pinned: true},
		{name: "two roles in one unit: the default role", user: "erik.bvc",
			want: db.UserRole{UnitID: "lulea-bvc-1", Role: casework.RoleNamedPerson}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, pinned, err := chooseAssignment(users[c.user], c.role, c.unit, c.assignment)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.pinned, pinned)
		})
	}

	refused := []struct{ name, role, unit, assignment, says string }{
		{name: "an assignment the user does not have names theirs", assignment: "named_person@norrkoping-skola-1",
			says: "supervisor@norrkoping-forskola-1"},
		{name: "an assignment without @", assignment: "supervisor", says: "ROLE@UNIT"},
		{name: "--assignment with --role", role: "supervisor", assignment: "supervisor@norrkoping-kaa", says: "not both"},
	}
	for _, c := range refused {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, _, err := chooseAssignment(users["david.chef"], c.role, c.unit, c.assignment)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.says)
		})
	}
}
