package cases

import (
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// harmReportWarning is what the case says, plainly, while someone suspects the child is harmed and
// nobody has recorded whether the report to social services was made (docs/process.md §8).
const harmReportWarning = "Misstanke om att barnet far illa: anmälan till socialtjänsten enligt 14 kap. 1 § SoL är inte registrerad."

// processJSON is the process after the first concern (docs/process.md §5, §6, §8) as the full view shows
// it. Times are local (Europe/Stockholm); each recorded step says who did it, when it happened and
// when it was entered, which differ for a step entered afterwards.
type processJSON struct {
	Acknowledged      *recordedJSON     `json:"acknowledged,omitempty"`
	Assessor          string            `json:"assessor,omitempty"` // user ID
	Delegation        *delegationJSON   `json:"delegation,omitempty"`
	HarmReport        *harmReportJSON   `json:"harmReport,omitempty"`
	HarmReportWarning string            `json:"harmReportWarning,omitempty"`
	Assessment        *assessmentJSON   `json:"assessment,omitempty"`
	Consent           *consentJSON      `json:"consent,omitempty"`
	Participants      []participantJSON `json:"participants,omitempty"`
	Summons           *summonsJSON      `json:"summons,omitempty"`
	Meeting           *meetingJSON      `json:"meeting,omitempty"`
	Coordinator       *coordinatorJSON  `json:"coordinator,omitempty"`
	Closed            *closedJSON       `json:"closed,omitempty"`
	Notices           []noticeJSON      `json:"notices,omitempty"`
}

type recordedJSON struct {
	By         workflows.Actor   `json:"by"`
	OccurredAt httpkit.LocalTime `json:"occurredAt"`
	RecordedAt httpkit.LocalTime `json:"recordedAt"`
}

func recordedView(r workflows.Recorded) recordedJSON {
	return recordedJSON{By: r.By, OccurredAt: httpkit.LocalTime(r.OccurredAt), RecordedAt: httpkit.LocalTime(r.RecordedAt)}
}

type delegationJSON struct {
	recordedJSON
	To     string `json:"to"`
	ToName string `json:"toName,omitempty"`
}

type harmReportJSON struct {
	recordedJSON
	Reported   bool               `json:"reported"`
	ReportedAt *httpkit.LocalTime `json:"reportedAt,omitempty"`
	Reason     string             `json:"reason,omitempty"`
}

type assessmentJSON struct {
	recordedJSON
	Areas            []workflows.AreaAssessment  `json:"areas"`
	ChildView        workflows.ChildView         `json:"childView"`
	FiveQuestions    workflows.FiveQuestions     `json:"fiveQuestions"`
	Partners         workflows.Partners          `json:"partners"`
	Completed        *recordedJSON               `json:"completed,omitempty"`
	Outcome          workflows.AssessmentOutcome `json:"outcome,omitempty"`
	OwnFollowUp      bool                        `json:"ownFollowUp,omitempty"`
	ProposedAgencies []httpkit.UnitRef           `json:"proposedAgencies,omitempty"`
	RelevantAreas    []casework.WheelArea        `json:"relevantAreas,omitempty"`
	Acute            bool                        `json:"acute,omitempty"`
}

type consentJSON struct {
	Status  workflows.ConsentStatus `json:"status"`
	Scope   []string                `json:"scope"`
	At      *httpkit.LocalTime      `json:"at,omitempty"` // when consent was first given in full
	Custody workflows.Custody       `json:"custody,omitempty"`
	Records []consentRecordJSON     `json:"records"`
}

type consentRecordJSON struct {
	recordedJSON
	Party     workflows.PartyKind     `json:"party"`
	PartyName string                  `json:"partyName,omitempty"`
	Given     bool                    `json:"given"`
	Revoked   bool                    `json:"revoked,omitempty"`
	Scope     []string                `json:"scope,omitempty"`
	Method    workflows.ConsentMethod `json:"method,omitempty"`
}

type participantJSON struct {
	Unit   httpkit.UnitRef             `json:"unit"`
	Status workflows.ParticipantStatus `json:"status"`
	Since  httpkit.LocalTime           `json:"since"`
	Until  *httpkit.LocalTime          `json:"until,omitempty"`
}

type summonsJSON struct {
	recordedJSON
	MeetingAt   httpkit.LocalTime `json:"meetingAt"`
	Place       string            `json:"place"`
	Invitations []invitationJSON  `json:"invitations"`
}

// invitationJSON is one invitation: whom (a unit ID, child or guardians – also the invitation's ID
// in its answer's path), what became of it at the meeting, and the invited agency's latest answer.
type invitationJSON struct {
	Participant string                     `json:"participant"`
	Status      workflows.InvitationStatus `json:"status"`
	Answer      *invitationAnswerJSON      `json:"answer,omitempty"`
}

type invitationAnswerJSON struct {
	recordedJSON
	Response       workflows.InvitationResponse `json:"response"`
	Reason         string                       `json:"reason,omitempty"`
	ProposedPerson *workflows.Person            `json:"proposedPerson,omitempty"`
}

func summonsView(s workflows.SummonsRecord) *summonsJSON {
	v := &summonsJSON{recordedJSON: recordedView(s.Recorded), MeetingAt: httpkit.LocalTime(s.MeetingAt), Place: s.Place,
		Invitations: make([]invitationJSON, len(s.Invitations))}
	for i, inv := range s.Invitations {
		v.Invitations[i] = invitationJSON{Participant: inv.Participant, Status: inv.Status}
		if a := inv.Answer; a != nil {
			v.Invitations[i].Answer = &invitationAnswerJSON{recordedJSON: recordedView(a.Recorded), Response: a.Response,
				Reason: a.Reason, ProposedPerson: a.ProposedPerson}
		}
	}
	return v
}

type meetingJSON struct {
	recordedJSON
	Attendance    []workflows.Attendance     `json:"attendance"`
	CommonPicture string                     `json:"commonPicture"`
	Decisions     []workflows.AgencyDecision `json:"decisions"`
}

type coordinatorJSON struct {
	recordedJSON
	ChildWish        *workflows.Person `json:"childWish,omitempty"`
	ChildNotAskedWhy string            `json:"childNotAskedWhy,omitempty"`
	Coordinator      workflows.Person  `json:"coordinator"`
	SpecialReason    string            `json:"specialReason,omitempty"`
	PlanOwner        *workflows.Person `json:"planOwner,omitempty"`
}

type closedJSON struct {
	recordedJSON
	Reason workflows.CloseReason `json:"reason"`
	Note   string                `json:"note,omitempty"`
	// PhaseBefore is the phase the case was closed in, where a reopening takes it back to.
	PhaseBefore casework.Phase `json:"phaseBefore,omitempty"`
}

func closedView(cl workflows.ClosedRecord) closedJSON {
	return closedJSON{recordedJSON: recordedView(cl.Recorded), Reason: cl.Reason, Note: cl.Note, PhaseBefore: cl.PhaseBefore}
}

type noticeJSON struct {
	Kind string            `json:"kind"`
	Text string            `json:"text"`
	At   httpkit.LocalTime `json:"at"`
}

func unitRefsJSON(us []casework.UnitRef) []httpkit.UnitRef {
	out := make([]httpkit.UnitRef, len(us))
	for i, u := range us {
		out[i] = httpkit.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind}
	}
	return out
}

// harmReport shows the answer to the SoL 14:1 guard, or the warning while there is none.
func (v *caseJSON) harmReport(state workflows.CaseState) {
	if state.HarmReportMissing() {
		v.HarmReportWarning = harmReportWarning
	}
	if h := state.HarmReport; h != nil {
		v.HarmReport = &harmReportJSON{recordedJSON: recordedView(h.Recorded), Reported: h.Reported,
			ReportedAt: httpkit.LocalTimePtr(h.ReportedAt), Reason: h.Reason}
	}
}

// process fills the full view's process state.
func (v *caseJSON) process(state workflows.CaseState) {
	p := state.ProcessState
	if p.Acknowledged != nil {
		r := recordedView(*p.Acknowledged)
		v.Acknowledged = &r
	}
	v.Assessor = p.Assessor
	if d := p.Delegation; d != nil {
		v.Delegation = &delegationJSON{recordedJSON: recordedView(d.Recorded), To: d.To, ToName: d.ToName}
	}
	v.harmReport(state)
	if a := p.Assessment; a != nil {
		v.Assessment = &assessmentJSON{recordedJSON: recordedView(a.Recorded), Areas: a.Areas, ChildView: a.ChildView,
			FiveQuestions: a.FiveQuestions, Partners: a.Partners, Outcome: a.Outcome, OwnFollowUp: a.OwnFollowUp,
			ProposedAgencies: unitRefsJSON(a.ProposedAgencies), RelevantAreas: a.RelevantAreas, Acute: a.Acute}
		if a.Completed != nil {
			r := recordedView(*a.Completed)
			v.Assessment.Completed = &r
		}
	}
	if p.ConsentStatus != workflows.ConsentNotAsked {
		v.Consent = &consentJSON{Status: p.ConsentStatus, Scope: append([]string{}, p.ConsentScope...),
			At: httpkit.LocalTimePtr(p.ConsentAt), Custody: p.Custody, Records: []consentRecordJSON{}}
		for _, r := range p.Consents {
			v.Consent.Records = append(v.Consent.Records, consentRecordJSON{recordedJSON: recordedView(r.Recorded),
				Party: r.Party, PartyName: r.PartyName, Given: r.Given, Revoked: r.Revoked, Scope: r.Scope, Method: r.Method})
		}
	}
	for _, pa := range p.Participants {
		v.Participants = append(v.Participants, participantJSON{Unit: httpkit.UnitRef{ID: pa.Unit.ID, Name: pa.Unit.Name, Kind: pa.Unit.Kind},
			Status: pa.Status, Since: httpkit.LocalTime(pa.Since), Until: httpkit.LocalTimePtr(pa.Until)})
	}
	if s := p.Summons; s != nil {
		v.Summons = summonsView(*s)
	}
	if m := p.Meeting; m != nil {
		v.Meeting = &meetingJSON{recordedJSON: recordedView(m.Recorded), Attendance: m.Attendance, CommonPicture: m.CommonPicture, Decisions: m.Decisions}
	}
	if co := p.Coordinator; co != nil {
		v.Coordinator = &coordinatorJSON{recordedJSON: recordedView(co.Recorded), ChildWish: co.ChildWish,
			ChildNotAskedWhy: co.ChildNotAskedWhy, Coordinator: co.Coordinator, SpecialReason: co.SpecialReason, PlanOwner: co.PlanOwner}
	}
	if cl := p.Closed; cl != nil {
		c := closedView(*cl)
		v.Closed = &c
	}
	for _, n := range p.Notices {
		v.Notices = append(v.Notices, noticeJSON{Kind: n.Kind, Text: n.Text, At: httpkit.LocalTime(n.At)})
	}
}
