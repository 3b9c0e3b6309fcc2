package docs

import (
	"html/template"
	"slices"
)

// docsTemplate is the docs page's template, with the functions that resolve the document's
// references to its components.
func docsTemplate(spec *docSpec) *template.Template {
	c := &spec.Components
	return template.Must(template.New("docs").Funcs(template.FuncMap{
		"prose":  prose,
		"typeOf": typeOf,
		"link":   func(name string) template.HTML { return template.HTML(schemaLink(name)) }, // schemaLink escapes
		"closed": closed,
		"bases":  bases,
		"has":    func(list []string, s string) bool { return slices.Contains(list, s) },
		"param": func(p docParam) docParam {
			if p.Ref != "" {
				return c.Parameters[refName(p.Ref)]
			}
			return p
		},
		"body": func(b *docRequestBody) *docRequestBody {
			if b.Ref != "" {
				r := c.RequestBodies[refName(b.Ref)]
				return &r
			}
			return b
		},
		"response": func(r *docResponse) *docResponse {
			if r.Ref != "" {
				resolved := c.Responses[refName(r.Ref)]
				return &resolved
			}
			return r
		},
		"header": func(h docHeader) docHeader {
			if h.Ref != "" {
				return c.Headers[refName(h.Ref)]
			}
			return h
		},
	}).Parse(docsHTML))
}

const docsHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Spec.Info.Title}}</title>
<link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css">
<style id="plain-style">
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 0 auto; padding: 1rem 2rem; color: #1d1d1f; }
h1 small { font-weight: normal; color: #666; font-size: 60%; }
h2 { border-bottom: 2px solid #ddd; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
code { font: 13px/1.4 ui-monospace, monospace; background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e3e3e3; padding: .3rem .5rem; }
td p { margin: 0 0 .3rem; }
.method { display: inline-block; min-width: 4.5rem; font: bold 13px ui-monospace, monospace; color: #fff; background: #555; padding: .1rem .4rem; border-radius: 3px; text-align: center; }
.op, .schema { border-top: 1px solid #eee; }
.note { color: #555; font-style: italic; }
</style>
</head>
<body>
<div id="swagger-ui">
<header>
<h1>{{.Spec.Info.Title}} <small>version {{.Spec.Info.Version}}</small></h1>
<p><strong>{{.Spec.Info.Summary}}</strong></p>
<p>The machine-readable document is <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a> (OpenAPI 3.1). This page is rendered from it.</p>
</header>
<section id="overview">
<h2>Overview</h2>
{{prose .Spec.Info.Description}}
{{range .Spec.Components.SecuritySchemes}}<p><strong>Token ({{.Key}}):</strong> {{prose .Value.Description}}</p>{{end}}
</section>
<section id="endpoints">
<h2>Endpoints</h2>
<table>
<thead><tr><th>Method</th><th>Path</th><th>What</th><th>Token</th></tr></thead>
<tbody>
{{range .Operations}}<tr><td><code>{{.Method}}</code></td><td><a href="#{{.Anchor}}"><code>{{.Path}}</code></a></td><td>{{.Op.Summary}}</td><td>{{if .Open}}none{{else}}bearer{{end}}</td></tr>
{{end}}</tbody>
</table>
{{range .Operations}}
<section class="op" id="{{.Anchor}}">
<h3><span class="method">{{.Method}}</span> <code>{{.Path}}</code></h3>
<p><strong>{{.Op.Summary}}</strong>{{if .Open}} – needs no token.{{end}}</p>
{{prose .Op.Description}}
{{with .Op.Parameters}}<h4>Parameters</h4>
<table>
<thead><tr><th>Name</th><th>In</th><th>Type</th><th></th><th>Description</th></tr></thead>
<tbody>
{{range .}}{{with param .}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{typeOf .Schema}}</td><td>{{if .Required}}required{{end}}</td><td>{{prose .Description}}</td></tr>
{{end}}{{end}}</tbody>
</table>
{{end}}{{with .Op.RequestBody}}{{with body .}}<h4>Request body{{if not .Required}} (optional){{end}}</h4>
{{range .Content}}<p><code>{{.Key}}</code>: {{typeOf .Value.Schema}}</p>{{end}}
{{end}}{{end}}<h4>Responses</h4>
<table>
<thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead>
<tbody>
{{range .Op.Responses}}{{$status := .Key}}{{with response .Value}}<tr><td><code>{{$status}}</code></td><td>{{prose .Description}}{{range .Headers}}{{$name := .Key}}{{with header .Value}}<p>Header <code>{{$name}}</code>{{if .Required}} (always){{end}}:</p>{{prose .Description}}{{end}}{{end}}</td><td>{{range .Content}}<code>{{.Key}}</code>{{with .Value.Schema}}: {{typeOf .}}{{end}}<br>{{end}}</td></tr>
{{end}}{{end}}</tbody>
</table>
</section>
{{end}}
</section>
<section id="schemas">
<h2>Schemas</h2>
{{range .Spec.Components.Schemas}}{{$s := .Value}}
<section class="schema" id="schema-{{.Key}}">
<h3>{{.Key}}</h3>
{{prose $s.Description}}
{{with bases $s}}<p>Has every field of {{range $i, $b := .}}{{if $i}}, {{end}}{{link $b}}{{end}}{{if $s.Properties}}, and:{{else}}.{{end}}</p>{{end}}
{{if $s.Properties}}<table>
<thead><tr><th>Field</th><th>Type</th><th></th><th>Description</th></tr></thead>
<tbody>
{{range $s.Properties}}<tr><td><code>{{.Key}}</code></td><td>{{typeOf .Value}}</td><td>{{if has $s.Required .Key}}required{{end}}</td><td>{{prose .Value.Description}}</td></tr>
{{end}}</tbody>
</table>
{{else if not (bases $s)}}<p>{{typeOf $s}}</p>
{{end}}{{if closed $s}}<p class="note">No other fields (a request body with another field is refused: 400 naming it).</p>{{end}}
</section>
{{end}}
</section>
</div>
<script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/assets/docs.js"></script>
</body>
</html>
`
