package cases

import (
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/workflows"
)

// actionJSON is a command the reader may give in the case now, and where to send it.
type actionJSON struct {
	Command string `json:"command"` // the command's stable name (commandRoutes)
	Method  string `json:"method"`
	Path    string `json:"path"`
}

// caseActions is what the reader may do in the case now: every command the case's workflow offers
// the actor (workflows.CaseState.Offers, the validators' own preconditions) that the API lets the
// caller send (commandRule.admits) – the two checks a command meets when it is sent, so a client
// shows exactly the steps that would be taken and re-derives no rule. Whether the body is right is
// checked when it is sent.
func (s *Handlers) caseActions(state workflows.CaseState, who auth.Claims, actor workflows.Actor) []actionJSON {
	routes := map[string]commandRoute{}
	for _, r := range commandRoutes() {
		routes[r.update] = r
	}
	out := []actionJSON{}
	for _, offer := range state.Offers(actor, s.Now()) {
		r, ok := routes[offer.Update]
		if !ok || r.rule.admits(state, who, offer.Target) != nil {
			continue
		}
		out = append(out, actionJSON{Command: r.action, Method: r.method, Path: r.pathIn(state.CaseID, offer.Target)})
	}
	return out
}
