package docs

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The docs page (GET /api/v1/docs) is the OpenAPI document rendered on the server as plain HTML,
// nothing fetched from elsewhere, so it reads without script and on an offline machine; Swagger UI
// (assets.go) replaces it when script runs. It reads only what it shows; the document itself is
// the reference.

// ordered is a YAML mapping read in the document's order.
type ordered[T any] []keyed[T]

type keyed[T any] struct {
	Key   string
	Value T
}

func (o *ordered[T]) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var v T
		if err := n.Content[i+1].Decode(&v); err != nil {
			return err
		}
		*o = append(*o, keyed[T]{Key: n.Content[i].Value, Value: v})
	}
	return nil
}

type docSpec struct {
	Info struct {
		Title       string `yaml:"title"`
		Version     string `yaml:"version"`
		Summary     string `yaml:"summary"`
		Description string `yaml:"description"`
	} `yaml:"info"`
	Paths      ordered[ordered[docOperation]] `yaml:"paths"`
	Components struct {
		SecuritySchemes ordered[struct {
			Description string `yaml:"description"`
		}] `yaml:"securitySchemes"`
		Parameters    map[string]docParam       `yaml:"parameters"`
		RequestBodies map[string]docRequestBody `yaml:"requestBodies"`
		Responses     map[string]docResponse    `yaml:"responses"`
		Headers       map[string]docHeader      `yaml:"headers"`
		Schemas       ordered[*docSchema]       `yaml:"schemas"`
	} `yaml:"components"`
}

type docOperation struct {
	Summary     string                `yaml:"summary"`
	Description string                `yaml:"description"`
	OperationID string                `yaml:"operationId"`
	Security    *[]map[string]any     `yaml:"security"` // nil: the document's (a bearer token)
	Parameters  []docParam            `yaml:"parameters"`
	RequestBody *docRequestBody       `yaml:"requestBody"`
	Responses   ordered[*docResponse] `yaml:"responses"`
}

type docParam struct {
	Ref         string     `yaml:"$ref"`
	Name        string     `yaml:"name"`
	In          string     `yaml:"in"`
	Description string     `yaml:"description"`
	Required    bool       `yaml:"required"`
	Schema      *docSchema `yaml:"schema"`
}

type docRequestBody struct {
	Ref      string            `yaml:"$ref"`
	Required bool              `yaml:"required"`
	Content  ordered[docMedia] `yaml:"content"`
}

type docResponse struct {
	Ref         string             `yaml:"$ref"`
	Description string             `yaml:"description"`
	Headers     ordered[docHeader] `yaml:"headers"`
	Content     ordered[docMedia]  `yaml:"content"`
}

type docHeader struct {
	Ref         string `yaml:"$ref"`
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
}

type docMedia struct {
	Schema *docSchema `yaml:"schema"`
}

type docSchema struct {
	Ref                   string              `yaml:"$ref"`
	Type                  yaml.Node           `yaml:"type"` // a name, or a list of names
	Format                string              `yaml:"format"`
	Pattern               string              `yaml:"pattern"`
	Description           string              `yaml:"description"`
	Enum                  []string            `yaml:"enum"`
	Default               any                 `yaml:"default"`
	Items                 *docSchema          `yaml:"items"`
	Properties            ordered[*docSchema] `yaml:"properties"`
	Required              []string            `yaml:"required"`
	AllOf                 []*docSchema        `yaml:"allOf"`
	AnyOf                 []*docSchema        `yaml:"anyOf"`
	AdditionalProperties  any                 `yaml:"additionalProperties"`
	UnevaluatedProperties any                 `yaml:"unevaluatedProperties"`
	MinLength             *int                `yaml:"minLength"`
	MaxLength             *int                `yaml:"maxLength"`
	MinItems              *int                `yaml:"minItems"`
	Minimum               *int                `yaml:"minimum"`
	Maximum               *int                `yaml:"maximum"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// renderDocs renders the document (its parsed YAML) as the docs page.
func renderDocs(root *yaml.Node) ([]byte, error) {
	var spec docSpec
	if err := root.Decode(&spec); err != nil {
		return nil, err
	}
	page := docsPageData{Spec: &spec}
	for _, p := range spec.Paths {
		for _, op := range p.Value {
			if slices.Contains(httpMethods, op.Key) {
				o := op.Value
				page.Operations = append(page.Operations, docsOperation{Method: strings.ToUpper(op.Key), Path: p.Key, Op: &o})
			}
		}
	}
	var buf bytes.Buffer
	if err := docsTemplate(&spec).Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type docsPageData struct {
	Spec       *docSpec
	Operations []docsOperation
}

type docsOperation struct {
	Method, Path string
	Op           *docOperation
}

func (o docsOperation) Anchor() string {
	if o.Op.OperationID != "" {
		return "op-" + o.Op.OperationID
	}
	return "op-" + strings.ToLower(o.Method) + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(o.Path)
}

func (o docsOperation) Open() bool { return o.Op.Security != nil && len(*o.Op.Security) == 0 }

var inlineCode = regexp.MustCompile("`([^`]+)`")

// prose renders a description: paragraphs at blank lines, `code` in backticks; everything escaped.
func prose(s string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			text := inlineCode.ReplaceAllString(html.EscapeString(para), "<code>$1</code>")
			b.WriteString("<p>" + text + "</p>\n")
		}
	}
	return template.HTML(b.String()) // escaped above
}

// refName is the last segment of a $ref: "#/components/schemas/Case" → "Case".
func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func schemaLink(name string) string {
	return `<a href="#schema-` + html.EscapeString(name) + `">` + html.EscapeString(name) + `</a>`
}

// typeOf says in a few words what a schema is, linking the named schemas it refers to.
func typeOf(s *docSchema) template.HTML {
	if s == nil {
		return "any"
	}
	return template.HTML(typeText(s)) // every piece is escaped or a link built from escaped names
}

func typeText(s *docSchema) string {
	if s.Ref != "" {
		return schemaLink(refName(s.Ref))
	}
	var alts []string
	for _, a := range s.AnyOf {
		alts = append(alts, typeText(a))
	}
	for _, a := range s.AllOf {
		alts = append(alts, typeText(a))
	}
	if len(alts) > 0 {
		join := " or "
		if len(s.AllOf) > 0 {
			join = " and "
		}
		return strings.Join(alts, join)
	}
	var names []string
	switch s.Type.Kind {
	case yaml.ScalarNode:
		names = []string{s.Type.Value}
	case yaml.SequenceNode:
		for _, n := range s.Type.Content {
			names = append(names, n.Value)
		}
	}
	for i, n := range names {
		switch n {
		case "array":
			names[i] = "array of " + typeText(orEmpty(s.Items))
		case "null":
		default:
			names[i] = html.EscapeString(n) + schemaDetail(s)
		}
	}
	if len(names) == 0 {
		return "any"
	}
	return strings.Join(names, " or ")
}

func orEmpty(s *docSchema) *docSchema {
	if s == nil {
		return &docSchema{}
	}
	return s
}

// schemaDetail is a scalar's format, values and bounds, e.g. " (date-time)" or ", one of: a, b".
func schemaDetail(s *docSchema) string {
	var parts []string
	if s.Format != "" {
		parts = append(parts, s.Format)
	}
	if len(s.Enum) > 0 {
		parts = append(parts, "one of: "+strings.Join(s.Enum, ", "))
	}
	if s.MinLength != nil {
		parts = append(parts, fmt.Sprintf("at least %d characters", *s.MinLength))
	}
	if s.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("at most %d characters", *s.MaxLength))
	}
	if s.Minimum != nil {
		parts = append(parts, fmt.Sprintf("≥ %d", *s.Minimum))
	}
	if s.Maximum != nil {
		parts = append(parts, fmt.Sprintf("≤ %d", *s.Maximum))
	}
	if s.Default != nil {
		parts = append(parts, fmt.Sprintf("default %v", s.Default))
	}
	if s.Pattern != "" {
		parts = append(parts, "pattern "+s.Pattern)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + html.EscapeString(strings.Join(parts, "; ")) + ")"
}

// closed: the schema allows no other fields (for a request body: unknown fields are a 400).
func closed(s *docSchema) bool {
	return s.AdditionalProperties == false || s.UnevaluatedProperties == false
}

// bases are the named schemas whose fields a schema also has (allOf).
func bases(s *docSchema) []string {
	var out []string
	for _, a := range s.AllOf {
		if a.Ref != "" {
			out = append(out, refName(a.Ref))
		}
	}
	return out
}
