package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzCommandBodies sends request bodies to the command endpoints of a real system (the embedded
// Temporal server, the worker, the database) as the user who may give each command, about a case at
// the stage where the command fits. Whatever the body: no 5xx (a panic in a handler is one), a
// refusal is a problem document, and a refused request leaves the case exactly as it was – the
// whole case as its named person reads it, before and after. An accepted body moves the case on, so
// the next body for that endpoint gets a new case. `go test` runs the seeds below (valid, empty,
// truncated, wrongly typed, null, huge, odd Unicode, duplicate keys, extreme times for each
// endpoint) and testdata/fuzz/FuzzCommandBodies if it exists; `go test -run '^$' -fuzz
// FuzzCommandBodies -parallel 2 ./cmd/samverkan` searches further, one system per fuzzing process.
// The API runs in that system's process, so the fuzzer's coverage sees only this side: it mutates
// blindly rather than towards new paths of the handlers.
func FuzzCommandBodies(f *testing.F) {
	for i, ep := range fuzzEndpoints {
		for _, seed := range fuzzSeeds(ep) {
			f.Add(uint8(i), seed)
		}
	}
	s := newSystem(f).withoutUserRateLimit()
	s.start()
	fz := newFuzzCases(f, s)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		sc := *s
		sc.t = t
		fz.check(&sc, int(which)%len(fuzzEndpoints), body)
	})
}

// fuzzEndpoint is one command endpoint: the stage its case must be at, who sends it, and a valid
// body to make the seeds from.
type fuzzEndpoint struct {
	method, action string // action "" is POST /api/v1/concerns
	stage          stage
	user           string
	valid          func(f *caseFixture) map[string]any
}

var fuzzEndpoints = []fuzzEndpoint{
	// A concern about the child of the case: valid, it joins the case.
	{"POST", "", stageNew, "anna.larare", func(f *caseFixture) map[string]any {
		return map[string]any{"child": f.child, "areas": []string{"lärande"}, "observation": "Kommer sent varje dag.",
			"suspectsHarm": true, "occurredAt": "2026-01-05T08:00:00+01:00"}
	}},
	{"POST", "acknowledgement", stageNew, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"occurredAt": rfc3339Now()}
	}},
	{"POST", "delegation", stageAcknowledged, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"to": "anna.larare"}
	}},
	{"POST", "harm-report", stageNew, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"reported": true, "reportedAt": rfc3339Now()}
	}},
	{"PUT", "assessment", stageAcknowledged, "bertil.rektor", func(*caseFixture) map[string]any { return assessmentBody() }},
	{"POST", "assessment/completion", stageAssessed, "bertil.rektor", func(*caseFixture) map[string]any { return completionBody() }},
	{"POST", "consents", stageConsentPending, "bertil.rektor", func(*caseFixture) map[string]any {
		return consentBody("Vårdnadshavare Ett Påhittad", proposedAgencies)
	}},
	{"POST", "consent-revocations", stageConsented, "bertil.rektor", func(*caseFixture) map[string]any {
		return revocationBody([]string{agencyBUP})
	}},
	{"POST", "summons", stageConsented, "bertil.rektor", func(*caseFixture) map[string]any { return summonsBody(proposedAgencies) }},
	{"POST", "summons/invitations/" + agencyBUP + "/answer", stageSummoned, "frida.bup", func(*caseFixture) map[string]any {
		return map[string]any{"response": "propose_other", "reason": "Vår psykolog är på kurs.", "proposedPerson": map[string]any{"user": "karin.verksamhetschef"}}
	}},
	{"POST", "meeting", stageSummoned, "bertil.rektor", func(*caseFixture) map[string]any { return meetingBody(proposedAgencies) }},
	{"POST", "coordinator", stageMet, "bertil.rektor", func(*caseFixture) map[string]any {
		return coordinatorBody("cecilia.socialsekreterare")
	}},
	{"POST", "closing", stageNew, "bertil.rektor", func(*caseFixture) map[string]any { return closingBody() }},
	// The plan and what keeps the case honest (docs/process.md §6.5–§11); {deviationId} and {disagreementId}
	// are the fixture's.
	{"POST", "plans", stageCoordinated, coordinatorUser, func(*caseFixture) map[string]any { return planBody() }},
	{"POST", "plans/1/approvals", stageProposed, coordinatorUser, func(*caseFixture) map[string]any {
		return approvalBody("guardian", "Vårdnadshavare Ett Påhittad")
	}},
	{"POST", "follow-ups", stageEstablished, coordinatorUser, func(*caseFixture) map[string]any {
		return followUpBody(time.Now().AddDate(0, 0, 42), "i1", "i2", "i3")
	}},
	{"POST", "deviations", stageNew, "bertil.rektor", func(*caseFixture) map[string]any { return deviationBody("norrkoping-skola-1") }},
	{"POST", "deviations/{deviationId}/handling", stageDeviated, "david.chef", func(*caseFixture) map[string]any {
		return map[string]any{"handling": "Rutinen är genomgången med personalen."}
	}},
	{"POST", "disagreements", stageNew, "bertil.rektor", func(*caseFixture) map[string]any { return disagreementBody() }},
	{"POST", "disagreements/{disagreementId}/decision", stageDisputed, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"decision": "Kommunen betalar läxhjälpen."}
	}},
	{"POST", "disagreements/{disagreementId}/escalation", stageDisputed, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"reason": "Frågan behöver avgöras högre upp."}
	}},
	{"POST", "placement", stageCoordinated, coordinatorUser, func(*caseFixture) map[string]any {
		return map[string]any{"kind": "planned", "healthExaminationAt": rfc3339(time.Now().Add(-24 * time.Hour)),
			"costDistribution": map[string]any{"agreement": "Kommunen och regionen delar lika.", "parties": []string{"Norrköpings kommun", "Region Östergötland"}}}
	}},
	{"POST", "placement/health-examination", stagePlaced, coordinatorUser, func(*caseFixture) map[string]any {
		return map[string]any{"occurredAt": rfc3339Now()}
	}},
	{"POST", "placement/cost-distribution", stagePlaced, coordinatorUser, func(*caseFixture) map[string]any {
		return map[string]any{"agreement": "Kommunen och regionen delar lika.", "parties": []string{"Norrköpings kommun", "Region Östergötland"}}
	}},
	{"POST", "handover", stageAcknowledged, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"toUnitId": "lulea-skola-1", "reason": "Familjen har flyttat till Luleå."}
	}},
	{"POST", "reopening", stageClosed, "bertil.rektor", func(*caseFixture) map[string]any {
		return map[string]any{"reason": "Ny oro från skolan."}
	}},
}

func (ep fuzzEndpoint) path(f *caseFixture) string {
	if ep.action == "" {
		return "/api/v1/concerns"
	}
	action := strings.NewReplacer("{deviationId}", f.deviationID, "{disagreementId}", f.disagreementID).Replace(ep.action)
	return "/api/v1/cases/" + f.caseID + "/" + action
}

func (ep fuzzEndpoint) String() string {
	if ep.action == "" {
		return "POST /api/v1/concerns"
	}
	action := strings.NewReplacer("{deviationId}", ":deviationId", "{disagreementId}", ":disagreementId").Replace(ep.action)
	return ep.method + " /api/v1/cases/:caseId/" + action
}

// seedFixture stands in for the case when the seeds are made: the valid bodies of the concern need
// a child, whose case the fuzz target makes with the same personal number.
var seedFixture = &caseFixture{child: map[string]any{
	"personalNumber": syntheticPersonalNumber(time.Date(2016, time.March, 4, 0, 0, 0, 0, time.UTC), 7),
	"name":           "Fuzzbarn Påhittad", "birthDate": "2016-03-04", "municipality": "norrkoping",
	"schooling": map[string]any{"status": "school", "unitId": "norrkoping-skola-1", "grade": "4"},
}}

// fuzzSeeds are the seed bodies of an endpoint, each a kind of input a client can send.
func fuzzSeeds(ep fuzzEndpoint) [][]byte {
	valid := ep.valid(seedFixture)
	raw := mustJSON(valid)
	first := slices.Sorted(maps.Keys(valid))[0]
	dupFirst := func(v any) []byte { // the first field twice, v first: the last one counts
		return bytes.Replace(raw, []byte("{"), append(append([]byte(`{"`+first+`":`), mustJSON(v)...), ','), 1)
	}
	seeds := [][]byte{
		raw,                                // valid: accepted, the case moves on
		{},                                 // empty: acknowledgement needs nothing else
		[]byte(`{}`),                       // every field missing
		[]byte(`null`),                     // JSON null
		[]byte(`[]`),                       // not an object
		[]byte(`"text"`),                   // a string
		[]byte(`-1e999`),                   // a number no float holds
		raw[:len(raw)/2],                   // truncated
		append(slices.Clone(raw), `{}`...), // a second value after the first
		bytes.Replace(raw, []byte("{"), []byte(`{"colour":"blå",`), 1),                          // an unknown field
		dupFirst(otherOfType(valid[first])),                                                     // duplicate key, the valid value last
		dupFirst(wrongType(valid[first])),                                                       // the same with a wrong type first
		append(raw[:len(raw)-1:len(raw)-1], []byte(`,"`+first+`":{"x":[]}}`)...),                // duplicate key, the wrong one last
		mustJSON(replaceValues(valid, func(any) any { return nil })),                            // every field null
		mustJSON(replaceValues(valid, wrongType)),                                               // every field of the wrong type
		mustJSON(replaceStrings(valid, func(string) any { return strings.Repeat("å", 40000) })), // over the body limit
		mustJSON(replaceStrings(valid, func(string) any { return strings.Repeat("x", 10001) })), // each text too long
		oddUnicode(valid), // NUL, bidi overrides, a lone surrogate, invalid UTF-8, combining marks
		[]byte(`{"occurredAt":"0000-01-01T00:00:00+14:00"}`),                            // before year 0 in UTC
		[]byte(`{"occurredAt":"2026-02-30T25:61:00Z"}`),                                 // not a time
		[]byte(`{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`), // nested deeper than the decoder goes
		// Issue 17: names are matched as written and given once, and text is valid UTF-8.
		bytes.Replace(raw, []byte(`"`+first+`":`), []byte(`"`+strings.ToUpper(first[:1])+first[1:]+`":`), 1),                // a case variant alone
		append(raw[:len(raw)-1:len(raw)-1], []byte(`,"`+strings.ToUpper(first)+`":`+string(mustJSON(valid[first]))+`}`)...), // a case variant beside the name
		[]byte("{\"" + first + "\":\"a\xffb\xc3\"}"),                                                                        // invalid UTF-8 in a value
		[]byte("{\"\xff\xfe\":1}"), // invalid UTF-8 in a name
	}
	// Times at the edges of what a time can be, in the fields that are not business times.
	switch ep.action {
	case "harm-report":
		seeds = append(seeds,
			[]byte(`{"reported":true,"reportedAt":"0000-01-01T00:00:00+14:00"}`),
			[]byte(`{"reported":true,"reportedAt":"1899-12-31T23:59:59+01:00"}`))
	case "summons":
		far := maps.Clone(valid)
		far["meetingAt"] = "9999-12-31T23:59:59-23:59"
		seeds = append(seeds, mustJSON(far))
	case "plans":
		for _, t := range []string{"9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+14:00", "1899-12-31T23:59:59+01:00"} {
			far := maps.Clone(valid)
			far["followUpAt"] = t
			seeds = append(seeds, mustJSON(far))
		}
		noPart := maps.Clone(valid)
		delete(noPart, "overallResponsibility")
		seeds = append(seeds, mustJSON(noPart))
	case "follow-ups":
		far := maps.Clone(valid)
		far["nextFollowUpAt"] = "9999-12-31T23:59:59-23:59"
		seeds = append(seeds, mustJSON(far))
	case "placement":
		seeds = append(seeds, []byte(`{"kind":"planned","healthExaminationAt":"0000-01-01T00:00:00+14:00"}`), []byte(`{"kind":"planned"}`))
	case "handover":
		seeds = append(seeds, []byte(`{"toUnitId":"norrkoping-skola-1","reason":"x"}`), []byte(`{"toUnitId":"norrkoping-bup","reason":"x"}`))
	}
	return seeds
}

func rfc3339Now() string { return time.Now().Format(time.RFC3339) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// replaceValues is the body with every top-level value replaced.
func replaceValues(m map[string]any, with func(any) any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = with(v)
	}
	return out
}

// wrongType is a value of another JSON type than v.
func wrongType(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case bool:
		return "ja"
	case []string, []map[string]any, []any:
		return map[string]any{"0": v}
	case map[string]any:
		return []any{v}
	}
	return "text"
}

// otherOfType is a value of v's JSON type that is not v.
func otherOfType(v any) any {
	switch v := v.(type) {
	case string:
		return "ogiltig"
	case bool:
		return !v
	case []string, []map[string]any, []any:
		return []any{}
	case map[string]any:
		return map[string]any{}
	}
	return 0
}

// replaceStrings is the body with every string replaced, however deep.
func replaceStrings(v map[string]any, with func(string) any) map[string]any {
	var walk func(any) any
	walk = func(x any) any {
		switch x := x.(type) {
		case string:
			return with(x)
		case []string:
			out := make([]any, len(x))
			for i, s := range x {
				out[i] = with(s)
			}
			return out
		case []map[string]any:
			out := make([]any, len(x))
			for i, m := range x {
				out[i] = walk(m)
			}
			return out
		case map[string]any:
			out := map[string]any{}
			for k, vv := range x {
				out[k] = walk(vv)
			}
			return out
		}
		return x
	}
	return walk(v).(map[string]any)
}

// oddUnicode is the body with every string, however deep, replaced by text a careless decoder or
// database chokes on. The replacement is spliced into the JSON as it is: a NUL and a lone surrogate
// as escapes, and bytes that are no UTF-8 at all.
func oddUnicode(v map[string]any) []byte {
	const marker = "\x01ODD\x01"
	raw := mustJSON(replaceStrings(v, func(string) any { return marker }))
	quoted := mustJSON(marker)
	odd := []byte("\\u0000\u202e\ufeff\\ud800 Z\u0336a\u0337l\u0338g\u0335o \U0001F469\u200d\U0001F469\u200d\U0001F467 \xff\xfe")
	return bytes.ReplaceAll(raw, quoted[1:len(quoted)-1], odd)
}

// fuzzCases keeps the cases of each endpoint at its stage: the first is in use until a body is
// accepted, the rest are built ahead.
type fuzzCases struct {
	b     *caseBuilder
	mu    sync.Mutex
	ready map[int][]*caseFixture
	n     int
}

// newFuzzCases builds two cases per endpoint ahead, all at once: most bodies are refused and leave
// the case as it was, and each valid seed uses one up.
func newFuzzCases(f *testing.F, s *system) *fuzzCases {
	// BUP answers its invitation; the school's supervisor handles its deviations.
	fz := &fuzzCases{b: newCaseBuilder(s, "frida.bup"), ready: map[int][]*caseFixture{}}
	fz.b.tokens["david.chef"] = s.tokenFor("david.chef", "norrkoping-skola-1")
	var specs []fixtureSpec
	for i, ep := range fuzzEndpoints {
		if ep.action != "" {
			specs = append(specs, fz.spec(i), fz.spec(i))
		}
	}
	fz.b.buildAll(f, s, specs, 8)
	for _, spec := range specs {
		i := fz.endpointOf(spec)
		fz.ready[i] = append(fz.ready[i], fz.b.fixture(spec))
	}
	return fz
}

func (fz *fuzzCases) spec(i int) fixtureSpec {
	fz.n++
	return fixtureSpec{track: trackNorrkoping, stage: fuzzEndpoints[i].stage, tag: fmt.Sprintf("fuzz %d %d", i, fz.n)}
}

func (fz *fuzzCases) endpointOf(spec fixtureSpec) int {
	var i, n int
	_, err := fmt.Sscanf(spec.tag, "fuzz %d %d", &i, &n)
	if err != nil {
		panic(err)
	}
	return i
}

func (fz *fuzzCases) caseFor(s *system, i int) *caseFixture {
	fz.mu.Lock()
	defer fz.mu.Unlock()
	if len(fz.ready[i]) > 0 {
		return fz.ready[i][0]
	}
	var f *caseFixture
	if fuzzEndpoints[i].action == "" {
		f = &caseFixture{spec: fz.spec(i), child: seedFixture.child}
		f.caseID = s.registerConcern(fz.b.token("anna.larare"), fuzzEndpoints[i].valid(f))
	} else {
		f = fz.b.build(s, fz.spec(i))
	}
	fz.ready[i] = []*caseFixture{f}
	return f
}

func (fz *fuzzCases) used(i int) {
	fz.mu.Lock()
	defer fz.mu.Unlock()
	fz.ready[i] = fz.ready[i][1:]
}

// check sends one body and checks the answer and the case.
func (fz *fuzzCases) check(s *system, i int, body []byte) {
	s.t.Helper()
	ep := fuzzEndpoints[i]
	f := fz.caseFor(s, i)
	named := fz.b.token("bertil.rektor")
	read := func() string {
		ans := s.sendRaw("GET", "/api/v1/cases/"+f.caseID, named, nil, nil)
		require.Equal(s.t, http.StatusOK, ans.status, "%s: %s", f.spec, ans.body)
		return string(ans.body)
	}
	before := read()
	if body == nil {
		body = []byte{}
	}
	ans := s.sendRaw(ep.method, ep.path(f), fz.b.token(ep.user), nil, body)
	s.t.Logf("%s %.80q → %d %.200s", ep, body, ans.status, ans.body)
	require.NotEqual(s.t, http.StatusTooManyRequests, ans.status, "%s: the rate limiter answered instead of the API", ep)
	require.Less(s.t, ans.status, 500, "%s %q: %s", ep, body, ans.body)
	if ans.status >= 300 {
		require.True(s.t, ans.isProblem(), "%s %q: %d as %s", ep, body, ans.status, ans.header.Get("Content-Type"))
		require.JSONEq(s.t, before, read(), "%s %q was refused (%d) but changed the case", ep, body, ans.status)
		return
	}
	if ep.action != "" && ep.action != "harm-report" {
		fz.used(i) // accepted: the case has moved on (a concern joins, a harm report may be recorded again)
	}
}
