package cases

import (
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// Access is how much of a case the caller may see, and so whether they may act in it. Anyone
// without a part in the case gets 404 for it, reading and commands alike, so that a case's existence
// does not leak.
type Access int

const (
	NoAccess Access = iota
	// ReporterAccess: a professional who reported a concern sees what they reported and that it was
	// received, and may record the report to social services that the law asks of them (docs/process.md §8).
	ReporterAccess
	// FullAccess: the case's professionals, who read all of it and may give commands; which command
	// is whose is the workflow's rule (403 when it is not theirs).
	FullAccess
)

// AccessTo decides the caller's access from the case's live state, on every request: an agency whose
// consent is revoked loses access from the next request on (docs/process.md §5). Full access is the access
// rule of casework/access.go – the case's grants (CaseState.AccessGrants) that reach the caller by
// the reach table – the rule the read model's lists apply too. Otherwise a reporter of a concern in
// the case sees what they reported.
func AccessTo(state workflows.CaseState, who auth.Claims) Access {
	if casework.GrantsReach(state.AccessGrants(), who.User, casework.Role(who.Role), who.Unit) != casework.ReachNone {
		return FullAccess
	}
	for _, c := range state.Concerns {
		if c.By.User == who.User {
			return ReporterAccess
		}
	}
	return NoAccess
}
