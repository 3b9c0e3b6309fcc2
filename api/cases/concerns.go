package cases

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// registerConcern starts the child's case or joins the open one (update-with-start, USE_EXISTING):
// one open case per child, whoever reports and however many report at once (docs/process.md §6).
func (s *Handlers) registerConcern(c *gin.Context) {
	// The steering group and administrators handle no cases (docs/process.md §1): a concern would make them
	// the case's reporter and show them its deadlines.
	if role := casework.Role(httpkit.Caller(c).Role); role == casework.RoleSteering || role == casework.RoleAdmin {
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "styrgrupp och administratörer registrerar inte oro; gör det i din roll som yrkesperson"))
		return
	}
	var req concernRequest
	if err := httpkit.DecodeJSON(c, &req); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	now := s.Now()
	valid, err := req.validate(now)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	policy, err := s.checkAgainstDirectory(c, &req, valid)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	who := httpkit.Caller(c)
	by, err := s.actor(c, who)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	pseudonym := casework.ChildPseudonym(s.PseudonymKey, valid.identity)
	// The concern's ID is its update's: the keyed hash of the Idempotency-Key (idempotency.go).
	key, err := s.idempotentID(c, workflows.UpdateRegisterConcern+"\x00"+workflows.CaseWorkflowID(pseudonym), req)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	concernID := key.id
	if concernID == "" {
		concernID = randomToken(16)
	}
	accesslog.SetChild(c, pseudonym) // access log: the child's case is touched, whatever the outcome
	cmd := workflows.RegisterConcern{
		ConcernID: concernID,
		Child: workflows.Child{
			PersonalNumber: valid.personal,
			ReserveNumber:  strings.ToUpper(req.Child.ReserveNumber),
			Name:           strings.TrimSpace(req.Child.Name),
			BirthDate:      req.Child.BirthDate,
			Schooling: casework.Schooling{
				Status: casework.SchoolingStatus(req.Child.Schooling.Status),
				UnitID: req.Child.Schooling.UnitID,
				Grade:  req.Child.Schooling.Grade,
			},
		},
		Municipality: req.Child.Municipality,
		Areas:        valid.areas,
		Observation:  req.Observation,
		SuspectsHarm: valid.suspectsHarm,
		OccurredAt:   valid.occurredAt,
		By:           by,
	}
	res, err := s.startOrJoinCase(c, pseudonym, cmd)
	if err != nil {
		s.release(c, key, err)
		httpkit.WriteError(c, err)
		return
	}
	accesslog.Refine(c, res.CaseID, "") // access log: the case the concern started or joined
	full, err := s.hadFullAccess(c, res, workflows.CaseWorkflowID(pseudonym), who)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	if !full {
		c.JSON(http.StatusAccepted, newConcernReceipt(concernID, cmd, policy, now))
		return
	}
	c.Header("Location", "/api/v1/cases/"+res.CaseID)
	c.JSON(http.StatusOK, concernResponse{
		CaseID:          res.CaseID,
		Joined:          res.Joined,
		Phase:           res.Phase,
		NamedPersonUnit: httpkit.UnitRef{ID: res.NamedPersonUnit.ID, Name: res.NamedPersonUnit.Name},
		Deadlines:       deadlinesJSON(res.Deadlines),
	})
}

// hadFullAccess says whether the caller had full access to the case before their concern, and so
// may be told which case it joined (concern_receipt.go). A new case had no reader before it; a
// joined case's grants are not changed by a concern, so its access now is its access before.
func (s *Handlers) hadFullAccess(c *gin.Context, res workflows.RegisterConcernResult, workflowID string, who auth.Claims) (bool, error) {
	if !res.Joined {
		return false, nil
	}
	state, err := liveState(c, s.Temporal, workflowID)
	if err != nil {
		return false, err
	}
	s.source().storeSnapshot(c, state) // the concern is in the next read (snapshot.go)
	return AccessTo(state, who) == FullAccess, nil
}

// concernResponse is the full answer to a concern, for a caller who already had full access to the
// case it joined; everyone else gets a receipt (concern_receipt.go).
type concernResponse struct {
	CaseID          string          `json:"caseId"`
	Joined          bool            `json:"joined"`
	Phase           casework.Phase  `json:"phase"`
	NamedPersonUnit httpkit.UnitRef `json:"namedPersonUnit"`
	Deadlines       []deadlineJSON  `json:"deadlines"`
}

func (s *Handlers) startOrJoinCase(c *gin.Context, pseudonym string, cmd workflows.RegisterConcern) (workflows.RegisterConcernResult, error) {
	start := workflows.CaseStart{
		CaseID:       pseudonym + "-" + randomToken(5),
		Municipality: cmd.Municipality,
	}
	startOp := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       workflows.CaseWorkflowID(pseudonym),
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A closed case lets a new one start for the same child.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, workflows.CaseWorkflowName, start)
	// Bounded (httpkit.CommandWait): past it 503, and the client's retry with the same key finds
	// the concern's update where this one left it.
	ctx, cancel := context.WithTimeout(c.Request.Context(), httpkit.CommandWait)
	defer cancel()
	handle, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: startOp,
		UpdateOptions: client.UpdateWorkflowOptions{
			// Named although the start names it too: the SDK encodes the update's arguments in the
			// context of this ID only, and the codec records it so that the concern decodes for the
			// case's readers (codec.MetadataWorkflowID).
			WorkflowID:   workflows.CaseWorkflowID(pseudonym),
			UpdateID:     cmd.ConcernID,
			UpdateName:   workflows.UpdateRegisterConcern,
			Args:         []any{cmd},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err != nil {
		return workflows.RegisterConcernResult{}, fmt.Errorf("update-with-start case: %w", err)
	}
	var res workflows.RegisterConcernResult
	if err := handle.Get(ctx, &res); err != nil {
		return res, fmt.Errorf("register concern: %w", err)
	}
	return res, nil
}

// checkAgainstDirectory checks what needs the directory: the municipality, the unit the child
// attends, and that the child is in the policy's target group. It returns the municipality's policy.
func (s *Handlers) checkAgainstDirectory(c *gin.Context, req *concernRequest, valid validConcern) (casework.Policy, error) {
	ctx := c.Request.Context()
	v := &casework.ValidationError{}
	age := casework.AgeOn(valid.birth, valid.occurredAt.In(casework.Stockholm))
	mun, err := s.municipalityNamed(ctx, "child.municipality", req.Child.Municipality)
	switch {
	case err != nil:
		if err := v.Take(err); err != nil {
			return casework.Policy{}, err
		}
	default:
		if !mun.Policy.InTargetGroup(age) {
			v.Add("child.birthDate", fmt.Sprintf("barnet är %d år; målgruppen enligt %s är till och med %d år", age, mun.Policy.Name, mun.Policy.UpperAge))
		}
	}
	if id := req.Child.Schooling.UnitID; id != "" {
		unit, err := s.unitNamed(ctx, "child.schooling.unitId", id)
		switch {
		case err != nil:
			if err := v.Take(err); err != nil {
				return casework.Policy{}, err
			}
		default:
			if want, ok := unitKindForStatus[casework.SchoolingStatus(req.Child.Schooling.Status)]; ok && unit.Kind != want {
				v.Add("child.schooling.unitId", fmt.Sprintf("enheten är av typen %s, inte %s", unit.Kind, want))
			}
		}
	}
	if err := v.Err(); err != nil {
		return casework.Policy{}, err
	}
	return mun.Policy, s.checkRoutable(ctx, req, age)
}

// checkRoutable refuses a concern the directory could not route to a named person's unit, as the
// workflow would refuse it when it starts a case (422, the same words): checked here for every
// concern, since a joined case is not routed again and a refusal for new cases alone would tell a
// reporter whether the child already had one.
func (s *Handlers) checkRoutable(ctx context.Context, req *concernRequest, age int) error {
	route, err := casework.RouteNamedPerson(age, casework.SchoolingStatus(req.Child.Schooling.Status))
	if err != nil {
		return httpkit.Status(http.StatusUnprocessableEntity, "ärendet kunde inte fördelas: barnets uppgifter räcker inte för att välja enhet")
	}
	_, err = s.DB.NamedPersonUnit(ctx, req.Child.Municipality, req.Child.Schooling.UnitID, route.Kind)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return httpkit.Status(http.StatusUnprocessableEntity, "ärendet kunde inte fördelas: katalogen har ingen enhet som kan ta emot det")
	case err != nil:
		return fmt.Errorf("route concern: %w", err)
	}
	return nil
}

// unitKindForStatus is the kind of unit a child with this schooling attends.
var unitKindForStatus = map[casework.SchoolingStatus]casework.UnitKind{
	casework.SchoolingPreschool:                casework.UnitPreschool,
	casework.SchoolingSchool:                   casework.UnitSchool,
	casework.SchoolingUpperSecondaryHomeCounty: casework.UnitUpperSecondary,
}

// randomToken is n random bytes in lower-case base32, for IDs that must not be guessed.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
