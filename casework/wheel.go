package casework

// WheelArea is one of the seven areas of Barnets bästa-hjulet, the wellbeing wheel (docs/process.md §4).
// The values are Swedish and lower case, as the API speaks them.
type WheelArea string

const (
	AreaHalsa      WheelArea = "hälsa"      // health
	AreaUtveckling WheelArea = "utveckling" // development
	AreaLarande    WheelArea = "lärande"    // learning
	AreaOmsorg     WheelArea = "omsorg"     // care
	AreaHemmet     WheelArea = "hemmet"     // home
	AreaRelationer WheelArea = "relationer" // relationships
	AreaTrygghet   WheelArea = "trygghet"   // safety
)

// WheelAreas lists the seven areas in the wheel's order.
var WheelAreas = []WheelArea{AreaHalsa, AreaUtveckling, AreaLarande, AreaOmsorg, AreaHemmet, AreaRelationer, AreaTrygghet}

// Valid reports whether a is one of the seven areas.
func (a WheelArea) Valid() bool {
	for _, known := range WheelAreas {
		if a == known {
			return true
		}
	}
	return false
}

// MergeAreas returns the union of both lists in the wheel's order, so a case's areas read the
// same however the concerns arrived.
func MergeAreas(a, b []WheelArea) []WheelArea {
	seen := map[WheelArea]bool{}
	for _, x := range append(append([]WheelArea{}, a...), b...) {
		seen[x] = true
	}
	out := make([]WheelArea, 0, len(seen))
	for _, x := range WheelAreas {
		if seen[x] {
			out = append(out, x)
		}
	}
	return out
}
