package cases

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The plan (SIP, docs/process.md §6.5) and its follow-up (§6.6). The API checks each field's form – given,
// of a known value, not too long, a time that can be read – and reports every problem at once; the
// four statutory parts as a whole (measures by others stated, overall responsibility with the
// municipality or the region), whose step it is and whether the case is ready for it are the
// workflow's rules.

// principalKinds are the kinds of principal a plan may name: the public ones, and "other" for the
// measures of others (docs/process.md §6.5, part 3).
var principalKinds = []casework.PrincipalKind{casework.PrincipalMunicipality, casework.PrincipalRegion,
	casework.PrincipalPolice, casework.PrincipalSchoolOwner, workflows.PrincipalOther}

// interventionRequest is one intervention as the client sends it; FollowUpAt is a booked time.
type interventionRequest struct {
	ID          string               `json:"id"`
	Description string               `json:"description"`
	Principal   workflows.Principal  `json:"principal"`
	UnitID      string               `json:"unitId"`
	Performer   string               `json:"performer"`
	Extent      string               `json:"extent"`
	Areas       []casework.WheelArea `json:"areas"`
	FollowUpHow string               `json:"followUpHow"`
	Goal        string               `json:"goal"`
	FollowUpAt  string               `json:"followUpAt"`
	followUpAt  *time.Time
}

// planRequest is the body of POST /cases/{caseId}/plans: a version of the plan, proposed.
type planRequest struct {
	commandBase
	Interventions         []interventionRequest `json:"interventions"`
	NoMeasuresByOthers    bool                  `json:"noMeasuresByOthers"`
	OverallResponsibility *workflows.Principal  `json:"overallResponsibility"`
	FollowUpAt            string                `json:"followUpAt"`
	ChildParticipation    string                `json:"childParticipation"`
	followUpAt            time.Time
}

func (r *planRequest) validate(v *casework.ValidationError, _ time.Time) {
	if len(r.Interventions) == 0 {
		v.Add("interventions", "ange vilka insatser som behövs (planens del 1)")
	}
	seen := map[string]bool{}
	for i := range r.Interventions {
		iv := &r.Interventions[i]
		f := fmt.Sprintf("interventions[%d]", i)
		httpkit.CheckText(v, f+".id", iv.ID, true, httpkit.MaxShortRunes)
		if seen[iv.ID] && iv.ID != "" {
			v.Add(f+".id", "står redan med")
		}
		seen[iv.ID] = true
		httpkit.CheckText(v, f+".description", iv.Description, true, httpkit.MaxTextRunes)
		checkPrincipal(v, f+".principal", &iv.Principal)
		httpkit.CheckText(v, f+".unitId", iv.UnitID, false, httpkit.MaxShortRunes)
		httpkit.CheckText(v, f+".performer", iv.Performer, true, httpkit.MaxShortRunes)
		httpkit.CheckText(v, f+".extent", iv.Extent, true, httpkit.MaxTextRunes)
		checkAreas(v, f+".areas", iv.Areas, true)
		httpkit.CheckText(v, f+".followUpHow", iv.FollowUpHow, true, httpkit.MaxTextRunes)
		httpkit.CheckText(v, f+".goal", iv.Goal, false, httpkit.MaxTextRunes)
		if iv.FollowUpAt != "" {
			t := parseBooked(v, f+".followUpAt", iv.FollowUpAt, r.at, "uppföljningen måste ligga efter planen")
			iv.followUpAt = &t
		}
	}
	if r.OverallResponsibility == nil {
		v.Add("overallResponsibility", "ange vilken huvudman som har det övergripande ansvaret för planen (del 4)")
	} else {
		checkPrincipal(v, "overallResponsibility", r.OverallResponsibility)
	}
	if r.FollowUpAt == "" {
		v.Add("followUpAt", "boka uppföljningen när planen görs")
	} else {
		r.followUpAt = parseBooked(v, "followUpAt", r.FollowUpAt, r.at, "uppföljningen måste ligga efter planen")
	}
	httpkit.CheckText(v, "childParticipation", r.ChildParticipation, false, httpkit.MaxTextRunes)
}

// checkPrincipal checks a principal's kind and name.
func checkPrincipal(v *casework.ValidationError, field string, p *workflows.Principal) {
	httpkit.CheckEnum(v, field+".kind", p.Kind, principalKinds...)
	httpkit.CheckText(v, field+".name", p.Name, true, httpkit.MaxShortRunes)
}

// checkAreas checks a list of wheel areas: each known and once.
func checkAreas(v *casework.ValidationError, field string, areas []casework.WheelArea, required bool) {
	if required && len(areas) == 0 {
		v.Add(field, "ange vilka av hjulets områden det gäller")
	}
	seen := map[casework.WheelArea]bool{}
	for i, a := range areas {
		switch {
		case !a.Valid():
			v.Add(fmt.Sprintf("%s[%d]", field, i), "ska vara ett av hjulets områden: "+joinAreas())
		case seen[a]:
			v.Add(fmt.Sprintf("%s[%d]", field, i), "står redan med")
		}
		seen[a] = true
	}
}

// parseBooked reads a booked time – a follow-up, unlike a business time, lies ahead – which must
// come after the command's business time.
func parseBooked(v *casework.ValidationError, field, value string, after time.Time, notAfter string) time.Time {
	t, err := time.Parse(time.RFC3339, value)
	switch {
	case err != nil:
		v.Add(field, "ska vara en tidpunkt enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case !httpkit.Writable(t):
		v.Add(field, httpkit.ErrTimeRange)
	case !after.IsZero() && !t.After(after):
		v.Add(field, notAfter)
	}
	return t
}

// proposePlan checks that a responsible unit an intervention names is in the directory.
func (s *Handlers) proposePlan(c *gin.Context, r *planRequest, cc *caseCommand) (any, error) {
	cmd := workflows.ProposePlan{Command: cc.command(), NoMeasuresByOthers: r.NoMeasuresByOthers,
		OverallResponsibility: trimPrincipal(*r.OverallResponsibility), FollowUpAt: r.followUpAt,
		ChildParticipation: r.ChildParticipation}
	v := &casework.ValidationError{}
	for i, iv := range r.Interventions {
		if strings.TrimSpace(iv.UnitID) == "" {
			continue
		}
		_, err := s.unitNamed(c.Request.Context(), fmt.Sprintf("interventions[%d].unitId", i), strings.TrimSpace(iv.UnitID))
		if err := v.Take(err); err != nil {
			return nil, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, iv := range r.Interventions {
		cmd.Interventions = append(cmd.Interventions, workflows.Intervention{ID: strings.TrimSpace(iv.ID),
			Description: iv.Description, Principal: trimPrincipal(iv.Principal), UnitID: strings.TrimSpace(iv.UnitID),
			Performer: strings.TrimSpace(iv.Performer), Extent: iv.Extent, Areas: iv.Areas, FollowUpHow: iv.FollowUpHow,
			Goal: iv.Goal, FollowUpAt: iv.followUpAt})
	}
	return cmd, nil
}

func trimPrincipal(p workflows.Principal) workflows.Principal {
	return workflows.Principal{Kind: p.Kind, Name: strings.TrimSpace(p.Name)}
}

// approvalRequest is the body of POST /cases/{caseId}/plans/{version}/approvals: the child's or a
// guardian's answer to the proposed version of the path.
type approvalRequest struct {
	commandBase
	Party     workflows.PartyKind     `json:"party"`
	PartyName string                  `json:"partyName"`
	Approved  *bool                   `json:"approved"`
	Method    workflows.ConsentMethod `json:"method"`
	Comment   string                  `json:"comment"`
}

func (r *approvalRequest) validate(v *casework.ValidationError, _ time.Time) {
	httpkit.CheckEnum(v, "party", r.Party, workflows.PartyGuardian, workflows.PartyChild)
	httpkit.CheckText(v, "partyName", r.PartyName, r.Party == workflows.PartyGuardian, httpkit.MaxShortRunes)
	if r.Approved == nil {
		v.Add("approved", "ange true (godkänner planen) eller false (godkänner den inte)")
	}
	httpkit.CheckEnum(v, "method", r.Method, workflows.ConsentWritten, workflows.ConsentOral)
	httpkit.CheckText(v, "comment", r.Comment, false, httpkit.MaxTextRunes)
}

// approvePlan takes the version from the path. The child's name is the case's when the body gives
// none: the case file says who approved.
func (s *Handlers) approvePlan(c *gin.Context, r *approvalRequest, cc *caseCommand) (any, error) {
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 1 {
		return nil, httpkit.FieldProblem("version", "ska vara planens versionsnummer, 1 eller större")
	}
	if version > len(cc.state.Plans) {
		return nil, httpkit.Status(http.StatusNotFound, fmt.Sprintf("planen har ingen version %d", version))
	}
	name := strings.TrimSpace(r.PartyName)
	if name == "" && r.Party == workflows.PartyChild {
		name = cc.state.Child.Name
	}
	return workflows.ApprovePlan{Command: cc.command(), Version: version, Party: r.Party, PartyName: name,
		Approved: *r.Approved, Method: r.Method, Comment: r.Comment}, nil
}

// interventionFollowUpRequest is what a follow-up found for one intervention.
type interventionFollowUpRequest struct {
	InterventionID string `json:"interventionId"`
	Done           string `json:"done"`
	GoalMet        *bool  `json:"goalMet"`
	Note           string `json:"note"`
}

// followUpRequest is the body of POST /cases/{caseId}/follow-ups: a held follow-up of the plan in
// force, every intervention, and whether the plan goes on (with the next follow-up booked) or the
// case closes.
type followUpRequest struct {
	commandBase
	Interventions  []interventionFollowUpRequest `json:"interventions"`
	Outcome        workflows.FollowUpOutcome     `json:"outcome"`
	NextFollowUpAt string                        `json:"nextFollowUpAt"`
	CloseReason    workflows.CloseReason         `json:"closeReason"`
	Note           string                        `json:"note"`
	nextFollowUpAt *time.Time
}

func (r *followUpRequest) validate(v *casework.ValidationError, _ time.Time) {
	if len(r.Interventions) == 0 {
		v.Add("interventions", "ange vad som gjorts i varje insats")
	}
	seen := map[string]bool{}
	for i, iv := range r.Interventions {
		f := fmt.Sprintf("interventions[%d]", i)
		httpkit.CheckText(v, f+".interventionId", iv.InterventionID, true, httpkit.MaxShortRunes)
		if seen[iv.InterventionID] && iv.InterventionID != "" {
			v.Add(f+".interventionId", "står redan med")
		}
		seen[iv.InterventionID] = true
		httpkit.CheckText(v, f+".done", iv.Done, true, httpkit.MaxTextRunes)
		if iv.GoalMet == nil {
			v.Add(f+".goalMet", "ange true eller false: är målet nått?")
		}
		httpkit.CheckText(v, f+".note", iv.Note, false, httpkit.MaxTextRunes)
	}
	httpkit.CheckEnum(v, "outcome", r.Outcome, workflows.FollowUpRevise, workflows.FollowUpClose)
	switch r.Outcome {
	case workflows.FollowUpRevise:
		if r.NextFollowUpAt == "" {
			v.Add("nextFollowUpAt", "boka nästa uppföljning")
		} else {
			t := parseBooked(v, "nextFollowUpAt", r.NextFollowUpAt, r.at, "nästa uppföljning måste ligga efter den här")
			r.nextFollowUpAt = &t
		}
		if r.CloseReason != "" {
			v.Add("closeReason", "anges bara när ärendet avslutas")
		}
	case workflows.FollowUpClose:
		httpkit.CheckEnum(v, "closeReason", r.CloseReason, workflows.CloseReasons...)
		if r.NextFollowUpAt != "" {
			v.Add("nextFollowUpAt", "anges bara när planen fortsätter")
		}
	}
	httpkit.CheckText(v, "note", r.Note, false, httpkit.MaxTextRunes)
}

func (s *Handlers) recordFollowUp(_ *gin.Context, r *followUpRequest, cc *caseCommand) (any, error) {
	cmd := workflows.RecordFollowUp{Command: cc.command(), Outcome: r.Outcome, NextFollowUpAt: r.nextFollowUpAt,
		CloseReason: r.CloseReason, Note: r.Note}
	for _, iv := range r.Interventions {
		cmd.Interventions = append(cmd.Interventions, workflows.InterventionFollowUp{
			InterventionID: strings.TrimSpace(iv.InterventionID), Done: iv.Done, GoalMet: *iv.GoalMet, Note: iv.Note})
	}
	return cmd, nil
}
