package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
)

// maxCodecBodyBytes bounds a codec request: the UI sends the payloads of a history event or a
// page of them, and Temporal refuses payloads over 2 MB; base64 adds a third.
const maxCodecBodyBytes = 8 << 20

// codecRoutes serves Temporal's remote codec protocol (POST …/encode and …/decode with
// {"payloads":[…]}, as converter.NewPayloadCodecHTTPHandler does), so the Temporal Web UI can show
// histories in clear to those allowed to read them. Decoding follows the need-to-know of reading the
// case (codec_access.go): each payload names its case, and is decoded only for a caller who may read
// that case; the others come back still encrypted. Only supervisors and administrators use the UI's
// decoding at all (403 for the other roles).
//
// CORS runs before authentication, so a browser can read a 401 or 403 too; the preflight carries
// no token and is answered without one.
func (s *Server) codecRoutes(r *gin.Engine) {
	if s.Codec == nil {
		return
	}
	g := r.Group("/api/v1/codec", s.codecCORS)
	g.OPTIONS("/encode", s.codecPreflight)
	g.OPTIONS("/decode", s.codecPreflight)
	// Decoding is reading case data: the access log records it, denied attempts too, and one row
	// per case whose payloads were asked for (codec_access.go).
	g.POST("/encode", s.authenticate, s.audited("codec_encode"), codecRoles(casework.RoleSupervisor), s.codecHandler("encoded", s.encodePayloads))
	g.POST("/decode", s.authenticate, s.audited(actionCodecDecode), codecRoles(casework.RoleSupervisor, casework.RoleAdmin), s.codecHandler("decoded", s.decodePayloads))
}

// codecCORS lets the configured Temporal Web UI origins read the codec's answers. No cookies are
// involved (the token travels in Authorization), so credentials are not allowed.
func (s *Server) codecCORS(c *gin.Context) {
	c.Header("Vary", "Origin")
	origin := c.GetHeader("Origin")
	if origin == "" || !slices.Contains(s.CodecOrigins, origin) {
		c.Next()
		return
	}
	c.Header("Access-Control-Allow-Origin", origin)
	if c.Request.Method == http.MethodOptions {
		c.Header("Access-Control-Allow-Methods", "POST")
		// The UI sends X-Namespace always and Authorization-Extras (its ID token) when it has one.
		c.Header("Access-Control-Allow-Headers", "Authorization, Authorization-Extras, Content-Type, X-Namespace")
		c.Header("Access-Control-Max-Age", "600")
	}
	c.Next()
}

// codecPreflight answers a browser's OPTIONS: 204 for an allowed origin (codecCORS has set the
// headers), 403 for any other.
func (s *Server) codecPreflight(c *gin.Context) {
	if c.Writer.Header().Get("Access-Control-Allow-Origin") == "" {
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "ursprunget får inte anropa avkodningen"))
		return
	}
	c.Status(http.StatusNoContent)
}

// codecRoles lets only callers acting in one of the roles through: a 403, not a 404, since the
// endpoint's existence is no secret.
func codecRoles(roles ...casework.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, casework.Role(httpkit.Caller(c).Role)) {
			httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "bara en chef eller en administratör får avkoda historik"))
			return
		}
		c.Next()
	}
}

// codecHandler runs one direction of the codec over a request's payloads; done names it in the log.
func (s *Server) codecHandler(done string, handle func(*gin.Context, []*commonpb.Payload) ([]*commonpb.Payload, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
			httpkit.WriteError(c, httpkit.Status(http.StatusUnsupportedMediaType, "skicka JSON med Content-Type: application/json"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxCodecBodyBytes))
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			httpkit.WriteError(c, httpkit.Status(http.StatusRequestEntityTooLarge, fmt.Sprintf("begäran är större än %d MB", maxCodecBodyBytes>>20)))
			return
		}
		if err != nil {
			httpkit.WriteError(c, httpkit.FieldProblem("", "begäran kunde inte läsas"))
			return
		}
		var in commonpb.Payloads
		if err := protojson.Unmarshal(body, &in); err != nil {
			httpkit.WriteError(c, httpkit.FieldProblem("payloads", "ska vara {\"payloads\":[{\"metadata\":{…},\"data\":\"base64\"}]}"))
			return
		}
		out, err := handle(c, in.GetPayloads())
		var refused *codecRefused
		if errors.As(err, &refused) {
			// The codec's own words stay in the server's log: the answer names no key.
			s.Logger.Warn("temporal payloads refused", "requestId", httpkit.RequestID(c), "error", refused.err)
			httpkit.WriteError(c, httpkit.Status(http.StatusUnprocessableEntity,
				"en payload är krypterad med en okänd nyckel, eller skadad"))
			return
		}
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		res, err := protojson.Marshal(&commonpb.Payloads{Payloads: out})
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		s.Logger.Info("temporal payloads "+done, "requestId", httpkit.RequestID(c), "user", httpkit.Caller(c).User,
			"unit", httpkit.Caller(c).Unit, "namespace", c.GetHeader("X-Namespace"), "payloads", len(out))
		c.Data(http.StatusOK, "application/json", res)
	}
}
