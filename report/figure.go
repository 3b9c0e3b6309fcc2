package report

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// MinChildren is the smallest number of children a published figure of the yearly report may rest
// on: a cell counting fewer is withheld, so that a small municipality does not expose a child.
const MinChildren = 5

// Mark says why a figure is withheld.
type Mark string

const (
	// FewerThanFive: fewer than MinChildren children lie behind the figure.
	FewerThanFive Mark = "<5"
	// Hidden: the figure rests on enough children, but would let a reader work out a withheld one
	// (a table's total less its other rows, or a share from its two counts). "x" is how Swedish
	// official statistics mark a figure that may not be published.
	Hidden Mark = "x"
)

// Figure is one number of a report: a count, a share (0–1) or a median, or a mark instead of it.
// In JSON it is a number, or the mark as a string ("<5", "x").
type Figure struct {
	Value float64
	Mark  Mark
}

// Withheld reports whether the figure is marked instead of shown.
func (f Figure) Withheld() bool { return f.Mark != "" }

// String is the figure as CSV and the page show it: the number (a share as a fraction with up to
// three decimals) or the mark.
func (f Figure) String() string {
	if f.Withheld() {
		return string(f.Mark)
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64)
}

// MarshalJSON writes the number, or the mark as a string.
func (f Figure) MarshalJSON() ([]byte, error) {
	if f.Withheld() {
		return []byte(`"` + string(f.Mark) + `"`), nil // the marks are plain ASCII
	}
	return []byte(f.String()), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Figure) UnmarshalJSON(b []byte) error {
	var mark string
	if json.Unmarshal(b, &mark) == nil {
		*f = Figure{Mark: Mark(mark)}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Figure{Value: v}
	return nil
}

// cell counts items (cases, deadlines, deviations) and the children behind them.
type cell struct {
	n        int
	children map[string]bool
}

func (c *cell) add(child string) {
	if c.children == nil {
		c.children = map[string]bool{}
	}
	c.n++
	c.children[child] = true
}

// figure is the cell's count, or FewerThanFive when fewer than MinChildren children lie behind it.
func (c *cell) figure() Figure {
	if len(c.children) < MinChildren {
		return Figure{Mark: FewerThanFive}
	}
	return Figure{Value: float64(c.n)}
}

// share is part / (part + rest), to three decimals, shown only when both counts are.
func share(part, rest Figure, nPart, nRest int) Figure {
	if part.Withheld() || rest.Withheld() {
		return Figure{Mark: Hidden}
	}
	return Figure{Value: math.Round(float64(nPart)/float64(nPart+nRest)*1000) / 1000}
}

// hideComplement is the secondary suppression of a table whose rows part a published total (each
// case in exactly one row): when exactly one row is withheld as FewerThanFive, the total less the
// other rows would give it away, so the smallest shown row (the last of equals) is Hidden too.
func hideComplement(total Figure, rows []Row) {
	if total.Withheld() {
		return
	}
	withheld, smallest := 0, -1
	for i, r := range rows {
		switch {
		case r.Cases.Withheld():
			withheld++
		case smallest < 0 || r.Cases.Value <= rows[smallest].Cases.Value:
			smallest = i
		}
	}
	if withheld == 1 && smallest >= 0 {
		rows[smallest].Cases = Figure{Mark: Hidden}
	}
}

// median of the values, the mean of the middle two for an even count; values is sorted in place.
func median(values []int) float64 {
	n := len(values)
	if n == 0 {
		return 0
	}
	slices.Sort(values)
	if n%2 == 1 {
		return float64(values[n/2])
	}
	return float64(values[n/2-1]+values[n/2]) / 2
}
