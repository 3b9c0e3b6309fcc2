package docs

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
)

// The docs page's assets: Swagger UI (vendored from the npm registry by
// scripts/vendor-web-assets.sh, its version and licence in web/static/vendor/VERSIONS.md) and the
// few lines that start it. They are served by the API itself, beside the page, so that the page
// works wherever the API runs – also when the web front end is a deployment of its own.

//go:embed vendor/swagger-ui/swagger-ui-bundle.js vendor/swagger-ui/swagger-ui.css assets/docs.js
var assetFiles embed.FS

// assets are the files by the name the page asks for, each with its place and type.
var assets = map[string]struct{ file, contentType string }{
	"swagger-ui-bundle.js": {"vendor/swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
	"swagger-ui.css":       {"vendor/swagger-ui/swagger-ui.css", "text/css; charset=utf-8"},
	"docs.js":              {"assets/docs.js", "text/javascript; charset=utf-8"},
}

func (s *Handlers) asset(c *gin.Context) {
	a, ok := assets[c.Param("file")]
	if !ok {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	data, err := assetFiles.ReadFile(a.file)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, a.contentType, data)
}
