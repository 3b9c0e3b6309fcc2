package casework

// UnitKind is the kind of an organisational unit (docs/process.md §3). The values are the API's and the
// database's: never rename one, add new ones.
type UnitKind string

const (
	UnitPreschool      UnitKind = "preschool"
	UnitSchool         UnitKind = "school" // förskoleklass – åk 9
	UnitUpperSecondary UnitKind = "upper_secondary"
	UnitSchoolHealth   UnitKind = "school_health" // elevhälsan, the school health team
	// UnitCentralSchoolHealth is the municipality's central school health team, which Norrköping
	// lets initiate a SIP (docs/process.md §6.5, 001).
	UnitCentralSchoolHealth UnitKind = "central_school_health"
	UnitSocialServices      UnitKind = "social_services"
	// UnitKAA is kommunalt aktivitetsansvar: the municipality's follow-up duty for 16–19-year-olds
	// who are not in upper secondary school.
	UnitKAA            UnitKind = "kaa"
	UnitCultureLeisure UnitKind = "culture_leisure"
	UnitLSS            UnitKind = "lss" // care and disability services
	UnitBVC            UnitKind = "bvc" // barnhälsovården, child health centre
	UnitBUP            UnitKind = "bup" // child and adolescent psychiatry
	UnitPrimaryCare    UnitKind = "primary_care"
	UnitHabilitation   UnitKind = "habilitation"
	UnitYouthClinic    UnitKind = "youth_clinic"
	UnitPaediatrics    UnitKind = "paediatrics"
	UnitPolice         UnitKind = "police"
)

// UnitKinds lists every kind, in the order docs/process.md §3 names them.
var UnitKinds = []UnitKind{
	UnitPreschool, UnitSchool, UnitUpperSecondary, UnitSchoolHealth, UnitCentralSchoolHealth,
	UnitSocialServices, UnitKAA, UnitCultureLeisure, UnitLSS, UnitBVC, UnitBUP, UnitPrimaryCare,
	UnitHabilitation, UnitYouthClinic, UnitPaediatrics, UnitPolice,
}

// Valid reports whether k is one of UnitKinds.
func (k UnitKind) Valid() bool {
	for _, known := range UnitKinds {
		if k == known {
			return true
		}
	}
	return false
}

// IsSocialServices and IsHealthCare matter for the SIP: the law makes these two responsible for it,
// so a coordinator from elsewhere needs a plan owner from one of them (docs/process.md §6.4).
func (k UnitKind) IsSocialServices() bool { return k == UnitSocialServices }

// IsHealthCare is true for the region's health care units.
func (k UnitKind) IsHealthCare() bool {
	switch k {
	case UnitBVC, UnitBUP, UnitPrimaryCare, UnitHabilitation, UnitYouthClinic, UnitPaediatrics:
		return true
	}
	return false
}

// HoldsNamedPerson: the kinds of unit a concern may be routed to (RouteNamedPerson), which therefore
// have named persons (barnets bästa-ansvarig, docs/process.md §3).
func (k UnitKind) HoldsNamedPerson() bool {
	switch k {
	case UnitPreschool, UnitSchool, UnitUpperSecondary, UnitKAA, UnitBVC, UnitCentralSchoolHealth:
		return true
	}
	return false
}

// Representatives is the role whose holders speak for a unit of this kind in another unit's case,
// and so are told when it is summoned to a meeting: its named persons where it has them, else its
// participants – the agency's representatives in cases (social services, BUP, the police, the
// school health team, …), as the directory names them. A unit of unknown kind is read as one without
// named persons.
func (k UnitKind) Representatives() Role {
	if k.HoldsNamedPerson() {
		return RoleNamedPerson
	}
	return RoleParticipant
}

// PrincipalKind is the kind of a huvudman: who is ultimately responsible for a unit.
type PrincipalKind string

const (
	PrincipalMunicipality PrincipalKind = "municipality"
	PrincipalRegion       PrincipalKind = "region"
	PrincipalPolice       PrincipalKind = "police"
	PrincipalSchoolOwner  PrincipalKind = "school_owner" // an independent school's owner
)

// Role is what a user does in a unit. A user may hold several roles in several units.
type Role string

const (
	RoleReporter    Role = "reporter"     // any professional who meets children
	RoleNamedPerson Role = "named_person" // Barnets bästa-ansvarig, see docs/process.md §1
	RoleCoordinator Role = "coordinator"  // samordningsperson
	RoleParticipant Role = "participant"  // an agency's representative in a case
	RoleSupervisor  Role = "supervisor"   // chef, verksamhetschef
	RoleSteering    Role = "steering"     // the steering group: statistics only
	RoleAdmin       Role = "admin"        // directory and policies, never case content
)

// Roles lists every role.
var Roles = []Role{RoleReporter, RoleNamedPerson, RoleCoordinator, RoleParticipant, RoleSupervisor, RoleSteering, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}
