package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

const aCaseID = "abcdefghijklmnopqrstuvwxyz-abcde"

// auditedRouter serves handler under an audited route as an authenticated user would reach it.
func auditedRouter(s *Server, handler gin.HandlerFunc) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(s.requestID, s.recover, func(c *gin.Context) {
		httpkit.SetCaller(c, auth.Claims{User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1"})
	})
	r.GET("/cases/:caseId", s.audited(accesslog.ReadCase), handler)
	return r
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "192.0.2.7:51000"
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	h.ServeHTTP(w, req)
	return w
}

func TestAudited(t *testing.T) {
	ctx := context.Background()
	newServer := func(t *testing.T) *Server {
		return &Server{DB: dbtest.Open(t), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now}
	}

	t.Run("an allowed read is logged with who, what, where and the final status, then answered", func(t *testing.T) {
		s := newServer(t)
		w := get(auditedRouter(s, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"caseId": c.Param("caseId")}) }), "/cases/"+aCaseID)
		require.Equal(t, http.StatusOK, w.Code)
		assert.JSONEq(t, `{"caseId":"`+aCaseID+`"}`, w.Body.String())
		rows, err := s.DB.AccessLog(ctx, db.AccessFilter{})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		r := rows[0]
		assert.Equal(t, "bertil.rektor", r.User)
		assert.Equal(t, "named_person", r.Role)
		assert.Equal(t, "norrkoping-skola-1", r.Unit)
		assert.Equal(t, aCaseID, r.CaseID)
		assert.Equal(t, "abcdefghijklmnopqrstuvwxyz", r.ChildRef, "the child's pseudonym is the case ID's first part")
		assert.Equal(t, accesslog.ReadCase, r.Action)
		assert.Equal(t, db.OutcomeAllowed, r.Outcome)
		assert.Equal(t, 200, r.Status)
		assert.Equal(t, "192.0.2.7", r.ClientAddr, "the connection's peer, which a client cannot forge")
		assert.Equal(t, "198.51.100.1", r.ForwardedFor)
		assert.Equal(t, w.Header().Get("X-Request-Id"), r.RequestID)
	})

	t.Run("a denied read is logged as denied with its 404", func(t *testing.T) {
		s := newServer(t)
		w := get(auditedRouter(s, func(c *gin.Context) { httpkit.WriteError(c, httpkit.ErrNotFound) }), "/cases/"+aCaseID)
		require.Equal(t, http.StatusNotFound, w.Code)
		assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
		rows, err := s.DB.AccessLog(ctx, db.AccessFilter{CaseID: aCaseID})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, db.OutcomeDenied, rows[0].Outcome)
		assert.Equal(t, 404, rows[0].Status)
	})

	t.Run("a malformed case ID is logged as asked for, escaped and truncated", func(t *testing.T) {
		s := newServer(t)
		h := auditedRouter(s, func(c *gin.Context) { httpkit.WriteError(c, httpkit.ErrNotFound) })
		get(h, "/cases/Melwin%20P%C3%A5hittad%0A%22x")
		get(h, "/cases/"+strings.Repeat("a", 500))
		rows, err := s.DB.AccessLog(ctx, db.AccessFilter{})
		require.NoError(t, err)
		require.Len(t, rows, 2)
		assert.Equal(t, `malformed:"Melwin P\u00e5hittad\n\"x"`, rows[0].CaseID)
		assert.Empty(t, rows[0].ChildRef)
		assert.Equal(t, `malformed:"`+strings.Repeat("a", 64)+`…"`, rows[1].CaseID)
	})

	t.Run("a handler that panics is logged as an error", func(t *testing.T) {
		s := newServer(t)
		w := get(auditedRouter(s, func(*gin.Context) { panic("boom") }), "/cases/"+aCaseID)
		require.Equal(t, http.StatusInternalServerError, w.Code)
		rows, err := s.DB.AccessLog(ctx, db.AccessFilter{})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, db.OutcomeError, rows[0].Outcome)
	})

	t.Run("when the log cannot be written the answer is 503 and nothing of the read leaves", func(t *testing.T) {
		s := newServer(t)
		require.NoError(t, s.DB.Close())
		w := get(auditedRouter(s, func(c *gin.Context) {
			c.Header("Location", "/somewhere")
			c.JSON(http.StatusOK, gin.H{"child": "Melwin Påhittad"})
		}), "/cases/"+aCaseID)
		require.Equal(t, http.StatusServiceUnavailable, w.Code)
		assert.NotContains(t, w.Body.String(), "Melwin")
		assert.Empty(t, w.Header().Get("Location"))
		assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	})

	t.Run("a streamed answer is logged before its first byte", func(t *testing.T) {
		s := newServer(t)
		w := get(auditedRouter(s, func(c *gin.Context) {
			require.NoError(t, s.auditLog().RecordNow(c, http.StatusOK))
			rows, err := s.DB.AccessLog(ctx, db.AccessFilter{})
			require.NoError(t, err)
			require.Len(t, rows, 1, "written before streaming")
			_, _ = c.Writer.WriteString("streamed")
		}), "/cases/"+aCaseID)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, "streamed", w.Body.String())
		rows, err := s.DB.AccessLog(ctx, db.AccessFilter{})
		require.NoError(t, err)
		assert.Len(t, rows, 1, "and not again afterwards")
	})
}
