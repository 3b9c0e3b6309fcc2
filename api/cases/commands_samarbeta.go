package cases

import (
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// samarbeta (docs/process.md §5, §6.3): consent and its revocation, the summons and the meeting. Whether
// the consent covers an agency, whether the case may be summoned or met, is the workflow's rule.

// consentRequest is the body of POST /cases/{caseId}/consents: one party's consent or refusal. Scope
// lists unit IDs among the agencies the assessment proposed.
type consentRequest struct {
	commandBase
	Party     workflows.PartyKind     `json:"party"`
	PartyName string                  `json:"partyName"`
	Custody   workflows.Custody       `json:"custody"`
	Given     *bool                   `json:"given"`
	Scope     []string                `json:"scope"`
	Method    workflows.ConsentMethod `json:"method"`
}

func (r *consentRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "party", r.Party, workflows.PartyGuardian, workflows.PartyChild)
	httpkit.CheckText(v, "partyName", r.PartyName, r.Party == workflows.PartyGuardian, httpkit.MaxShortRunes)
	if r.Custody != "" {
		httpkit.CheckEnum(v, "custody", r.Custody, workflows.CustodyJoint, workflows.CustodySole)
	}
	switch {
	case r.Given == nil:
		v.Add("given", "ange true (samtycke lämnat) eller false (samtycke nekat)")
	case *r.Given:
		httpkit.CheckIDs(v, "scope", r.Scope, true)
	case len(r.Scope) > 0:
		v.Add("scope", "anges bara när samtycke lämnas")
	}
	httpkit.CheckEnum(v, "method", r.Method, workflows.ConsentWritten, workflows.ConsentOral)
}

func (s *Handlers) recordConsent(_ *gin.Context, r *consentRequest, cc *caseCommand) (any, error) {
	return workflows.RecordConsent{Command: cc.command(), Party: r.Party, PartyName: strings.TrimSpace(r.PartyName),
		Custody: r.Custody, Given: *r.Given, Scope: r.Scope, Method: r.Method}, nil
}

// revocationRequest is the body of POST /cases/{caseId}/consent-revocations: consent withdrawn for
// the listed agencies, or wholly when none are listed.
type revocationRequest struct {
	commandBase
	Party     workflows.PartyKind `json:"party"`
	PartyName string              `json:"partyName"`
	Agencies  []string            `json:"agencies"`
}

func (r *revocationRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "party", r.Party, workflows.PartyGuardian, workflows.PartyChild)
	httpkit.CheckText(v, "partyName", r.PartyName, r.Party == workflows.PartyGuardian, httpkit.MaxShortRunes)
	httpkit.CheckIDs(v, "agencies", r.Agencies, false)
}

func (s *Handlers) revokeConsent(_ *gin.Context, r *revocationRequest, cc *caseCommand) (any, error) {
	return workflows.RevokeConsent{Command: cc.command(), Party: r.Party, PartyName: strings.TrimSpace(r.PartyName),
		Agencies: r.Agencies}, nil
}

// summonsRequest is the body of POST /cases/{caseId}/summons. MeetingAt is when the meeting is to be
// held, so unlike the business times it lies in the future.
type summonsRequest struct {
	commandBase
	MeetingAt       string   `json:"meetingAt"`
	Place           string   `json:"place"`
	Agencies        []string `json:"agencies"`
	InviteChild     bool     `json:"inviteChild"`
	InviteGuardians bool     `json:"inviteGuardians"`
	meetingAt       time.Time
}

func (r *summonsRequest) validate(v *casework.ValidationError, _ time.Time) {
	t, err := time.Parse(time.RFC3339, r.MeetingAt)
	switch {
	case r.MeetingAt == "":
		v.Add("meetingAt", "ange när mötet hålls")
	case err != nil:
		v.Add("meetingAt", "ska vara en tidpunkt enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case !httpkit.Writable(t):
		v.Add("meetingAt", httpkit.ErrTimeRange)
	case !r.at.IsZero() && !t.After(r.at):
		v.Add("meetingAt", "mötet måste ligga efter kallelsen")
	}
	r.meetingAt = t
	httpkit.CheckText(v, "place", r.Place, true, httpkit.MaxShortRunes)
	httpkit.CheckIDs(v, "agencies", r.Agencies, true)
}

func (s *Handlers) sendSummons(_ *gin.Context, r *summonsRequest, cc *caseCommand) (any, error) {
	return workflows.SendSummons{Command: cc.command(), MeetingAt: r.meetingAt, Place: strings.TrimSpace(r.Place),
		Agencies: r.Agencies, InviteChild: r.InviteChild, InviteGuardians: r.InviteGuardians}, nil
}

// meetingRequest is the body of POST /cases/{caseId}/meeting: the meeting as held. Attendance names
// unit IDs, "child" or "guardians"; an agency that needs to do nothing further says why.
type meetingRequest struct {
	commandBase
	Attendance    []workflows.Attendance     `json:"attendance"`
	CommonPicture string                     `json:"commonPicture"`
	Decisions     []workflows.AgencyDecision `json:"decisions"`
}

func (r *meetingRequest) validate(v *casework.ValidationError, _ time.Time) {
	if len(r.Attendance) == 0 {
		v.Add("attendance", "ange vilka som deltog")
	}
	present := map[string]bool{}
	for i, a := range r.Attendance {
		f := fmt.Sprintf("attendance[%d].participant", i)
		switch {
		case strings.TrimSpace(a.Participant) == "":
			v.Add(f, "saknas: ett enhets-id, child eller guardians")
		case present[a.Participant]:
			v.Add(f, "står redan med")
		}
		present[a.Participant] = true
	}
	httpkit.CheckText(v, "commonPicture", r.CommonPicture, true, httpkit.MaxTextRunes)
	seen := map[string]bool{}
	for i, d := range r.Decisions {
		f := fmt.Sprintf("decisions[%d]", i)
		switch {
		case strings.TrimSpace(d.UnitID) == "":
			v.Add(f+".unitId", "saknas")
		case seen[d.UnitID]:
			v.Add(f+".unitId", "står redan med: en verksamhet, ett beslut")
		}
		seen[d.UnitID] = true
		if d.NoFurtherAction {
			if strings.TrimSpace(d.Reason) == "" {
				v.Add(f+".reason", "ange varför inga fler insatser behövs från er")
			}
			httpkit.CheckText(v, f+".reason", d.Reason, false, httpkit.MaxTextRunes)
		} else {
			httpkit.CheckText(v, f+".decision", d.Decision, true, httpkit.MaxTextRunes)
		}
	}
}

func (s *Handlers) holdMeeting(_ *gin.Context, r *meetingRequest, cc *caseCommand) (any, error) {
	return workflows.HoldMeeting{Command: cc.command(), Attendance: r.Attendance, CommonPicture: r.CommonPicture,
		Decisions: r.Decisions}, nil
}
