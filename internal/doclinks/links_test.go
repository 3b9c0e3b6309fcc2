package doclinks

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// documents are the Markdown files a reader of the repository is sent to first.
func documents(t *testing.T, root string) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "deploy", "README.md")}, docs...)
}

func TestDocumentationLinksStayInTheRepository(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files := documents(t, root)
	if len(files) < 4 {
		t.Fatalf("found only %v: the README, deploy/README.md and docs/process.md and docs/architecture.md at least", files)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			problems, err := checkFile(root, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// checkFile lists what is wrong with the links of one Markdown file under root.
func checkFile(root, file string) ([]string, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, l := range scan(string(text)) {
		if p := checkLink(root, file, l); p != "" {
			problems = append(problems, fmt.Sprintf("line %d: %s", l.line, p))
		}
	}
	return problems, nil
}

// link is a link target found in a document, or a code span that names a path, or a Markdown
// document named in the text.
type link struct {
	line      int
	target    string
	codeSpan  bool
	mentioned bool
}

var (
	inlineLink    = regexp.MustCompile(`!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)`)
	referenceLink = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)`)
	codeSpan      = regexp.MustCompile("`+[^`]+`+")
	// mentionedDoc is a Markdown file named in prose or code ("see DOMAIN.md §6").
	mentionedDoc = regexp.MustCompile(`(?:^|[\s(\x60'"])((?:[\w.-]+/)*[\w-]+\.md)\b`)
	fence        = regexp.MustCompile("^\\s{0,3}(```|~~~)")
)

// scan finds the link targets of a Markdown text outside fenced code, and the code spans that look
// like a path leaving the repository ("../shared/DOMAIN.md"), which readers follow just the same.
func scan(text string) []link {
	var out []link
	for _, pl := range prose(text) {
		line := pl.text
		for _, span := range codeSpan.FindAllString(line, -1) {
			if inner := strings.Trim(span, "` "); strings.HasPrefix(inner, "../") && !strings.ContainsAny(inner, " \t") {
				out = append(out, link{line: pl.number, target: inner, codeSpan: true})
			}
		}
		plain := codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(plain, -1) {
			out = append(out, link{line: pl.number, target: strings.Trim(m[1], "<>")})
		}
		for _, m := range mentionedDoc.FindAllStringSubmatch(inlineLink.ReplaceAllString(line, ""), -1) {
			if !strings.HasPrefix(m[1], "../") { // those are reported as paths leaving the repository
				out = append(out, link{line: pl.number, target: m[1], mentioned: true})
			}
		}
		if m := referenceLink.FindStringSubmatch(plain); m != nil {
			out = append(out, link{line: pl.number, target: strings.Trim(m[1], "<>")})
		}
	}
	return out
}

// proseLine is a line of a Markdown text outside fenced code, with its 1-based number.
type proseLine struct {
	number int
	text   string
}

// prose is the text's lines outside fenced code blocks, where links and headings are what they seem.
func prose(text string) []proseLine {
	var out []proseLine
	inFence := ""
	for i, line := range strings.Split(text, "\n") {
		if m := fence.FindStringSubmatch(line); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case m[1] == inFence:
				inFence = ""
			}
			continue
		}
		if inFence == "" {
			out = append(out, proseLine{number: i + 1, text: line})
		}
	}
	return out
}

// checkLink says what is wrong with one link of file, "" when nothing is.
func checkLink(root, file string, l link) string {
	if l.codeSpan {
		return fmt.Sprintf("%s names a path outside the repository", l.target)
	}
	if l.mentioned {
		return checkMention(root, file, l.target)
	}
	u, err := url.Parse(l.target)
	if err != nil {
		return fmt.Sprintf("%s is not a link: %v", l.target, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return "" // the web, mail: not ours to check here
	}
	target := file
	if u.Path != "" {
		if strings.HasPrefix(u.Path, "/") {
			return fmt.Sprintf("%s is absolute; write it relative to the file", l.target)
		}
		target = filepath.Join(filepath.Dir(file), filepath.FromSlash(u.Path))
		rel, err := filepath.Rel(root, target)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Sprintf("%s points outside the repository", l.target)
		}
		if _, err := os.Stat(target); err != nil {
			return fmt.Sprintf("%s does not exist in the repository", l.target)
		}
	}
	if u.Fragment == "" {
		return ""
	}
	if !strings.HasSuffix(target, ".md") {
		return fmt.Sprintf("%s has an anchor, but %s is not a Markdown file", l.target, filepath.Base(target))
	}
	text, err := os.ReadFile(target)
	if err != nil {
		return fmt.Sprintf("%s: %v", l.target, err)
	}
	if !anchors(string(text))[u.Fragment] {
		return fmt.Sprintf("%s: no heading or anchor %q in %s", l.target, u.Fragment, filepath.Base(target))
	}
	return ""
}

var (
	heading    = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	htmlAnchor = regexp.MustCompile(`<a\s+(?:id|name)="([^"]+)"`)
)

// anchors are the fragments a Markdown text answers to: GitHub's slug of each heading (the second
// of a name gets "-1", the third "-2"), and explicit <a id> anchors.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, pl := range prose(text) {
		line := pl.text
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			out[m[1]] = true
		}
		m := heading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := slug(m[1])
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// slug is GitHub's anchor of a heading: its text without Markdown marks, lower case, every character
// that is not a letter, digit, mark, connector, space or hyphen dropped, spaces made hyphens.
func slug(headingText string) string {
	text := codeSpan.ReplaceAllStringFunc(headingText, func(s string) string { return strings.Trim(s, "`") })
	text = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkMention: a Markdown document named in the text is one the repository has – at the path as
// written, from the file or from the root, or anywhere by its name ("the README of deploy/").
func checkMention(root, file, name string) string {
	for _, dir := range []string{filepath.Dir(file), root} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return ""
		}
	}
	found := false
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil || found:
			return filepath.SkipAll
		case d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "data" || d.Name() == "testdata"):
			return filepath.SkipDir
		case !d.IsDir() && d.Name() == filepath.Base(name):
			found = true
		}
		return nil
	})
	if found {
		return ""
	}
	return fmt.Sprintf("%s is named, but the repository has no such document", name)
}
