package casework

import (
	"errors"
	"fmt"
	"time"
)

// SchoolingStatus is what the reporter says about the child's schooling when registering a concern
// (docs/process.md §6.1). Together with the age it decides which unit's named person receives the case
// (§3). The values are the API's and are recorded in case histories: never rename one, add new ones.
type SchoolingStatus string

const (
	SchoolingNone                      SchoolingStatus = "none"                         // in no preschool or school
	SchoolingPreschool                 SchoolingStatus = "preschool"                    // attends a preschool
	SchoolingSchool                    SchoolingStatus = "school"                       // förskoleklass – åk 9
	SchoolingUpperSecondaryHomeCounty  SchoolingStatus = "upper_secondary_home_county"  // gymnasium in the home county
	SchoolingUpperSecondaryOtherCounty SchoolingStatus = "upper_secondary_other_county" // gymnasium outside it
	SchoolingNotStartedUpperSecondary  SchoolingStatus = "not_started_upper_secondary"  // finished åk 9, never started
	SchoolingLeftUpperSecondary        SchoolingStatus = "left_upper_secondary"         // dropped out
)

// SchoolingStatuses lists every status, in the order of the table in docs/process.md §3.
var SchoolingStatuses = []SchoolingStatus{
	SchoolingNone, SchoolingPreschool, SchoolingSchool, SchoolingUpperSecondaryHomeCounty,
	SchoolingUpperSecondaryOtherCounty, SchoolingNotStartedUpperSecondary, SchoolingLeftUpperSecondary,
}

// Valid reports whether s is one of SchoolingStatuses.
func (s SchoolingStatus) Valid() bool {
	for _, known := range SchoolingStatuses {
		if s == known {
			return true
		}
	}
	return false
}

// NeedsUnit reports whether the reporter must also name the unit the child attends: for these
// statuses the named person is that very preschool's or school's, and only the reporter knows which.
// For the others the unit is found from the child's home municipality.
func (s SchoolingStatus) NeedsUnit() bool {
	switch s {
	case SchoolingPreschool, SchoolingSchool, SchoolingUpperSecondaryHomeCounty:
		return true
	}
	return false
}

// AgeOn is the child's age in whole years on the calendar date of on, each date read in its own
// location (pass on in Stockholm time; BirthDate is a UTC date). Only year, month and day are
// compared, so no time of day or daylight-saving shift can make a child a day older or younger.
//
// A child born on 29 February reaches the new age on 1 March in a common year, not on 28 February:
// Swedish practice counts the birthday as passed only when 28 February is over, and comparing
// (month, day) against (2, 29) gives exactly that. It is negative when on is before birth.
func AgeOn(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	oy, om, od := on.Date()
	age := oy - by
	if om < bm || (om == bm && od < bd) {
		age--
	}
	return age
}

// Routing is the answer to "whose named person receives this case": the kind of unit, and a short
// Swedish sentence naming the rule, shown to the caseworker so the choice can be checked.
type Routing struct {
	Kind   UnitKind
	Reason string
}

// ErrUnknownSchooling is returned by RouteNamedPerson for a status not in SchoolingStatuses.
var ErrUnknownSchooling = errors.New("okänd skolsituation")

// Compulsory school ages as whole years, for a child reported with SchoolingNone: from 7 such a child
// has no BVC any more, from 16 KAA answers for them.
const (
	firstSchoolAge      = 7
	firstAfterSchoolAge = 16
)

// RouteNamedPerson applies the table of docs/process.md §3 (003, "Roller och ansvar"). The schooling
// status decides; the age only matters when the child is in no school at all. Two rows are our
// reading, since the sources leave them open:
//
//   - Upper secondary outside the home county goes to "the follow-up responsible in the home
//     municipality", which we read as the home municipality's KAA unit: KAA is the municipality's
//     follow-up duty for young people, and the directory has no other unit kind for it.
//   - A child aged 7–15 in no school goes to the municipality's central school health team. The
//     sources are silent; that team answers for following up skolplikt (compulsory schooling),
//     so a child of school age without a school is theirs to find.
//
// It does not check the age against the status (a 7-year-old still in preschool is routed to the
// preschool): the reporter knows where the child is, and the named person corrects a wrong report.
func RouteNamedPerson(age int, status SchoolingStatus) (Routing, error) {
	if age < 0 {
		return Routing{}, fmt.Errorf("åldern kan inte vara negativ (%d)", age)
	}
	switch status {
	case SchoolingPreschool:
		return Routing{UnitPreschool, "Barnet går i förskola, så förskolans barnets bästa-ansvarig tar emot ärendet."}, nil
	case SchoolingSchool:
		return Routing{UnitSchool, "Barnet går i förskoleklass eller grundskolan, så skolans barnets bästa-ansvarig tar emot ärendet."}, nil
	case SchoolingUpperSecondaryHomeCounty:
		return Routing{UnitUpperSecondary, "Ungdomen går på gymnasiet i hemlänet, så gymnasieskolans barnets bästa-ansvarig tar emot ärendet."}, nil
	case SchoolingUpperSecondaryOtherCounty:
		return Routing{UnitKAA, "Ungdomen går på gymnasiet utanför hemlänet, så uppföljningsansvarig i hemkommunen (KAA) tar emot ärendet."}, nil
	case SchoolingNotStartedUpperSecondary:
		return Routing{UnitKAA, "Ungdomen har inte börjat på gymnasiet, så hemkommunens aktivitetsansvar (KAA) tar emot ärendet."}, nil
	case SchoolingLeftUpperSecondary:
		return Routing{UnitKAA, "Ungdomen har slutat på gymnasiet, så hemkommunens aktivitetsansvar (KAA) tar emot ärendet."}, nil
	case SchoolingNone:
		switch {
		case age < firstSchoolAge:
			return Routing{UnitBVC, "Barnet är 0–6 år och går inte i förskola, så barnhälsovårdens (BVC) barnets bästa-ansvarig tar emot ärendet."}, nil
		case age < firstAfterSchoolAge:
			return Routing{UnitCentralSchoolHealth, "Barnet är i skolpliktig ålder men går inte i någon skola, så kommunens centrala elevhälsa tar emot ärendet."}, nil
		default:
			return Routing{UnitKAA, "Ungdomen är 16 år eller äldre och går inte i skolan, så hemkommunens aktivitetsansvar (KAA) tar emot ärendet."}, nil
		}
	}
	return Routing{}, fmt.Errorf("%w: %q", ErrUnknownSchooling, status)
}

// InTargetGroup reports whether a child of this age is one the policy's collaboration is for:
// UpperAge is inclusive (Norrbus "up to and including 20"; Sörmland "under 18" is stored as 17).
// A negative age is no child at all.
func (p Policy) InTargetGroup(age int) bool { return age >= 0 && age <= p.UpperAge }

// FallbackKinds are the kinds of unit a case goes to, in order, where a municipality has no unit of
// the routed kind: the next that does the same work rather than nobody. Most municipalities have no
// central school health team apart from the schools' own.
func FallbackKinds(kind UnitKind) []UnitKind {
	if kind == UnitCentralSchoolHealth {
		return []UnitKind{UnitSchoolHealth}
	}
	return nil
}
