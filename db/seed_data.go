package db

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/samverkan/samverkan/casework"
)

// The demo directory. Everything here is invented: the units, their districts (Lärkängen, Tallmon,
// Ekbacken), the people and the independent school owner. Only the municipalities, regions and the
// police are real public bodies, named so the three regional policies can be shown side by side. Every
// address is under the reserved .example top-level domain (RFC 2606), and every phone number is in
// the series 070-174 06 05 – 070-174 06 99 that PTS keeps for fiction, so nothing here can reach a
// real person.

var demoPrincipals = []principalRow{
	{ID: "norrkoping-kommun", Name: "Norrköpings kommun", Kind: string(casework.PrincipalMunicipality)},
	{ID: "lulea-kommun", Name: "Luleå kommun", Kind: string(casework.PrincipalMunicipality)},
	{ID: "eskilstuna-kommun", Name: "Eskilstuna kommun", Kind: string(casework.PrincipalMunicipality)},
	{ID: "region-ostergotland", Name: "Region Östergötland", Kind: string(casework.PrincipalRegion)},
	{ID: "region-norrbotten", Name: "Region Norrbotten", Kind: string(casework.PrincipalRegion)},
	{ID: "region-sormland", Name: "Region Sörmland", Kind: string(casework.PrincipalRegion)},
	{ID: "polisen", Name: "Polismyndigheten", Kind: string(casework.PrincipalPolice)},
	{ID: "exempelskolor", Name: "Exempelskolor AB (fiktiv huvudman)", Kind: string(casework.PrincipalSchoolOwner)},
}

// One municipality per built-in policy (docs/process.md §7.2). Codes are SCB's kommunkoder.
var demoMunicipalities = []municipalityRow{
	{ID: "norrkoping", Name: "Norrköping", Code: "0581", County: "Östergötlands län",
		PrincipalID: "norrkoping-kommun", RegionID: "region-ostergotland", PolicyID: casework.Norrkoping().ID},
	{ID: "lulea", Name: "Luleå", Code: "2580", County: "Norrbottens län",
		PrincipalID: "lulea-kommun", RegionID: "region-norrbotten", PolicyID: casework.Norrbus().ID},
	{ID: "eskilstuna", Name: "Eskilstuna", Code: "0484", County: "Södermanlands län",
		PrincipalID: "eskilstuna-kommun", RegionID: "region-sormland", PolicyID: casework.Sormland().ID},
}

// demoUnits lists the units; the mailbox and phone number are derived from the position and id.
func demoUnits() []unitRow {
	type u struct{ id, name, kind, principal string }
	const (
		mun      = "" // the municipality's own principal
		police   = "polisen"
		ostergot = "region-ostergotland"
		norrbott = "region-norrbotten"
		sormland = "region-sormland"
	)
	var out []unitRow
	add := func(municipality string, units ...u) {
		for _, x := range units {
			principal := x.principal
			if principal == mun {
				principal = municipality + "-kommun"
			}
			local, _ := strings.CutPrefix(x.id, municipality+"-")
			out = append(out, unitRow{ID: x.id, Name: x.name, Kind: x.kind, MunicipalityID: municipality,
				PrincipalID: principal, Email: local + "@" + principal + ".example",
				Phone: fmt.Sprintf("070-174 06 %02d", 5+len(out))})
		}
	}
	add("norrkoping",
		u{"norrkoping-forskola-1", "Lärkängens förskola", "preschool", mun},
		u{"norrkoping-bvc-1", "BVC Lärkängen", "bvc", ostergot},
		u{"norrkoping-skola-1", "Lärkängsskolan", "school", mun},
		u{"norrkoping-skola-2", "Gläntans friskola", "school", "exempelskolor"},
		u{"norrkoping-gymnasium-1", "Lärkängsgymnasiet", "upper_secondary", mun},
		u{"norrkoping-kaa", "Aktivitetsansvaret Lärkängen", "kaa", mun},
		u{"norrkoping-socialtjanst", "Socialtjänsten Lärkängen, barn och unga", "social_services", mun},
		u{"norrkoping-elevhalsa", "Elevhälsan Lärkängsskolan", "school_health", mun},
		u{"norrkoping-central-elevhalsa", "Centrala elevhälsan Lärkängen", "central_school_health", mun},
		u{"norrkoping-bup", "BUP Lärkängen", "bup", ostergot},
		u{"norrkoping-polis", "Lokalpolisområde Lärkängen", "police", police},
	)
	add("lulea",
		u{"lulea-forskola-1", "Tallmons förskola", "preschool", mun},
		u{"lulea-bvc-1", "BVC Tallmon", "bvc", norrbott},
		u{"lulea-skola-1", "Tallmonskolan", "school", mun},
		u{"lulea-gymnasium-1", "Tallmonsgymnasiet", "upper_secondary", mun},
		u{"lulea-kaa", "Aktivitetsansvaret Tallmon", "kaa", mun},
		u{"lulea-socialtjanst", "Socialtjänsten Tallmon, barn och unga", "social_services", mun},
		u{"lulea-elevhalsa", "Elevhälsan Tallmonskolan", "school_health", mun},
		u{"lulea-bup", "BUP Tallmon", "bup", norrbott},
		u{"lulea-polis", "Lokalpolisområde Tallmon", "police", police},
	)
	add("eskilstuna",
		u{"eskilstuna-forskola-1", "Ekbackens förskola", "preschool", mun},
		u{"eskilstuna-bvc-1", "BVC Ekbacken", "bvc", sormland},
		u{"eskilstuna-skola-1", "Ekbackaskolan", "school", mun},
		u{"eskilstuna-gymnasium-1", "Ekbackagymnasiet", "upper_secondary", mun},
		u{"eskilstuna-kaa", "Aktivitetsansvaret Ekbacken", "kaa", mun},
		u{"eskilstuna-socialtjanst", "Socialtjänsten Ekbacken, barn och unga", "social_services", mun},
		u{"eskilstuna-elevhalsa", "Elevhälsan Ekbackaskolan", "school_health", mun},
		u{"eskilstuna-bup", "BUP Ekbacken", "bup", sormland},
		u{"eskilstuna-polis", "Lokalpolisområde Ekbacken", "police", police},
	)
	return out
}

// DemoUsers is the demo directory's people with their roles, for cmd to print and for tests. A
// user's address is under the domain of the principal of their first unit.
func DemoUsers() []User {
	type r = UserRole
	const (
		reporter    = casework.RoleReporter
		named       = casework.RoleNamedPerson
		coordinator = casework.RoleCoordinator
		participant = casework.RoleParticipant
		supervisor  = casework.RoleSupervisor
	)
	user := func(id, name, title string, roles ...r) User {
		return User{ID: id, DisplayName: name, Title: title, Roles: roles}
	}
	users := []User{
		// Norrköping: policy norrkoping, Region Östergötland.
		user("anna.larare", "Anna Lärare", "Lärare", r{"norrkoping-skola-1", reporter}),
		user("bertil.rektor", "Bertil Rektor", "Rektor", r{"norrkoping-skola-1", named}),
		user("cecilia.socialsekreterare", "Cecilia Socialsekreterare", "Socialsekreterare",
			r{"norrkoping-socialtjanst", coordinator}, r{"norrkoping-socialtjanst", participant}),
		user("david.chef", "David Chef", "Verksamhetschef, utbildning",
			r{"norrkoping-forskola-1", supervisor}, r{"norrkoping-gymnasium-1", supervisor},
			r{"norrkoping-kaa", supervisor}, r{"norrkoping-skola-1", supervisor}),
		user("frida.bup", "Frida BUP", "Psykolog", r{"norrkoping-bup", participant}),
		user("gustav.forskola", "Gustav Förskola", "Förskolechef", r{"norrkoping-forskola-1", named}),
		user("helena.gymnasium", "Helena Gymnasium", "Rektor", r{"norrkoping-gymnasium-1", named}),
		user("ivar.kaa", "Ivar KAA", "Studie- och yrkesvägledare", r{"norrkoping-kaa", named}),
		user("johanna.bvc", "Johanna BVC", "BVC-sjuksköterska", r{"norrkoping-bvc-1", named}),
		user("karin.verksamhetschef", "Karin Verksamhetschef", "Verksamhetschef, barnhälsovården",
			r{"norrkoping-bvc-1", supervisor}, r{"norrkoping-bup", supervisor}),
		user("lars.friskola", "Lars Friskola", "Rektor", r{"norrkoping-skola-2", named}),
		user("maria.huvudman", "Maria Huvudman", "Skolchef", r{"norrkoping-skola-2", supervisor}),
		user("nora.elevhalsa", "Nora Elevhälsa", "Skolsköterska",
			r{"norrkoping-central-elevhalsa", coordinator}, r{"norrkoping-central-elevhalsa", participant},
			r{"norrkoping-elevhalsa", participant}),
		user("olof.polis", "Olof Polis", "Kommunpolis", r{"norrkoping-polis", participant}),
		user("stina.styrgrupp", "Stina Styrgrupp", "Ordförande, Barnsamverket",
			r{"norrkoping-socialtjanst", casework.RoleSteering}),
		user("adam.admin", "Adam Admin", "Systemförvaltare", r{"norrkoping-socialtjanst", casework.RoleAdmin}),

		// Luleå: policy norrbus, Region Norrbotten.
		user("erik.bvc", "Erik BVC", "BVC-sjuksköterska", r{"lulea-bvc-1", named}, r{"lulea-bvc-1", reporter}),
		user("petra.forskola", "Petra Förskola", "Förskolechef", r{"lulea-forskola-1", named}),
		user("rasmus.rektor", "Rasmus Rektor", "Rektor", r{"lulea-skola-1", named}),
		user("sofia.gymnasium", "Sofia Gymnasium", "Rektor", r{"lulea-gymnasium-1", named}),
		user("tobias.kaa", "Tobias KAA", "Studie- och yrkesvägledare", r{"lulea-kaa", named}),
		user("ulf.chef", "Ulf Chef", "Verksamhetschef, utbildning",
			r{"lulea-forskola-1", supervisor}, r{"lulea-gymnasium-1", supervisor},
			r{"lulea-kaa", supervisor}, r{"lulea-skola-1", supervisor}),
		user("vera.verksamhetschef", "Vera Verksamhetschef", "Verksamhetschef, barnhälsovården",
			r{"lulea-bvc-1", supervisor}, r{"lulea-bup", supervisor}),
		user("greta.socialsekreterare", "Greta Socialsekreterare", "Socialsekreterare",
			r{"lulea-socialtjanst", coordinator}, r{"lulea-socialtjanst", participant}),

		// Eskilstuna: policy sormland, Region Sörmland.
		user("wilma.rektor", "Wilma Rektor", "Rektor", r{"eskilstuna-skola-1", named}),
		user("xenia.forskola", "Xenia Förskola", "Förskolechef", r{"eskilstuna-forskola-1", named}),
		user("yusuf.gymnasium", "Yusuf Gymnasium", "Rektor", r{"eskilstuna-gymnasium-1", named}),
		user("zara.kaa", "Zara KAA", "Studie- och yrkesvägledare", r{"eskilstuna-kaa", named}),
		user("viktor.bvc", "Viktor BVC", "BVC-sjuksköterska", r{"eskilstuna-bvc-1", named}),
		user("emma.chef", "Emma Chef", "Verksamhetschef, utbildning",
			r{"eskilstuna-forskola-1", supervisor}, r{"eskilstuna-gymnasium-1", supervisor},
			r{"eskilstuna-kaa", supervisor}, r{"eskilstuna-skola-1", supervisor}),
		user("oskar.verksamhetschef", "Oskar Verksamhetschef", "Verksamhetschef, barnhälsovården",
			r{"eskilstuna-bvc-1", supervisor}, r{"eskilstuna-bup", supervisor}),
		user("hugo.socialsekreterare", "Hugo Socialsekreterare", "Socialsekreterare",
			r{"eskilstuna-socialtjanst", coordinator}, r{"eskilstuna-socialtjanst", participant}),
	}
	principalOf := map[string]string{}
	for _, u := range demoUnits() {
		principalOf[u.ID] = u.PrincipalID
	}
	for i := range users {
		users[i].Email = users[i].ID + "@" + principalOf[users[i].Roles[0].UnitID] + ".example"
		// The order User documents, so a DemoUser compares equal to the same user read back.
		slices.SortFunc(users[i].Roles, func(a, b UserRole) int {
			return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Role, b.Role))
		})
	}
	return users
}

// demoDefaultRoles are the assignments of the demo users with several: the one the README describes
// each in, which `samverkan token` gives when not told which. Without it the first by unit would win –
// for a head of education that is the preschool, and "the school's supervisor" would find none of
// the school's cases.
var demoDefaultRoles = map[string]UserRole{
	"cecilia.socialsekreterare": {"norrkoping-socialtjanst", casework.RoleCoordinator},
	"david.chef":                {"norrkoping-skola-1", casework.RoleSupervisor},
	"karin.verksamhetschef":     {"norrkoping-bvc-1", casework.RoleSupervisor},
	"nora.elevhalsa":            {"norrkoping-central-elevhalsa", casework.RoleCoordinator},
	"erik.bvc":                  {"lulea-bvc-1", casework.RoleNamedPerson},
	"ulf.chef":                  {"lulea-skola-1", casework.RoleSupervisor},
	"vera.verksamhetschef":      {"lulea-bvc-1", casework.RoleSupervisor},
	"greta.socialsekreterare":   {"lulea-socialtjanst", casework.RoleCoordinator},
	"emma.chef":                 {"eskilstuna-skola-1", casework.RoleSupervisor},
	"oskar.verksamhetschef":     {"eskilstuna-bvc-1", casework.RoleSupervisor},
	"hugo.socialsekreterare":    {"eskilstuna-socialtjanst", casework.RoleCoordinator},
}

// DemoDefaultRole is the assignment a demo user with several acts in unless another is chosen; false
// for a user with one assignment, or one the demo directory does not know.
func DemoDefaultRole(userID string) (UserRole, bool) {
	r, ok := demoDefaultRoles[userID]
	return r, ok
}
