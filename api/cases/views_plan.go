package cases

import (
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// planJSON is what the plan and what keeps the case honest add to the full view (docs/process.md §6.5–§11):
// every version of the plan (superseded ones stay in the case file), the follow-ups, the
// disagreements with their steps, the placement, handovers, reopenings and the coordinator's
// reminders. Times are local, as everywhere in the view.
type planJSON struct {
	Plans         []planVersionJSON  `json:"plans,omitempty"`
	FollowUps     []followUpJSON     `json:"followUps,omitempty"`
	Disagreements []disagreementJSON `json:"disagreements,omitempty"`
	Placement     *placementJSON     `json:"placement,omitempty"`
	Handovers     []handoverJSON     `json:"handovers,omitempty"`
	Reopenings    []reopeningJSON    `json:"reopenings,omitempty"`
	Reminders     []reminderJSON     `json:"reminders,omitempty"`
	// ReopenUntil: a closed case may be reopened until then (docs/process.md §7.2).
	ReopenUntil *httpkit.LocalTime `json:"reopenUntil,omitempty"`
}

type interventionJSON struct {
	ID          string               `json:"id"`
	Description string               `json:"description"`
	Principal   workflows.Principal  `json:"principal"`
	UnitID      string               `json:"unitId,omitempty"`
	Performer   string               `json:"performer"`
	Extent      string               `json:"extent"`
	Areas       []casework.WheelArea `json:"areas"`
	FollowUpHow string               `json:"followUpHow"`
	Goal        string               `json:"goal,omitempty"`
	FollowUpAt  *httpkit.LocalTime   `json:"followUpAt,omitempty"`
}

type planApprovalJSON struct {
	recordedJSON
	Party     workflows.PartyKind     `json:"party"`
	PartyName string                  `json:"partyName"`
	Approved  bool                    `json:"approved"`
	Method    workflows.ConsentMethod `json:"method"`
	Comment   string                  `json:"comment,omitempty"`
}

type planVersionJSON struct {
	Version int `json:"version"`
	recordedJSON
	Interventions         []interventionJSON   `json:"interventions"`
	NoMeasuresByOthers    bool                 `json:"noMeasuresByOthers,omitempty"`
	OverallResponsibility workflows.Principal  `json:"overallResponsibility"`
	FollowUpAt            httpkit.LocalTime    `json:"followUpAt"`
	ChildParticipation    string               `json:"childParticipation,omitempty"`
	Approvals             []planApprovalJSON   `json:"approvals"`
	Status                workflows.PlanStatus `json:"status"`
	EstablishedAt         *httpkit.LocalTime   `json:"establishedAt,omitempty"`
}

type followUpJSON struct {
	recordedJSON
	PlanVersion    int                              `json:"planVersion"`
	Interventions  []workflows.InterventionFollowUp `json:"interventions"`
	Outcome        workflows.FollowUpOutcome        `json:"outcome"`
	NextFollowUpAt *httpkit.LocalTime               `json:"nextFollowUpAt,omitempty"`
	CloseReason    workflows.CloseReason            `json:"closeReason,omitempty"`
	Note           string                           `json:"note,omitempty"`
}

type deviationHandlingJSON struct {
	recordedJSON
	Handling string `json:"handling"`
}

type escalationStepJSON struct {
	Level       string             `json:"level"`
	StartedAt   httpkit.LocalTime  `json:"startedAt"`
	DueAt       *httpkit.LocalTime `json:"dueAt,omitempty"`
	Decision    string             `json:"decision,omitempty"`
	DecidedAt   *httpkit.LocalTime `json:"decidedAt,omitempty"`
	EndedAt     *httpkit.LocalTime `json:"endedAt,omitempty"`
	EscalatedBy string             `json:"escalatedBy,omitempty"`
	Reason      string             `json:"reason,omitempty"`
}

type disagreementJSON struct {
	ID string `json:"id"`
	recordedJSON
	Subject  workflows.DisagreementSubject `json:"subject"`
	Question string                        `json:"question"`
	Parties  []string                      `json:"parties"`
	Steps    []escalationStepJSON          `json:"steps"`
	Resolved *recordedJSON                 `json:"resolved,omitempty"`
}

type costDistributionJSON struct {
	recordedJSON
	Agreement string   `json:"agreement"`
	Parties   []string `json:"parties"`
}

type placementJSON struct {
	recordedJSON
	Kind                workflows.PlacementKind `json:"kind"`
	HealthExaminationAt *httpkit.LocalTime      `json:"healthExaminationAt,omitempty"`
	CostDistribution    *costDistributionJSON   `json:"costDistribution,omitempty"`
}

type handoverJSON struct {
	recordedJSON
	From             httpkit.UnitRef    `json:"from"`
	To               httpkit.UnitRef    `json:"to"`
	FromMunicipality string             `json:"fromMunicipality"`
	ToMunicipality   string             `json:"toMunicipality"`
	FromPolicy       casework.PolicyRef `json:"fromPolicy"`
	ToPolicy         casework.PolicyRef `json:"toPolicy"`
	Reason           string             `json:"reason"`
	Acknowledged     *recordedJSON      `json:"acknowledged,omitempty"`
}

type reopeningJSON struct {
	recordedJSON
	Closing      closedJSON    `json:"closing"`
	Reason       string        `json:"reason"`
	ConcernID    string        `json:"concernId,omitempty"`
	Acknowledged *recordedJSON `json:"acknowledged,omitempty"`
}

// reminderJSON is a reminder the case sends the coordinator (or, missed, the supervisor) about a
// deadline; its idempotency key stays inside.
type reminderJSON struct {
	DeadlineKind casework.DeadlineKind `json:"deadlineKind"`
	DueAt        httpkit.LocalTime     `json:"dueAt"`
	At           httpkit.LocalTime     `json:"at"`
	Missed       bool                  `json:"missed,omitempty"`
	SentAt       *httpkit.LocalTime    `json:"sentAt,omitempty"`
	Cancelled    bool                  `json:"cancelled,omitempty"`
}

func recordedPtr(r *workflows.Recorded) *recordedJSON {
	if r == nil {
		return nil
	}
	v := recordedView(*r)
	return &v
}

func unitRefView(u casework.UnitRef) httpkit.UnitRef {
	return httpkit.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind}
}

// deviationView is one deviation as the full view shows it.
func deviationView(d workflows.Deviation) deviationJSON {
	out := deviationJSON{ID: d.ID, Kind: d.Kind, DeadlineKind: d.DeadlineKind, UnitID: d.UnitID, Description: d.Description,
		OccurredAt: httpkit.LocalTime(d.OccurredAt), RecordedAt: httpkit.LocalTime(d.RecordedAt), WithdrawnAt: httpkit.LocalTimePtr(d.WithdrawnAt),
		ReportedBy: d.ReportedBy}
	if h := d.Handled; h != nil {
		out.Handled = &deviationHandlingJSON{recordedJSON: recordedView(h.Recorded), Handling: h.Handling}
	}
	return out
}

// plan fills the full view's plan state.
func (v *caseJSON) plan(state workflows.CaseState) {
	p := state.PlanState
	for _, pv := range p.Plans {
		out := planVersionJSON{Version: pv.Version, recordedJSON: recordedView(pv.Recorded), Interventions: []interventionJSON{},
			NoMeasuresByOthers: pv.NoMeasuresByOthers, OverallResponsibility: pv.OverallResponsibility,
			FollowUpAt: httpkit.LocalTime(pv.FollowUpAt), ChildParticipation: pv.ChildParticipation, Approvals: []planApprovalJSON{},
			Status: pv.Status, EstablishedAt: httpkit.LocalTimePtr(pv.EstablishedAt)}
		for _, iv := range pv.Interventions {
			out.Interventions = append(out.Interventions, interventionJSON{ID: iv.ID, Description: iv.Description,
				Principal: iv.Principal, UnitID: iv.UnitID, Performer: iv.Performer, Extent: iv.Extent, Areas: iv.Areas,
				FollowUpHow: iv.FollowUpHow, Goal: iv.Goal, FollowUpAt: httpkit.LocalTimePtr(iv.FollowUpAt)})
		}
		for _, a := range pv.Approvals {
			out.Approvals = append(out.Approvals, planApprovalJSON{recordedJSON: recordedView(a.Recorded), Party: a.Party,
				PartyName: a.PartyName, Approved: a.Approved, Method: a.Method, Comment: a.Comment})
		}
		v.Plans = append(v.Plans, out)
	}
	for _, f := range p.FollowUps {
		v.FollowUps = append(v.FollowUps, followUpJSON{recordedJSON: recordedView(f.Recorded), PlanVersion: f.PlanVersion,
			Interventions: f.Interventions, Outcome: f.Outcome, NextFollowUpAt: httpkit.LocalTimePtr(f.NextFollowUpAt),
			CloseReason: f.CloseReason, Note: f.Note})
	}
	for _, d := range p.Disagreements {
		out := disagreementJSON{ID: d.ID, recordedJSON: recordedView(d.Recorded), Subject: d.Subject, Question: d.Question,
			Parties: d.Parties, Steps: []escalationStepJSON{}, Resolved: recordedPtr(d.Resolved)}
		for _, st := range d.Steps {
			out.Steps = append(out.Steps, escalationStepJSON{Level: st.Level, StartedAt: httpkit.LocalTime(st.StartedAt),
				DueAt: httpkit.LocalTimePtr(st.DueAt), Decision: st.Decision, DecidedAt: httpkit.LocalTimePtr(st.DecidedAt),
				EndedAt: httpkit.LocalTimePtr(st.EndedAt), EscalatedBy: st.EscalatedBy, Reason: st.Reason})
		}
		v.Disagreements = append(v.Disagreements, out)
	}
	if pl := p.Placement; pl != nil {
		v.Placement = &placementJSON{recordedJSON: recordedView(pl.Recorded), Kind: pl.Kind,
			HealthExaminationAt: httpkit.LocalTimePtr(pl.HealthExaminationAt)}
		if cd := pl.CostDistribution; cd != nil {
			v.Placement.CostDistribution = &costDistributionJSON{recordedJSON: recordedView(cd.Recorded),
				Agreement: cd.Agreement, Parties: cd.Parties}
		}
	}
	for _, h := range p.Handovers {
		v.Handovers = append(v.Handovers, handoverJSON{recordedJSON: recordedView(h.Recorded), From: unitRefView(h.From),
			To: unitRefView(h.To), FromMunicipality: h.FromMunicipality, ToMunicipality: h.ToMunicipality,
			FromPolicy: h.FromPolicy, ToPolicy: h.ToPolicy, Reason: h.Reason, Acknowledged: recordedPtr(h.Acknowledged)})
	}
	for _, r := range p.Reopenings {
		v.Reopenings = append(v.Reopenings, reopeningJSON{recordedJSON: recordedView(r.Recorded),
			Closing: closedView(r.Closing),
			Reason:  r.Reason, ConcernID: r.ConcernID, Acknowledged: recordedPtr(r.Acknowledged)})
	}
	if state.Phase == casework.PhaseClosed {
		v.ReopenUntil = httpkit.LocalTimePtr(p.ReopenUntil)
	}
	for _, r := range p.Reminders {
		v.Reminders = append(v.Reminders, reminderJSON{DeadlineKind: r.DeadlineKind, DueAt: httpkit.LocalTime(r.DueAt),
			At: httpkit.LocalTime(r.At), Missed: r.Missed, SentAt: httpkit.LocalTimePtr(r.SentAt), Cancelled: r.Cancelled})
	}
}
