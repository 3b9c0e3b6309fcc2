package auth

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// Authorize is the authorization endpoint: GET shows the page where a demo user and one of their
// assignments are picked; the page's POST issues the code and sends the browser back to the client
// with it and the client's state.
func (d *DevLogin) Authorize(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	var form url.Values
	switch r.Method {
	case http.MethodGet:
		form = r.URL.Query()
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			d.page(w, http.StatusBadRequest, devPage{Error: "formuläret kunde inte läsas"})
			return
		}
		form = r.PostForm
	default:
		h.Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	req, err := d.readAuthorizeRequest(r, form)
	if err != nil {
		d.page(w, http.StatusBadRequest, devPage{Error: err.Error()})
		return
	}
	users, err := d.Users(r.Context())
	if err != nil {
		d.page(w, http.StatusServiceUnavailable, devPage{Error: "katalogen kunde inte läsas"})
		return
	}
	if r.Method == http.MethodGet {
		d.page(w, http.StatusOK, devPage{Request: req, Users: users})
		return
	}
	claims, ok := pickedAssignment(users, form.Get("assignment"))
	if !ok {
		d.page(w, http.StatusBadRequest, devPage{Request: req, Users: users, Error: "välj en användare och en roll"})
		return
	}
	back, _ := url.Parse(req.RedirectURI)
	q := back.Query()
	q.Set("code", d.issueCode(req, claims))
	q.Set("state", req.State)
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}

// pickedAssignment finds "user role unit" among the users' assignments: only what the directory
// holds can be picked, whatever the form says.
func pickedAssignment(users []DevUser, picked string) (Claims, bool) {
	parts := strings.Fields(picked)
	if len(parts) != 3 {
		return Claims{}, false
	}
	for _, u := range users {
		if u.ID != parts[0] {
			continue
		}
		for _, a := range u.Assignments {
			if a.Role == parts[1] && a.Unit == parts[2] {
				return Claims{User: u.ID, Name: u.Name, Role: a.Role, Unit: a.Unit}, true
			}
		}
	}
	return Claims{}, false
}

type devPage struct {
	Request authorizeRequest
	Users   []DevUser
	Error   string
}

func (d *DevLogin) page(w http.ResponseWriter, status int, p devPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = devPageTemplate.Execute(w, p)
}

// The page stands alone (it is the identity provider's, not the front end's): its own few lines of
// style, no script, no assets.
var devPageTemplate = template.Must(template.New("dev-login").Parse(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – samverkan (utvecklingsläge)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1b1e23;line-height:1.5}
main{max-width:60rem;margin:0 auto;padding:1rem}
.user{border-top:1px solid #8d8e91;padding:.75rem 0}
.user h2{font-size:1.125rem;margin:0}
.user p{margin:0 0 .5rem}
button{font:inherit;margin:.25rem .5rem .25rem 0;padding:.5rem .75rem;border:2px solid #1a5cab;border-radius:4px;background:#fff;color:#1a5cab;cursor:pointer;text-align:left;max-width:100%}
button:hover,button:focus{background:#1a5cab;color:#fff}
button:focus{outline:3px solid #1b1e23;outline-offset:2px}
.error{border:2px solid #b0190f;padding:.5rem 1rem;color:#b0190f}
.note{background:#f4f4f4;padding:.5rem 1rem}
</style>
</head>
<body>
<main>
<h1>Logga in i samverkan</h1>
<p class="note">Utvecklingsläge: här loggar du in som en påhittad användare utan lösenord. I drift loggar du in hos din organisations inloggningstjänst.</p>
{{if .Error}}<p class="error" role="alert">Inloggningen kunde inte göras: {{.Error}}.</p>{{end}}
{{if .Users}}
<p>Välj vem du är och i vilken roll du arbetar. Börja gärna med <strong>Anna Lärare</strong>, som anmäler en oro.</p>
<form method="post">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="client_id" value="{{.Request.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Request.RedirectURI}}">
<input type="hidden" name="state" value="{{.Request.State}}">
<input type="hidden" name="nonce" value="{{.Request.Nonce}}">
<input type="hidden" name="scope" value="{{.Request.Scope}}">
<input type="hidden" name="code_challenge" value="{{.Request.Challenge}}">
<input type="hidden" name="code_challenge_method" value="S256">
{{range .Users}}{{$u := .}}<section class="user" aria-labelledby="user-{{.ID}}">
<h2 id="user-{{.ID}}">{{.Name}}</h2>
<p>{{.Title}} ({{.ID}})</p>
{{range .Assignments}}<button type="submit" name="assignment" value="{{$u.ID}} {{.Role}} {{.Unit}}">{{$u.Name}}: {{.RoleLabel}}, {{.UnitName}}</button>
{{end}}</section>
{{end}}</form>
{{end}}
</main>
</body>
</html>
`))
