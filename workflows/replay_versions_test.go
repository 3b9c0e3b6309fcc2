package workflows

import (
	"encoding/base64"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryVersionBranchIsInARecordedHistory: every GetVersion change ID of the workflow's code must
// be taken by at least one recorded history, so the replay test runs its new branch; the histories
// recorded before it exercise the default branch. The IDs are read from the code, so a new one
// cannot be missed.
func TestEveryVersionBranchIsInARecordedHistory(t *testing.T) {
	versionChanges := versionChangesInCode(t)
	require.NotEmpty(t, versionChanges)
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	taken := map[string][]string{}
	for _, f := range files {
		for _, id := range versionMarkers(t, f) {
			taken[id] = append(taken[id], filepath.Base(f))
		}
	}
	for _, id := range versionChanges {
		require.NotEmpty(t, taken[id], "no recorded history takes the %q branch: record one (cmd/samverkan recordHistory)", id)
	}
}

// versionMarkers are the change IDs of the Version markers in a recorded history.
func versionMarkers(t *testing.T, file string) []string {
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var h struct {
		Events []struct {
			Marker *struct {
				MarkerName string `json:"markerName"`
				Details    map[string]struct {
					Payloads []struct {
						Data string `json:"data"`
					} `json:"payloads"`
				} `json:"details"`
			} `json:"markerRecordedEventAttributes"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(raw, &h), file)
	var ids []string
	for _, e := range h.Events {
		if e.Marker == nil || e.Marker.MarkerName != "Version" || len(e.Marker.Details["change-id"].Payloads) == 0 {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(e.Marker.Details["change-id"].Payloads[0].Data)
		require.NoError(t, err)
		var id string
		require.NoError(t, json.Unmarshal(data, &id))
		ids = append(ids, id)
	}
	return ids
}

// versionChangesInCode are the change IDs of every workflow.GetVersion call in the package's code
// (its non-test files), each given as a string constant or literal.
func versionChangesInCode(t *testing.T) []string {
	fset := token.NewFileSet()
	var files []*ast.File
	paths, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		files = append(files, f)
	}
	consts := map[string]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								consts[name.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	var ids []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "GetVersion" || len(call.Args) < 2 {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "workflow" {
				return true
			}
			switch arg := call.Args[1].(type) {
			case *ast.Ident:
				id, ok := consts[arg.Name]
				require.True(t, ok, "%s: the change ID %s is no string constant of the package", fset.Position(call.Pos()), arg.Name)
				ids = append(ids, id)
			case *ast.BasicLit:
				id, err := strconv.Unquote(arg.Value)
				require.NoError(t, err)
				ids = append(ids, id)
			default:
				t.Fatalf("%s: a change ID the test cannot read; give it as a string constant", fset.Position(call.Pos()))
			}
			return true
		})
	}
	return ids
}
