package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// scriptBudget is the most script a page may load, gzipped (issue 11: ≤ 50 KB per page).
const scriptBudget = 50 << 10

var scriptTag = regexp.MustCompile(`(?s)<script\b([^>]*)>(.*?)</script>`)
var scriptSrc = regexp.MustCompile(`\bsrc="([^"]+)"`)

// TestEveryPageLoadsLittleScript sums, for each page, the scripts its template, the layout and the
// partials load – every one a file of static/, none inline (the Content-Security-Policy forbids
// inline script) – gzipped as a server or proxy would send them, and holds the sum to the budget.
func TestEveryPageLoadsLittleScript(t *testing.T) {
	shared := readTemplates(t, "templates/layout.html", "templates/partials/*.html")
	pages, err := fs.Glob(templateFiles, "templates/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, pages)
	for _, p := range pages {
		if path.Base(p) == "layout.html" {
			continue
		}
		total, files := 0, 0
		for _, tag := range scriptTag.FindAllStringSubmatch(shared+readTemplates(t, p), -1) {
			require.Empty(t, strings.TrimSpace(tag[2]), "%s: an inline script", p)
			src := scriptSrc.FindStringSubmatch(tag[1])
			require.NotNil(t, src, "%s: a script without src", p)
			require.True(t, strings.HasPrefix(src[1], pathStatic), "%s: a script from elsewhere: %s", p, src[1])
			data, err := fs.ReadFile(staticFS, "static/"+strings.TrimPrefix(src[1], pathStatic))
			require.NoError(t, err, "%s loads %s", p, src[1])
			total += gzippedSize(t, data)
			files++
		}
		require.LessOrEqual(t, total, scriptBudget, "%s loads %d bytes of script gzipped", p, total)
		t.Logf("%s: %d script files, %d bytes gzipped", path.Base(p), files, total)
	}
}

func readTemplates(t *testing.T, patterns ...string) string {
	var b strings.Builder
	for _, pattern := range patterns {
		names, err := fs.Glob(templateFiles, pattern)
		require.NoError(t, err)
		for _, n := range names {
			data, err := fs.ReadFile(templateFiles, n)
			require.NoError(t, err)
			b.Write(data)
		}
	}
	return b.String()
}

func gzippedSize(t *testing.T, data []byte) int {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Len()
}
