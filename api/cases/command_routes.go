package cases

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/workflows"
)

// commandRoute is one command on a case as the API takes it: the name a client finds it by in the
// case's actions (actions.go), its request under /cases/{caseId}, the workflow update it becomes, and
// who besides the staff with a part in the case may send it.
type commandRoute struct {
	action string // stable: the front end relies on it
	method string
	path   string // under /cases/:caseId; a parameter names what in the case the command is about
	update string
	rule   commandRule
	handle func(s *Handlers, r commandRoute) gin.HandlerFunc
}

var (
	staff             = commandRule{}
	staffAndReporters = commandRule{reporters: true}
)

// commandRoutes are the process commands of a case (docs/process.md §5–§11), in the order of the process.
// Only the report to social services may also be recorded by a reporter of the case: the duty to
// report is theirs (docs/process.md §8); the supervisor of a deviation's unit may record its handling
// without another part in the case; a closed case may be reopened.
func commandRoutes() []commandRoute {
	return []commandRoute{
		route("acknowledge", http.MethodPost, "/acknowledgement", workflows.UpdateAcknowledgeConcern, staff, (*Handlers).acknowledge),
		route("delegate", http.MethodPost, "/delegation", workflows.UpdateDelegateAssessment, staff, (*Handlers).delegate),
		route("harmReport", http.MethodPost, "/harm-report", workflows.UpdateRecordHarmReport, staffAndReporters, (*Handlers).recordHarmReport),
		route("assessment", http.MethodPut, "/assessment", workflows.UpdateRecordAssessment, staff, (*Handlers).recordAssessment),
		route("completeAssessment", http.MethodPost, "/assessment/completion", workflows.UpdateCompleteAssessment, staff, (*Handlers).completeAssessment),
		route("consent", http.MethodPost, "/consents", workflows.UpdateRecordConsent, staff, (*Handlers).recordConsent),
		route("revokeConsent", http.MethodPost, "/consent-revocations", workflows.UpdateRevokeConsent, staff, (*Handlers).revokeConsent),
		route("summons", http.MethodPost, "/summons", workflows.UpdateSendSummons, staff, (*Handlers).sendSummons),
		route("answerInvitation", http.MethodPost, "/summons/invitations/:invitationId/answer", workflows.UpdateAnswerInvitation, staff, (*Handlers).answerInvitation),
		route("meeting", http.MethodPost, "/meeting", workflows.UpdateHoldMeeting, staff, (*Handlers).holdMeeting),
		route("appointCoordinator", http.MethodPost, "/coordinator", workflows.UpdateAppointCoordinator, staff, (*Handlers).appointCoordinator),
		route("proposePlan", http.MethodPost, "/plans", workflows.UpdateProposePlan, staff, (*Handlers).proposePlan),
		route("approvePlan", http.MethodPost, "/plans/:version/approvals", workflows.UpdateApprovePlan, staff, (*Handlers).approvePlan),
		route("followUp", http.MethodPost, "/follow-ups", workflows.UpdateRecordFollowUp, staff, (*Handlers).recordFollowUp),
		route("reportDeviation", http.MethodPost, "/deviations", workflows.UpdateReportDeviation, staff, (*Handlers).reportDeviation),
		route("handleDeviation", http.MethodPost, "/deviations/:deviationId/handling", workflows.UpdateHandleDeviation,
			commandRule{alsoAllowed: deviationSupervisor}, (*Handlers).handleDeviation),
		route("raiseDisagreement", http.MethodPost, "/disagreements", workflows.UpdateRaiseDisagreement, staff, (*Handlers).raiseDisagreement),
		route("decideDisagreement", http.MethodPost, "/disagreements/:disagreementId/decision", workflows.UpdateDecideDisagreement, staff, (*Handlers).decideDisagreement),
		route("escalateDisagreement", http.MethodPost, "/disagreements/:disagreementId/escalation", workflows.UpdateEscalateDisagreement, staff, (*Handlers).escalateDisagreement),
		route("placement", http.MethodPost, "/placement", workflows.UpdateRecordPlacement, staff, (*Handlers).recordPlacement),
		route("healthExamination", http.MethodPost, "/placement/health-examination", workflows.UpdateRecordHealthExamination, staff, (*Handlers).recordHealthExamination),
		route("costDistribution", http.MethodPost, "/placement/cost-distribution", workflows.UpdateSettleCostDistribution, staff, (*Handlers).settleCostDistribution),
		route("handover", http.MethodPost, "/handover", workflows.UpdateHandOverCase, staff, (*Handlers).handOver),
		route("close", http.MethodPost, "/closing", workflows.UpdateCloseCase, staff, (*Handlers).closeCase),
		route("reopen", http.MethodPost, "/reopening", workflows.UpdateReopenCase, commandRule{closed: true}, (*Handlers).reopen),
	}
}

// route builds a command's row; build turns its valid body into the workflow's command.
func route[B any, P interface {
	*B
	commandBody
}](action, method, path, update string, rule commandRule, build func(*Handlers, *gin.Context, P, *caseCommand) (any, error)) commandRoute {
	return commandRoute{action: action, method: method, path: path, update: update, rule: rule,
		handle: func(s *Handlers, r commandRoute) gin.HandlerFunc {
			return commandHandler(s, r, func(c *gin.Context, body P, cc *caseCommand) (any, error) { return build(s, c, body, cc) })
		}}
}

// processRoutes registers every command of a case in the group of /cases/:caseId.
func (s *Handlers) processRoutes(g *gin.RouterGroup) {
	for _, r := range commandRoutes() {
		g.Handle(r.method, r.path, r.handle(s, r))
	}
}

// param is the name of the path's parameter, or "" when the command is about the case as a whole.
func (r commandRoute) param() string {
	for _, seg := range strings.Split(r.path, "/") {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			return name
		}
	}
	return ""
}

// target is what in the case the request's command is about: the path's parameter.
func (r commandRoute) target(c *gin.Context) string {
	if name := r.param(); name != "" {
		return c.Param(name)
	}
	return ""
}

// pathIn is the command's request path in the case, about target.
func (r commandRoute) pathIn(caseID, target string) string {
	path := r.path
	if name := r.param(); name != "" {
		path = strings.Replace(path, ":"+name, url.PathEscape(target), 1)
	}
	return Path(caseID) + path
}

// Path is the case's resource path, GET /api/v1/cases/{caseId}.
func Path(caseID string) string { return "/api/v1/cases/" + url.PathEscape(caseID) }

// CommandPath is where a command about target in the case is sent, by its update – for another
// room of the API that links a case's command (the oversight's deviations): the same table as the
// routes, so the link and the route cannot differ.
func CommandPath(update, caseID, target string) (method, path string) {
	for _, r := range commandRoutes() {
		if r.update == update {
			return r.method, r.pathIn(caseID, target)
		}
	}
	return "", ""
}
