// Package docs serves the API's OpenAPI document (GET /api/v1/openapi.json) and a page to read and
// try it (GET /api/v1/docs): the document rendered as HTML on the server, which Swagger UI, served
// beside it, turns into its interactive form when script runs.
package docs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"

	"github.com/samverkan/samverkan/api/httpkit"
)

// Document is the OpenAPI document as the API serves it, made once: JSON, and the docs page.
type Document struct {
	JSON []byte
	HTML []byte
}

// Build makes the served document of the YAML one.
func Build(yamlDoc []byte) (Document, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(yamlDoc, &root); err != nil {
		return Document{}, fmt.Errorf("read openapi.yaml: %w", err)
	}
	var compact bytes.Buffer
	if err := writeJSON(&compact, &root); err != nil {
		return Document{}, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	var out Document
	var indented bytes.Buffer
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		return out, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	out.JSON = indented.Bytes()
	page, err := renderDocs(&root)
	if err != nil {
		return out, fmt.Errorf("docs page: %w", err)
	}
	out.HTML = page
	return out, nil
}

// docsPolicy is the docs page's Content-Security-Policy: scripts only from the API's own origin,
// none inline; nothing from elsewhere.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handlers serves the document.
type Handlers struct {
	Document func() (Document, error)
}

// Routes registers the document and its docs page, without a token: they hold no data, and a
// front-end developer should be able to read them before they have a login.
func (s *Handlers) Routes(r *gin.Engine) {
	r.GET("/api/v1/openapi.json", s.openAPI)
	r.GET("/api/v1/docs", s.docsPage)
	r.GET("/api/v1/docs/assets/:file", s.asset)
}

func (s *Handlers) openAPI(c *gin.Context) {
	doc, err := s.Document()
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json", doc.JSON)
}

func (s *Handlers) docsPage(c *gin.Context) {
	doc, err := s.Document()
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	// The page is the document rendered as HTML, which Swagger UI replaces when its script runs (the
	// page's own assets, no inline script). Swagger UI sets styles inline, and "try it out" calls
	// this API from the page: connect-src 'self'.
	c.Header("Content-Security-Policy", docsPolicy)
	c.Data(http.StatusOK, "text/html; charset=utf-8", doc.HTML)
}

// writeJSON writes a YAML node as JSON, keeping the order of mappings, so the served document reads
// as the YAML does. Aliases are followed; merge keys (<<) are refused, since they would need the
// merge rules of YAML 1.1 that JSON readers of the document do not know.
func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("line %d: a document holds one value", n.Line)
		}
		return writeJSON(buf, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if key.Tag == "!!merge" {
				return fmt.Errorf("line %d: merge keys are not supported", key.Line)
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeScalar(buf, key.Value); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := writeJSON(buf, value); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, item); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		return writeScalar(buf, v)
	default:
		return fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	return nil
}

// writeScalar writes one value as JSON, leaving <, > and & as they are (the document is not HTML).
func writeScalar(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode ends with a newline
	return nil
}
