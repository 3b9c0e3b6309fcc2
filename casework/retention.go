package casework

import "time"

// DefaultRetentionYears is how long a closed case's file is kept after its closing when the policy
// says nothing else: the product default of docs/process.md §7.2 (five years).
const DefaultRetentionYears = 5

// EraseAfter is when the file of a case closed at closedAt may be erased under the policy: the
// closing plus the policy's retention, five years unless the policy sets another period.
func (p Policy) EraseAfter(closedAt time.Time) time.Time {
	if p.Retention != nil {
		return closedAt.Add(time.Duration(*p.Retention))
	}
	return closedAt.AddDate(DefaultRetentionYears, 0, 0)
}
