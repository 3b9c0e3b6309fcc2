package workflows

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/samverkan/samverkan/casework"
)

// The people and units of the process tests. The named person's unit is the one the routing mock
// of newCaseTest answers with.
const (
	schoolUnit  = "norrkoping-skola-1"
	socUnit     = "norrkoping-soc-1"
	bupUnit     = "region-bup-1"
	centralEHT  = "norrkoping-eht-central"
	guardianOne = "Maria Testsson"
	guardianTwo = "Jonas Testsson"
)

var (
	namedPerson      = Actor{User: "bo.bba", Name: "Bo", Role: casework.RoleNamedPerson, Unit: schoolUnit, UnitKind: casework.UnitSchool}
	colleague        = Actor{User: "cilla.kurator", Name: "Cilla", Role: casework.RoleParticipant, Unit: schoolUnit, UnitKind: casework.UnitSchool}
	teacher          = Actor{User: "anna.larare", Name: "Anna", Role: casework.RoleReporter, Unit: schoolUnit, UnitKind: casework.UnitSchool}
	otherNamedPerson = Actor{User: "dan.bba", Name: "Dan", Role: casework.RoleNamedPerson, Unit: "norrkoping-skola-2", UnitKind: casework.UnitSchool}
	schoolNurse      = Actor{User: "eva.skolskoterska", Name: "Eva", Role: casework.RoleParticipant, Unit: centralEHT, UnitKind: casework.UnitCentralSchoolHealth}

	socialWorker = Person{User: "fia.socionom", Name: "Fia", UnitID: socUnit, UnitKind: casework.UnitSocialServices}
	psychiatrist = Person{User: "gun.bup", Name: "Gun", UnitID: bupUnit, UnitKind: casework.UnitBUP}
	mentor       = Person{User: "hans.mentor", Name: "Hans", UnitID: schoolUnit, UnitKind: casework.UnitSchool}

	proposed = []casework.UnitRef{
		{ID: socUnit, Name: "Socialtjänsten", Kind: casework.UnitSocialServices},
		{ID: bupUnit, Name: "BUP", Kind: casework.UnitBUP},
		{ID: centralEHT, Name: "Centrala elevhälsan", Kind: casework.UnitCentralSchoolHealth},
	}
)

// Business times of the standard path, as offsets from friday (Friday 2026-12-18 10:00).
const (
	tConcern  = time.Second
	tAck      = time.Hour
	tAssess   = 2 * time.Hour
	tComplete = 3 * time.Hour
	tConsent  = 4 * time.Hour // the guardians; the child a minute later, which starts the deadlines
	tSummons  = 5 * time.Hour
)

// sent is what became of one update sent to the case.
type sent struct {
	name     string
	done     bool
	rejected bool // by the validator: the command never entered history
	err      error
	value    any
}

func (s *sent) result() CommandResult {
	r, _ := s.value.(CommandResult)
	return r
}

// processTest drives a case through the process with any command at chosen business times.
type processTest struct {
	*caseTest
	t     *testing.T
	n     int
	setup []*sent // commands the scenario needs to succeed
	// birthDate, when set, is the child's instead of concernAt's (14 years old at friday).
	birthDate string
}

func newProcessTest(t *testing.T, policy casework.Policy) *processTest {
	return &processTest{caseTest: newCaseTest(t, policy), t: t}
}

// send sends any update – its name and input – at a business-time offset from the start, and
// captures whether the validator rejected it, the handler failed it, or what it answered.
func (pt *processTest) send(after time.Duration, name string, in any) *sent {
	s := &sent{name: name}
	pt.n++
	id := fmt.Sprintf("%s-%d", name, pt.n)
	pt.env.RegisterDelayedCallback(func() {
		pt.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { s.done, s.rejected, s.err = true, true, err },
			OnAccept: func() {},
			OnComplete: func(res any, err error) {
				s.done, s.err, s.value = true, err, res
			},
		}, in)
	}, after)
	return s
}

// must sends a command the scenario needs: run fails the test if it did not succeed.
func (pt *processTest) must(after time.Duration, name string, in any) *sent {
	s := pt.send(after, name, in)
	pt.setup = append(pt.setup, s)
	return s
}

// at looks at the case's state at a business-time offset.
func (pt *processTest) at(after time.Duration, inspect func(CaseState)) {
	pt.env.RegisterDelayedCallback(func() { inspect(pt.state(pt.t)) }, after)
}

// run runs the case until the offset, checks that every command of the scenario succeeded and
// looks at the state.
func (pt *processTest) run(until time.Duration, inspect func(CaseState)) {
	pt.runFor(pt.t, until, func(s CaseState) {
		for _, x := range pt.setup {
			require.True(pt.t, x.done, "%s was never answered", x.name)
			require.NoError(pt.t, x.err, "%s", x.name)
		}
		inspect(s)
	})
}

// on is a command by who, happening at the business-time offset.
func on(who Actor, after time.Duration) Command {
	return Command{By: who, OccurredAt: friday.Add(after)}
}

// requireRejected: the validator rejected the command with an application error of errType.
func requireRejected(t *testing.T, s *sent, errType string) {
	t.Helper()
	require.True(t, s.done, "%s was never answered", s.name)
	require.True(t, s.rejected, "%s was not rejected by its validator (err: %v)", s.name, s.err)
	requireErrType(t, s.err, errType)
}

func requireErrType(t *testing.T, err error, errType string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.ErrorAs(t, err, &appErr)
	require.Equal(t, errType, appErr.Type(), "message: %s", appErr.Error())
}

// requireAccepted: the command went through.
func requireAccepted(t *testing.T, s *sent) {
	t.Helper()
	require.True(t, s.done, "%s was never answered", s.name)
	require.NoError(t, s.err, "%s", s.name)
}

// asJSON is a value as the API and continue-as-new see it, for comparing values whose times may
// carry different locations.
func asJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func deadlineOf(s CaseState, kind casework.DeadlineKind) *Deadline {
	for i := range s.Deadlines {
		if s.Deadlines[i].Kind == kind {
			return &s.Deadlines[i]
		}
	}
	return nil
}

func noticesOf(s CaseState, kind string) []Notice {
	var out []Notice
	for _, n := range s.Notices {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func participantStatus(s CaseState, unitID string) ParticipantStatus {
	for _, p := range s.Participants {
		if p.Unit.ID == unitID {
			return p.Status
		}
	}
	return ""
}

func invitationStatus(s CaseState, participant string) InvitationStatus {
	if s.Summons == nil {
		return ""
	}
	for _, inv := range s.Summons.Invitations {
		if inv.Participant == participant {
			return inv.Status
		}
	}
	return ""
}

// The commands of the standard path.

func assessment(c Command) RecordAssessment {
	return RecordAssessment{
		Command: c,
		Areas: []AreaAssessment{
			{Area: casework.AreaLarande, Observation: "hög frånvaro sedan en månad", Level: ConcernHigh},
			{Area: casework.AreaHemmet, Observation: "berättar om en händelse i familjen", Level: ConcernModerate},
		},
		ChildView: ChildView{View: "vill ha hjälp men inte byta skola"},
		FiveQuestions: FiveQuestions{
			HaveAllInformation: "nej, saknar vårdnadshavarnas bild",
			Obstacles:          "oro hemma",
			WhatICanDo:         "samtal varje vecka",
			WhatOrgCanDo:       "anpassad studiegång",
			HelpNeeded:         "socialtjänst och BUP",
		},
		Partners: Partners{Earlier: []string{"bvc"}, Today: []string{schoolUnit}, Forward: []string{socUnit, bupUnit}},
	}
}

func collaboration(c Command, acute bool) CompleteAssessment {
	return CompleteAssessment{Command: c, Outcome: OutcomeCollaboration, ProposedAgencies: proposed,
		RelevantAreas: []casework.WheelArea{casework.AreaLarande, casework.AreaHemmet}, Acute: acute}
}

func guardianConsent(c Command, name string, custody Custody, scope ...string) RecordConsent {
	return RecordConsent{Command: c, Party: PartyGuardian, PartyName: name, Custody: custody, Given: true, Scope: scope, Method: ConsentWritten}
}

func childConsent(c Command, scope ...string) RecordConsent {
	return RecordConsent{Command: c, Party: PartyChild, PartyName: "Testbarn", Given: true, Scope: scope, Method: ConsentOral}
}

func summons(c Command, agencies ...string) SendSummons {
	return SendSummons{Command: c, MeetingAt: c.OccurredAt.Add(72 * time.Hour), Place: "Testskolan, rum 2",
		Agencies: agencies, InviteChild: true, InviteGuardians: true}
}

func meeting(c Command) HoldMeeting {
	return HoldMeeting{Command: c,
		Attendance:    []Attendance{{Participant: socUnit, Present: true}, {Participant: bupUnit, Present: false}, {Participant: InviteeChild, Present: true}},
		CommonPicture: "barnet behöver stöd hemma och i skolan",
		Decisions:     []AgencyDecision{{UnitID: socUnit, Decision: "erbjuder familjebehandling"}}}
}

// The standard path: a 14-year-old with joint custody, so both guardians and the child consent.

// toKartlagga: the first concern, and the named person takes it.
func (pt *processTest) toKartlagga() {
	c := concernAt("c1", friday.Add(tConcern))
	if pt.birthDate != "" {
		c.Child.BirthDate = pt.birthDate
	}
	pt.must(tConcern, UpdateRegisterConcern, c)
	pt.must(tAck, UpdateAcknowledgeConcern, AcknowledgeConcern{Command: on(namedPerson, tAck)})
}

// toSamarbeta: assessed, and collaboration is needed.
func (pt *processTest) toSamarbeta(acute bool) {
	pt.toKartlagga()
	pt.must(tAssess, UpdateRecordAssessment, assessment(on(namedPerson, tAssess)))
	pt.must(tComplete, UpdateCompleteAssessment, collaboration(on(namedPerson, tComplete), acute))
}

// toConsent: both guardians and the child consent to social services and BUP; the child's
// consent, the last, starts the summons and meeting deadlines at tConsent+1m.
func (pt *processTest) toConsent(acute bool) {
	pt.toSamarbeta(acute)
	pt.giveConsent(tConsent, socUnit, bupUnit)
}

func (pt *processTest) giveConsent(after time.Duration, scope ...string) {
	pt.must(after, UpdateRecordConsent, guardianConsent(on(namedPerson, after), guardianOne, CustodyJoint, scope...))
	pt.must(after+time.Second, UpdateRecordConsent, guardianConsent(on(namedPerson, after+time.Second), guardianTwo, "", scope...))
	pt.must(after+time.Minute, UpdateRecordConsent, childConsent(on(namedPerson, after+time.Minute), scope...))
}

// toSummons: the named person calls social services and BUP, the child and the guardians.
func (pt *processTest) toSummons(acute bool) {
	pt.toConsent(acute)
	pt.must(tSummons, UpdateSendSummons, summons(on(namedPerson, tSummons), socUnit, bupUnit))
}

// offset is how long after friday t is.
func offset(t time.Time) time.Duration { return t.Sub(friday) }

// dueAt is when the policy's deadline of kind, started at the offset, falls due.
func dueAt(t *testing.T, p casework.Policy, kind casework.DeadlineKind, start time.Duration) time.Time {
	due, ok := p.DueAt(kind, friday.Add(start))
	require.True(t, ok, "%s sets no %s deadline", p.Name, kind)
	return due
}

func policies() []casework.Policy {
	return []casework.Policy{casework.Norrbus(), casework.Sormland(), casework.Norrkoping()}
}
