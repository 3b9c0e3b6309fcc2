package main

import (
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// syntheticChildren is how many different children the load command can invent: 3,500 birth
// dates (school ages, 6 to about 15) times the serial numbers 100–999.
const syntheticChildren = 3500 * 900

// childNumbers invents the children of a load run: child k of the run is number first+k, wrapping
// round; the set-up's cases count down from first-1, so they are never the run's own children.
type childNumbers struct {
	first  int
	school string
}

// personalNumber is child k's: invented, with a valid check digit, so that the API takes it as
// it takes a real one (the README's rule for every personal number in tests and fixtures).
func (c childNumbers) personalNumber(k int) (number, birthDate string) {
	n := ((c.first+k)%syntheticChildren + syntheticChildren) % syntheticChildren
	y, m, d := time.Now().In(casework.Stockholm).Date()
	youngest := time.Date(y-6, m, d, 0, 0, 0, 0, casework.Stockholm).AddDate(0, 0, -1)
	birth := youngest.AddDate(0, 0, -(n % 3500))
	serial := 100 + n/3500
	ten := fmt.Sprintf("%s%03d", birth.Format("060102"), serial)
	return fmt.Sprintf("%s-%03d%d", birth.Format("20060102"), serial, luhnCheckDigit(ten)), birth.Format(time.DateOnly)
}

// concern is the body of child k's concern, reported an hour ago at the school.
func (c childNumbers) concern(k int) map[string]any {
	number, birthDate := c.personalNumber(k)
	return map[string]any{
		"child": map[string]any{
			"personalNumber": number,
			"name":           "Lastbarn Påhittad",
			"birthDate":      birthDate,
			"municipality":   "norrkoping",
			"schooling":      map[string]any{"status": "school", "unitId": c.school, "grade": "7"},
		},
		"areas":        []string{"lärande", "relationer"},
		"observation":  "Nästan ingen närvaro sedan terminsstart; drar sig undan kamraterna.",
		"suspectsHarm": false,
		"occurredAt":   time.Now().Add(-time.Hour).Truncate(time.Second).Format(time.RFC3339),
	}
}

// luhnCheckDigit is the check digit of a personal number's ten digits.
func luhnCheckDigit(ten string) int {
	sum := 0
	for i, r := range ten {
		d := int(r - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}
