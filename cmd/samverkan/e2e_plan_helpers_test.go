package main

import (
	"net/http"
	"time"

	"github.com/stretchr/testify/require"
)

// The plan, what keeps the case honest, placement, handover and reopening (docs/process.md §6.5–§11) as the
// tests read and send them.

// coordinatorUser is the coordinator of the fixtures' Norrköping cases: social services.
const coordinatorUser = "cecilia.socialsekreterare"

// planCase is the full view of a case with the plan's part of it.
type planCase struct {
	processCase
	Deviations []struct {
		ID, Kind, DeadlineKind, UnitID, Description string
		ReportedBy                                  *struct{ User, Role, Unit string }
		Handled                                     *struct {
			Handling string
			By       struct{ User, Role, Unit string }
		}
	} `json:"deviations"` // caseBody's field of the same JSON name is shadowed only by a tagged one
	Closed *struct{ Reason, PhaseBefore string }
	Plans  []struct {
		Version       int
		Status        string
		FollowUpAt    string
		EstablishedAt string
		Interventions []struct {
			ID, Description string
			Principal       struct{ Kind, Name string }
		}
		Approvals []struct {
			Party, PartyName string
			Approved         bool
		}
	}
	FollowUps []struct {
		PlanVersion            int
		Outcome                string
		NextFollowUpAt         string
		Interventions          []struct{ InterventionID, Done string }
		OccurredAt, RecordedAt string
	}
	Disagreements []struct {
		ID, Subject, Question string
		Parties               []string
		Steps                 []struct {
			Level, StartedAt, DueAt, Decision, DecidedAt, EndedAt, EscalatedBy, Reason string
		}
		Resolved *struct{ OccurredAt string }
	}
	Placement *struct {
		Kind                string
		HealthExaminationAt string
		CostDistribution    *struct {
			Agreement string
			Parties   []string
		}
	}
	Handovers []struct {
		From, To                         struct{ ID, Name, Kind string }
		FromMunicipality, ToMunicipality string
		FromPolicy, ToPolicy             struct {
			ID      string
			Version int
		}
		Reason       string
		Acknowledged *struct{ By struct{ User string } }
	}
	Reopenings []struct {
		Reason       string
		Closing      struct{ Reason, PhaseBefore string }
		Acknowledged *struct{ By struct{ User string } }
	}
	Reminders []struct {
		DeadlineKind, DueAt, At string
		Missed, Cancelled       bool
	}
	ReopenUntil string
}

func (c planCase) deviation(id string) int {
	for i, d := range c.Deviations {
		if d.ID == id {
			return i
		}
	}
	return -1
}

func (c planCase) lastDeviation() string {
	if len(c.Deviations) == 0 {
		return ""
	}
	return c.Deviations[len(c.Deviations)-1].ID
}

func (c planCase) lastDisagreement() string {
	if len(c.Disagreements) == 0 {
		return ""
	}
	return c.Disagreements[len(c.Disagreements)-1].ID
}

// deadlines lists the statuses of the case's deadlines of one kind, oldest first.
func (c planCase) deadlines(kind string) []string {
	var out []string
	for _, d := range c.Deadlines {
		if d.Kind == kind {
			out = append(out, d.Status)
		}
	}
	return out
}

// actPlan sends a command to a case and decodes the answer: the case with its plan, or the problem.
func (s *system) actPlan(token, method, caseID, command string, body any) (int, planCase, problemBody) {
	s.t.Helper()
	return sendCommand[planCase](s, token, method, caseID, command, "", body, rawClient)
}

// mustActPlan sends a command that must succeed.
func (s *system) mustActPlan(token, method, caseID, command string, body any) planCase {
	s.t.Helper()
	status, c, p := s.actPlan(token, method, caseID, command, body)
	require.Equal(s.t, http.StatusOK, status, "%s %s: %+v", method, command, p)
	return c
}

// readPlan reads a case with its plan; the status says whether the caller may.
func (s *system) readPlan(token, caseID string) (int, planCase) {
	s.t.Helper()
	var c planCase
	status := s.call("GET", "/api/v1/cases/"+caseID, token, nil, &c)
	return status, c
}

// The bodies, each valid wherever its stage is reached.

// planBody is a plan with the four statutory parts: a school intervention (the municipality), one of
// BUP (the region) and one of an association (a measure by others), the municipality with overall
// responsibility, and the follow-up booked in four weeks.
func planBody() map[string]any {
	return map[string]any{
		"interventions": []map[string]any{
			intervention("i1", "Anpassad studiegång med en trygg vuxen.", "municipality", "Norrköpings kommun", "Mentor på skolan"),
			withUnit(intervention("i2", "Bedömningssamtal och behandling vid BUP.", "region", "Region Östergötland", "Psykolog vid BUP"), agencyBUP),
			intervention("i3", "Fritidsaktivitet med läxhjälp två kvällar i veckan.", "other", "Föreningen Läxhjälpen (påhittad)", "Ledare i föreningen"),
		},
		"overallResponsibility": map[string]any{"kind": "municipality", "name": "Norrköpings kommun"},
		"followUpAt":            rfc3339(time.Now().AddDate(0, 0, 28).Truncate(time.Hour)),
		"childParticipation":    "Barnet var med på mötet och fick säga vad som hjälper.",
	}
}

func intervention(id, description, principalKind, principalName, performer string) map[string]any {
	return map[string]any{"id": id, "description": description,
		"principal": map[string]any{"kind": principalKind, "name": principalName},
		"performer": performer, "extent": "Varje vecka under terminen", "areas": []string{"hälsa"},
		"followUpHow": "Vid uppföljningsmötet", "goal": "Barnet mår bättre och är i skolan"}
}

func withUnit(iv map[string]any, unitID string) map[string]any {
	iv["unitId"] = unitID
	return iv
}

func approvalBody(party, name string) map[string]any {
	b := map[string]any{"party": party, "approved": true, "method": "written"}
	if name != "" {
		b["partyName"] = name
	}
	return b
}

func followUpBody(next time.Time, interventionIDs ...string) map[string]any {
	ivs := []map[string]any{}
	for _, id := range interventionIDs {
		ivs = append(ivs, map[string]any{"interventionId": id, "done": "Genomfört som planerat.", "goalMet": false})
	}
	return map[string]any{"interventions": ivs, "outcome": "revise", "nextFollowUpAt": rfc3339(next)}
}

func deviationBody(unitID string) map[string]any {
	return map[string]any{"unitId": unitID, "description": "Kallelsen skickades inte till vårdnadshavarna."}
}

func disagreementBody() map[string]any {
	return map[string]any{"subject": "cost", "question": "Vem betalar läxhjälpen?",
		"parties": []string{"Norrköpings kommun", "Region Östergötland"}}
}

// story is a child's case walked through HTTP to an appointed coordinator, as a test's start.
type story struct {
	name, municipality, school string
	age, serial                int
	reporter, named            string // user names
	agencies                   []string
	custody                    string   // joint or sole
	guardians                  []string // who consent (and later approve the plan)
	coordinator                string
}

// walkToCoordinator registers the concern two days ago and takes the case through the assessment,
// consent (the guardians by custody and, from 12, the child), the summons and yesterday's meeting to
// the coordinator the child wished.
func (s *system) walkToCoordinator(st story) string {
	s.t.Helper()
	birth := birthDateForAge(st.age)
	concern := map[string]any{
		"child": map[string]any{"personalNumber": syntheticPersonalNumber(birth, st.serial), "name": st.name,
			"birthDate": birth.Format(time.DateOnly), "municipality": st.municipality,
			"schooling": map[string]any{"status": "school", "unitId": st.school, "grade": "6"}},
		"areas": []string{"lärande", "hälsa"}, "observation": "Frånvaro och oro under hösten.", "suspectsHarm": false,
		"occurredAt": rfc3339(localDay(-2, 8, 0)),
	}
	created := s.concernCase(s.token(st.reporter), concern)
	caseID, named := created.CaseID, s.token(st.named)
	s.mustAct(named, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 9, 0))})
	s.mustAct(named, "PUT", caseID, "assessment", assessmentBody())
	s.mustAct(named, "POST", caseID, "assessment/completion", map[string]any{"outcome": "collaboration",
		"proposedAgencies": st.agencies, "relevantAreas": []string{"lärande", "hälsa"}, "occurredAt": rfc3339(localDay(-2, 10, 0))})
	for i, g := range st.guardians {
		s.mustAct(named, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 11, i)),
			"party": "guardian", "partyName": g, "custody": st.custody, "given": true, "scope": st.agencies, "method": "written"})
	}
	if st.age >= 12 {
		s.mustAct(named, "POST", caseID, "consents", map[string]any{"occurredAt": rfc3339(localDay(-2, 11, 30)),
			"party": "child", "given": true, "scope": st.agencies, "method": "oral"})
	}
	s.mustAct(named, "POST", caseID, "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 13, 0)),
		"meetingAt": rfc3339(localDay(-1, 13, 0)), "place": "Skolan", "agencies": st.agencies, "inviteChild": true, "inviteGuardians": true})
	attendance := []map[string]any{{"participant": "child", "present": true}, {"participant": "guardians", "present": true}}
	for _, a := range st.agencies {
		attendance = append(attendance, map[string]any{"participant": a, "present": true})
	}
	s.mustAct(named, "POST", caseID, "meeting", map[string]any{"occurredAt": rfc3339(localDay(-1, 13, 0)),
		"attendance": attendance, "commonPicture": "Barnet behöver stöd i skolan och familjen stöd hemma."})
	c := s.mustAct(named, "POST", caseID, "coordinator", map[string]any{"occurredAt": rfc3339(localDay(-1, 14, 0)),
		"childWish": map[string]any{"user": st.coordinator}, "coordinator": map[string]any{"user": st.coordinator}})
	require.Equal(s.t, "given", c.Consent.Status)
	return caseID
}
