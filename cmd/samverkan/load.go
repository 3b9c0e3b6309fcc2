package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/samverkan/samverkan/internal/loadgen"
	"github.com/samverkan/samverkan/workflows"
)

// The load command (issue 16): offers requests to any deployment's HTTP API at a fixed rate – an
// open loop, internal/loadgen – and reports offered against completed rate, latencies and statuses.
// It is a client of the public API like the front end, so the same command measures `dev` on one
// machine and a cluster behind a load balancer.

type loadOptions struct {
	url, scenario, school, reporter, named *string
	reporterTokenFile, namedTokenFile      *string
	rate                                   *float64
	duration, timeout                      *time.Duration
	maxInFlight, cases, firstChild         *int
}

func loadFlags(fs *flag.FlagSet) any {
	return &loadOptions{
		url:               fs.String("url", "", "the API's base address (default: http:// and SAMVERKAN_HTTP_ADDR)"),
		scenario:          fs.String("scenario", "concerns", "what to offer: concerns (new children), command (the assessment saved, round robin over --cases cases) or read (GET of a case, round robin)"),
		rate:              fs.Float64("rate", 10, "requests a second, offered whatever the answers take"),
		duration:          fs.Duration("duration", time.Minute, "how long to offer them"),
		timeout:           fs.Duration("timeout", 60*time.Second, "how long one request may take before it counts as unanswered"),
		maxInFlight:       fs.Int("max-in-flight", 10000, "requests outstanding at once; an arrival past it is refused and counted"),
		cases:             fs.Int("cases", 20, "cases the command and read scenarios set up first"),
		firstChild:        fs.Int("first-child", -1, "number of the first synthetic child; runs that should not join each other's cases use different numbers (default: from the clock)"),
		school:            fs.String("school", "norrkoping-skola-1", "the reporter's school: the unit of every concern"),
		reporter:          fs.String("reporter", "anna.larare", "the demo user who reports the concerns (a token from the dev issuer)"),
		named:             fs.String("named", "bertil.rektor", "the demo user who is the school's named person (a token from the dev issuer)"),
		reporterTokenFile: fs.String("reporter-token-file", "", "a file holding the reporter's bearer token, instead of the dev issuer's"),
		namedTokenFile:    fs.String("named-token-file", "", "a file holding the named person's bearer token, instead of the dev issuer's"),
	}
}

// runLoad sets up what the scenario needs, offers the load and prints the figures. The per-user
// rate limit (SAMVERKAN_RATE_PER_USER) of the deployment under test applies to these users too:
// raise it there for rates beyond it, or the answers are 429s – which the figures show.
func runLoad(ctx context.Context, env *environment, extra any) error {
	opts := extra.(*loadOptions)
	if *opts.rate <= 0 || *opts.duration <= 0 {
		return errors.New("--rate and --duration: both must be more than zero")
	}
	if !slices.Contains([]string{"concerns", "command", "read"}, *opts.scenario) {
		return fmt.Errorf("--scenario %q: concerns, command or read", *opts.scenario)
	}
	base := strings.TrimRight(*opts.url, "/")
	if base == "" {
		base = "http://" + env.cfg.HTTPAddr
	}
	first := *opts.firstChild
	if first < 0 {
		first = rand.IntN(syntheticChildren)
	}
	reporter, err := loadToken(ctx, env, *opts.reporterTokenFile, *opts.reporter)
	if err != nil {
		return fmt.Errorf("the reporter's token: %w", err)
	}
	api := &loadClient{base: base, http: &http.Client{Timeout: *opts.timeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: 1000, IdleConnTimeout: 90 * time.Second}}}
	children := childNumbers{first: first, school: *opts.school}

	var send loadgen.Request
	switch *opts.scenario {
	case "concerns":
		send = func(ctx context.Context, i int) (int, error) {
			return api.do(ctx, "POST", "/api/v1/concerns", reporter, fmt.Sprintf("load-%d-%d", first, i), children.concern(i), nil)
		}
	default: // command or read
		named, err := loadToken(ctx, env, *opts.namedTokenFile, *opts.named)
		if err != nil {
			return fmt.Errorf("the named person's token: %w", err)
		}
		caseIDs, err := setUpCases(ctx, env.stderr, api, reporter, named, children, *opts.cases)
		if err != nil {
			return err
		}
		send = func(ctx context.Context, i int) (int, error) {
			caseID := caseIDs[i%len(caseIDs)]
			if *opts.scenario == "read" {
				return api.do(ctx, "GET", "/api/v1/cases/"+caseID, named, "", nil, nil)
			}
			return api.do(ctx, "PUT", "/api/v1/cases/"+caseID+"/assessment", named, "", loadAssessment, nil)
		}
	}
	fmt.Fprintf(env.stderr, "offering %s at %.1f/s for %s to %s\n", *opts.scenario, *opts.rate, *opts.duration, base)
	result := loadgen.Run(ctx, loadgen.Plan{Rate: *opts.rate, Duration: *opts.duration, MaxInFlight: *opts.maxInFlight}, send,
		func(s loadgen.Snapshot) {
			if int(s.Elapsed.Seconds())%5 == 0 {
				fmt.Fprintln(env.stderr, s)
			}
		})
	result.Report(env.stdout)
	return nil
}

// loadToken is the bearer token in file, or else one the dev issuer in the data folder signs for
// user – which only `samverkan dev` (and a test deployment sharing its folder) accepts.
func loadToken(ctx context.Context, env *environment, file, user string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		return strings.TrimSpace(string(b)), err
	}
	if _, err := os.Stat(filepath.Join(env.cfg.DataDir, "dev-issuer.pem")); err != nil {
		return "", fmt.Errorf("no dev issuer in %s (run against `samverkan dev`, or give a token file): %w", env.cfg.DataDir, err)
	}
	return signDevToken(ctx, env, user, "", "", "", 2*time.Hour)
}

// setUpCases registers n concerns for new children and has the named person acknowledge each,
// then finds their case IDs in the named person's inbox: a reporter's answer names no case that was
// not theirs to know (README: Security), so the inbox is where a case is found.
func setUpCases(ctx context.Context, progress io.Writer, api *loadClient, reporter, named string, children childNumbers, n int) ([]string, error) {
	fmt.Fprintf(progress, "setting up %d cases\n", n)
	for i := range n {
		status, err := api.do(ctx, "POST", "/api/v1/concerns", reporter, fmt.Sprintf("load-setup-%d-%d", children.first, i), children.concern(-1-i), nil)
		if err != nil || status >= 300 {
			return nil, fmt.Errorf("setting up case %d: status %d: %v", i, status, err)
		}
	}
	// The inbox is the read model, which the projection brings up to date a moment after each
	// concern: wait for it, a while.
	var ids []string
	for wait := time.Now().Add(30 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		found, err := acknowledgeTasks(ctx, api, named)
		if err != nil {
			return nil, err
		}
		if ids = found; len(ids) >= n || time.Now().After(wait) {
			break
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("none of the %d concerns reached the named person's inbox", n)
	}
	// The inbox may hold older cases too: n of them are enough, whichever.
	ids = ids[:min(len(ids), n)]
	for _, id := range ids {
		if status, err := api.do(ctx, "POST", "/api/v1/cases/"+id+"/acknowledgement", named, "", nil, nil); err != nil || status >= 300 {
			return nil, fmt.Errorf("acknowledging case %s: status %d: %v", id, status, err)
		}
	}
	return ids, nil
}

// acknowledgeTasks are the case IDs of the concerns waiting in the named person's inbox.
func acknowledgeTasks(ctx context.Context, api *loadClient, named string) ([]string, error) {
	var ids []string
	cursor := ""
	for {
		var page struct {
			Items []struct {
				CaseID string `json:"caseId"`
				Kind   string `json:"kind"`
			} `json:"items"`
			NextCursor *string `json:"nextCursor"`
		}
		status, err := api.do(ctx, "GET", "/api/v1/me/tasks?limit=100"+cursor, named, "", nil, &page)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("the named person's inbox: status %d: %v", status, err)
		}
		for _, item := range page.Items {
			if item.Kind == string(workflows.TaskAcknowledge) {
				ids = append(ids, item.CaseID)
			}
		}
		if page.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + url.QueryEscape(*page.NextCursor)
	}
	return ids, nil
}

var loadAssessment = map[string]any{
	"areas":     []map[string]any{{"area": "hälsa", "observation": "Ont i magen, äter inte.", "level": "måttlig"}},
	"childView": map[string]any{"view": "Barnet säger att det är jobbigt i matsalen."},
	"fiveQuestions": map[string]any{"haveAllInformation": "Nej.", "obstacles": "Oro.", "whatICanDo": "Samtal.",
		"whatOrgCanDo": "Elevhälsan.", "helpNeeded": "BUP och socialtjänsten."},
}

// loadClient sends JSON to the API.
type loadClient struct {
	base string
	http *http.Client
}

func (c *loadClient) do(ctx context.Context, method, path, token, idempotencyKey string, body, out any) (int, error) {
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return 0, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		return res.StatusCode, json.NewDecoder(res.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, res.Body) // drained, so that the connection is reused
	return res.StatusCode, err
}
