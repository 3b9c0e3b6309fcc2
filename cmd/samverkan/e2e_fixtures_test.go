package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Cases driven to a chosen step of the process, for the authorisation matrix and the fuzz test: the
// same requests as TestConsentRevokedMidSummons, stopped where a test needs the case.

// stage is how far a case has come: each stage is the one where the next command fits.
type stage int

const (
	stageNew            stage = iota // a concern registered: upptäcka
	stageAcknowledged                // the named person has taken it: kartlägga
	stageAssessed                    // the assessment recorded, not completed
	stageConsentPending              // completed with collaboration; consent asked, not given
	stageConsented                   // both guardians consented: the agencies take part
	stageSummoned                    // the summons sent
	stageMet                         // the meeting held
	stageCoordinated                 // the coordinator appointed (cecilia.socialsekreterare)
	stageProposed                    // the coordinator proposed version 1 of the plan
	stageEstablished                 // the guardian approved it: uppföljning
	stageDeviated                    // the named person reported a deviation of the school (deviationID)
	stageDisputed                    // the coordinator raised a disagreement (disagreementID)
	stagePlaced                      // social services (the coordinator) recorded an acute placement
	stageClosed                      // the named person closed the case; it may be reopened
)

var stageNames = []string{"new", "acknowledged", "assessed", "consent-pending", "consented", "summoned", "met", "coordinated",
	"proposed", "established", "deviated", "disputed", "placed", "closed"}

func (st stage) String() string { return stageNames[st] }

// track is which kind of case: the Norrköping school case (anna.larare reports, bertil.rektor is the
// named person, BUP, social services and the school health team are proposed), the same case after a
// guardian revoked consent for BUP and social services (the school health team keeps it), or a
// Luleå BVC case (erik.bvc reports it and is its named person).
type track int

const (
	trackNorrkoping track = iota
	trackRevoked
	trackLulea
)

var trackNames = []string{"norrköping", "revoked", "luleå"}

// The agencies of a Norrköping case; a revocation removes the first two, the last keeps its part.
const (
	agencyBUP            = "norrkoping-bup"
	agencySocialServices = "norrkoping-socialtjanst"
	agencySchoolHealth   = "norrkoping-elevhalsa"
)

var proposedAgencies = []string{agencyBUP, agencySocialServices, agencySchoolHealth}

// fixtureSpec names a case to build. Specs that differ only by tag are different cases: a tag makes
// a case of its own for a request that will change it.
type fixtureSpec struct {
	track track
	stage stage
	tag   string
}

func (f fixtureSpec) String() string {
	s := trackNames[f.track] + "/" + f.stage.String()
	if f.tag != "" {
		s += "#" + f.tag
	}
	return s
}

// caseFixture is a case built to a stage, and the child it is about (to report on again).
type caseFixture struct {
	spec   fixtureSpec
	caseID string
	child  map[string]any
	// deviationID and disagreementID name the deviation and the disagreement the fixture's stages
	// wrote, for the commands about them.
	deviationID, disagreementID string
}

// personalNumber is the child's, for the auditor's extract.
func (f *caseFixture) personalNumber() string { return f.child["personalNumber"].(string) }

// caseBuilder builds cases on one system: tokens once, each child a personal number of its own.
type caseBuilder struct {
	tokens map[string]string
	serial atomic.Int64
	mu     sync.Mutex
	built  map[fixtureSpec]*caseFixture
}

func newCaseBuilder(s *system, users ...string) *caseBuilder {
	b := &caseBuilder{tokens: map[string]string{}, built: map[fixtureSpec]*caseFixture{}}
	b.serial.Store(100)
	for _, u := range append([]string{"anna.larare", "bertil.rektor", "erik.bvc", "cecilia.socialsekreterare"}, users...) {
		b.tokens[u] = s.token(u)
	}
	return b
}

func (b *caseBuilder) token(user string) string {
	t, ok := b.tokens[user]
	if !ok {
		panic("no token made for " + user)
	}
	return t
}

// fixture is the case of a spec, nil when it has not been built.
func (b *caseBuilder) fixture(spec fixtureSpec) *caseFixture {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.built[spec]
}

// newChild is a concern about a child not reported before: a ten-year-old at the Norrköping school,
// or a three-year-old in no preschool in Luleå, whom BVC answers for.
func (b *caseBuilder) newChild(tr track) map[string]any {
	serial := int(b.serial.Add(1))
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	if tr == trackLulea {
		birth := birthDateForAge(3)
		return map[string]any{
			"child": map[string]any{"personalNumber": syntheticPersonalNumber(birth, serial), "name": fmt.Sprintf("Tallbarn%d Påhittad", serial),
				"birthDate": birth.Format(time.DateOnly), "municipality": "lulea", "schooling": map[string]any{"status": "none"}},
			"areas": []string{"hälsa"}, "observation": "Har inte kommit till de senaste tre besöken på BVC.", "suspectsHarm": false,
			"occurredAt": rfc3339(at),
		}
	}
	return childConcern(fmt.Sprintf("Matrisbarn%d Påhittad", serial), birthDateForAge(10), serial, "4", []string{"hälsa", "relationer"},
		"Har slutat äta lunch i skolan och säger att han har ont i magen varje dag.", false, at)
}

// build drives a new case to the spec's stage and keeps it under the spec.
func (b *caseBuilder) build(s *system, spec fixtureSpec) *caseFixture {
	s.t.Helper()
	concern := b.newChild(spec.track)
	reporter, named := b.token("anna.larare"), b.token("bertil.rektor")
	if spec.track == trackLulea {
		reporter, named = b.token("erik.bvc"), b.token("erik.bvc")
	}
	created := s.concernCase(reporter, concern)
	f := &caseFixture{spec: spec, caseID: created.CaseID, child: concern["child"].(map[string]any)}
	steps := []struct {
		stage          stage
		method, action string
		body           any
		user           string // who sends it; "" the named person
	}{
		{stageAcknowledged, "POST", "acknowledgement", nil, ""},
		{stageAssessed, "PUT", "assessment", assessmentBody(), ""},
		{stageConsentPending, "POST", "assessment/completion", completionBody(), ""},
		{stageConsented, "POST", "consents", consentBody("Vårdnadshavare Ett Påhittad", proposedAgencies), ""},
		{stageSummoned, "POST", "summons", summonsBody(proposedAgencies), ""},
		{stageMet, "POST", "meeting", meetingBody(proposedAgencies), ""},
		{stageCoordinated, "POST", "coordinator", coordinatorBody("cecilia.socialsekreterare"), ""},
		{stageProposed, "POST", "plans", planBody(), coordinatorUser},
		{stageEstablished, "POST", "plans/1/approvals", approvalBody("guardian", "Vårdnadshavare Ett Påhittad"), coordinatorUser},
		{stageDeviated, "POST", "deviations", deviationBody("norrkoping-skola-1"), ""},
		{stageDisputed, "POST", "disagreements", disagreementBody(), coordinatorUser},
		{stagePlaced, "POST", "placement", map[string]any{"kind": "acute"}, coordinatorUser},
		{stageClosed, "POST", "closing", closingBody(), ""},
	}
	revoke := func() {
		require.GreaterOrEqual(s.t, spec.stage, stageConsented, "only a given consent can be revoked: %s", spec)
		c := s.mustAct(named, "POST", f.caseID, "consent-revocations", revocationBody([]string{agencyBUP, agencySocialServices}))
		require.Equal(s.t, "given", c.Consent.Status, "the school health team keeps its part")
	}
	for _, step := range steps {
		if step.stage > spec.stage {
			break
		}
		if step.stage == stageClosed && spec.track == trackRevoked {
			revoke() // a closed case takes no revocation
		}
		token := named
		if step.user != "" {
			token = b.token(step.user)
		}
		ids := s.mustActPlan(token, step.method, f.caseID, step.action, step.body)
		switch step.stage {
		case stageDeviated:
			f.deviationID = ids.lastDeviation()
		case stageDisputed:
			f.disagreementID = ids.lastDisagreement()
		}
	}
	if spec.track == trackRevoked && spec.stage < stageClosed {
		revoke()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Nil(s.t, b.built[spec], "%s built twice", spec)
	b.built[spec] = f
	return f
}

// buildAll builds the cases of the specs, inFlight at a time. The requests mostly wait on Temporal,
// so more of them in flight than the test's parallelism (the number of CPUs) allows pays off. A
// failure is reported when all are done.
func (b *caseBuilder) buildAll(t testing.TB, s *system, specs []fixtureSpec, inFlight int) {
	t.Helper()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failures []string
	)
	sem := make(chan struct{}, inFlight)
	for _, spec := range specs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rec := &recordingTB{TB: t}
			defer func() {
				if msgs := rec.messages(); len(msgs) > 0 {
					mu.Lock()
					defer mu.Unlock()
					failures = append(failures, spec.String()+": "+strings.Join(msgs, "; "))
				}
			}()
			sc := *s
			sc.t = rec
			b.build(&sc, spec)
		})
	}
	wg.Wait()
	slices.Sort(failures)
	require.Empty(t, failures, "cases that could not be built")
}

// recordingTB lets require run in a goroutine of our own: a failure is recorded and ends only that
// goroutine, and the test reports it afterwards.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recordingTB) Fail()                             { r.Errorf("failed") }
func (r *recordingTB) FailNow()                          { r.Fail(); runtime.Goexit() }
func (r *recordingTB) Fatal(args ...any)                 { r.Error(args...); runtime.Goexit() }
func (r *recordingTB) Fatalf(format string, args ...any) { r.Errorf(format, args...); runtime.Goexit() }
func (r *recordingTB) Failed() bool                      { return len(r.messages()) > 0 }

func (r *recordingTB) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.errors)
}

// The bodies of the commands as the process uses them; each valid wherever its stage is reached.

func assessmentBody() map[string]any {
	return map[string]any{
		"areas":     []map[string]any{{"area": "hälsa", "observation": "Ont i magen, äter inte.", "level": "måttlig"}},
		"childView": map[string]any{"view": "Barnet säger att det är jobbigt i matsalen."},
		"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Oro.", "whatICanDo": "Samtal.",
			"whatOrgCanDo": "Elevhälsan.", "helpNeeded": "BUP och socialtjänsten."},
	}
}

func completionBody() map[string]any {
	return map[string]any{"outcome": "collaboration", "proposedAgencies": proposedAgencies, "relevantAreas": []string{"hälsa"}}
}

// consentBody is the consent of the child's guardian, who has sole custody: for a ten-year-old it
// is all the consent the case needs (docs/process.md §5). It was given half an hour ago, so that the
// summons after it can call a meeting that has been held by now (summonsBody).
func consentBody(guardian string, scope []string) map[string]any {
	return map[string]any{"party": "guardian", "partyName": guardian, "custody": "sole", "given": true, "scope": scope, "method": "written",
		"occurredAt": rfc3339(time.Now().Add(-30 * time.Minute))}
}

func revocationBody(agencies []string) map[string]any {
	return map[string]any{"party": "guardian", "partyName": "Vårdnadshavare Ett Påhittad", "agencies": agencies}
}

// summonsBody is a summons sent twenty minutes ago to a meeting ten minutes ago: a meeting is held no
// earlier than summoned, and meetingBody records it as held now.
func summonsBody(agencies []string) map[string]any {
	return map[string]any{"occurredAt": rfc3339(time.Now().Add(-20 * time.Minute)), "meetingAt": rfc3339(time.Now().Add(-10 * time.Minute)),
		"place": "Lärkängsskolan", "agencies": agencies, "inviteChild": true, "inviteGuardians": true}
}

func meetingBody(agencies []string) map[string]any {
	attendance := []map[string]any{}
	for _, a := range agencies {
		attendance = append(attendance, map[string]any{"participant": a, "present": true})
	}
	return map[string]any{"attendance": attendance, "commonPicture": "Barnet behöver stöd i skolan och hemma.",
		"decisions": []map[string]any{{"unitId": agencySchoolHealth, "decision": "Samtal varannan vecka."}}}
}

func coordinatorBody(user string) map[string]any {
	return map[string]any{"childWish": map[string]any{"user": user}, "coordinator": map[string]any{"user": user}}
}

func harmReportBody() map[string]any {
	return map[string]any{"reported": false, "reason": "Ingen misstanke om att barnet far illa."}
}

func closingBody() map[string]any {
	return map[string]any{"reason": "needs_met", "note": "Stödet är på plats."}
}

// withoutUserRateLimit lifts the per-user rate limit (SAMVERKAN_RATE_PER_USER) of a system whose
// test sends one user's requests faster than a person could: building cases eight at a time, or
// fuzzing. The limit has tests of its own (api/ratelimit_test.go).
func (s *system) withoutUserRateLimit() *system {
	s.env = append(s.env, "SAMVERKAN_RATE_PER_USER=off")
	return s
}

// withoutAdmissionBound lifts the API's bound on requests waiting on Temporal
// (SAMVERKAN_API_MAX_INFLIGHT_WRITES, _READS) for a benchmark of the capacity itself: shed requests
// would be work made to disappear from its figures. The bound has tests of its own
// (api/admission_test.go).
func (s *system) withoutAdmissionBound() *system {
	s.env = append(s.env, "SAMVERKAN_API_MAX_INFLIGHT_WRITES=off", "SAMVERKAN_API_MAX_INFLIGHT_READS=off")
	return s
}

// answer is an HTTP answer with its headers and raw body.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) isProblem() bool {
	return a.header.Get("Content-Type") == "application/problem+json"
}

// rawClient gives up on a request that hangs – a command the workflow never answers – so that the
// test fails instead of waiting for the test binary's timeout.
var rawClient = &http.Client{Timeout: time.Minute}

// sendRaw sends a body as it is (nil: none) with the given headers, and returns the whole answer.
// A non-nil body is sent as application/json unless the headers say otherwise.
func (s *system) sendRaw(method, path, token string, header http.Header, body []byte) answer {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, s.apiURL+path, rd)
	require.NoError(s.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := rawClient.Do(req)
	require.NoError(s.t, err, "%s %s", method, path)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	s.checkAnswer(req, res, raw) // e2e_openapi_test.go: the answer is as api/openapi.yaml says
	return answer{status: res.StatusCode, header: res.Header, body: raw}
}
