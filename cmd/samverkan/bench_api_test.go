package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/workflows"
)

// BenchmarkRegisterConcernAPIvsSDK measures what the API adds to registering a concern: each
// iteration registers one concern through POST /api/v1/concerns and one through the SDK's
// update-with-start – the same workflow, update, options and command the API sends (api/concerns.go),
// from a client built by dialTemporal like the API's, so its payloads are encrypted with the same
// codec and keys – each about a child not reported before, against one `samverkan dev`.
//
// What the API adds is its own work: token verification, strict decoding and validation, the
// directory look-ups (municipality, unit, the actor's unit), the pseudonym, the access-log row with
// its hash chain, and JSON both ways. The ratio is of means; the p50s are reported too. ns/op is
// the pair. The two paths alternate which goes first, because the workflow of the one before is
// still projecting its case into the read model when the next request arrives.
//
//	CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench BenchmarkRegisterConcernAPIvsSDK -benchtime 200x
func BenchmarkRegisterConcernAPIvsSDK(b *testing.B) {
	s := newSystem(b).withoutUserRateLimit()
	s.start()
	anna := s.token("anna.larare")
	direct := newDirectCaseClient(b, s)
	httpClient := benchHTTP()
	occurred := time.Now().Add(-time.Hour).Truncate(time.Second)
	by := workflows.Actor{User: "anna.larare", Name: "Anna Lärare", Role: casework.RoleReporter,
		Unit: benchSchool, UnitKind: casework.UnitSchool}

	viaAPI := func(child int) time.Duration {
		pnr, birthDate := benchChild(child, occurred)
		var res struct {
			ConcernID string `json:"concernId"`
		}
		began := time.Now()
		status, err := benchDo(httpClient, "POST", s.apiURL+"/api/v1/concerns", anna, fmt.Sprintf("bench-%d", child),
			concern(pnr, birthDate, benchSchool, occurred), &res)
		took := time.Since(began)
		require.NoError(b, err)
		require.Equal(b, http.StatusAccepted, status, "child %d", child)
		require.NotEmpty(b, res.ConcernID)
		return took
	}
	viaSDK := func(child int) time.Duration {
		pnr, birthDate := benchChild(child, occurred)
		cmd := direct.command(b, concern(pnr, birthDate, benchSchool, occurred), fmt.Sprintf("bench-%d", child), by)
		began := time.Now()
		res, err := direct.register(cmd)
		took := time.Since(began)
		require.NoError(b, err, "child %d", child)
		require.False(b, res.Joined, "child %d joined an open case: two children share a pseudonym", child)
		return took
	}
	// Warm up both paths (connections, the token's key set, the worker's caches) unmeasured.
	viaAPI(0)
	viaSDK(1)

	var api, sdk spread
	child := 2
	for b.Loop() {
		if len(api)%2 == 0 {
			api, sdk = append(api, viaAPI(child)), append(sdk, viaSDK(child+1))
		} else {
			sdk, api = append(sdk, viaSDK(child+1)), append(api, viaAPI(child))
		}
		child += 2
	}
	apiMean, sdkMean := meanMS(api), meanMS(sdk)
	b.ReportMetric(apiMean, "api-ms/op")
	b.ReportMetric(sdkMean, "sdk-ms/op")
	b.ReportMetric(apiMean/sdkMean, "api/sdk-ratio")
	b.ReportMetric(ms(percentile(api, .5)), "api-p50-ms")
	b.ReportMetric(ms(percentile(sdk, .5)), "sdk-p50-ms")
	b.Logf("POST /api/v1/concerns: %s", api)
	b.Logf("SDK update-with-start: %s", sdk)
	b.Logf("load average %s", loadAverage())
}

// BenchmarkCommandRoundTripAtSteadyRate measures the round trip of a process command under a
// steady load: SAMVERKAN_BENCH_COMMAND_CASES (20) cases are registered and acknowledged first, then
// their named person saves the assessment (PUT /api/v1/cases/{id}/assessment, which may be saved
// any number of times) at SAMVERKAN_BENCH_COMMAND_RATE (20) requests a second, round robin over
// the cases, one request per iteration. Requests are sent on the clock whether or not earlier ones
// have been answered (an open loop), so a slow answer delays no later request and queueing shows in
// the latencies. Each command is a query of the case, the update, and a query for the answer.
//
// ns/op is the interval between requests; the figures are the percentiles of the requests answered
// 200, and how many were not (a 503 when Temporal did not answer in time, for instance). p99 needs a
// few hundred requests: -benchtime 600x is 30 s at 20/s. cpu-ms/req is the CPU time the samverkan
// process (API, worker and the embedded Temporal server) spent per request: the rate the machine
// can sustain is about its cores' worth of that, less whatever else it runs.
//
//	CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench BenchmarkCommandRoundTripAtSteadyRate -benchtime 600x
func BenchmarkCommandRoundTripAtSteadyRate(b *testing.B) {
	rate, cases := benchEnvInt(b, "SAMVERKAN_BENCH_COMMAND_RATE", 20), benchEnvInt(b, "SAMVERKAN_BENCH_COMMAND_CASES", 20)
	s := newSystem(b).withoutUserRateLimit().withoutAdmissionBound()
	s.start()
	anna, bertil := s.token("anna.larare"), s.token("bertil.rektor")
	httpClient := benchHTTP()
	occurred := time.Now().Add(-time.Hour).Truncate(time.Second)
	caseIDs := make([]string, cases)
	var statuses counter
	for i := range caseIDs {
		_, failure := registerOne(httpClient, s.apiURL, anna, i, occurred, &statuses)
		require.Empty(b, failure)
		caseID := s.caseOf(benchConcern(i, occurred))
		s.mustAct(bertil, "POST", caseID, "acknowledgement", nil)
		caseIDs[i] = caseID
	}
	body := assessmentBody()

	var (
		mu        sync.Mutex
		wg        sync.WaitGroup
		latencies spread
		answers   counter
		inFlight  atomic.Int64 // sent and not yet answered: grows when answers come slower than requests
	)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	before := readProc(b, s.cmd.Process.Pid)
	began, sent, maxInFlight := time.Now(), 0, int64(0)
	for b.Loop() {
		<-tick.C
		url := s.apiURL + "/api/v1/cases/" + caseIDs[sent%cases] + "/assessment"
		if sent%(5*rate) == 0 {
			progressf(b, "%d sent, %d in flight, load average %s", sent, inFlight.Load(), loadAverage())
		}
		maxInFlight = max(maxInFlight, inFlight.Load())
		sent++
		inFlight.Add(1)
		wg.Go(func() {
			defer inFlight.Add(-1)
			start := time.Now()
			status, err := benchDo(httpClient, "PUT", url, bertil, "", body, nil)
			took := time.Since(start)
			if err != nil || status == 0 {
				answers.add("error")
				return
			}
			answers.add(fmt.Sprint(status))
			if status == http.StatusOK {
				mu.Lock()
				latencies = append(latencies, took)
				mu.Unlock()
			}
		})
	}
	sending := time.Since(began)
	wg.Wait()
	cpu := readProc(b, s.cmd.Process.Pid).cpu - before.cpu
	b.Logf("%d cases, %d requests in %s (%.1f/s); answers %s; latency of the 200s %s; load average %s", cases, sent,
		sending.Round(time.Millisecond), float64(sent)/sending.Seconds(), &answers, latencies, loadAverage())
	if len(latencies) < sent {
		summariseLog(b, s.log.String()) // what the API logged about the others
	}
	require.NotEmpty(b, latencies, "no request answered 200")
	b.ReportMetric(float64(sent)/sending.Seconds(), "req/s")
	b.ReportMetric(float64(sent-len(latencies)), "non-200")
	b.ReportMetric(float64(maxInFlight), "max-in-flight")
	b.ReportMetric(ms(cpu)/float64(sent), "cpu-ms/req")
	b.ReportMetric(ms(percentile(latencies, .5)), "p50-ms")
	b.ReportMetric(ms(percentile(latencies, .99)), "p99-ms")
	b.ReportMetric(ms(percentile(latencies, 1)), "max-ms")
}

// directCaseClient starts or joins a child's case as the API does, without the API.
type directCaseClient struct {
	temporal     client.Client
	taskQueue    string
	pseudonymKey []byte
}

// newDirectCaseClient dials the system's Temporal as the API does (dialTemporal, with the data
// folder's codec keys) and reads its pseudonym key; the system must have started, which makes both.
func newDirectCaseClient(b *testing.B, s *system) *directCaseClient {
	cfg, err := config.Load(newFlagSet(), nil, s.getenv)
	require.NoError(b, err)
	cfg.TemporalAddress = "127.0.0.1:" + s.getenv("SAMVERKAN_DEV_TEMPORAL_PORT")
	pc, err := payloadCodec(cfg, true)
	require.NoError(b, err)
	key, err := pseudonymKey(cfg, true)
	require.NoError(b, err)
	c, err := dialTemporal(context.Background(), cfg, discardLogger(), pc)
	require.NoError(b, err)
	b.Cleanup(c.Close)
	return &directCaseClient{temporal: c, taskQueue: cfg.TemporalTaskQueue, pseudonymKey: key}
}

// command is the RegisterConcern the API would send for body (a POST /concerns body) from by.
func (d *directCaseClient) command(b *testing.B, body map[string]any, concernID string, by workflows.Actor) workflows.RegisterConcern {
	raw, err := json.Marshal(body)
	require.NoError(b, err)
	var req struct {
		Child struct {
			PersonalNumber, Name, BirthDate, Municipality string
			Schooling                                     casework.Schooling
		}
		Areas        []casework.WheelArea
		Observation  string
		SuspectsHarm bool
		OccurredAt   time.Time
	}
	require.NoError(b, json.Unmarshal(raw, &req))
	pn, err := casework.ParsePersonalNumber(req.Child.PersonalNumber, time.Now().In(casework.Stockholm))
	require.NoError(b, err)
	return workflows.RegisterConcern{
		ConcernID: concernID,
		Child: workflows.Child{PersonalNumber: pn.Digits(), Name: strings.TrimSpace(req.Child.Name),
			BirthDate: req.Child.BirthDate, Schooling: req.Child.Schooling},
		Municipality: req.Child.Municipality, Areas: req.Areas, Observation: req.Observation,
		SuspectsHarm: req.SuspectsHarm, OccurredAt: req.OccurredAt, By: by,
	}
}

// register is startOrJoinCase of api/concerns.go: update-with-start, USE_EXISTING, waiting for the
// update's outcome.
func (d *directCaseClient) register(cmd workflows.RegisterConcern) (workflows.RegisterConcernResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pseudonym := casework.ChildPseudonym(d.pseudonymKey, cmd.Child.PersonalNumber)
	suffix := make([]byte, 5)
	_, _ = rand.Read(suffix)
	start := workflows.CaseStart{
		CaseID:       pseudonym + "-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(suffix)),
		Municipality: cmd.Municipality,
	}
	startOp := d.temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       workflows.CaseWorkflowID(pseudonym),
		TaskQueue:                d.taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, workflows.CaseWorkflowName, start)
	handle, err := d.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: startOp,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateID:     cmd.ConcernID,
			UpdateName:   workflows.UpdateRegisterConcern,
			Args:         []any{cmd},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	var res workflows.RegisterConcernResult
	if err != nil {
		return res, fmt.Errorf("update-with-start case: %w", err)
	}
	if err := handle.Get(ctx, &res); err != nil {
		return res, fmt.Errorf("register concern: %w", err)
	}
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func meanMS(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return ms(sum) / float64(len(ds))
}
