package casework

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestBuiltinPolicies(t *testing.T) {
	for _, p := range BuiltinPolicies() {
		t.Run(p.ID+" is a usable policy", func(t *testing.T) {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(p.ID+" survives a JSON round trip unchanged", func(t *testing.T) {
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var back Policy
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, back) {
				t.Fatalf("changed:\n%+v\n%+v", p, back)
			}
		})
	}
	t.Run("the agreements' own settings are kept apart from the product's", func(t *testing.T) {
		if Norrbus().UpperAge != 20 || Sormland().UpperAge != 17 || Norrkoping().UpperAge != 20 {
			t.Fatal("upper ages differ from docs/process.md §7.2")
		}
		if _, ok := Norrbus().Deadline(DeadlineCostDistribution); !ok {
			t.Fatal("Norrbus states a cost distribution deadline")
		}
		if _, ok := Sormland().Deadline(DeadlineCostDistribution); ok {
			t.Fatal("Sörmland states no cost distribution deadline")
		}
		if !contains(Norrkoping().SIPInitiators, UnitCentralSchoolHealth) || contains(Norrbus().SIPInitiators, UnitCentralSchoolHealth) {
			t.Fatal("only Norrköping lets the central school health team initiate a SIP")
		}
	})
	t.Run("constructors return independent values", func(t *testing.T) {
		a := Norrbus()
		a.Deadlines[DeadlineAcknowledge] = Hours(time.Hour)
		if Norrbus().Deadlines[DeadlineAcknowledge].Within != nil {
			t.Fatal("changing one policy value changed the built-in")
		}
	})
	t.Run("a rule with both working days and clock time is refused", func(t *testing.T) {
		p := Norrbus()
		d, h := 2, Duration(time.Hour)
		p.Deadlines[DeadlineSummons] = DeadlineRule{WorkingDays: &d, Within: &h}
		if p.Validate() == nil {
			t.Fatal("accepted")
		}
	})
}

func contains(kinds []UnitKind, k UnitKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
