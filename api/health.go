package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/httpkit"
)

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz answers 200 only when both Temporal and the database answer, so a load balancer sends no
// traffic to an instance that could not serve it.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if _, err := s.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		s.Logger.Warn("not ready: temporal", "error", err)
		httpkit.WriteError(c, httpkit.Status(http.StatusServiceUnavailable, "Temporal svarar inte"))
		return
	}
	if err := s.DB.Ping(ctx); err != nil {
		s.Logger.Warn("not ready: database", "error", err)
		httpkit.WriteError(c, httpkit.Status(http.StatusServiceUnavailable, "databasen svarar inte"))
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
