package architecture

import (
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/samverkan/samverkan/"

// rule says what a package's non-test files may not import. allowOnly, when set, is the complete
// list of permitted import prefixes besides the standard library and the package's own.
type rule struct {
	never     []string
	allowOnly []string
}

// The rooms of the API (docs/architecture.md §2): the router and its wiring import every room; a room imports
// the shared packages, and the case resources where it reads a case, never another room or the
// router; the shared packages import no room.
var (
	apiShared    = []string{"github.com/gin-gonic/gin", module + "api/httpkit", module + "api/accesslog", module + "auth", module + "casework", module + "db", module + "archive"}
	apiCaseRooms = append([]string{module + "api/cases", module + "workflows", "go.temporal.io/sdk/client", "go.temporal.io/api/"}, apiShared...)
)

var rules = map[string]rule{
	"casework":   {allowOnly: []string{"github.com/rickar/cal/v2"}},
	"config":     {allowOnly: []string{}},
	"auth":       {allowOnly: []string{"github.com/coreos/go-oidc/v3/oidc", "github.com/go-jose/go-jose/v4"}},
	"workflows":  {never: []string{module + "db", module + "api", module + "worker", "gorm.io/", "net/http", "os", "go.temporal.io/sdk/client", "time/tzdata"}},
	"activities": {never: []string{module + "workflows", module + "api", module + "worker", "go.temporal.io/sdk/workflow", "github.com/gin-gonic/"}},
	"db":         {never: []string{"go.temporal.io/", module + "api", module + "workflows", module + "activities", module + "worker", "github.com/gin-gonic/"}},
	"api":        {never: []string{module + "activities", module + "worker", "go.temporal.io/sdk/workflow", "go.temporal.io/server"}},
	// problem+json, strict decoding, field checks and the request's context: no room, no database.
	"api/httpkit": {allowOnly: []string{"github.com/gin-gonic/gin", module + "auth", module + "casework", module + "workflows",
		"go.temporal.io/api/serviceerror", "google.golang.org/grpc/"}},
	// Writing the access log: the database's chain, nothing of a case but its ID.
	"api/accesslog": {allowOnly: []string{"github.com/gin-gonic/gin", module + "api/httpkit", module + "casework", module + "db"}},
	// The case resources: the workflow's contract through the Temporal client, the read model.
	"api/cases":    {allowOnly: append([]string{module + "workflows", "go.temporal.io/sdk/client", "go.temporal.io/api/"}, apiShared...)},
	"api/timeline": {allowOnly: append([]string{"go.temporal.io/sdk/converter"}, apiCaseRooms...)},
	"api/audit":    {allowOnly: apiCaseRooms},
	// The yearly follow-up and the oversight: counted by package report from the read model.
	"api/reports": {allowOnly: append([]string{module + "report"}, apiCaseRooms...)},
	// The OpenAPI document and its page: YAML in, JSON and HTML out.
	"api/docs": {allowOnly: []string{"github.com/gin-gonic/gin", module + "api/httpkit", "gopkg.in/yaml.v3"}},
	// Helpers of the API's tests; only test files may import it (testOnly).
	"api/apitest": {allowOnly: []string{"github.com/getkin/kin-openapi/", "github.com/stretchr/testify/", "go.temporal.io/api/common/v1",
		module + "api/docs", module + "auth"}},
	"worker": {never: []string{module + "api", "github.com/gin-gonic/", "gorm.io/"}},
	"deploy": {never: []string{"go.temporal.io/"}},
	// The codec knows payloads and keys, nothing of the case: it is wired into every Temporal client
	// and served to the Web UI, so it must stay small enough to review on its own.
	"archive": {allowOnly: []string{"go.temporal.io/sdk/converter", "go.temporal.io/sdk/client", "go.temporal.io/api/", "google.golang.org/protobuf/"}},
	"codec":   {allowOnly: []string{"go.temporal.io/sdk/converter", "go.temporal.io/api/common/v1"}},
	// The yearly follow-up's and the oversight's figures: pure computation over the facts, which the
	// api loads and passes in, so the rules of counting and withholding are tested on their own.
	"report": {allowOnly: []string{module + "casework"}},
	// The caseworkers' front end is a client of the REST API like any other: it reaches case data only
	// through /api/v1 with the user's token, so it never imports the rooms behind the API. It may
	// use casework to format (working days, personal numbers), and OIDC for the login.
	"web": {never: []string{module + "api", module + "workflows", module + "activities", module + "db", module + "worker",
		module + "auth", module + "report", "go.temporal.io/", "gorm.io/", "github.com/gin-gonic/"}},
	// Telemetry counts the read model and hands the binary metrics and tracing; it sees no case
	// content and drives nothing.
	// internal/ holds the repository's own checks (these rules, the documentation's links): tests over
	// files, needing nothing but the standard library.
	"internal": {allowOnly: []string{}},
	"telemetry": {never: []string{module + "api", module + "activities", module + "workflows", module + "worker",
		"go.temporal.io/sdk/workflow", "github.com/gin-gonic/"}},
}

// noRule are the packages that may import anything: the binary, which wires everything, and the
// tests' own helpers.
var noRule = []string{"cmd/samverkan", "db/dbtest", "internal/architecture"}

// testOnly may be imported by test files only.
var testOnly = []string{module + "api/apitest"}

// Only the binary may import the Temporal server and its UI: they take minutes to build, and unit
// tests of every other package must stay fast. The same goes for the servers of dev's mail catcher
// (an SMTP server library, or Mailpit should it ever be embedded): the system sends mail, it never
// receives any.
var serverOnlyIn = "cmd/samverkan"

var serverOnlyPrefixes = []string{"go.temporal.io/server", "github.com/temporalio/ui-server", "github.com/emersion/go-smtp",
	"github.com/axllent/mailpit"}

func TestPackagesImportOnlyWhatTheirRoomAllows(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata" || d.Name() == "data") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		if _, ok := ruleOf(filepath.ToSlash(rel)); !ok && !slices.Contains(noRule, filepath.ToSlash(rel)) {
			t.Errorf("package %s has no rule: say what it may import", filepath.ToSlash(rel))
		}
		for _, imp := range imports(t, path) {
			for _, v := range violations(filepath.ToSlash(rel), imp) {
				t.Errorf("%s imports %s: %s", path, imp, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// violations lists what is wrong with package pkg importing imp.
func violations(pkg, imp string) []string {
	var out []string
	for _, p := range serverOnlyPrefixes {
		if strings.HasPrefix(imp, p) && pkg != serverOnlyIn {
			out = append(out, "only "+serverOnlyIn+" may import "+p)
		}
	}
	if slices.Contains(testOnly, imp) {
		out = append(out, "only test files may import "+imp)
	}
	r, ok := ruleOf(pkg)
	if !ok {
		return out
	}
	for _, bad := range r.never {
		if imp == strings.TrimSuffix(bad, "/") || strings.HasPrefix(imp, strings.TrimSuffix(bad, "/")+"/") {
			out = append(out, "package "+pkg+" must never import "+bad+" (docs/architecture.md §2)")
		}
	}
	if r.allowOnly != nil && !isStdlib(imp) && imp != module+pkg {
		allowed := false
		for _, p := range r.allowOnly {
			allowed = allowed || imp == strings.TrimSuffix(p, "/") || strings.HasPrefix(imp, p) && (strings.HasSuffix(p, "/") || strings.HasPrefix(imp[len(p):], "/") || len(imp) == len(p))
		}
		if !allowed {
			out = append(out, "package "+pkg+" may import only the standard library and "+strings.Join(r.allowOnly, ", "))
		}
	}
	return out
}

// ruleOf is the rule of a package: its own, else its nearest parent's (workflows' for a package
// below workflows).
func ruleOf(pkg string) (rule, bool) {
	for p := pkg; p != "." && p != ""; p = path.Dir(p) {
		if r, ok := rules[p]; ok {
			return r, true
		}
	}
	return rule{}, false
}

func imports(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	out := make([]string, 0, len(f.Imports))
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		out = append(out, p)
	}
	return out
}

// isStdlib: standard library paths have no dot in their first element.
func isStdlib(path string) bool { return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") }

func TestTheRulesCatchForbiddenImports(t *testing.T) {
	cases := []struct{ pkg, imp string }{
		{"workflows", "gorm.io/gorm"},
		{"workflows", "os"},
		{"api", "go.temporal.io/server/temporal"},
		{"activities", "github.com/emersion/go-smtp"},
		{"api", "github.com/axllent/mailpit/server"},
		{"casework", "go.temporal.io/sdk/workflow"},
		{"db", "go.temporal.io/sdk/client"},
		{"codec", "go.temporal.io/sdk/client"},
		{"codec", module + "workflows"},
		{"auth", "github.com/golang-jwt/jwt/v5"},
		{"auth", "github.com/gin-gonic/gin"},
		{"web", module + "api"},
		{"web", module + "db"},
		{"web", module + "workflows"},
		{"web", "go.temporal.io/sdk/client"},
		{"api/cases", module + "api"},
		{"api/cases", module + "api/reports"},
		{"api/audit", module + "api/timeline"},
		{"api/docs", module + "api/cases"},
		{"api/httpkit", module + "db"},
		{"api/httpkit", module + "api/accesslog"},
		{"api/accesslog", module + "api/cases"},
		{"api/reports", module + "activities"},
		{"api/cases", module + "authz"},
		{"workflows", module + "api/apitest"},
	}
	for _, c := range cases {
		if len(violations(c.pkg, c.imp)) == 0 {
			t.Errorf("%s importing %s was not reported", c.pkg, c.imp)
		}
	}
	if v := violations("auth", "github.com/go-jose/go-jose/v4/jwt"); len(v) != 0 {
		t.Errorf("auth importing go-jose was reported: %v", v)
	}
	if v := violations("web", module+"casework"); len(v) != 0 {
		t.Errorf("web formatting with casework was reported: %v", v)
	}
	for _, ok := range []struct{ pkg, imp string }{{"api/timeline", module + "api/cases"}, {"api", module + "api/reports"},
		{"api/cases", module + "api/httpkit"}, {"api/cases", "go.temporal.io/api/serviceerror"}} {
		if v := violations(ok.pkg, ok.imp); len(v) != 0 {
			t.Errorf("%s importing %s was reported: %v", ok.pkg, ok.imp, v)
		}
	}
	if v := violations("workflows", "go.temporal.io/sdk/workflow"); len(v) != 0 {
		t.Errorf("an allowed import was reported: %v", v)
	}
	if v := violations("workflows", "ossify/x"); len(v) != 0 {
		t.Errorf("a prefix that only looks like a forbidden one was reported: %v", v)
	}
}
