package httpkit

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// Problem is an RFC 9457 problem document; Fields names every bad input field.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail,omitempty"`
	Fields    []casework.FieldError `json:"fields,omitempty"`
	RequestID string                `json:"requestId,omitempty"`
}

// StatusError is an error the API raises itself, carrying its HTTP status and a message that is safe
// to show.
type StatusError struct {
	status int
	detail string
	fields []casework.FieldError
}

func (e *StatusError) Error() string { return e.detail }

func Status(status int, detail string) error { return &StatusError{status: status, detail: detail} }

// StatusField is Status naming the input field (or header) the problem is about, for a status other
// than 400: a reused Idempotency-Key is 422 naming the header.
func StatusField(status int, field, reason string) error {
	return &StatusError{status: status, detail: reason, fields: []casework.FieldError{{Field: field, Reason: reason}}}
}

var (
	ErrNotFound     = Status(http.StatusNotFound, "finns inte, eller så har du inte behörighet")
	ErrUnauthorized = Status(http.StatusUnauthorized, "inloggning krävs: skicka en giltig bearer-token")
	// ErrOverloaded is the answer to a request shed because the system has as much work in flight as
	// it may (api/admission.go): nothing of it was done, so the client retries it as it was, after
	// Retry-After (every 503 carries one).
	ErrOverloaded = Status(http.StatusServiceUnavailable, "systemet är hårt belastat just nu: inget har ändrats, försök igen om en stund")
)

// refusalStatus is the one table from a refused workflow command to an HTTP status, by the kind of
// refusal the workflow answered with (workflows.Refusal).
var refusalStatus = map[string]int{
	workflows.ErrTypeInvalid:  http.StatusBadRequest,
	workflows.ErrTypeConflict: http.StatusConflict,
	workflows.ErrTypeRouting:  http.StatusUnprocessableEntity,
	// The actor may see the case, but this command is not theirs to give (e.g. only the named person
	// acknowledges).
	workflows.ErrTypeForbidden: http.StatusForbidden,
	// Something the command needed (an activity) failed, and nothing was changed: the client retries.
	workflows.ErrTypeUnavailable: http.StatusServiceUnavailable,
}

// WriteError is the only place that turns an error into a response (docs/architecture.md §6): what a client can
// act on is told, anything else is a 500 with a request ID and the cause goes to the log only.
func WriteError(c *gin.Context, err error) {
	p := Problem{Type: "about:blank", RequestID: RequestID(c)}
	var (
		valErr *casework.ValidationError
		apiErr *StatusError
		limErr *RateLimited
		unav   *serviceerror.Unavailable
	)
	refusal, reason, refused := workflows.RefusalOf(err)
	refusedWith := refusalStatus[refusal.Kind] // 0 when not refused, or of a kind unknown here
	switch {
	case errors.As(err, &valErr):
		p.Status, p.Detail, p.Fields = http.StatusBadRequest, "ogiltiga uppgifter", valErr.Fields
	case errors.As(err, &apiErr):
		p.Status, p.Detail, p.Fields = apiErr.status, apiErr.detail, apiErr.fields
	case errors.As(err, &limErr):
		p.Status, p.Detail = http.StatusTooManyRequests, "för många förfrågningar: försök igen om "+limErr.RetryAfterSeconds()+" s"
		c.Header("Retry-After", limErr.RetryAfterSeconds())
	case refusedWith == http.StatusServiceUnavailable, errors.As(err, &unav), errors.Is(err, context.DeadlineExceeded), overloaded(err), databaseUnavailable(err):
		p.Status, p.Detail = http.StatusServiceUnavailable, "tjänsten svarar inte just nu, försök igen om en stund"
		Logger(c).WarnContext(c.Request.Context(), "dependency unavailable", "requestId", p.RequestID, "error", err)
	case refused && refusedWith != 0:
		p.Status, p.Detail, p.Fields = refusedWith, reason, refusal.Fields
	default:
		p.Status, p.Detail = http.StatusInternalServerError, "ett internt fel inträffade"
		Logger(c).ErrorContext(c.Request.Context(), "request failed", "requestId", p.RequestID, "route", c.FullPath(), "error", err)
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfterUnavailable) // unavailable.go
	}
	p.Title = http.StatusText(p.Status)
	c.Header("Content-Type", "application/problem+json")
	// Gin keeps a content type that is already set, so the problem type wins over plain JSON.
	c.AbortWithStatusJSON(p.Status, p)
}

// RateLimited is the error of a request over its limit; WriteError answers 429 with Retry-After.
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string { return "rate limit reached" }

// RetryAfterSeconds is Retry-After's value: whole seconds, at least 1.
func (e *RateLimited) RetryAfterSeconds() string {
	return strconv.Itoa(max(1, int(math.Ceil(e.RetryAfter.Seconds()))))
}

// overloaded: Temporal answered that it is too busy or too slow right now (a deadline passed, a
// query found no worker in time, its limits were hit). That is the system's state, not the client's
// fault nor a bug: 503, so the client retries, never 500.
func overloaded(err error) bool {
	var (
		deadline  *serviceerror.DeadlineExceeded
		exhausted *serviceerror.ResourceExhausted
		canceled  *serviceerror.Canceled
	)
	if errors.As(err, &deadline) || errors.As(err, &exhausted) || errors.As(err, &canceled) {
		return true
	}
	switch status.Code(err) {
	case codes.DeadlineExceeded, codes.Unavailable, codes.ResourceExhausted, codes.Canceled:
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "query timed out before a worker could process it") ||
		strings.Contains(msg, "no poller seen for task queue recently")
}
