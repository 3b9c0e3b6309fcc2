// Package cases is the API's case resources: the concern that starts or joins a child's case, the
// case as its reader may see it with the actions they may take, the commands of the process, and
// the read model's lists, inbox and notifications. Who reads a case is the access rule (access.go);
// whose a command is, and whether it fits the case, is the workflow's.
package cases

import (
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/archive"
	"github.com/samverkan/samverkan/db"
)

// Handlers holds what the case resources need.
type Handlers struct {
	Temporal     client.Client
	DB           *db.DB
	TaskQueue    string
	PseudonymKey []byte
	Now          func() time.Time
	Log          *accesslog.Log
	// Codec opens archived case files (archived.go).
	Codec archive.Codec
}

// Routes registers the case resources under /api/v1. Every route that touches case data writes its
// access-log row before its answer leaves; lists write one row without a case (accesslog.List says
// why).
func (s *Handlers) Routes(v1 *gin.RouterGroup) {
	v1.GET("/units", s.listUnits)
	v1.POST("/concerns", s.Log.Audited(accesslog.RegisterConcern), s.registerConcern)
	v1.GET("/cases", s.Log.Audited(accesslog.List), s.listCases)
	v1.GET("/me/tasks", s.Log.Audited(accesslog.List), s.myTasks)
	// The caller's notifications (notifications.go): the list is logged as /me/tasks is; marking one
	// read touches no case.
	v1.GET("/me/notifications", s.Log.Audited(accesslog.List), s.myNotifications)
	v1.POST("/me/notifications/:id/read", s.markNotificationRead)
	v1.GET("/cases/:caseId", s.Log.Audited(accesslog.ReadCase), s.getCase)
	v1.POST("/cases/:caseId/legal-hold", s.Log.Audited(accesslog.LegalHold), s.legalHold)
	s.processRoutes(v1.Group("/cases/:caseId", s.Log.Audited(accesslog.Command)))
}
