package casework

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRouteNamedPerson(t *testing.T) {
	tests := []struct {
		name   string
		age    int
		status SchoolingStatus
		want   UnitKind
	}{
		{"a child in preschool goes to the preschool", 3, SchoolingPreschool, UnitPreschool},
		{"a six-year-old still in preschool goes to the preschool", 6, SchoolingPreschool, UnitPreschool},
		{"a newborn in no preschool goes to BVC", 0, SchoolingNone, UnitBVC},
		{"a six-year-old in no preschool goes to BVC", 6, SchoolingNone, UnitBVC},
		{"a seven-year-old in no school goes to the central school health team", 7, SchoolingNone, UnitCentralSchoolHealth},
		{"a fifteen-year-old in no school goes to the central school health team", 15, SchoolingNone, UnitCentralSchoolHealth},
		{"a sixteen-year-old in no school goes to KAA", 16, SchoolingNone, UnitKAA},
		{"a nineteen-year-old in no school goes to KAA", 19, SchoolingNone, UnitKAA},
		{"a pupil in förskoleklass goes to the school", 6, SchoolingSchool, UnitSchool},
		{"a pupil in åk 9 goes to the school", 15, SchoolingSchool, UnitSchool},
		{"upper secondary in the home county goes to that school", 17, SchoolingUpperSecondaryHomeCounty, UnitUpperSecondary},
		{"upper secondary outside the home county goes to KAA at home", 17, SchoolingUpperSecondaryOtherCounty, UnitKAA},
		{"a youth who has not started upper secondary goes to KAA", 16, SchoolingNotStartedUpperSecondary, UnitKAA},
		{"a youth who has left upper secondary goes to KAA", 18, SchoolingLeftUpperSecondary, UnitKAA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := RouteNamedPerson(tc.age, tc.status)
			if err != nil {
				t.Fatalf("RouteNamedPerson: %v", err)
			}
			if r.Kind != tc.want {
				t.Errorf("Kind = %q, want %q", r.Kind, tc.want)
			}
			if !strings.HasSuffix(r.Reason, ".") || !strings.Contains(r.Reason, "tar emot ärendet") {
				t.Errorf("Reason %q is not a sentence naming who takes the case", r.Reason)
			}
		})
	}
}

func TestRouteNamedPersonRefuses(t *testing.T) {
	tests := []struct {
		name    string
		age     int
		status  SchoolingStatus
		unknown bool
	}{
		{"an unknown status is refused", 10, "gymnasium", true},
		{"an empty status is refused", 10, "", true},
		{"a negative age is refused", -1, SchoolingSchool, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := RouteNamedPerson(tc.age, tc.status)
			if err == nil {
				t.Fatalf("RouteNamedPerson = %+v, want an error", r)
			}
			if errors.Is(err, ErrUnknownSchooling) != tc.unknown {
				t.Errorf("error %v: errors.Is(ErrUnknownSchooling) = %v", err, !tc.unknown)
			}
		})
	}
}

func TestSchoolingStatus(t *testing.T) {
	needsUnit := map[SchoolingStatus]bool{
		SchoolingPreschool: true, SchoolingSchool: true, SchoolingUpperSecondaryHomeCounty: true,
	}
	for _, s := range SchoolingStatuses {
		t.Run(string(s)+" is valid and routes at every age", func(t *testing.T) {
			if !s.Valid() {
				t.Errorf("Valid() = false")
			}
			if s.NeedsUnit() != needsUnit[s] {
				t.Errorf("NeedsUnit() = %v, want %v", s.NeedsUnit(), needsUnit[s])
			}
			for age := 0; age <= 25; age++ {
				if _, err := RouteNamedPerson(age, s); err != nil {
					t.Errorf("age %d: %v", age, err)
				}
			}
		})
	}
	t.Run("an unknown status is not valid and needs no unit", func(t *testing.T) {
		if SchoolingStatus("gymnasium").Valid() || SchoolingStatus("gymnasium").NeedsUnit() {
			t.Error("unknown status accepted")
		}
	})
}

func TestAgeOn(t *testing.T) {
	cest := time.FixedZone("CEST", 2*60*60)
	tests := []struct {
		name      string
		birth, on time.Time
		want      int
	}{
		{"the day before the tenth birthday the child is nine", ymd(2036, 5, 10), ymd(2046, 5, 9), 9},
		{"on the tenth birthday the child is ten", ymd(2036, 5, 10), ymd(2046, 5, 10), 10},
		{"on the day of birth the child is zero", ymd(2036, 5, 10), ymd(2036, 5, 10), 0},
		{"a leap-day child is not one yet on 28 February of a common year", ymd(2036, 2, 29), ymd(2037, 2, 28), 0},
		{"a leap-day child turns one on 1 March of a common year", ymd(2036, 2, 29), ymd(2037, 3, 1), 1},
		{"a leap-day child is three on 28 February of a leap year", ymd(2036, 2, 29), ymd(2040, 2, 28), 3},
		{"a leap-day child turns four on 29 February of a leap year", ymd(2036, 2, 29), ymd(2040, 2, 29), 4},
		{"a child born on 1 March is not one yet on 29 February", ymd(2039, 3, 1), ymd(2040, 2, 29), 0},
		{"the local date counts, not UTC", ymd(2036, 5, 10), time.Date(2046, 5, 10, 0, 30, 0, 0, cest), 10},
		{"a date before birth gives a negative age", ymd(2036, 5, 10), ymd(2036, 5, 9), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AgeOn(tc.birth, tc.on); got != tc.want {
				t.Errorf("AgeOn(%s, %s) = %d, want %d", tc.birth.Format(time.DateOnly), tc.on.Format(time.DateTime), got, tc.want)
			}
		})
	}
}

func TestInTargetGroup(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		age    int
		want   bool
	}{
		{"Norrbus includes a twenty-year-old", Norrbus(), 20, true},
		{"Norrbus excludes a twenty-one-year-old", Norrbus(), 21, false},
		{"Sörmland includes a seventeen-year-old", Sormland(), 17, true},
		{"Sörmland excludes an eighteen-year-old", Sormland(), 18, false},
		{"a newborn is in the target group", Norrkoping(), 0, true},
		{"a negative age is in no target group", Norrkoping(), -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.policy.InTargetGroup(tc.age); got != tc.want {
				t.Errorf("InTargetGroup(%d) = %v, want %v", tc.age, got, tc.want)
			}
		})
	}
}

// TestUnitsHoldingNamedPersonsAreThoseRoutedTo: a unit kind holds named persons exactly when a
// concern can be routed to it, so the invitation to a meeting reaches a routed-to unit's named
// persons and every other agency's representatives (participants).
func TestUnitsHoldingNamedPersonsAreThoseRoutedTo(t *testing.T) {
	routedTo := map[UnitKind]bool{}
	for _, status := range SchoolingStatuses {
		for age := 0; age <= 25; age++ {
			r, err := RouteNamedPerson(age, status)
			if err != nil {
				t.Fatalf("RouteNamedPerson(%d, %s): %v", age, status, err)
			}
			routedTo[r.Kind] = true
		}
	}
	for _, k := range UnitKinds {
		if k.HoldsNamedPerson() != routedTo[k] {
			t.Errorf("%s: HoldsNamedPerson = %v, but a concern is routed to it: %v", k, k.HoldsNamedPerson(), routedTo[k])
		}
		want := RoleParticipant
		if routedTo[k] {
			want = RoleNamedPerson
		}
		if got := k.Representatives(); got != want {
			t.Errorf("%s: Representatives = %s, want %s", k, got, want)
		}
	}
	if got := UnitKind("").Representatives(); got != RoleParticipant {
		t.Errorf("a unit of unknown kind: Representatives = %s, want the participants", got)
	}
}
