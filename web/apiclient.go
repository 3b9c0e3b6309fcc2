package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Client is the front end's one client of the REST API under /api/v1. Every call carries the
// logged-in user's own token, so need-to-know, consent, validation and the access log are the API's,
// decided once, and the front end decides none of them.
//
// It is written by hand rather than generated from api/openapi.yaml. oapi-codegen v2.8.2 (the
// maintained generator; its runtime v1.9.0) was tried on the document: it stops at the parameter
// and the schema both named PlanVersion, and with one of them renamed it writes 21,000 lines of
// pointer-to-everything types for ~50 operations, of which the pages use a dozen. Renaming would
// mean editing the API's document for the generator's sake, and the generated types would still
// need wrapping for templates. So each method here is a few lines over one do(), its request and
// answer types are plain structs (apiclient_types.go), and apiclient_contract_test.go holds every
// method against the document: its method and path are an operation there, the body it sends
// validates against the operation's schema, and every field of the request and answer types is a
// property the document defines, with a matching type.
type Client struct {
	base string       // scheme://host of the API, without /api/v1
	http *http.Client // in process (InProcessTransport) or over the network
}

// NewClient returns a client of the API at base ("http://api.internal:8080"); transport nil means
// http.DefaultTransport.
func NewClient(base string, transport http.RoundTripper) *Client {
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &Client{base: strings.TrimSuffix(base, "/"), http: &http.Client{Transport: transport, CheckRedirect: noRedirects}}
}

// The API answers, it never redirects: a redirect would carry the token elsewhere.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Problem is an error answer of the API (RFC 9457 problem+json), as the pages show it: Detail and
// each field's Reason are Swedish texts meant for the user.
type Problem struct {
	Status    int          `json:"status"`
	Title     string       `json:"title"`
	Detail    string       `json:"detail,omitempty"`
	Fields    []FieldError `json:"fields,omitempty"`
	RequestID string       `json:"requestId,omitempty"`
}

// FieldError names one bad input field by its JSON path ("child.schooling.unitId", "areas[1]").
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (p *Problem) Error() string {
	return fmt.Sprintf("api answered %d (%d fields)", p.Status, len(p.Fields))
}

// ProblemStatus is the status of the API's problem in err, or 0 when err is no answer of the API
// (the API could not be reached).
func ProblemStatus(err error) int {
	var p *Problem
	if errors.As(err, &p) {
		return p.Status
	}
	return 0
}

// call is one request to the API.
type call struct {
	method, path   string
	query          url.Values
	token          string
	idempotencyKey string
	body           any // JSON, or nil for none
}

// do sends c and decodes a 2xx answer's JSON into out (when out is not nil). Any other answer is a
// *Problem: the API's own, or one made here when the answer was not problem+json.
func (cl *Client) do(ctx context.Context, c call, out any) error {
	req, err := cl.request(ctx, c)
	if err != nil {
		return err
	}
	res, err := cl.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", c.method, c.path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return problemFrom(res, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", c.method, c.path, err)
	}
	return nil
}

// problemFrom is the API's problem in a non-2xx answer, or one made here when the answer was not
// problem+json.
func problemFrom(res *http.Response, raw []byte) *Problem {
	p := &Problem{}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") || json.Unmarshal(raw, p) != nil {
		p = &Problem{Title: http.StatusText(res.StatusCode)}
	}
	p.Status = res.StatusCode
	return p
}

func (cl *Client) request(ctx context.Context, c call) (*http.Request, error) {
	var body io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", c.method, c.path, err)
		}
		body = bytes.NewReader(b)
	}
	u := cl.base + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	req.Header.Set("Accept", "application/json")
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", c.idempotencyKey)
	}
	// The browser's address, for the API's per-address limit and access log: a remote API believes
	// it when the front end is one of its SAMVERKAN_TRUSTED_PROXIES; in process it is the peer.
	if addr := clientAddrFrom(ctx); addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	return req, nil
}

// casePath is /api/v1/cases/{caseId}[/rest…], the case ID escaped as one path segment.
func casePath(caseID string, rest ...string) string {
	p := "/api/v1/cases/" + url.PathEscape(caseID)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

func pageQuery(cursor string, limit int) url.Values {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return q
}
