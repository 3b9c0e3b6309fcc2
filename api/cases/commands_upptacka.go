package cases

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/workflows"
)

// upptäcka (docs/process.md §6.1, §8): the named person takes the case and may delegate the assessment;
// whether a report to social services was made is recorded.

// acknowledgementRequest is the body of POST /cases/{caseId}/acknowledgement; it may be empty.
type acknowledgementRequest struct {
	commandBase
}

func (r *acknowledgementRequest) validate(*casework.ValidationError, time.Time) {}

func (s *Handlers) acknowledge(c *gin.Context, _ *acknowledgementRequest, cc *caseCommand) (any, error) {
	return workflows.AcknowledgeConcern{Command: cc.command()}, nil
}

// delegationRequest is the body of POST /cases/{caseId}/delegation: the colleague who assesses.
type delegationRequest struct {
	commandBase
	To string `json:"to"`
}

func (r *delegationRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckText(v, "to", r.To, true, httpkit.MaxShortRunes)
}

// delegate checks in the directory that the colleague has a role in the named person's unit: the
// named person may delegate within the own unit only (docs/process.md §1).
func (s *Handlers) delegate(c *gin.Context, r *delegationRequest, cc *caseCommand) (any, error) {
	unit := cc.state.NamedPersonUnit
	user, err := s.userNamed(c.Request.Context(), "to", r.To)
	switch {
	case err != nil:
		return nil, err
	case unit == nil || !worksIn(user, unit.ID):
		return nil, httpkit.FieldProblem("to", "kartläggningen kan bara delegeras till en kollega på "+unitName(unit))
	}
	return workflows.DelegateAssessment{Command: cc.command(), To: user.ID, ToName: user.DisplayName}, nil
}

// worksIn: the user holds a role in the unit that may handle case content.
func worksIn(u db.User, unitID string) bool {
	for _, r := range u.Roles {
		if r.UnitID == unitID && handlesCases(r.Role) {
			return true
		}
	}
	return false
}

// handlesCases: every role but the steering group's and the administrator's, which never see case
// content.
func handlesCases(r casework.Role) bool { return r != casework.RoleSteering && r != casework.RoleAdmin }

func unitName(u *casework.UnitRef) string {
	if u == nil {
		return "barnets bästa-ansvariges enhet"
	}
	return u.Name
}

// harmReportRequest is the body of POST /cases/{caseId}/harm-report (SoL 14 kap. 1 §).
type harmReportRequest struct {
	commandBase
	Reported   *bool  `json:"reported"`
	ReportedAt string `json:"reportedAt"`
	Reason     string `json:"reason"`
	reportedAt time.Time
}

func (r *harmReportRequest) validate(v *casework.ValidationError, now time.Time) {
	if r.Reported == nil {
		v.Add("reported", "ange true eller false: har en anmälan gjorts till socialtjänsten?")
		return
	}
	if *r.Reported {
		if r.reportedAt = httpkit.ParseTime(v, "reportedAt", r.ReportedAt, now, false); r.ReportedAt == "" {
			v.Add("reportedAt", "ange när anmälan gjordes")
		}
		if r.Reason != "" {
			v.Add("reason", "anges bara när ingen anmälan gjordes")
		}
		return
	}
	if r.ReportedAt != "" {
		v.Add("reportedAt", "anges bara när en anmälan gjordes")
	}
	if strings.TrimSpace(r.Reason) == "" {
		v.Add("reason", "ange varför ingen anmälan gjordes")
	}
	httpkit.CheckText(v, "reason", r.Reason, false, httpkit.MaxTextRunes)
}

func (s *Handlers) recordHarmReport(_ *gin.Context, r *harmReportRequest, cc *caseCommand) (any, error) {
	cmd := workflows.RecordHarmReport{Command: cc.command(), Reported: *r.Reported, Reason: r.Reason}
	if *r.Reported {
		at := r.reportedAt
		cmd.ReportedAt = &at
	}
	return cmd, nil
}
