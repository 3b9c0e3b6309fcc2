package doclinks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheCheckerFindsBrokenLinks: the link test can fail – each kind of broken link in a small
// synthetic repository is reported, and the good ones are not.
func TestTheCheckerFindsBrokenLinks(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docs/process.md", "# The process\n\n## 6. The process\n\n### 6.1 Upptäcka – detect\n\n## Notes\n\n## Notes\n\n<a id=\"kept\"></a>\n")
	write("docs/picture.png", "png")
	write("README.md", strings.Join([]string{
		"[good](docs/process.md) [good](docs/process.md#61-upptäcka--detect) ![good](docs/picture.png)",
		"[good](#a-heading) [good](docs/process.md#notes-1) [good](docs/process.md#kept) [web](https://example.org/x)",
		"# A heading",
		"[outside](../shared/DOMAIN.md)",
		"[missing](docs/nothing.md)",
		"[no anchor](docs/process.md#7-deadlines)",
		"[no local anchor](#nowhere)",
		"[anchor in a picture](docs/picture.png#top)",
		"[absolute](/etc/passwd)",
		"see `../shared/STYLE.md` for the rules",
		"```",
		"[inside a fence](../not/checked.md)",
		"```",
		"[ref]: ../outside.md",
		"the specification (DOMAIN.md §6) and docs/process.md §6, and the picture's process.md",
	}, "\n"))

	problems, err := checkFile(root, filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"line 4: ../shared/DOMAIN.md points outside the repository",
		"line 5: docs/nothing.md does not exist",
		`line 6: docs/process.md#7-deadlines: no heading or anchor "7-deadlines"`,
		`line 7: #nowhere: no heading or anchor "nowhere"`,
		"line 8: docs/picture.png#top has an anchor",
		"line 9: /etc/passwd is absolute",
		"line 10: ../shared/STYLE.md names a path outside the repository",
		"line 14: ../outside.md points outside the repository",
		"line 15: DOMAIN.md is named, but the repository has no such document",
	}
	if len(problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(problems), len(want), strings.Join(problems, "\n"))
	}
	for i, w := range want {
		if i >= len(problems) || !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d: want it to begin %q; all:\n%s", i, w, strings.Join(problems, "\n"))
		}
	}
}

func TestSlugIsGitHubs(t *testing.T) {
	for heading, want := range map[string]string{
		"6.1 Upptäcka – detect":                  "61-upptäcka--detect",
		"1. Who uses it":                         "1-who-uses-it",
		"The `Case` workflow and [its](x.md) ID": "the-case-workflow-and-its-id",
		"Tokens, rate limits and browsers":       "tokens-rate-limits-and-browsers",
		"Production: a Temporal cluster":         "production-a-temporal-cluster",
	} {
		if got := slug(heading); got != want {
			t.Errorf("slug(%q) = %q, want %q", heading, got, want)
		}
	}
}
