// Package api is the HTTP API the caseworkers' front end drives: Gin, thin. It binds and validates
// input (400 naming the fields), authenticates the caller, and then asks the case workflow (updates,
// queries) or the read model (lists). It never writes case state itself.
//
// This package is the router, its middleware (request IDs, logs, tokens, rate limits, CORS,
// telemetry) and the wiring of the rooms, each a package of its own: cases (the case, its commands,
// lists and inbox), timeline (the case's history), audit (the access log's views), reports (the
// yearly follow-up and the oversight) and docs (the OpenAPI document), with httpkit (problem+json,
// decoding, field checks) and accesslog (writing the access log) shared by all of them.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/audit"
	"github.com/samverkan/samverkan/api/cases"
	"github.com/samverkan/samverkan/api/docs"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/api/reports"
	"github.com/samverkan/samverkan/api/timeline"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/db"
)

// TokenVerifier checks a bearer token and says who acts.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (auth.Claims, error)
}

// Server holds what the handlers need.
type Server struct {
	Temporal     client.Client
	DB           *db.DB
	Tokens       TokenVerifier
	TaskQueue    string
	PseudonymKey []byte
	Logger       *slog.Logger
	// Codec encrypts Temporal payloads; the codec endpoint (codec.go) serves it to the Temporal Web
	// UI, which may call from CodecOrigins. Without it there is no codec endpoint.
	Codec        converter.PayloadCodec
	CodecOrigins []string
	// AccessAlertPerHour is how many distinct cases one user may open within an hour before an
	// access alert is written (api/accesslog; 0 means 30). ReviewSampleSize is how many rows a weekly
	// log review samples (api/audit; 0 means 20).
	AccessAlertPerHour int
	ReviewSampleSize   int
	// RatePerUser and RatePerAddress limit requests (ratelimit.go); the zero RateLimit is no limit.
	// TrustedProxies are the IPs or CIDRs of load balancers whose X-Forwarded-For names the client
	// address; none: the peer is the client. CORSOrigins are the front end's origins (cors.go).
	RatePerUser    RateLimit
	RatePerAddress RateLimit
	// Admission bounds the requests in flight to Temporal (admission.go); the zero Admission is no
	// bound.
	Admission      Admission
	TrustedProxies []string
	CORSOrigins    []string
	// RequireDirectory refuses tokens whose user or assignment the directory does not know
	// (authn_directory.go); the binary sets it, tests of other rooms leave it off.
	// TokenMaxLifetime caps a token's lifetime (0: DefaultTokenMaxLifetime).
	RequireDirectory bool
	TokenMaxLifetime time.Duration
	// Now is the clock for validating business times and for the rate limits; tests may fix it.
	Now func() time.Time
	// Metrics, when set, gets the histogram of request latencies; Tracing, when set, gives every
	// request a span that its Temporal calls continue (telemetry.go).
	Metrics prometheus.Registerer
	Tracing trace.TracerProvider

	directory                   directoryCache
	userBuckets, addressBuckets *buckets
	admission                   admission
	requestDuration             *prometheus.HistogramVec
}

// Handler builds the router.
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	// Gin believes X-Forwarded-For from anyone unless told otherwise; the address limit must not.
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		s.Logger.Error("trusted proxies ignored", "error", err)
		_ = r.SetTrustedProxies(nil)
	}
	s.userBuckets, s.addressBuckets = newBuckets(s.RatePerUser, maxBuckets), newBuckets(s.RatePerAddress, maxBuckets)
	s.admission = newAdmission(s.Admission)
	if s.Metrics != nil {
		var err error
		if s.requestDuration, err = newRequestDuration(s.Metrics); err != nil {
			s.Logger.Error("request metrics off", "error", err)
		}
		if s.admission.shed, err = newShedCounter(s.Metrics); err != nil {
			s.Logger.Error("shed metric off", "error", err)
		}
	}
	r.Use(httpkit.SecurityHeaders, s.requestID, s.observe, s.accessLog, s.recover, s.cors, s.limitAddress, httpkit.RefuseNUL)
	r.NoRoute(func(c *gin.Context) { httpkit.WriteError(c, httpkit.Status(http.StatusNotFound, "okänd adress")) })
	r.NoMethod(func(c *gin.Context) {
		httpkit.WriteError(c, httpkit.Status(http.StatusMethodNotAllowed, "metoden stöds inte här"))
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	(&docs.Handlers{Document: openAPIDocument}).Routes(r)

	v1 := r.Group("/api/v1", s.authenticate)
	// Every room of the API: each route that touches case data writes its access-log row (accesslog)
	// before its answer leaves.
	log := s.auditLog()
	(&cases.Handlers{Temporal: s.Temporal, DB: s.DB, TaskQueue: s.TaskQueue, PseudonymKey: s.PseudonymKey, Now: s.Now, Log: log, Codec: s.Codec}).Routes(v1)
	(&timeline.Handlers{Temporal: s.Temporal, DB: s.DB, Codec: s.Codec, Now: s.Now, Log: log}).Routes(v1)
	(&audit.Handlers{Temporal: s.Temporal, DB: s.DB, PseudonymKey: s.PseudonymKey, Logger: s.Logger, Now: s.Now, Log: log, Codec: s.Codec,
		ReviewSampleSize: s.ReviewSampleSize}).Routes(v1)
	// The yearly follow-up (not access-logged: no case data) and the oversight.
	(&reports.Handlers{DB: s.DB, Now: s.Now, Log: log}).Routes(v1)
	s.codecRoutes(r)
	return r
}

// auditLog writes the access log's rows (api/accesslog).
func (s *Server) auditLog() *accesslog.Log {
	return &accesslog.Log{DB: s.DB, Logger: s.Logger, Now: s.Now, AlertPerHour: s.AccessAlertPerHour}
}

// audited is the access log's middleware for a route that touches a case's data.
func (s *Server) audited(action string) gin.HandlerFunc { return s.auditLog().Audited(action) }

func (s *Server) requestID(c *gin.Context) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	httpkit.StartRequest(c, id, s.Logger)
	c.Header("X-Request-Id", id)
	c.Next()
}

// accessLog writes one line per request. It names the route pattern, never the path: query
// strings may carry anything. The case is named as the access log's row names it (a well-formed
// case ID, which is a pseudonym, never the child's data), and the trace when there is one.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	attrs := []any{"requestId", httpkit.RequestID(c), "method", c.Request.Method, "route", c.FullPath(),
		"status", c.Writer.Status(), "durationMs", time.Since(start).Milliseconds(), "user", httpkit.Caller(c).User}
	if caseID := accesslog.CaseOf(c); caseID != "" {
		attrs = append(attrs, "caseId", caseID)
	}
	if id := traceID(c); id != "" {
		attrs = append(attrs, "traceId", id)
	}
	s.Logger.Info("http request", attrs...)
}

// recover turns a panic into a 500 problem, so one bad request never takes the process down.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Error("panic in handler", "requestId", httpkit.RequestID(c), "route", c.FullPath(), "panic", r)
			httpkit.WriteError(c, httpkit.Status(http.StatusInternalServerError, "ett internt fel inträffade"))
		}
	}()
	c.Next()
}
