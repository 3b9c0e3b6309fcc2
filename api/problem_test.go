package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
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
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/cases/x", nil)
			writeError(c, tc.err)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d", w.Code, tc.want)
			}
		})
	}
}
