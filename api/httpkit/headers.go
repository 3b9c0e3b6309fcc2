package httpkit

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// PageCSP is the Content-Security-Policy of the API's own HTML pages (the API docs, the printable
// timeline and yearly report): static HTML with one inline style sheet – no script runs, nothing is
// fetched – and no other site may frame them (clickjacking).
const PageCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// answerCSP is the policy of every other answer: JSON is no page, but a browser that is tricked into
// rendering one runs nothing and frames nothing.
const answerCSP = "default-src 'none'; frame-ancestors 'none'"

// SecurityHeaders are on every answer of the API (README, "Headers"): no content-type sniffing, no
// referrer to other sites, no framing, and under /api/v1 – where answers hold cases, lists and logs,
// personal data all – no copy in any cache. The OpenAPI document and its page are public and may be
// cached. A page sets PageCSP over the default.
func SecurityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", answerCSP)
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/v1/") && p != "/api/v1/openapi.json" && p != "/api/v1/docs" {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}
