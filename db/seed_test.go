package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

var directoryTables = []string{"principals", "municipalities", "policies", "units", "users", "user_roles"}

func rowCounts(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	counts := map[string]int64{}
	for _, table := range directoryTables {
		var n int64
		require.NoError(t, d.Gorm().Table(table).Count(&n).Error, table)
		counts[table] = n
	}
	return counts
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	t.Run("seeding twice leaves the same rows", func(t *testing.T) {
		first := rowCounts(t, d)
		firstUsers, err := d.ListUsers(ctx)
		require.NoError(t, err)
		require.NoError(t, d.SeedDemo(ctx))
		assert.Equal(t, first, rowCounts(t, d))
		again, err := d.ListUsers(ctx)
		require.NoError(t, err)
		assert.Equal(t, firstUsers, again)
		for _, table := range directoryTables {
			assert.Positive(t, first[table], table)
		}
	})

	t.Run("the users the demo promises exist with their roles and units", func(t *testing.T) {
		for _, want := range []struct {
			user, unit string
			role       casework.Role
		}{
			{"anna.larare", "norrkoping-skola-1", casework.RoleReporter},
			{"bertil.rektor", "norrkoping-skola-1", casework.RoleNamedPerson},
			{"cecilia.socialsekreterare", "norrkoping-socialtjanst", casework.RoleParticipant},
			{"cecilia.socialsekreterare", "norrkoping-socialtjanst", casework.RoleCoordinator},
			{"david.chef", "norrkoping-skola-1", casework.RoleSupervisor},
			{"erik.bvc", "lulea-bvc-1", casework.RoleNamedPerson},
			{"frida.bup", "norrkoping-bup", casework.RoleParticipant},
		} {
			u, err := d.User(ctx, want.user)
			require.NoError(t, err, want.user)
			assert.True(t, u.HasRole(want.unit, want.role), "%s should be %s in %s; has %v", want.user, want.role, want.unit, u.Roles)
		}
		skola, err := d.Unit(ctx, "norrkoping-skola-1")
		require.NoError(t, err)
		assert.Equal(t, casework.UnitSchool, skola.Kind)
		assert.Equal(t, "norrkoping", skola.MunicipalityID)
		bvc, err := d.Unit(ctx, "lulea-bvc-1")
		require.NoError(t, err)
		assert.Equal(t, casework.UnitBVC, bvc.Kind)
		assert.Equal(t, "region-norrbotten", bvc.PrincipalID, "the BVC belongs to the region")
		bup, err := d.Unit(ctx, "norrkoping-bup")
		require.NoError(t, err)
		assert.Equal(t, "region-ostergotland", bup.PrincipalID)
	})

	t.Run("there is a steering group user and an admin", func(t *testing.T) {
		users, err := d.ListUsers(ctx)
		require.NoError(t, err)
		has := map[casework.Role]bool{}
		for _, u := range users {
			for _, r := range u.Roles {
				has[r.Role] = true
			}
		}
		assert.True(t, has[casework.RoleSteering])
		assert.True(t, has[casework.RoleAdmin])
	})

	t.Run("each municipality has its policy, region and every unit kind a case needs", func(t *testing.T) {
		required := []casework.UnitKind{casework.UnitPreschool, casework.UnitBVC, casework.UnitSchool,
			casework.UnitUpperSecondary, casework.UnitKAA, casework.UnitSocialServices, casework.UnitSchoolHealth,
			casework.UnitBUP, casework.UnitPolice}
		for _, want := range []struct{ id, policy, region string }{
			{"norrkoping", "norrkoping", "region-ostergotland"},
			{"lulea", "norrbus", "region-norrbotten"},
			{"eskilstuna", "sormland", "region-sormland"},
		} {
			m, err := d.Municipality(ctx, want.id)
			require.NoError(t, err, want.id)
			assert.Equal(t, casework.PolicyRef{ID: want.policy, Version: 1}, m.Policy.PolicyRef, want.id)
			assert.Equal(t, want.region, m.RegionID, want.id)
			for _, kind := range required {
				units, err := d.UnitsOfKind(ctx, want.id, kind)
				require.NoError(t, err)
				assert.NotEmpty(t, units, "%s has no %s", want.id, kind)
			}
		}
		central, err := d.UnitsOfKind(ctx, "norrkoping", casework.UnitCentralSchoolHealth)
		require.NoError(t, err)
		assert.Len(t, central, 1)
	})

	t.Run("every unit that has a named person has one and a supervisor", func(t *testing.T) {
		units, err := d.ListUnits(ctx, "", "")
		require.NoError(t, err)
		users, err := d.ListUsers(ctx)
		require.NoError(t, err)
		checked := 0
		for _, u := range units {
			switch u.Kind {
			case casework.UnitPreschool, casework.UnitBVC, casework.UnitSchool, casework.UnitUpperSecondary, casework.UnitKAA:
			default:
				continue
			}
			checked++
			named, err := d.NamedPersonsOf(ctx, u.ID)
			require.NoError(t, err)
			assert.NotEmpty(t, named, "%s has no named person", u.ID)
			for _, n := range named {
				assert.True(t, n.HasRole(u.ID, casework.RoleNamedPerson))
			}
			supervised := false
			for _, user := range users {
				supervised = supervised || user.HasRole(u.ID, casework.RoleSupervisor)
			}
			assert.True(t, supervised, "%s has no supervisor", u.ID)
		}
		assert.Equal(t, 16, checked, "five kinds in three municipalities and the independent school")
	})

	t.Run("the independent school belongs to its owner", func(t *testing.T) {
		u, err := d.Unit(ctx, "norrkoping-skola-2")
		require.NoError(t, err)
		var kind string
		require.NoError(t, d.Gorm().Table("principals").Select("kind").Where("id = ?", u.PrincipalID).Scan(&kind).Error)
		assert.Equal(t, string(casework.PrincipalSchoolOwner), kind)
	})

	t.Run("every address is fictitious", func(t *testing.T) {
		units, err := d.ListUnits(ctx, "", "")
		require.NoError(t, err)
		for _, u := range units {
			assert.True(t, strings.HasSuffix(u.Email, ".example"), u.Email)
		}
		for _, u := range db.DemoUsers() {
			assert.True(t, strings.HasSuffix(u.Email, ".example"), u.Email)
		}
	})

	t.Run("a user with several assignments has a default among them, one with one has none", func(t *testing.T) {
		for _, u := range db.DemoUsers() {
			def, ok := db.DemoDefaultRole(u.ID)
			if len(u.Roles) == 1 {
				assert.False(t, ok, "%s has one assignment and needs no default", u.ID)
				continue
			}
			if assert.True(t, ok, "%s has %d assignments and no default", u.ID, len(u.Roles)) {
				assert.Contains(t, u.Roles, def, "%s's default is not one of their assignments", u.ID)
			}
		}
		def, _ := db.DemoDefaultRole("david.chef")
		assert.Equal(t, db.UserRole{UnitID: "norrkoping-skola-1", Role: casework.RoleSupervisor}, def,
			"the README's supervisor of the school")
	})

	t.Run("DemoUsers is what is stored", func(t *testing.T) {
		for _, want := range db.DemoUsers() {
			got, err := d.User(ctx, want.ID)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		}
	})
}

func TestDirectoryQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))

	t.Run("units list by municipality, kind and name, filtered by either", func(t *testing.T) {
		all, err := d.ListUnits(ctx, "", "")
		require.NoError(t, err)
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			key := func(u db.Unit) string { return u.MunicipalityID + "\x00" + string(u.Kind) + "\x00" + u.Name }
			assert.LessOrEqual(t, key(a), key(b), "%s before %s", a.ID, b.ID)
		}
		schools, err := d.ListUnits(ctx, "norrkoping", "school")
		require.NoError(t, err)
		require.Len(t, schools, 2)
		assert.Equal(t, "Gläntans friskola", schools[0].Name)
		assert.Equal(t, "Lärkängsskolan", schools[1].Name)
		bvcs, err := d.ListUnits(ctx, "", "bvc")
		require.NoError(t, err)
		assert.Len(t, bvcs, 3)
		lulea, err := d.ListUnits(ctx, "lulea", "")
		require.NoError(t, err)
		assert.Len(t, lulea, 9)
	})

	t.Run("unknown ids are ErrNotFound", func(t *testing.T) {
		_, err := d.Unit(ctx, "atlantis-skola-1")
		assert.ErrorIs(t, err, db.ErrNotFound)
		_, err = d.Municipality(ctx, "atlantis")
		assert.ErrorIs(t, err, db.ErrNotFound)
		_, err = d.User(ctx, "nobody")
		assert.ErrorIs(t, err, db.ErrNotFound)
		_, err = d.NamedPersonsOf(ctx, "atlantis-skola-1")
		assert.ErrorIs(t, err, db.ErrNotFound)
	})

	t.Run("a unit without a named person gives an empty list", func(t *testing.T) {
		named, err := d.NamedPersonsOf(ctx, "norrkoping-socialtjanst")
		require.NoError(t, err)
		assert.Empty(t, named)
	})

	t.Run("the named person of Lärkängsskolan is Bertil", func(t *testing.T) {
		named, err := d.NamedPersonsOf(ctx, "norrkoping-skola-1")
		require.NoError(t, err)
		require.Len(t, named, 1)
		assert.Equal(t, "bertil.rektor", named[0].ID)
		assert.Equal(t, []db.UserRole{{UnitID: "norrkoping-skola-1", Role: casework.RoleNamedPerson}}, named[0].Roles)
	})
}
