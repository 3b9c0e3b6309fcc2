package casework

// Assignee is whom a step or a message is for: a user (UserID) – only while acting for UnitID, when
// that is set too – or, without a user, every holder of Role in UnitID; an empty Role there means
// the unit's caseworkers (anyone acting for it with a part in the case but its supervisor, who has
// tasks of their own). The case's tasks, its notifications and the read model's task rows all name
// people this way; the JSON names are recorded in histories (activity inputs): never rename one.
type Assignee struct {
	UserID string `json:"userId,omitempty"`
	UnitID string `json:"unitId,omitempty"`
	Role   Role   `json:"role,omitempty"`
}
