package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The child's and guardian's right of access (GDPR art. 15; issue 13): the child extract with
// part=cases gives the case files themselves – every archived case of the child and the one open
// now – as JSON, or as a page to print.

type childFileJSON struct {
	CaseID     string             `json:"caseId"`
	Archived   bool               `json:"archived"`
	ClosedAt   *httpkit.LocalTime `json:"closedAt,omitempty"`
	EraseAfter *httpkit.LocalTime `json:"eraseAfter,omitempty"`
	// State is the case as its workflow holds it: every step, plan version, consent and deviation.
	State json.RawMessage `json:"state"`
	state workflows.CaseState
}

type childFilesJSON struct {
	Cases []childFileJSON `json:"cases"`
}

func caseFilesFormat(v *casework.ValidationError, c *gin.Context) string {
	f := c.DefaultQuery("format", "json")
	if f != "json" && f != "html" {
		v.Add("format", "ska vara json eller html")
	}
	return f
}

// childCaseFiles answers the extract's part=cases for the child of pseudonym ref.
func (s *Handlers) childCaseFiles(c *gin.Context, ref, format string) {
	ctx := c.Request.Context()
	workflowID := workflows.CaseWorkflowID(ref)
	rows, err := s.DB.ArchivedCasesOfWorkflow(ctx, workflowID, true)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	out := childFilesJSON{Cases: []childFileJSON{}}
	seen := map[string]bool{}
	for _, r := range rows {
		f, err := archive.Open(s.Codec, r.Content)
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		cf := childFileJSON{CaseID: r.CaseID, Archived: true, ClosedAt: httpkit.LocalTimePtr(&r.ClosedAt),
			EraseAfter: httpkit.LocalTimePtr(&r.EraseAfter), State: f.State}
		if err := json.Unmarshal(f.State, &cf.state); err != nil {
			httpkit.WriteError(c, err)
			return
		}
		seen[r.CaseID] = true
		out.Cases = append(out.Cases, cf)
	}
	if live, ok, err := s.liveFile(c, workflowID); err != nil {
		httpkit.WriteError(c, err)
		return
	} else if ok && !seen[live.CaseID] {
		out.Cases = append(out.Cases, live)
	}
	if err := s.Log.RecordNow(c, http.StatusOK); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="child-files_`+ref+"."+format+`"`)
	if format == "html" {
		c.Header("Content-Type", "text/html; charset=utf-8")
		if err := childFilesPage.Execute(c.Writer, out); err != nil {
			s.Logger.Error("child extract page", "requestId", httpkit.RequestID(c), "error", err)
		}
		return
	}
	c.JSON(http.StatusOK, out)
}

// liveFile is the child's case open now, if any.
func (s *Handlers) liveFile(c *gin.Context, workflowID string) (childFileJSON, bool, error) {
	res, err := s.Temporal.QueryWorkflow(c.Request.Context(), workflowID, "", workflows.QueryCaseState)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return childFileJSON{}, false, nil
	}
	if err != nil {
		return childFileJSON{}, false, err
	}
	var cf childFileJSON
	if err := res.Get(&cf.state); err != nil {
		return cf, false, err
	}
	if cf.State, err = json.Marshal(cf.state); err != nil {
		return cf, false, err
	}
	cf.CaseID = cf.state.CaseID
	return cf, cf.CaseID != "", nil
}

var childFilesPage = template.Must(template.New("child-files").Funcs(template.FuncMap{
	"when": func(t any) string {
		switch v := t.(type) {
		case *httpkit.LocalTime:
			if v == nil {
				return ""
			}
			b, _ := json.Marshal(v)
			return string(b[1 : len(b)-1])
		}
		return ""
	},
}).Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Registerutdrag – barnets ärenden</title>
<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto}section{border-top:1px solid #999;margin-top:1.5rem}
pre{white-space:pre-wrap;font-size:.8rem}</style></head><body>
<h1>Registerutdrag: barnets ärenden</h1>
<p>Utdrag enligt dataskyddsförordningen artikel 15. {{len .Cases}} ärenden.</p>
{{range .Cases}}<section>
<h2>Ärende {{.CaseID}}</h2>
<p>{{if .Archived}}Avslutat {{when .ClosedAt}}, arkiverat, gallras efter {{when .EraseAfter}}{{else}}Pågående{{end}}</p>
<p>Barn: {{.Rec.Child.Name}}. Öppnat: {{.Rec.OpenedAt.Format "2006-01-02"}}.</p>
<h3>Oro som anmälts</h3>
<ul>{{range .Rec.Concerns}}<li>{{.OccurredAt.Format "2006-01-02"}}: {{.Observation}}</li>{{end}}</ul>
<h3>Hela akten</h3>
<pre>{{.Pretty}}</pre>
</section>{{end}}
</body></html>
`))

// Rec is the decoded case for the page.
func (f childFileJSON) Rec() workflows.CaseState { return f.state }

// Pretty is the whole state, indented, for the page.
func (f childFileJSON) Pretty() string {
	var b bytes.Buffer
	if json.Indent(&b, f.State, "", "  ") != nil {
		return string(f.State)
	}
	return b.String()
}
