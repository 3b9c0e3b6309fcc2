package cases

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// The process commands (docs/process.md §5, §6, §8). Every one has the same shape (docs/architecture.md §1): decode
// the body strictly and validate it (400 naming the fields), find the case and authorise the caller
// (404 without a part in it), resolve what needs the directory (400 naming the field), send the
// workflow update and wait for its outcome – the workflow decides whether the command fits the
// case (409) and whether it is the caller's to give (403) – and answer with the case as the caller
// now sees it. Errors go through httpkit.WriteError only.

// commandRule says who may send a command beyond the staff with a part in the case, and whether it
// fits a closed case. Which of them the command is for is the workflow's rule (403).
type commandRule struct {
	reporters bool // a reporter of the case may send it too
	closed    bool // it may be sent to a closed case (reopening)
	// alsoAllowed lets in a caller without a part in the case, on the command's own terms (the
	// supervisor of a deviation's unit), given what in the case the command is about (the path's
	// parameter); nil: nobody else.
	alsoAllowed func(state workflows.CaseState, who auth.Claims, target string) bool
}

// admits is the API's own check of a command, before the workflow's: 404 for a caller without a
// part in the case, 403 for its reporter where the command is not theirs, 409 in a closed case.
func (r commandRule) admits(state workflows.CaseState, who auth.Claims, target string) error {
	switch access := AccessTo(state, who); {
	case access == FullAccess:
	case r.alsoAllowed != nil && r.alsoAllowed(state, who, target):
	case access == NoAccess:
		return httpkit.ErrNotFound
	case access == ReporterAccess && !r.reporters:
		return httpkit.Status(http.StatusForbidden, "du har rapporterat oro i ärendet men har ingen del i handläggningen")
	}
	if state.Phase == casework.PhaseClosed && !r.closed {
		return httpkit.Status(http.StatusConflict, "ärendet är avslutat")
	}
	return nil
}

// commandBase is what every command body may carry: when the step happened in the world. It defaults
// to the time of the request and may lie in the past (a meeting held yesterday is entered today).
type commandBase struct {
	OccurredAt string `json:"occurredAt"`
	at         time.Time
}

func (b *commandBase) base() *commandBase { return b }

// commandBody is a command's request body: validate checks the body's own fields (the business time
// is parsed already), all problems at once, by their JSON names.
type commandBody interface {
	base() *commandBase
	validate(v *casework.ValidationError, now time.Time)
}

// caseCommand is one command on its way to the case.
type caseCommand struct {
	workflowID string
	state      workflows.CaseState // the case as it was when the command arrived
	actor      workflows.Actor
	at         time.Time
}

// command is what every command carries to the workflow.
func (cc *caseCommand) command() workflows.Command {
	return workflows.Command{By: cc.actor, OccurredAt: cc.at}
}

// commandHandler builds the handler of one command. build turns the valid body into the workflow's
// command; it may consult the directory and the case and return a validation error.
func commandHandler[B any, P interface {
	*B
	commandBody
}](s *Handlers, route commandRoute, build func(c *gin.Context, body P, cc *caseCommand) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		accesslog.Refine(c, "", accesslog.Command+":"+route.update) // access log: the command by its update name
		body := P(new(B))
		cc, err := s.prepareCommand(c, body, route.rule, route.target(c))
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		cmd, err := build(c, body, cc)
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		key, err := s.idempotentID(c, route.update+"\x00"+cc.workflowID, body)
		if err != nil {
			httpkit.WriteError(c, err)
			return
		}
		if err := s.sendCommand(c, cc, route.update, key.id, cmd); err != nil {
			s.release(c, key, err)
			httpkit.WriteError(c, err)
			return
		}
		s.answerCommand(c, cc)
	}
}

// prepareCommand decodes and validates the body, then finds the case and authorises the caller for
// the command about target (the path's parameter, if the command has one).
func (s *Handlers) prepareCommand(c *gin.Context, body commandBody, rule commandRule, target string) (*caseCommand, error) {
	if key := c.GetHeader("Idempotency-Key"); len(key) > maxIdempotencyKey {
		return nil, httpkit.FieldProblem("Idempotency-Key", fmt.Sprintf("får vara högst %d tecken", maxIdempotencyKey))
	}
	if err := decodeCommand(c, body); err != nil {
		return nil, err
	}
	now := s.Now()
	v := &casework.ValidationError{}
	b := body.base()
	b.at = httpkit.ParseTime(v, "occurredAt", b.OccurredAt, now, false)
	if b.OccurredAt == "" {
		b.at = now
	}
	body.validate(v, now)
	if err := v.Err(); err != nil {
		return nil, err
	}
	l, err := s.source().LoadLive(c)
	if err != nil {
		return nil, err
	}
	workflowID, state, who := l.WorkflowID, l.State, httpkit.Caller(c)
	if err := rule.admits(state, who, target); err != nil {
		return nil, err
	}
	if l.Archived != nil {
		return nil, errArchived
	}
	actor, err := s.actor(c, who)
	if err != nil {
		return nil, err
	}
	return &caseCommand{workflowID: workflowID, state: state, actor: actor, at: b.at}, nil
}

// decodeCommand decodes a command's body; an empty body is an empty command (acknowledging needs
// nothing but the token).
func decodeCommand(c *gin.Context, dst any) error {
	if c.Request.ContentLength == 0 {
		return nil
	}
	return httpkit.DecodeJSON(c, dst)
}

// actor is who acts: the token's user, name, role and unit, and the unit's kind from the directory,
// which the workflow needs for rules such as who may call a SIP (docs/process.md §6.5).
func (s *Handlers) actor(c *gin.Context, who auth.Claims) (workflows.Actor, error) {
	a := workflows.Actor{User: who.User, Name: who.Name, Role: casework.Role(who.Role), Unit: who.Unit}
	unit, err := s.DB.Unit(c.Request.Context(), who.Unit)
	switch {
	case errors.Is(err, db.ErrNotFound):
		// A token for a unit the directory does not know: the actor gets no rights a unit kind gives.
	case err != nil:
		return a, fmt.Errorf("actor's unit: %w", err)
	default:
		a.UnitKind = unit.Kind
	}
	return a, nil
}

// sendCommand sends the update and waits until the workflow has applied or rejected it. The update
// ID comes from the Idempotency-Key when one is given (idempotency.go), so a retried request gets
// the first one's outcome; it is prefixed with the command's name because Temporal matches update
// IDs whatever the update, and a key reused for another command must not return the first
// command's answer.
func (s *Handlers) sendCommand(c *gin.Context, cc *caseCommand, update, keyID string, cmd any) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), httpkit.CommandWait) // then 503 (httpkit/unavailable.go)
	defer cancel()
	updateID := ""
	if keyID != "" {
		updateID = update + ":" + keyID
	}
	handle, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   cc.workflowID,
		UpdateID:     updateID,
		UpdateName:   update,
		Args:         []any{cmd},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		var res workflows.CommandResult
		err = handle.Get(ctx, &res)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		// The case was open when the command arrived and has closed since.
		return httpkit.Status(http.StatusConflict, "ärendet är avslutat")
	}
	if err != nil {
		return fmt.Errorf("%s: %w", update, err)
	}
	return nil
}

// answerCommand answers 200 with the case as the caller now sees it, and keeps that state as the
// case's snapshot, so the next read shows the command's effect (snapshot.go). A command may have
// taken the caller's own access away (their agency's consent revoked): then only that it was recorded.
func (s *Handlers) answerCommand(c *gin.Context, cc *caseCommand) {
	state, err := liveState(c, s.Temporal, cc.workflowID)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	s.source().storeSnapshot(c, state)
	who := httpkit.Caller(c)
	view, ok := caseView(state, who)
	if !ok {
		view = caseJSON{CaseID: state.CaseID, Deadlines: []deadlineJSON{}, Concerns: []concernJSON{}, Actions: []actionJSON{}, View: "none"}
	} else {
		view.Actions = s.caseActions(state, who, cc.actor)
	}
	c.JSON(http.StatusOK, view)
}
