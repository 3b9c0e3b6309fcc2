package web

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"
)

// clientContract is every method of Client: the operation of api/openapi.yaml it calls, a call of
// it, and the types it sends and reads. A method missing here fails TestEveryClientMethodIsInTheContract.
var clientContract = []struct {
	operation string
	call      func(*Client) error
	request   any // nil: no body
	answer    any
	status    string
}{
	{"listUnits", func(c *Client) error { _, err := c.Units(ctx(), "t"); return err }, nil, UnitList{}, "200"},
	{"myTasks", func(c *Client) error { _, err := c.MyTasks(ctx(), "t", "abc", 50); return err }, nil, TaskList{}, "200"},
	{"myNotifications", func(c *Client) error { _, err := c.MyNotifications(ctx(), "t", true, "", 10); return err }, nil, NotificationList{}, "200"},
	{"markNotificationRead", func(c *Client) error { return c.MarkNotificationRead(ctx(), "t", "n-1") }, nil, Notification{}, "200"},
	{"registerConcern", func(c *Client) error {
		_, err := c.RegisterConcern(ctx(), "t", "key-1", sampleConcern())
		return err
	}, ConcernRequest{}, ConcernReceipt{}, "202"},
	{"getCase", func(c *Client) error { _, err := c.Case(ctx(), "t", "ABC-1"); return err }, nil, Case{}, "200"},
	{"caseTimeline", func(c *Client) error { _, err := c.Timeline(ctx(), "t", "ABC-1"); return err }, nil, Timeline{}, "200"},
	// The second half of the process (apiclient_plan.go, apiclient_deviations.go, apiclient_placement.go).
	{"proposePlan", func(c *Client) error {
		_, err := c.ProposePlan(ctx(), "t", "ABC-1", "key-p1", samplePlan())
		return err
	}, PlanRequest{}, Case{}, "200"},
	{"approvePlan", func(c *Client) error {
		yes := true
		_, err := c.ApprovePlan(ctx(), "t", "ABC-1", 2, "key-p2", ApprovalRequest{Party: "guardian", PartyName: "Eva Påhittad", Approved: &yes, Method: "written"})
		return err
	}, ApprovalRequest{}, Case{}, "200"},
	{"recordFollowUp", func(c *Client) error {
		_, err := c.RecordFollowUp(ctx(), "t", "ABC-1", "key-p3", FollowUpRequest{Outcome: "close", CloseReason: "needs_met",
			Interventions: []InterventionFollowUp{{InterventionID: "i1", Done: "Stöd varje vecka.", GoalMet: true}}})
		return err
	}, FollowUpRequest{}, Case{}, "200"},
	{"reportDeviation", func(c *Client) error {
		_, err := c.ReportDeviation(ctx(), "t", "ABC-1", "key-d1", DeviationRequest{UnitID: "norrkoping-bup", Description: "Ingen tid bokades."})
		return err
	}, DeviationRequest{}, Case{}, "200"},
	{"handleDeviation", func(c *Client) error {
		_, err := c.HandleDeviation(ctx(), "t", "ABC-1", "avv-1", "key-d2", DeviationHandlingRequest{Handling: "Rutinen är ändrad."})
		return err
	}, DeviationHandlingRequest{}, Case{}, "200"},
	{"raiseDisagreement", func(c *Client) error {
		_, err := c.RaiseDisagreement(ctx(), "t", "ABC-1", "key-d3", DisagreementRequest{Subject: "cost", Question: "Vem betalar?",
			Parties: []string{"Norrköpings kommun", "Region Östergötland"}})
		return err
	}, DisagreementRequest{}, Case{}, "200"},
	{"decideDisagreement", func(c *Client) error {
		_, err := c.DecideDisagreement(ctx(), "t", "ABC-1", "oen-1", "key-d4", DecisionRequest{Decision: "Delas lika."})
		return err
	}, DecisionRequest{}, Case{}, "200"},
	{"escalateDisagreement", func(c *Client) error {
		_, err := c.EscalateDisagreement(ctx(), "t", "ABC-1", "oen-1", "key-d5", EscalationRequest{Reason: "Ingen enighet."})
		return err
	}, EscalationRequest{}, Case{}, "200"},
	{"recordPlacement", func(c *Client) error {
		_, err := c.RecordPlacement(ctx(), "t", "ABC-1", "key-q1", PlacementRequest{Kind: "planned", HealthExaminationAt: "2026-01-12T10:00:00+01:00",
			CostDistribution: &CostDistributionInput{Agreement: "Lika delar.", Parties: []string{"Norrköpings kommun", "Region Östergötland"}}})
		return err
	}, PlacementRequest{}, Case{}, "200"},
	{"recordHealthExamination", func(c *Client) error {
		_, err := c.RecordHealthExamination(ctx(), "t", "ABC-1", "key-q2", HealthExaminationRequest{OccurredAt: "2026-01-12T10:00:00+01:00"})
		return err
	}, HealthExaminationRequest{}, Case{}, "200"},
	{"settleCostDistribution", func(c *Client) error {
		_, err := c.SettleCostDistribution(ctx(), "t", "ABC-1", "key-q3", CostDistributionRequest{Agreement: "Lika delar.", Parties: []string{"Norrköpings kommun"}})
		return err
	}, CostDistributionRequest{}, Case{}, "200"},
	{"handOverCase", func(c *Client) error {
		_, err := c.HandOver(ctx(), "t", "ABC-1", "key-q4", HandoverRequest{ToUnitID: "lulea-skola-1", Reason: "Barnet har flyttat till Luleå."})
		return err
	}, HandoverRequest{}, Case{}, "200"},
	{"closeCase", func(c *Client) error {
		_, err := c.CloseCase(ctx(), "t", "ABC-1", "key-q5", ClosingRequest{Reason: "needs_met"})
		return err
	}, ClosingRequest{}, Case{}, "200"},
	{"reopenCase", func(c *Client) error {
		_, err := c.Reopen(ctx(), "t", "ABC-1", "key-q6", ReopeningRequest{Reason: "Ny oro från skolan."})
		return err
	}, ReopeningRequest{}, Case{}, "200"},
	{"acknowledgeConcern", func(c *Client) error {
		_, err := c.Acknowledge(ctx(), "t", "ABC-1", "key-2", AcknowledgementRequest{OccurredAt: "2026-01-13T09:00:00+01:00"})
		return err
	}, AcknowledgementRequest{}, Case{}, "200"},
	{"delegateAssessment", func(c *Client) error {
		_, err := c.Delegate(ctx(), "t", "ABC-1", "key-3", DelegationRequest{To: "karin.kollega"})
		return err
	}, DelegationRequest{}, Case{}, "200"},
	{"recordHarmReport", func(c *Client) error {
		_, err := c.RecordHarmReport(ctx(), "t", "ABC-1", "key-4", HarmReportRequest{Reported: true, ReportedAt: "2026-01-13T10:00:00+01:00"})
		return err
	}, HarmReportRequest{}, Case{}, "200"},
	{"recordAssessment", func(c *Client) error {
		_, err := c.RecordAssessment(ctx(), "t", "ABC-1", "key-5", AssessmentRequest{
			Areas:         []AreaAssessment{{Area: "hälsa", Observation: "Ont i magen.", Level: "måttlig"}},
			ChildView:     ChildView{View: "Jobbigt i matsalen."},
			FiveQuestions: FiveQuestions{HaveAllInformation: "Nej.", HelpNeeded: "BUP."},
			Partners:      Partners{Earlier: []string{"norrkoping-bvc-1"}, Forward: []string{"norrkoping-bup", "Fritidsgården"}}})
		return err
	}, AssessmentRequest{}, Case{}, "200"},
	{"completeAssessment", func(c *Client) error {
		_, err := c.CompleteAssessment(ctx(), "t", "ABC-1", "key-6", CompletionRequest{Outcome: "collaboration",
			ProposedAgencies: []string{"norrkoping-bup"}, RelevantAreas: []string{"hälsa"}, Acute: true})
		return err
	}, CompletionRequest{}, Case{}, "200"},
	{"recordConsent", func(c *Client) error {
		_, err := c.RecordConsent(ctx(), "t", "ABC-1", "key-7", ConsentRequest{Party: "guardian", PartyName: "Vårdnadshavare Påhittad",
			Custody: "joint", Given: true, Scope: []string{"norrkoping-bup"}, Method: "written"})
		return err
	}, ConsentRequest{}, Case{}, "200"},
	{"revokeConsent", func(c *Client) error {
		_, err := c.RevokeConsent(ctx(), "t", "ABC-1", "key-8", RevocationRequest{Party: "child", Agencies: []string{"norrkoping-bup"}})
		return err
	}, RevocationRequest{}, Case{}, "200"},
	{"sendSummons", func(c *Client) error {
		_, err := c.SendSummons(ctx(), "t", "ABC-1", "key-9", SummonsRequest{MeetingAt: "2026-01-20T13:00:00+01:00", Place: "Skolan",
			Agencies: []string{"norrkoping-bup"}, InviteChild: true, InviteGuardians: true})
		return err
	}, SummonsRequest{}, Case{}, "200"},
	{"holdMeeting", func(c *Client) error {
		_, err := c.HoldMeeting(ctx(), "t", "ABC-1", "key-10", MeetingRequest{Attendance: []Attendance{{Participant: "child", Present: true}},
			CommonPicture: "Stöd behövs.", Decisions: []AgencyDecision{{UnitID: "norrkoping-bup", NoFurtherAction: true, Reason: "Inget behov."}}})
		return err
	}, MeetingRequest{}, Case{}, "200"},
	{"appointCoordinator", func(c *Client) error {
		_, err := c.AppointCoordinator(ctx(), "t", "ABC-1", "key-11", CoordinatorRequest{ChildWish: &PersonRef{User: "bertil.rektor"},
			Coordinator: PersonRef{User: "bertil.rektor"}, PlanOwner: &PersonRef{User: "cecilia.socialsekreterare"}})
		return err
	}, CoordinatorRequest{}, Case{}, "200"},
	{"answerInvitation", func(c *Client) error {
		_, err := c.AnswerInvitation(ctx(), "t", "ABC-1", "norrkoping-bup", "key-4", InvitationAnswerRequest{Response: "propose_other",
			Reason: "vår psykolog är på kurs", ProposedPerson: &PersonRef{User: "karin.verksamhetschef"}})
		return err
	}, InvitationAnswerRequest{}, Case{}, "200"},
}

func ctx() context.Context { return context.Background() }

func sampleConcern() ConcernRequest {
	return ConcernRequest{Child: ChildInput{PersonalNumber: "20120315-9817", Name: "Melwin Påhittad", BirthDate: "2012-03-15",
		Municipality: "norrkoping", Schooling: Schooling{Status: "school", UnitID: "norrkoping-skola-1", Grade: "7"}},
		Areas: []string{"lärande"}, Observation: "Nästan ingen närvaro.", OccurredAt: "2026-01-13T09:30:00+01:00"}
}

type capture struct{ req *http.Request }

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.req = req
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
}

func TestClientMethodsMatchTheAPIDocument(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	require.NoError(t, err)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	for _, c := range clientContract {
		t.Run(c.operation, func(t *testing.T) {
			tr := &capture{}
			require.NoError(t, c.call(NewClient("http://api.test", tr)))
			route, params, err := router.FindRoute(tr.req)
			require.NoError(t, err, "%s %s is no operation of the document", tr.req.Method, tr.req.URL.Path)
			require.Equal(t, c.operation, route.Operation.OperationID)
			if tr.req.Body != nil && tr.req.GetBody != nil {
				tr.req.Body, _ = tr.req.GetBody()
			}
			in := &openapi3filter.RequestValidationInput{Request: tr.req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
			require.NoError(t, openapi3filter.ValidateRequest(context.Background(), in), "the request the client sends")
			if c.request != nil {
				require.NotNil(t, route.Operation.RequestBody, "the client sends a body the operation does not take")
				schema := route.Operation.RequestBody.Value.Content.Get("application/json").Schema
				for _, p := range fieldMismatches(reflect.TypeOf(c.request), schema, typeName(c.request)) {
					t.Error(p)
				}
			}
			answer := route.Operation.Responses.Value(c.status)
			require.NotNil(t, answer, "the operation has no %s answer", c.status)
			schema := answer.Value.Content.Get("application/json").Schema
			for _, p := range fieldMismatches(reflect.TypeOf(c.answer), schema, typeName(c.answer)) {
				t.Error(p)
			}
		})
	}
}

func TestEveryClientMethodIsInTheContract(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range clientContract {
		// One operation may have two methods when they read different answers (JSON, a file).
		key := c.operation + " " + typeName(c.answer)
		require.False(t, covered[key], "%s has two rows", key)
		covered[key] = true
	}
	methods := reflect.TypeOf(&Client{})
	require.Equal(t, len(clientContract), methods.NumMethod(), "each exported method of Client has one row in clientContract")
}

func typeName(v any) string { return reflect.TypeOf(v).Name() }

// fieldMismatches lists each field of t (by its JSON name) that the schema does not define, or
// defines with another type. It follows $refs, allOf, and anyOf's non-null branches.
func fieldMismatches(t reflect.Type, ref *openapi3.SchemaRef, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	schemas := flatten(ref)
	if t == reflect.TypeOf(time.Time{}) {
		return want(schemas, "string", path)
	}
	switch t.Kind() {
	case reflect.String:
		return want(schemas, "string", path)
	case reflect.Bool:
		return want(schemas, "boolean", path)
	case reflect.Int:
		return want(schemas, "integer", path)
	case reflect.Slice:
		if bad := want(schemas, "array", path); bad != nil {
			return bad
		}
		for _, s := range schemas {
			if s.Items != nil {
				return fieldMismatches(t.Elem(), s.Items, path+"[]")
			}
		}
		return []string{path + ": the document gives the array no items"}
	case reflect.Struct:
		return structMismatches(t, schemas, path)
	}
	return []string{path + ": a type the check does not know: " + t.String()}
}

func structMismatches(t reflect.Type, schemas []*openapi3.Schema, path string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, structMismatches(f.Type, schemas, path)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		var prop *openapi3.SchemaRef
		for _, s := range schemas {
			if p, ok := s.Properties[name]; ok {
				prop = p
				break
			}
		}
		if prop == nil {
			out = append(out, path+"."+name+": not a property in api/openapi.yaml")
			continue
		}
		out = append(out, fieldMismatches(f.Type, prop, path+"."+name)...)
	}
	return out
}

// flatten is the schema with its allOf parts and its anyOf/oneOf branches other than null.
func flatten(ref *openapi3.SchemaRef) []*openapi3.Schema {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	out := []*openapi3.Schema{s}
	for _, part := range append(append(append(openapi3.SchemaRefs{}, s.AllOf...), s.AnyOf...), s.OneOf...) {
		if part.Value != nil && part.Value.Type != nil && part.Value.Type.Is("null") {
			continue
		}
		out = append(out, flatten(part)...)
	}
	return out
}

func want(schemas []*openapi3.Schema, typ, path string) []string {
	for _, s := range schemas {
		if s.Type != nil && s.Type.Includes(typ) {
			return nil
		}
	}
	return []string{path + ": the document's type is not " + typ}
}
