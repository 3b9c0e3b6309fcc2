package httpkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// TestOverloadIsNot500: when Temporal is too busy to answer in time the client gets 503 and
// retries; a 500 would say the request or the code is broken. Seen under 10,000 timers firing at once.
func TestOverloadIsNot500(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"a Temporal deadline exceeded is 503", fmt.Errorf("query case state: %w", serviceerror.NewDeadlineExceeded("context deadline exceeded")), http.StatusServiceUnavailable},
		{"Temporal's resource exhaustion is 503", serviceerror.NewResourceExhausted(0, "busy"), http.StatusServiceUnavailable},
		{"a gRPC deadline status is 503", fmt.Errorf("query case state: %w", status.Error(codes.DeadlineExceeded, "deadline")), http.StatusServiceUnavailable},
		{"a query no worker picked up in time is 503", errors.New("query case state: query timed out before a worker could process it"), http.StatusServiceUnavailable},
		{"an unexpected error is still 500", errors.New("boom"), http.StatusInternalServerError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := errorResponse(http.MethodGet, "/api/v1/cases/x", tc.err)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d", w.Code, tc.want)
			}
		})
	}
}

// TestRefusalsMapToStatusOnce: the workflow's refusals reach the client by their typed detail, as
// the Temporal client decodes them from the wire – the fields named without reading the message –
// and an activity that failed inside an update is a 503 that echoes nothing of its cause.
func TestRefusalsMapToStatusOnce(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	field := casework.FieldError{Field: "scope[1]", Reason: "norrkoping-bup föreslogs inte i kartläggningen"}
	// fromWire is the error as the API's Temporal client returns it: encoded to a failure by the
	// worker, decoded again by the client.
	fromWire := func(err error) error {
		fc := temporal.GetDefaultFailureConverter()
		return fmt.Errorf("RecordConsent: %w", fc.FailureToError(fc.ErrorToFailure(err)))
	}
	refusal := func(kind, msg string, fields ...casework.FieldError) error {
		return fromWire(temporal.NewApplicationError(msg, kind, workflows.Refusal{Kind: kind, Fields: fields}))
	}
	secret := "dial tcp 10.0.0.7:5432: connection refused"
	cases := []struct {
		name   string
		err    error
		status int
		fields []casework.FieldError
		detail string
	}{
		{"an invalid field is 400 naming it", refusal(workflows.ErrTypeInvalid, "scope[1]: norrkoping-bup föreslogs inte i kartläggningen", field),
			http.StatusBadRequest, []casework.FieldError{field}, "scope[1]: norrkoping-bup föreslogs inte i kartläggningen"},
		{"a conflict is 409 with its reason", refusal(workflows.ErrTypeConflict, "kallelse är redan skickad"),
			http.StatusConflict, nil, "kallelse är redan skickad"},
		{"a command not the caller's is 403", refusal(workflows.ErrTypeForbidden, "bara samordnaren"), http.StatusForbidden, nil, "bara samordnaren"},
		{"a concern the directory cannot route is 422", refusal(workflows.ErrTypeRouting, "ärendet kunde inte fördelas"),
			http.StatusUnprocessableEntity, nil, "ärendet kunde inte fördelas"},
		{"an activity failed in the handler is 503, its cause unsaid",
			fromWire(temporal.NewApplicationErrorWithCause("kommunens policy kunde inte läsas", workflows.ErrTypeUnavailable,
				errors.New(secret), workflows.Refusal{Kind: workflows.ErrTypeUnavailable})),
			http.StatusServiceUnavailable, nil, "tjänsten svarar inte just nu, försök igen om en stund"},
		{"a refusal from a worker without the detail still has its status", fromWire(temporal.NewApplicationError("ärendet är avslutat", workflows.ErrTypeConflict)),
			http.StatusConflict, nil, "ärendet är avslutat"},
		{"an application error of another type is 500, its message unsaid", fromWire(temporal.NewApplicationError(secret, "wrapError")),
			http.StatusInternalServerError, nil, "ett internt fel inträffade"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := errorResponse(http.MethodPost, "/api/v1/cases/x/consents", tc.err)
			var p Problem
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
			require.Equal(t, tc.status, w.Code)
			require.Equal(t, tc.fields, p.Fields)
			require.Equal(t, tc.detail, p.Detail)
			require.NotContains(t, w.Body.String(), "10.0.0.7")
		})
	}
}

// errorResponse is what WriteError answers a request with for err.
func errorResponse(method, path string, err error) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(method, path, nil)
	WriteError(c, err)
	return w
}
