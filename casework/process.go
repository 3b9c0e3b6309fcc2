package casework

// Phase is where a case is in the process of docs/process.md §6. The values are Swedish, as caseworkers
// say them; they are recorded in histories and the read model: never rename one.
type Phase string

const (
	PhaseUpptacka    Phase = "upptäcka"    // detect: the named person is to take the concern
	PhaseKartlagga   Phase = "kartlägga"   // assess
	PhaseSamarbeta   Phase = "samarbeta"   // collaborate: consent, summons, meeting, plan
	PhaseUppfoljning Phase = "uppföljning" // follow-up of the plan
	PhaseClosed      Phase = "avslutat"
)

// UnitRef names a unit of the directory, as a case records it.
type UnitRef struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Kind UnitKind `json:"kind"`
}

// Schooling is where the child goes to school, which decides the named person (docs/process.md §3).
// UnitID names the unit the child attends when the status has one.
type Schooling struct {
	Status SchoolingStatus `json:"status"`
	UnitID string          `json:"unitId,omitempty"`
	Grade  string          `json:"grade,omitempty"`
}
