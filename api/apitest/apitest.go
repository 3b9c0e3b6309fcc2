// Package apitest helps the tests of the API's rooms: a table of tokens, a codec that changes
// nothing, and the OpenAPI document with the check of an answer against it. Only tests import it.
package apitest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"

	"github.com/samverkan/samverkan/api/docs"
	"github.com/samverkan/samverkan/auth"
)

// Tokens verifies a token by looking it up; any other token is invalid (401).
type Tokens map[string]auth.Claims

func (tt Tokens) Verify(_ context.Context, token string) (auth.Claims, error) {
	if c, ok := tt[token]; ok {
		return c, nil
	}
	return auth.Claims{}, &auth.Error{Kind: auth.KindInvalid}
}

// NopCodec stands in for the payload codec, so the codec's routes are registered.
type NopCodec struct{}

func (NopCodec) Encode(p []*commonpb.Payload) ([]*commonpb.Payload, error) { return p, nil }
func (NopCodec) Decode(p []*commonpb.Payload) ([]*commonpb.Payload, error) { return p, nil }

// Document is the API's OpenAPI document as the server serves it (api/openapi.yaml through
// docs.Build), checked to be a valid OpenAPI 3.1 document.
func Document(t testing.TB) *openapi3.T {
	t.Helper()
	_, here, _, ok := runtime.Caller(0)
	require.True(t, ok)
	yamlDoc, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "openapi.yaml"))
	require.NoError(t, err)
	served, err := docs.Build(yamlDoc)
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(served.JSON)
	require.NoError(t, err)
	require.True(t, doc.IsOpenAPI31OrLater(), "the document is OpenAPI %s", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

// RequireDocumentedAnswer fails the test when the answer to req is not as the document says.
func RequireDocumentedAnswer(t testing.TB, doc *openapi3.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(strings.NewReader(rec.Body.String())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), in), "%s %s → %d", req.Method, req.URL.Path, rec.Code)
}
