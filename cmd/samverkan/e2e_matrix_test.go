package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api"
)

// TestAuthorisationMatrix sends every route of the API as every kind of user, about a case of
// their own, another unit's case and a case whose consent was revoked for their agency, and expects
// the status that matrixRows gives: 404 where the user has no part in the case (its existence does
// not leak), 403 where the command is not theirs, 409 where the case's state refuses it, 2xx where
// it is allowed. Every body is one that would be valid, so the status says who may, not what is
// well formed. The router's routes are compared with the table first: a route without a row, or a
// row without a route, fails the test before anything else runs.
//
// Cases. The requests never share a case that one of them changes: a cell expected to succeed with
// a command (mutates) gets a case of its own, built to the same stage; every other cell uses one
// case per track and stage, and those cases must be exactly as they were after all the cells ran –
// no request that was refused changed anything. Reporting a concern joins cases kept for it alone.
//
// Afterwards every list and inbox of every user is checked against what they may open: a case that
// answers 404 to a user appears in none of their lists.
//
// Known holes are marked in their row (hole): the cell expects what the API answers today and logs
// KNOWN HOLE with the status it should give; once it gives that, the test fails until the mark goes.
// The cases are built, and a row's cells sent, eight at a time, so the system runs without its
// per-user rate limit: one user sends far more than a person could.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel() // beside the tests that mostly wait (its own system, ports and folder)
	rows := matrixRows()
	requireEveryRouteHasARow(t, rows)

	s := newSystem(t).withoutUserRateLimit()
	s.start()
	m := newMatrix(t, s, rows)
	before := m.snapshotShared(s)
	for i := range rows {
		row := &rows[i]
		t.Run(row.route, func(t *testing.T) { m.runRow(t, row) })
	}
	t.Run("refused requests changed no case", func(t *testing.T) {
		after := m.snapshotShared(s)
		for spec, view := range before {
			require.JSONEq(t, view, after[spec], "%s changed", spec)
		}
	})
	t.Run("no list shows a case its reader may not open", func(t *testing.T) { m.checkLists(t) })
	t.Run("an anonymous flood from the users' address locks none of them out", func(t *testing.T) { m.checkNATFlood(t) })
}

// situation is the user's relation to the case a request is about.
type situation int

const (
	own       situation = iota // a case where the user has their part (at the stage the row needs)
	otherUnit                  // a case of another unit, where the user has none
	revoked                    // a case where consent was revoked for BUP and social services
)

var situations = []situation{own, otherUnit, revoked}

func (s situation) String() string {
	return [...]string{"own case", "other unit's case", "revoked consent"}[s]
}

// na marks a cell that does not apply: no request is sent.
const na = 0

// matrixActor is one demo user acting in one role, one per role of the API.
type matrixActor struct {
	user string
	unit string // the token's unit when the user has roles in several
	// partFrom is the first stage at which the user has a part in a Norrköping case: BUP and social
	// services take part once consent is given. Their own case for a row is the row's stage or this.
	partFrom stage
	lulea    bool // the named person of another unit: their own case is a Luleå case
}

var matrixActors = []matrixActor{
	{user: "anna.larare"},   // reporter: reported every Norrköping case
	{user: "bertil.rektor"}, // named person of the school
	{user: "cecilia.socialsekreterare", partFrom: stageConsented}, // social services; coordinator once appointed
	{user: "frida.bup", partFrom: stageConsented},                 // participant (BUP)
	{user: "david.chef", unit: "norrkoping-skola-1"},              // supervisor of the school
	{user: "stina.styrgrupp"},                                     // steering group: statistics only
	{user: "adam.admin"},                                          // administrator and auditor
	{user: "erik.bvc", lulea: true},                               // named person of BVC in Luleå
}

// wants are the statuses per user: own case, other unit's case, revoked consent.
type wants map[string][3]int

// hole is a cell where the API does not do what the table wants (the status in want): the test
// expects got instead, says so in its log, and fails once the API gives the wanted status, so the
// mark is removed with the fix.
type hole struct {
	user string
	sit  situation
	got  int
	why  string
}

// matrixRow is one route. A route with :caseId is sent about the case of each cell's situation at
// the row's stage; any other route builds its request with request.
type matrixRow struct {
	route   string // "METHOD /path" as the router spells it
	stage   stage  // how far the case has come: the stage where the command fits
	mutates bool   // an allowed request changes the case: each such cell gets a case of its own
	// oneCasePerSituation: what an allowed request changes decides nothing of who may do what, nor
	// whether the command fits (a report to social services may be recorded again), so the cells of
	// the row share one case of their own per situation and stage instead.
	oneCasePerSituation bool
	body                func(f *caseFixture) any
	request             func(m *matrix, a matrixActor, sit situation) matrixRequest
	want                wants
	holes               []hole
	// decodes, for the codec's decoding, is whose 200 gives the case's payload decoded: own case,
	// other unit's case, revoked consent; every other 200 leaves it encrypted.
	decodes map[string][3]bool
}

type matrixRequest struct {
	path   string
	body   any // nil: none
	header http.Header
	token  bool // send the actor's token
}

// matrixRows is the table. Reading it: a reporter reads what they reported and may record the report
// to social services, nothing else (403 for the other commands of a case they reported); the staff
// with a part read the whole case, and the workflow says which command is whose (403) and whether
// the case is ready for it (409 – checked first for some commands, so a user whose part starts
// later sees 409 where the step is long done); steering and admin never read a case (404).
func matrixRows() []matrixRow {
	everyone := func(s [3]int) wants {
		w := wants{}
		for _, a := range matrixActors {
			w[a.user] = s
		}
		return w
	}
	only := func(base [3]int, except wants) wants {
		w := everyone(base)
		for u, s := range except {
			w[u] = s
		}
		return w
	}
	but := func(w, except wants) wants {
		out := maps.Clone(w)
		maps.Copy(out, except)
		return out
	}
	static := func(path string) func(*matrix, matrixActor, situation) matrixRequest {
		return func(*matrix, matrixActor, situation) matrixRequest { return matrixRequest{path: path, token: true} }
	}
	noCase := [3]int{404, 404, 404}
	forbidden := [3]int{403, 403, 403}
	ok := [3]int{200, 200, 200}
	// coordinatorOnly: the coordinator's step in a case that is ready for it; erik.bvc's case is not.
	coordinatorOnly := only(noCase, wants{
		"anna.larare":               {403, 404, 403},
		"bertil.rektor":             {403, 404, 403},
		"cecilia.socialsekreterare": {200, 404, 404},
		"frida.bup":                 {403, 404, 404},
		"david.chef":                {403, 404, 403},
		"erik.bvc":                  {409, 404, 404},
	})
	// staffWithAPart: everyone who reads the whole case, and nobody else.
	staffWithAPart := only(noCase, wants{
		"anna.larare":               {403, 404, 403},
		"bertil.rektor":             {200, 404, 200},
		"cecilia.socialsekreterare": {200, 404, 404},
		"frida.bup":                 {200, 404, 404},
		"david.chef":                {200, 404, 200},
		"erik.bvc":                  {200, 404, 404},
	})
	return []matrixRow{
		// Not case data: no token needed, the same for everyone.
		{route: "GET /healthz", request: static("/healthz"), want: everyone(ok)},
		{route: "GET /readyz", request: static("/readyz"), want: everyone(ok)},
		{route: "GET /api/v1/openapi.json", request: static("/api/v1/openapi.json"), want: everyone(ok)},
		{route: "GET /api/v1/docs", request: static("/api/v1/docs"), want: everyone(ok)},
		{route: "GET /api/v1/docs/assets/:file", request: static("/api/v1/docs/assets/docs.js"), want: everyone(ok)},
		{route: "GET /api/v1/units", request: static("/api/v1/units"), want: everyone(ok)},

		// Reporting: own case is a child not reported before (a new case), the others report about the
		// child of such a case (joined) – cases kept for these requests alone. Whoever had no full
		// access to the case before gets the same receipt (202) for a new case as for a joined one;
		// only the staff already in the joined case are told which it is (200).
		{route: "POST /api/v1/concerns", request: concernRequest,
			want: only([3]int{202, 202, 202}, wants{"stina.styrgrupp": forbidden, "adam.admin": forbidden,
				"bertil.rektor": {202, 202, 200}, "david.chef": {202, 202, 200}})},
		// Lists and the inbox show each user their own (checkLists looks inside).
		{route: "GET /api/v1/cases", request: static("/api/v1/cases"), want: everyone(ok)},
		{route: "GET /api/v1/me/tasks", request: static("/api/v1/me/tasks"), want: everyone(ok)},
		// Notifications are the caller's own: one of theirs is marked read, another user's or none is 404.
		{route: "GET /api/v1/me/notifications", request: static("/api/v1/me/notifications"), want: everyone(ok)},
		{route: "POST /api/v1/me/notifications/:id/read", request: notificationReadRequest, want: everyone([3]int{200, 404, 404})},

		// Reading a case, with the coordinator appointed: the revoked case lost cecilia with her agency.
		{route: "GET /api/v1/cases/:caseId", stage: stageCoordinated, want: wants{
			//                            own  other revoked
			"anna.larare":               {200, 404, 200}, // the reporter's view
			"bertil.rektor":             {200, 404, 200},
			"cecilia.socialsekreterare": {200, 404, 404},
			"frida.bup":                 {200, 404, 404},
			"david.chef":                {200, 404, 200},
			"stina.styrgrupp":           noCase,
			"adam.admin":                noCase,
			"erik.bvc":                  {200, 404, 404},
		}},
		{route: "GET /api/v1/cases/:caseId/access-log", stage: stageCoordinated,
			want: only(noCase, wants{"david.chef": {200, 404, 200}})},
		// The timeline, read from the case's history: whoever reads the whole case; an agency whose
		// consent was revoked up to the revocation (BUP, and social services with cecilia); a reporter
		// reads only what she reported, not the case's history.
		{route: "GET /api/v1/cases/:caseId/timeline", stage: stageCoordinated, want: wants{
			//                            own  other revoked
			"anna.larare":               noCase,
			"bertil.rektor":             {200, 404, 200},
			"cecilia.socialsekreterare": {200, 404, 200}, // until the revocation
			"frida.bup":                 {200, 404, 200}, // until the revocation
			"david.chef":                {200, 404, 200},
			"stina.styrgrupp":           noCase,
			"adam.admin":                noCase,
			"erik.bvc":                  {200, 404, 404},
		}},

		// upptäcka
		{route: "POST /api/v1/cases/:caseId/acknowledgement", stage: stageNew, mutates: true, want: wants{
			"anna.larare":               {403, 404, 403},
			"bertil.rektor":             {200, 404, 409},
			"cecilia.socialsekreterare": {409, 404, 404}, // taken long before social services have a part
			"frida.bup":                 {409, 404, 404},
			"david.chef":                {403, 404, 409},
			"stina.styrgrupp":           noCase,
			"adam.admin":                noCase,
			"erik.bvc":                  {200, 404, 404},
		}},
		{route: "POST /api/v1/cases/:caseId/delegation", stage: stageAcknowledged, mutates: true, body: delegationTo,
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 409},
				"cecilia.socialsekreterare": {403, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {200, 404, 404},
			}},
		// Anyone with a part records whether a report to social services was made, the reporter too.
		{route: "POST /api/v1/cases/:caseId/harm-report", stage: stageNew, mutates: true, oneCasePerSituation: true,
			body: func(*caseFixture) any { return harmReportBody() },
			want: wants{
				"anna.larare":               {200, 404, 200},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {200, 404, 200},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {200, 404, 404},
			}},

		// kartlägga
		{route: "PUT /api/v1/cases/:caseId/assessment", stage: stageAcknowledged, mutates: true,
			body: func(*caseFixture) any { return assessmentBody() },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 409},
				"cecilia.socialsekreterare": {409, 404, 404},
				"frida.bup":                 {409, 404, 404},
				"david.chef":                {403, 404, 409},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {200, 404, 404},
			}},
		{route: "POST /api/v1/cases/:caseId/assessment/completion", stage: stageAssessed, mutates: true,
			body: func(*caseFixture) any { return completionBody() },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 409},
				"cecilia.socialsekreterare": {409, 404, 404},
				"frida.bup":                 {409, 404, 404},
				"david.chef":                {403, 404, 409},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404}, // his case is acknowledged, nothing assessed
			}},

		// samarbeta: the bodies name the school health team, which keeps its part after the revocation.
		{route: "POST /api/v1/cases/:caseId/consents", stage: stageConsentPending, mutates: true,
			body: func(*caseFixture) any {
				return consentBody("Vårdnadshavare Ett Påhittad", []string{agencySchoolHealth})
			},
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {403, 404, 404}, // a participant, not (yet) the coordinator
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404},
			}},
		{route: "POST /api/v1/cases/:caseId/consent-revocations", stage: stageConsented, mutates: true,
			body: func(*caseFixture) any { return revocationBody([]string{agencySchoolHealth}) },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {403, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404},
			}},
		// Agencies of the policy's SIP initiators that take part (social services, BUP) may call and
		// record the meeting and the coordinator; the school's supervisor's unit is no participant.
		{route: "POST /api/v1/cases/:caseId/summons", stage: stageConsented, mutates: true,
			body: func(*caseFixture) any { return summonsBody([]string{agencySchoolHealth}) },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404},
			}},
		// An invitation is answered by its own agency: BUP's by frida.bup. The named person and the other
		// agencies may not (403); erik.bvc's case has no summons (404).
		{route: "POST /api/v1/cases/:caseId/summons/invitations/:invitationId/answer", stage: stageSummoned, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"response": "accept"} },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {403, 404, 403},
				"cecilia.socialsekreterare": {403, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {404, 404, 404},
			}},
		{route: "POST /api/v1/cases/:caseId/meeting", stage: stageSummoned, mutates: true,
			body: func(*caseFixture) any { return meetingBody([]string{agencySchoolHealth}) },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404},
			}},
		{route: "POST /api/v1/cases/:caseId/coordinator", stage: stageMet, mutates: true,
			body: func(*caseFixture) any { return coordinatorBody("cecilia.socialsekreterare") },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {409, 404, 404},
			}},
		// Closing: the assessor or the coordinator – cecilia, until her agency's consent is revoked.
		{route: "POST /api/v1/cases/:caseId/closing", stage: stageCoordinated, mutates: true,
			body: func(*caseFixture) any { return closingBody() },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {200, 404, 404},
			}},

		// The plan and its follow-up (docs/process.md §6.5, §6.6): the coordinator's (or plan owner's); 409
		// where the case has no coordinator, proposed version or established plan (erik.bvc's).
		{route: "POST /api/v1/cases/:caseId/plans", stage: stageCoordinated, mutates: true,
			body: func(*caseFixture) any { return planBody() }, want: coordinatorOnly},
		{route: "POST /api/v1/cases/:caseId/plans/:version/approvals", stage: stageProposed, mutates: true,
			body: func(*caseFixture) any { return approvalBody("guardian", "Vårdnadshavare Ett Påhittad") },
			want: but(coordinatorOnly, wants{"erik.bvc": {404, 404, 404}})}, // his case has no plan
		{route: "POST /api/v1/cases/:caseId/follow-ups", stage: stageEstablished, mutates: true,
			body: func(*caseFixture) any { return followUpBody(time.Now().AddDate(0, 0, 42), "i1", "i2", "i3") }, want: coordinatorOnly},

		// Deviations (§9): anyone with a part reports one about a unit of the case; only the supervisor of
		// its unit handles it (the school's: david.chef). A case without the deviation: 404.
		{route: "POST /api/v1/cases/:caseId/deviations", stage: stageNew, mutates: true, oneCasePerSituation: true,
			body: func(f *caseFixture) any { return deviationBody(namedPersonUnitOf(f)) }, want: staffWithAPart},
		{route: "POST /api/v1/cases/:caseId/deviations/:deviationId/handling", stage: stageDeviated, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"handling": "Rutinen är genomgången med personalen."} },
			want: wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {403, 404, 403},
				"cecilia.socialsekreterare": {403, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {200, 404, 200},
				"stina.styrgrupp":           noCase,
				"adam.admin":                noCase,
				"erik.bvc":                  {404, 404, 404}, // his case has no deviation
			}},
		// Disagreements (§10): anyone with a part. Norrköping's ladder has one step (Barnsamverket), so
		// nobody can take a disagreement further: 409.
		{route: "POST /api/v1/cases/:caseId/disagreements", stage: stageNew, mutates: true, oneCasePerSituation: true,
			body: func(*caseFixture) any { return disagreementBody() }, want: staffWithAPart},
		{route: "POST /api/v1/cases/:caseId/disagreements/:disagreementId/decision", stage: stageDisputed, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"decision": "Kommunen betalar läxhjälpen."} },
			want: only(noCase, wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {200, 404, 404},
				"david.chef":                {200, 404, 200},
				"erik.bvc":                  {404, 404, 404}, // his case has no disagreement
			})},
		{route: "POST /api/v1/cases/:caseId/disagreements/:disagreementId/escalation", stage: stageDisputed, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"reason": "Frågan behöver avgöras högre upp."} },
			want: only(noCase, wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {409, 404, 409},
				"cecilia.socialsekreterare": {409, 404, 404},
				"frida.bup":                 {409, 404, 404},
				"david.chef":                {409, 404, 409},
				"erik.bvc":                  {404, 404, 404},
			})},

		// Placement (§11): social services with a part (cecilia); the health examination and the cost
		// distribution also the coordinator (cecilia too). 409 where nobody is placed (erik.bvc's case).
		{route: "POST /api/v1/cases/:caseId/placement", stage: stageCoordinated, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"kind": "acute"} },
			want: only(noCase, wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {403, 404, 403},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"erik.bvc":                  {403, 404, 404}, // BVC is not social services
			})},
		{route: "POST /api/v1/cases/:caseId/placement/health-examination", stage: stagePlaced, mutates: true,
			body: func(*caseFixture) any { return map[string]any{} }, want: coordinatorOnly},
		{route: "POST /api/v1/cases/:caseId/placement/cost-distribution", stage: stagePlaced, mutates: true,
			body: func(*caseFixture) any {
				return map[string]any{"agreement": "Kommunen och regionen delar lika.", "parties": []string{"Norrköpings kommun", "Region Östergötland"}}
			}, want: coordinatorOnly},

		// Handover (§6.6) to a school of another municipality: the named person or the coordinator.
		{route: "POST /api/v1/cases/:caseId/handover", stage: stageCoordinated, mutates: true, body: handoverBody,
			want: only(noCase, wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"erik.bvc":                  {200, 404, 404},
			})},
		// Reopening (§7.2): the closed case, by its named person or coordinator; erik.bvc's is open.
		{route: "POST /api/v1/cases/:caseId/reopening", stage: stageClosed, mutates: true,
			body: func(*caseFixture) any { return map[string]any{"reason": "Ny oro från skolan."} },
			want: only(noCase, wants{
				"anna.larare":               {403, 404, 403},
				"bertil.rektor":             {200, 404, 200},
				"cecilia.socialsekreterare": {200, 404, 404},
				"frida.bup":                 {403, 404, 404},
				"david.chef":                {403, 404, 403},
				"erik.bvc":                  {409, 404, 404},
			})},

		// The access log's views: the auditor's (admin); alerts and reviews for supervisors too. No
		// case in the path; the child's extract asks about the child of each situation's case.
		{route: "GET /api/v1/audit/access-log", request: static("/api/v1/audit/access-log"),
			want: only(forbidden, wants{"adam.admin": ok})},
		{route: "GET /api/v1/audit/access-log/verification", request: static("/api/v1/audit/access-log/verification"),
			want: only(forbidden, wants{"adam.admin": ok})},
		{route: "GET /api/v1/audit/child-extract", request: childExtractRequest,
			want: only(forbidden, wants{"adam.admin": ok})},
		{route: "GET /api/v1/audit/alerts", request: static("/api/v1/audit/alerts"),
			want: only(forbidden, wants{"adam.admin": ok, "david.chef": ok})},
		{route: "GET /api/v1/audit/reviews", request: static("/api/v1/audit/reviews"),
			want: only(forbidden, wants{"adam.admin": ok, "david.chef": ok})},
		// A review belongs to a unit: own is the school's (david.chef's unit), other a Luleå school's.
		// There is no consent to revoke.
		{route: "POST /api/v1/audit/reviews/:reviewId/sign-off", request: signOffRequest,
			want: only([3]int{404, 404, na}, wants{"david.chef": {200, 404, na}})},

		// The yearly follow-up (reports.go): statistics without identities, for the steering group and
		// supervisors; administrators and everyone else 403. The oversight: supervisors only.
		{route: "GET /api/v1/reports/yearly", request: static("/api/v1/reports/yearly"),
			want: only(forbidden, wants{"stina.styrgrupp": ok, "david.chef": ok})},
		{route: "GET /api/v1/reports/yearly/page", request: static("/api/v1/reports/yearly/page"),
			want: only(forbidden, wants{"stina.styrgrupp": ok, "david.chef": ok})},
		{route: "GET /api/v1/oversight", request: static("/api/v1/oversight"),
			want: only(forbidden, wants{"david.chef": ok})},
		// A legal hold (issue 13): admins only; a live case is not in the archive, so 404 for them
		// (e2e_archive_test.go places one on an archived case).
		{route: "POST /api/v1/cases/:caseId/legal-hold", request: legalHoldRequest,
			want: only(forbidden, wants{"adam.admin": {404, 404, 404}})},

		// Temporal's codec: supervisors encode; supervisors and administrators decode, each
		// payload only when they may read its case (decodes; README says why). A browser's
		// preflight carries no token: the same for everyone.
		{route: "OPTIONS /api/v1/codec/encode", request: preflight("/api/v1/codec/encode"), want: everyone([3]int{204, 204, 204})},
		{route: "OPTIONS /api/v1/codec/decode", request: preflight("/api/v1/codec/decode"), want: everyone([3]int{204, 204, 204})},
		{route: "POST /api/v1/codec/encode", request: codecRequest("/api/v1/codec/encode"),
			want: only(forbidden, wants{"david.chef": ok})},
		{route: "POST /api/v1/codec/decode", request: codecDecodeRequest,
			want:    only(forbidden, wants{"david.chef": ok, "adam.admin": ok}),
			decodes: map[string][3]bool{"david.chef": {true, false, true}}},
	}
}

// pathOf is a route's path about the fixture's case: BUP's invitation, its plan's first version, its
// deviation and its disagreement, or ones it does not have.
func pathOf(pattern string, f *caseFixture) string {
	orNone := func(id, none string) string {
		if id == "" {
			return none
		}
		return id
	}
	return strings.NewReplacer(":caseId", f.caseID, ":invitationId", agencyBUP, ":version", "1", ":deviationId", orNone(f.deviationID, "avv-99"),
		":disagreementId", orNone(f.disagreementID, "oen-99")).Replace(pattern)
}

// namedPersonUnitOf is the unit of the fixture's named person, a unit every case has.
func namedPersonUnitOf(f *caseFixture) string {
	if f.spec.track == trackLulea {
		return "lulea-bvc-1"
	}
	return "norrkoping-skola-1"
}

// handoverBody hands the case to a school of the other municipality.
func handoverBody(f *caseFixture) any {
	to := "lulea-skola-1"
	if f.spec.track == trackLulea {
		to = "norrkoping-skola-1"
	}
	return map[string]any{"toUnitId": to, "reason": "Familjen har flyttat."}
}

// delegationTo names a colleague in the case's named person's unit.
func delegationTo(f *caseFixture) any {
	if f.spec.track == trackLulea {
		return map[string]any{"to": "vera.verksamhetschef"} // BVC Tallmon's supervisor
	}
	return map[string]any{"to": "anna.larare"}
}

func concernRequest(m *matrix, a matrixActor, sit situation) matrixRequest {
	tr := trackNorrkoping
	if a.lulea {
		tr = trackLulea
	}
	body := m.b.newChild(tr)
	if sit != own {
		body["child"] = m.joinTarget(a, sit).child // the same child: the concern joins the case
	}
	return matrixRequest{path: "/api/v1/concerns", body: body, token: true}
}

func childExtractRequest(m *matrix, a matrixActor, sit situation) matrixRequest {
	f := m.b.fixture(m.caseSpec(&matrixRow{stage: stageNew}, a, sit, 0))
	return matrixRequest{path: "/api/v1/audit/child-extract?personalNumber=" + url.QueryEscape(f.personalNumber()), token: true}
}

func legalHoldRequest(m *matrix, a matrixActor, sit situation) matrixRequest {
	f := m.b.fixture(m.caseSpec(&matrixRow{stage: stageNew}, a, sit, 0))
	return matrixRequest{path: "/api/v1/cases/" + f.caseID + "/legal-hold", body: map[string]any{"hold": true, "reason": "Tvist."}, token: true}
}

func signOffRequest(m *matrix, _ matrixActor, sit situation) matrixRequest {
	return matrixRequest{path: "/api/v1/audit/reviews/" + m.reviews[sit] + "/sign-off", body: map[string]any{"note": "Inget att anmärka."}, token: true}
}

func preflight(path string) func(*matrix, matrixActor, situation) matrixRequest {
	return func(m *matrix, _ matrixActor, _ situation) matrixRequest {
		return matrixRequest{path: path, header: http.Header{"Origin": {m.s.uiURL}, "Access-Control-Request-Method": {"POST"}}}
	}
}

// codecRequest sends a payload that was never encrypted, which both directions accept.
func codecRequest(path string) func(*matrix, matrixActor, situation) matrixRequest {
	return func(*matrix, matrixActor, situation) matrixRequest {
		return matrixRequest{path: path, token: true, body: map[string]any{"payloads": []map[string]any{
			{"metadata": map[string]any{"encoding": "anNvbi9wbGFpbg=="}, "data": "e30="}}}} // json/plain, {}
	}
}

// requireEveryRouteHasARow compares the router's routes, as the binary builds them (with the codec
// endpoint), with the table's.
func requireEveryRouteHasARow(t *testing.T, rows []matrixRow) {
	t.Helper()
	server := &api.Server{Codec: converter.NewZlibCodec(converter.ZlibCodecOptions{}), Logger: discardLogger()}
	engine, ok := server.Handler().(*gin.Engine)
	require.True(t, ok, "api.Server.Handler is no longer a *gin.Engine: list its routes another way")
	var routes, table []string
	for _, r := range engine.Routes() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	for _, r := range rows {
		table = append(table, r.route)
		require.Len(t, r.want, len(matrixActors), "%s: a status for every user", r.route)
	}
	var missing, extra []string
	for _, r := range routes {
		if !slices.Contains(table, r) {
			missing = append(missing, r)
		}
	}
	for _, r := range table {
		if !slices.Contains(routes, r) {
			extra = append(extra, r)
		}
	}
	require.Empty(t, missing, "routes without a row in matrixRows: add one, with the status every user gets")
	require.Empty(t, extra, "rows in matrixRows for routes the router does not have")
	seen := map[string]bool{}
	for _, r := range table {
		require.False(t, seen[r], "%s has two rows", r)
		seen[r] = true
	}
}

// matrix holds what the cells need: the system, the cases, the users' tokens and the reviews.
type matrix struct {
	s       *system
	b       *caseBuilder
	tokens  map[string]string
	reviews map[situation]string
	shared  []fixtureSpec // cases that only refused requests and reads may touch
}

func newMatrix(t *testing.T, s *system, rows []matrixRow) *matrix {
	m := &matrix{s: s, b: newCaseBuilder(s), tokens: map[string]string{}, reviews: map[situation]string{}}
	for _, a := range matrixActors {
		if a.unit != "" {
			m.tokens[a.user] = s.tokenFor(a.user, a.unit)
		} else {
			m.tokens[a.user] = s.token(a.user)
		}
	}
	// Every case a cell will use, the fresh ones included, built before the first request.
	specs := map[fixtureSpec]bool{}
	for _, a := range matrixActors {
		for _, sit := range situations {
			for i := range rows {
				if rows[i].request != nil {
					continue
				}
				spec := m.caseSpec(&rows[i], a, sit, m.expected(&rows[i], a, sit))
				if spec.tag == "" {
					m.shared = append(m.shared, spec)
				}
				specs[spec] = true
			}
			specs[m.caseSpec(&matrixRow{stage: stageNew}, a, sit, 0)] = true // the child's extract
			if sit != own {
				specs[m.joinSpec(a, sit)] = true
			}
		}
	}
	slices.SortFunc(m.shared, func(a, b fixtureSpec) int { return strings.Compare(a.String(), b.String()) })
	m.shared = slices.Compact(m.shared)
	began := time.Now()
	list := slices.Collect(maps.Keys(specs))
	m.b.buildAll(t, s, list, 8)
	t.Logf("built %d cases (%d shared) in %s", len(list), len(m.shared), time.Since(began).Round(time.Millisecond))

	// The reviews of last week's accesses: the school's, drawn by its supervisor, and a Luleå school's.
	m.reviews[own] = m.drawReview(s, m.tokens["david.chef"], "norrkoping-skola-1")
	m.reviews[otherUnit] = m.drawReview(s, s.tokenFor("ulf.chef", "lulea-skola-1"), "lulea-skola-1")
	return m
}

func (m *matrix) drawReview(s *system, token, unit string) string {
	var out struct{ Reviews []struct{ ID, Unit string } }
	require.Equal(s.t, http.StatusOK, s.call("GET", "/api/v1/audit/reviews", token, nil, &out))
	for _, r := range out.Reviews {
		if r.Unit == unit {
			return r.ID
		}
	}
	s.t.Fatalf("no review drawn for %s: %+v", unit, out)
	return ""
}

// expected is the status a cell expects now: the table's, or what a known hole answers.
func (m *matrix) expected(row *matrixRow, a matrixActor, sit situation) int {
	if h := row.hole(a.user, sit); h != nil {
		return h.got
	}
	return row.want[a.user][sit]
}

func (r *matrixRow) hole(user string, sit situation) *hole {
	for i := range r.holes {
		if r.holes[i].user == user && r.holes[i].sit == sit {
			return &r.holes[i]
		}
	}
	return nil
}

// caseSpec is the case a cell is about. Own: the Norrköping case at the row's stage, or at the stage
// where the user's part starts if that is later (erik.bvc: his Luleå case, new or acknowledged);
// other unit's: a Luleå case (erik.bvc: the Norrköping one); revoked: the Norrköping case with
// consent revoked for BUP and social services, at the row's stage but at least consented. A cell
// whose allowed request changes the case gets one of its own.
func (m *matrix) caseSpec(row *matrixRow, a matrixActor, sit situation, status int) fixtureSpec {
	var spec fixtureSpec
	switch {
	case sit == own && a.lulea:
		spec = fixtureSpec{track: trackLulea, stage: min(row.stage, stageAcknowledged)}
	case sit == own:
		spec = fixtureSpec{track: trackNorrkoping, stage: max(row.stage, a.partFrom)}
	case sit == otherUnit && a.lulea:
		spec = fixtureSpec{track: trackNorrkoping, stage: row.stage}
	case sit == otherUnit:
		spec = fixtureSpec{track: trackLulea, stage: stageAcknowledged}
	default:
		spec = fixtureSpec{track: trackRevoked, stage: max(row.stage, stageConsented)}
	}
	switch {
	case row.mutates && row.oneCasePerSituation:
		spec.tag = row.route
	case row.mutates && status >= 200 && status < 300:
		spec.tag = fmt.Sprintf("%s by %s, %s", row.route, a.user, sit)
	}
	return spec
}

// joinSpec is the case a concern joins: kept for the concerns alone, since each makes its
// reporter a reporter of the case.
func (m *matrix) joinSpec(a matrixActor, sit situation) fixtureSpec {
	switch {
	case sit == revoked:
		return fixtureSpec{track: trackRevoked, stage: stageConsented, tag: "joined by concerns"}
	case a.lulea:
		return fixtureSpec{track: trackNorrkoping, stage: stageNew, tag: "joined by concerns"}
	default:
		return fixtureSpec{track: trackLulea, stage: stageNew, tag: "joined by concerns"}
	}
}

func (m *matrix) joinTarget(a matrixActor, sit situation) *caseFixture {
	return m.b.fixture(m.joinSpec(a, sit))
}

// runRow sends the row's cells, several at a time: no two share a case that one of them may change.
func (m *matrix) runRow(t *testing.T, row *matrixRow) {
	var (
		wg    sync.WaitGroup
		cells []*recordingTB
	)
	sem := make(chan struct{}, 8)
	for _, a := range matrixActors {
		for _, sit := range situations {
			rec := &recordingTB{TB: t}
			cells = append(cells, rec)
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				m.run(rec, row, a, sit)
			})
		}
	}
	wg.Wait()
	for _, rec := range cells {
		for _, msg := range rec.messages() {
			t.Error(msg)
		}
	}
}

// run sends one cell's request and checks its status.
func (m *matrix) run(t testing.TB, row *matrixRow, a matrixActor, sit situation) {
	want := row.want[a.user][sit]
	if want == na {
		return
	}
	expect := m.expected(row, a, sit)
	method, pattern, _ := strings.Cut(row.route, " ")
	var req matrixRequest
	var f *caseFixture
	if row.request != nil {
		req = row.request(m, a, sit)
	} else {
		f = m.b.fixture(m.caseSpec(row, a, sit, expect))
		req = matrixRequest{path: pathOf(pattern, f), token: true}
		if row.body != nil {
			req.body = row.body(f)
		}
	}
	var body []byte
	if req.body != nil {
		var err error
		body, err = json.Marshal(req.body)
		require.NoError(t, err)
	}
	token := ""
	if req.token {
		token = m.tokens[a.user]
	}
	sc := *m.s
	sc.t = t
	cell := fmt.Sprintf("%s as %s, %s", row.route, a.user, sit)
	if _, ok := matrixActions[row.route]; ok {
		m.requireActionsAgree(t, &sc, row, a.user, cell, token, f.caseID, req.path, expect) // e2e_actions_test.go
	}
	ans := sc.sendRaw(method, req.path, token, req.header, body)
	if ans.status == http.StatusTooManyRequests {
		t.Fatalf("%s: 429 – the rate limiter stops the matrix (%s): its defaults must let it through", cell, ans.header.Get("Retry-After"))
	}
	if ans.status >= 400 && !ans.isProblem() {
		t.Errorf("%s: %d without a problem document (%s)", cell, ans.status, ans.header.Get("Content-Type"))
	}
	if row.decodes != nil && ans.status == http.StatusOK {
		requireDecodedAsTableSays(t, cell, ans.body, row.decodes[a.user][sit]) // e2e_matrix_codec_test.go
	}
	h := row.hole(a.user, sit)
	switch {
	case ans.status == expect && h != nil:
		t.Logf("KNOWN HOLE %s: %d, should be %d: %s", cell, ans.status, want, h.why)
	case ans.status == expect:
	case h != nil && ans.status == want:
		t.Errorf("%s: %d as the table wants – the hole is fixed: remove its mark", cell, ans.status)
	default:
		t.Errorf("%s: got %d, want %d: %s", cell, ans.status, expect, ans.body)
	}
}

// snapshotShared reads every shared case as its named person sees it.
func (m *matrix) snapshotShared(s *system) map[fixtureSpec]string {
	out := map[fixtureSpec]string{}
	for _, spec := range m.shared {
		named := m.tokens["bertil.rektor"]
		if spec.track == trackLulea {
			named = m.tokens["erik.bvc"]
		}
		ans := s.sendRaw("GET", "/api/v1/cases/"+m.b.fixture(spec).caseID, named, nil, nil)
		require.Equal(s.t, http.StatusOK, ans.status, "%s: %s", spec, ans.body)
		out[spec] = string(ans.body)
	}
	return out
}

// checkLists reads every user's lists and inbox – each page – and opens every case in them: a
// case the user may not open must not be listed. The read model follows the workflows a moment
// behind, so a list is read again for a while before a case in it counts as a leak.
func (m *matrix) checkLists(t *testing.T) {
	sc := *m.s
	sc.t = t
	for _, a := range matrixActors {
		token := m.tokens[a.user]
		var leaks []string
		for deadline := time.Now().Add(15 * time.Second); ; {
			leaks = nil
			for id, list := range listed(&sc, token) {
				if status, _ := sc.read(token, id); status != http.StatusOK {
					leaks = append(leaks, fmt.Sprintf("%s (in %s, opens %d)", id, list, status))
				}
			}
			if len(leaks) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		require.Empty(t, leaks, "%s's lists show cases they may not open", a.user)
	}
}

// listed is every case in the user's lists and inbox, with the list it was found in.
func listed(s *system, token string) map[string]string {
	out := map[string]string{}
	for _, list := range []struct{ path, scope string }{{"/api/v1/cases", "mine"}, {"/api/v1/cases", "unit"}, {"/api/v1/me/tasks", ""}} {
		q := url.Values{"limit": {"200"}}
		if list.scope != "" {
			q.Set("scope", list.scope)
		}
		for {
			var page struct {
				Items      []struct{ CaseID string }
				NextCursor *string
			}
			path := list.path + "?" + q.Encode()
			require.Equal(s.t, http.StatusOK, s.call("GET", path, token, nil, &page), path)
			for _, it := range page.Items {
				out[it.CaseID] = list.path + " " + list.scope
			}
			if page.NextCursor == nil {
				break
			}
			q.Set("cursor", *page.NextCursor)
		}
	}
	// The oversight links the cases its reader (a supervisor; 403 for the rest) may open.
	type linked struct {
		CaseID string
		Case   *string
	}
	var o struct {
		DueSoon, Overdue, NotAcknowledged, Deviations []linked
		Escalations                                   struct{ Items []linked }
	}
	if s.call("GET", "/api/v1/oversight", token, nil, &o) == http.StatusOK {
		for _, items := range [][]linked{o.DueSoon, o.Overdue, o.NotAcknowledged, o.Deviations, o.Escalations.Items} {
			for _, it := range items {
				if it.Case != nil {
					out[it.CaseID] = "/api/v1/oversight"
				}
			}
		}
	}
	return out
}
