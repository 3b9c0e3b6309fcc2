package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api"
)

// openAPI is the API's OpenAPI document exactly as GET /api/v1/openapi.json serves it, loaded once
// for every test in this binary, and the router that finds a request's operation in it.
var openAPI = sync.OnceValues(func() (*openAPIDoc, error) {
	raw, err := api.OpenAPIJSON()
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &openAPIDoc{doc: doc, router: router}, nil
})

type openAPIDoc struct {
	doc    *openapi3.T
	router routers.Router
}

// checkAnswer fails the test when an answer does not match api/openapi.yaml: the status must be one
// the operation documents, and the content type, the documented headers and the body must match.
// The document is OpenAPI 3.1, which kin-openapi validates with a JSON Schema 2020-12 validator.
// A request that reaches no documented operation (a path or method the API does not have) must
// be answered 404 or 405 with a problem document.
func (s *system) checkAnswer(req *http.Request, res *http.Response, body []byte) {
	s.t.Helper()
	o, err := openAPI()
	require.NoError(s.t, err, "load api/openapi.yaml")
	route, params, err := o.router.FindRoute(req)
	if err != nil {
		require.Contains(s.t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, res.StatusCode,
			"%s %s is not in api/openapi.yaml (%v), yet answered %d: %s", req.Method, req.URL.Path, err, res.StatusCode, body)
		require.Equal(s.t, "application/problem+json", res.Header.Get("Content-Type"), "%s %s", req.Method, req.URL.Path)
		var problem any
		require.NoError(s.t, json.Unmarshal(body, &problem), "%s %s: %s", req.Method, req.URL.Path, body)
		require.NoError(s.t, o.doc.Components.Schemas["Problem"].Value.VisitJSON(problem, openapi3.EnableJSONSchema2020()),
			"%s %s answered %d with something other than a problem: %s", req.Method, req.URL.Path, res.StatusCode, body)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	require.NoError(s.t, openapi3filter.ValidateResponse(context.Background(), in),
		"%s %s answered %d as api/openapi.yaml does not say: %s", req.Method, route.Path, res.StatusCode, body)
}
