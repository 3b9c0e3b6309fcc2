package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/db/dbtest"
)

// The OpenAPI document is written by hand (README: API documentation); these tests keep it true to
// the router. The end-to-end tests (cmd/samverkan, system.checkAnswer) keep it true to the answers.

// routerOfServer is the whole router as the binary builds it, every optional route on.
func routerOfServer(t *testing.T) *gin.Engine {
	t.Helper()
	s := &Server{Logger: slog.New(slog.DiscardHandler), Tokens: apitest.Tokens{}, Codec: apitest.NopCodec{}, CodecOrigins: []string{uiOrigin}}
	engine, ok := s.Handler().(*gin.Engine)
	require.True(t, ok, "Server.Handler no longer returns the gin engine: read its routes another way here")
	return engine
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// ginRoutes are the router's routes as "METHOD /path/{param}", OpenAPI's spelling.
func ginRoutes(r gin.RoutesInfo) []string {
	out := make([]string, 0, len(r))
	for _, route := range r {
		out = append(out, route.Method+" "+ginParam.ReplaceAllString(route.Path, "{$1}"))
	}
	return out
}

// documentedRoutes are the document's operations as "METHOD /path/{param}".
func documentedRoutes(doc *openapi3.T) []string {
	var out []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	return out
}

// compareRoutes lists the routes the document lacks and the documented routes the router lacks.
func compareRoutes(router, documented []string) (undocumented, missing []string) {
	for _, r := range router {
		if !slices.Contains(documented, r) {
			undocumented = append(undocumented, r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(router, d) {
			missing = append(missing, d)
		}
	}
	slices.Sort(undocumented)
	slices.Sort(missing)
	return undocumented, missing
}

func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	doc := apitest.Document(t)
	undocumented, missing := compareRoutes(ginRoutes(routerOfServer(t).Routes()), documentedRoutes(doc))
	for _, r := range undocumented {
		t.Errorf("route %s is not in api/openapi.yaml", r)
	}
	for _, r := range missing {
		t.Errorf("api/openapi.yaml documents %s, which the router does not have", r)
	}

	t.Run("the comparison finds a route missing on either side", func(t *testing.T) {
		router := []string{"GET /api/v1/cases/{caseId}", "POST /api/v1/cases/{caseId}/closing", "GET /api/v1/new"}
		documented := []string{"GET /api/v1/cases/{caseId}", "POST /api/v1/cases/{caseId}/closing", "PUT /api/v1/old"}
		undocumented, missing := compareRoutes(router, documented)
		require.Equal(t, []string{"GET /api/v1/new"}, undocumented)
		require.Equal(t, []string{"PUT /api/v1/old"}, missing)

		routes := ginRoutes(gin.RoutesInfo{{Method: "POST", Path: "/api/v1/audit/reviews/:reviewId/sign-off"}})
		_, missing = compareRoutes(routes, []string{"POST /api/v1/audit/reviews/{id}/sign-off"})
		require.Equal(t, []string{"POST /api/v1/audit/reviews/{id}/sign-off"}, missing, "a renamed parameter is a different route")
	})
}

// TestServedDocumentIsTheYAML: the JSON served is the YAML, value for value, in the YAML's order.
func TestServedDocumentIsTheYAML(t *testing.T) {
	var fromYAML any
	require.NoError(t, yaml.Unmarshal(openAPIYAML, &fromYAML))
	b, err := json.Marshal(fromYAML) // numbers as JSON reads them back
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal(b, &want))
	raw, err := OpenAPIJSON()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &got))
	require.Equal(t, want, got)
	require.True(t, strings.HasPrefix(string(raw), "{\n  \"openapi\": \"3.1.0\",\n  \"info\""), "the YAML's order is kept")
}

func TestDocumentAndDocsPageNeedNoToken(t *testing.T) {
	doc := apitest.Document(t)
	h := routerOfServer(t)
	get := func(path string) (*http.Request, *httptest.ResponseRecorder) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return req, rec
	}

	req, rec := get("/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, rec.Code)
	served, _ := OpenAPIJSON()
	require.Equal(t, served, rec.Body.Bytes())
	apitest.RequireDocumentedAnswer(t, doc, req, rec)

	req, rec = get("/api/v1/docs")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	require.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'none'")
	apitest.RequireDocumentedAnswer(t, doc, req, rec)
	require.Contains(t, strings.Split(rec.Header().Get("Content-Security-Policy"), "; "), "script-src 'self'", "scripts from the API only, none inline")
	page := rec.Body.String()
	require.Equal(t, []string{`<script src="/api/v1/docs/assets/swagger-ui-bundle.js">`, `<script src="/api/v1/docs/assets/docs.js">`},
		regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1), "only the page's own script files, none inline")
	for _, file := range []string{"swagger-ui-bundle.js", "swagger-ui.css", "docs.js"} {
		req, rec := get("/api/v1/docs/assets/" + file)
		require.Equal(t, http.StatusOK, rec.Code, file)
		require.NotEmpty(t, rec.Body.Bytes(), file)
		apitest.RequireDocumentedAnswer(t, doc, req, rec)
	}
	_, rec = get("/api/v1/docs/assets/swagger-ui.js.map")
	require.Equal(t, http.StatusNotFound, rec.Code, "only the files the page needs")
	for path, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			require.Contains(t, page, `id="op-`+op.OperationID+`"`, "the page lacks %s", path)
		}
	}
	for name := range doc.Components.Schemas {
		require.Contains(t, page, `id="schema-`+name+`"`)
	}
	require.Contains(t, page, `<a href="#schema-Case">Case</a>`, "a schema's name links to it")

	req, rec = get("/api/v1/units")
	require.Equal(t, http.StatusUnauthorized, rec.Code, "the rest of /api/v1 still needs a token")
	apitest.RequireDocumentedAnswer(t, doc, req, rec)
}

// TestAnswerValidationCatchesDrift proves the validation the end-to-end tests rely on fails when an
// answer and the document disagree: a field the document lacks, a wrong type, a time that is not
// local, an undocumented status, and a problem sent as plain JSON.
func TestAnswerValidationCatchesDrift(t *testing.T) {
	doc := apitest.Document(t)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	validate := func(method, path string, status int, contentType, body string) error {
		req := httptest.NewRequest(method, path, nil)
		route, params, err := router.FindRoute(req)
		require.NoError(t, err)
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 status,
			Header:                 http.Header{"Content-Type": {contentType}},
			Options:                &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes([]byte(body))
		return openapi3filter.ValidateResponse(context.Background(), in)
	}
	const tasks = "/api/v1/me/tasks"
	const task = `{"caseId":"c","kind":"acknowledge","title":"Ta emot","dueAt":%s,"overdue":false}`
	okTask := strings.Replace(task, "%s", `"2026-11-27T23:59:59+01:00"`, 1)
	require.NoError(t, validate("GET", tasks, 200, "application/json; charset=utf-8", `{"items":[`+okTask+`],"nextCursor":null}`))
	require.NoError(t, validate("GET", tasks, 200, "application/json", `{"items":[`+strings.Replace(task, "%s", "null", 1)+`],"nextCursor":"x"}`))

	// A step's schema extends Recorded (allOf) and is closed with unevaluatedProperties.
	const caseID = "/api/v1/cases/aaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbb"
	const ack = `{"caseId":"c","namedPersonUnit":null,"suspectsHarm":false,"overdue":false,"deadlines":[],"concerns":[],"view":"full","archived":false,` +
		`"actions":[{"command":"delegate","method":"POST","path":"/api/v1/cases/c/delegation"}],` +
		`"acknowledged":{"by":{"user":"u","role":"named_person","unit":"x"},"occurredAt":"2026-11-26T09:30:00+01:00","recordedAt":"2026-11-26T09:31:00+01:00"%s}}`
	require.NoError(t, validate("GET", caseID, 200, "application/json", strings.Replace(ack, "%s", "", 1)))
	require.Error(t, validate("GET", caseID, 200, "application/json", strings.Replace(ack, "%s", `,"extra":1`, 1)), "a field a step lacks")
	require.Error(t, validate("GET", caseID, 200, "application/json", strings.Replace(ack, `,"recordedAt":"2026-11-26T09:31:00+01:00"`, "", 1)), "a field Recorded requires")

	for name, answer := range map[string]struct {
		status            int
		contentType, body string
	}{
		"an undocumented field": {200, "application/json", `{"items":[],"nextCursor":null,"total":3}`},
		"a wrong type":          {200, "application/json", `{"items":[],"nextCursor":7}`},
		"a missing field":       {200, "application/json", `{"items":[]}`},
		"a time in UTC":         {200, "application/json", `{"items":[` + strings.Replace(task, "%s", `"2026-11-27T22:59:59Z"`, 1) + `],"nextCursor":null}`},
		"an unknown enum value": {200, "application/json", `{"items":[` + strings.Replace(okTask, "acknowledge", "dance", 1) + `],"nextCursor":null}`},
		"an undocumented status": {http.StatusTeapot, "application/problem+json",
			`{"type":"about:blank","title":"I'm a teapot","status":418}`},
		"a problem as plain JSON": {400, "application/json", `{"type":"about:blank","title":"Bad Request","status":400}`},
	} {
		require.Error(t, validate("GET", tasks, answer.status, answer.contentType, answer.body), name)
	}
}

// TestErrorAnswersAreDocumented sends what the end-to-end tests do not – a wrong content type, a body
// over the limit, a path or method the API does not have – through the whole router and validates the
// answers against the document.
func TestErrorAnswersAreDocumented(t *testing.T) {
	doc := apitest.Document(t)
	s := &Server{DB: dbtest.Open(t), Logger: slog.New(slog.DiscardHandler), Codec: apitest.NopCodec{}, Tokens: apitest.Tokens{
		"chef":   {User: "david.chef", Role: "supervisor", Unit: "skola"},
		"larare": {User: "anna.larare", Role: "reporter", Unit: "skola"},
	}}
	h := s.Handler()
	send := func(method, path, token, contentType, body string) (*http.Request, *httptest.ResponseRecorder) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return req, rec
	}
	const aCase = "/api/v1/cases/aaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbb"
	big := `{"observation":"` + strings.Repeat("x", httpkit.MaxBodyBytes) + `"}`
	for _, tc := range []struct {
		name                             string
		method, path, token, ctype, body string
		status                           int
	}{
		{"no token", "GET", "/api/v1/units", "", "", "", http.StatusUnauthorized},
		{"a token nobody issued", "GET", "/api/v1/me/tasks", "forged", "", "", http.StatusUnauthorized},
		{"a concern as text", "POST", "/api/v1/concerns", "larare", "text/plain", "oro", http.StatusUnsupportedMediaType},
		{"a concern over 64 kB", "POST", "/api/v1/concerns", "larare", "application/json", big, http.StatusRequestEntityTooLarge},
		{"a concern with an unknown field", "POST", "/api/v1/concerns", "larare", "application/json", `{"colour":"blue"}`, http.StatusBadRequest},
		{"a command as text", "POST", aCase + "/acknowledgement", "chef", "text/plain", "ok", http.StatusUnsupportedMediaType},
		{"a command over 64 kB", "PUT", aCase + "/assessment", "chef", "application/json", big, http.StatusRequestEntityTooLarge},
		{"a command on a case that is not one", "POST", "/api/v1/cases/not-a-case/closing", "chef", "application/json", `{"reason":"needs_met"}`, http.StatusNotFound},
		{"a list with a bad limit", "GET", "/api/v1/cases?limit=0", "chef", "", "", http.StatusBadRequest},
		{"a sign-off as text", "POST", "/api/v1/audit/reviews/r1/sign-off", "chef", "text/plain", "note", http.StatusUnsupportedMediaType},
		{"payloads that are not payloads", "POST", "/api/v1/codec/decode", "chef", "application/json", `{"payloads":7}`, http.StatusBadRequest},
		{"payloads as text", "POST", "/api/v1/codec/encode", "chef", "text/plain", "x", http.StatusUnsupportedMediaType},
		{"a preflight from an unknown origin", "OPTIONS", "/api/v1/codec/decode", "", "", "", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, rec := send(tc.method, tc.path, tc.token, tc.ctype, tc.body)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			apitest.RequireDocumentedAnswer(t, doc, req, rec)
		})
	}
	t.Run("over the rate limit", func(t *testing.T) {
		limited := &Server{Logger: slog.New(slog.DiscardHandler), Tokens: apitest.Tokens{}, RatePerAddress: RateLimit{PerSecond: 0.001, Burst: 1}}
		h := limited.Handler()
		for _, path := range []string{"/api/v1/units", "/api/v1/units", "/api/v1/openapi.json"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer forged")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			apitest.RequireDocumentedAnswer(t, doc, req, rec)
			if rec.Code == http.StatusTooManyRequests {
				return
			}
		}
		t.Fatal("the address limit never answered 429")
	})
	t.Run("a path or method the API does not have is a problem", func(t *testing.T) {
		for _, tc := range []struct {
			method, path string
			status       int
		}{{"GET", "/api/v1/nothing", http.StatusNotFound}, {"DELETE", aCase, http.StatusMethodNotAllowed}} {
			_, rec := send(tc.method, tc.path, "chef", "", "")
			require.Equal(t, tc.status, rec.Code)
			require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			var problem any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &problem))
			require.NoError(t, doc.Components.Schemas["Problem"].Value.VisitJSON(problem, openapi3.EnableJSONSchema2020()))
		}
	})
}
