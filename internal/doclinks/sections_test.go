package doclinks

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citedDocuments maps what code and documents cite ("DOMAIN.md §6.5", "process.md §6.5") to the
// repository's document that has those sections. DOMAIN.md and STYLE.md are the project's sources
// outside the repository, whose numbering docs/process.md and docs/architecture.md keep, so that a
// citation of either can be re-pointed without renumbering.
var citedDocuments = map[string]string{
	"DOMAIN.md":       "docs/process.md",
	"process.md":      "docs/process.md",
	"STYLE.md":        "docs/architecture.md",
	"architecture.md": "docs/architecture.md",
}

// citation is "NAME §N" followed by any further "§M" of the same list ("§6.6, §7.2 and §9").
var citation = regexp.MustCompile(`(DOMAIN\.md|STYLE\.md|process\.md|architecture\.md)((?:[\s,;]*(?:and\s+)?§\s?\d+(?:\.\d+)?)+)`)

// TestEveryCitedSectionExists: every section the repository cites by number is a section of the
// document that has it – a numbered heading ("## 6.", "### 6.5"), or the numbered rule M in the list
// of section N for "§N.M".
func TestEveryCitedSectionExists(t *testing.T) {
	root := filepath.Join("..", "..")
	sections := map[string]map[string]bool{}
	for _, doc := range citedDocuments {
		s, err := numberedSections(filepath.Join(root, filepath.FromSlash(doc)))
		if err != nil {
			t.Fatal(err)
		}
		sections[doc] = s
	}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "data" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(".go .md .yaml .yml .sh .sql", filepath.Ext(path)) || filepath.Ext(path) == "" {
			return nil
		}
		for _, c := range citations(t, path) {
			doc := citedDocuments[c.name]
			if !sections[doc][c.section] {
				t.Errorf("%s:%d cites %s §%s, which %s does not have", path, c.line, c.name, c.section, doc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type cited struct {
	line          int
	name, section string
}

func citations(t *testing.T, path string) []cited {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []cited
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for n := 1; lines.Scan(); n++ {
		for _, m := range citation.FindAllStringSubmatch(lines.Text(), -1) {
			for _, sec := range regexp.MustCompile(`§\s?(\d+(?:\.\d+)?)`).FindAllStringSubmatch(m[2], -1) {
				out = append(out, cited{line: n, name: m[1], section: sec[1]})
			}
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	numberedHeading = regexp.MustCompile(`^#{1,6}\s+(\d+(?:\.\d+)?)\.?\s`)
	numberedItem    = regexp.MustCompile(`^(\d+)\.\s`)
)

// numberedSections are the section numbers a document has: its numbered headings, and "N.M" for the
// M-th item of a numbered list directly in section N.
func numberedSections(path string) (map[string]bool, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	current := ""
	for _, line := range strings.Split(string(text), "\n") {
		if m := numberedHeading.FindStringSubmatch(line); m != nil {
			current = m[1]
			out[current] = true
			continue
		}
		if strings.HasPrefix(line, "#") {
			current = ""
			continue
		}
		if m := numberedItem.FindStringSubmatch(line); m != nil && current != "" && !strings.Contains(current, ".") {
			out[current+"."+m[1]] = true
		}
	}
	return out, nil
}

func TestTheSectionCheckerReadsDocuments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	text := "# Title\n\n## 1. One\n\n## 4. Rules\n\n1. first\n2. second\n\n### 6.5 The plan\n\n1. part\n\n## Notes\n\n3. not a rule\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := numberedSections(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1", "4", "4.1", "4.2", "6.5"} {
		if !got[want] {
			t.Errorf("section %s not found in %v", want, got)
		}
	}
	for _, not := range []string{"4.3", "6.5.1", "3", "6"} {
		if got[not] {
			t.Errorf("section %s found, but the document has none", not)
		}
	}
	m := citation.FindStringSubmatch("notify them (DOMAIN.md §6.6, §7.2, §9 and §10): reminders")
	if m == nil || m[1] != "DOMAIN.md" || len(regexp.MustCompile(`§`).FindAllString(m[2], -1)) != 4 {
		t.Errorf("the citation list was not read whole: %q", m)
	}
}
