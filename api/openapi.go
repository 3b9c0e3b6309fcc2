package api

import (
	_ "embed"
	"sync"

	"github.com/samverkan/samverkan/api/docs"
)

// openAPIYAML is the API's OpenAPI 3.1 document, written by hand next to the handlers it
// describes (README: API documentation says why). openapi_test.go keeps it true: every route is in
// it and everything in it is a route; the end-to-end tests validate every answer against it.
//
//go:embed openapi.yaml
var openAPIYAML []byte

var openAPIDocument = sync.OnceValues(func() (docs.Document, error) { return docs.Build(openAPIYAML) })

// OpenAPIJSON is the OpenAPI document as GET /api/v1/openapi.json serves it; the end-to-end tests
// validate answers against exactly these bytes.
func OpenAPIJSON() ([]byte, error) {
	doc, err := openAPIDocument()
	return doc.JSON, err
}
