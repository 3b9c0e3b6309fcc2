package web

import (
	"slices"
	"strings"
	"time"
)

// The case hub's account of what follows the meeting (docs/process.md §6.5–§6.6, §10, §11): the
// plan's versions with their interventions and approvals, the follow-ups, disagreements, a
// placement and handovers – each only where the API's answer has it, in words and dates the page
// shows as they are.

// planSection is what the hub's "casePlan" partial shows.
type planSection struct {
	Versions      []planVersionView
	FollowUps     []followUpView
	Disagreements []disagreementRow
	Placement     *placementView
	Handovers     []handoverView
	ReopenUntil   string
}

type planVersionView struct {
	Version       int
	Status        string
	InForce       bool
	Established   string
	FollowUpAt    string
	Overall       string
	NoOthers      bool
	Participation string
	Interventions []interventionView
	Approvals     []string
}

type interventionView struct {
	N                                     int
	Description, Who, Extent, Goal, Areas string
}

type followUpView struct {
	When, Outcome, Next, Note string
	Version                   int
	Interventions             []string
}

type disagreementRow struct{ Subject, Question, Parties, Where string }

type placementView struct{ Kind, Since, HealthExamination, Cost string }

type handoverView struct{ When, From, To, Reason, Taken string }

var planStatusLabels = map[string]string{
	"proposed":    "Föreslagen, väntar på godkännande",
	"established": "Gäller",
	"declined":    "Inte godkänd",
	"superseded":  "Ersatt av en senare version",
}

// planSectionOf builds the section from the case; a case without any of it gives nil.
func planSectionOf(c Case) *planSection {
	p := &planSection{}
	for _, v := range slices.Backward(c.Plans) { // the newest version first: it is the one that matters now
		p.Versions = append(p.Versions, planVersionOf(c, v))
	}
	for _, f := range slices.Backward(c.FollowUps) {
		p.FollowUps = append(p.FollowUps, followUpOf(c, f))
	}
	for _, d := range c.Disagreements {
		p.Disagreements = append(p.Disagreements, disagreementRowOf(d))
	}
	if pl := c.Placement; pl != nil {
		v := &placementView{Kind: choiceLabel(placementKinds, pl.Kind), Since: formatDate(pl.OccurredAt)}
		if pl.HealthExaminationAt != nil {
			v.HealthExamination = formatDate(*pl.HealthExaminationAt)
		}
		if cd := pl.CostDistribution; cd != nil {
			v.Cost = cd.Agreement + " (" + strings.Join(cd.Parties, ", ") + ")"
		}
		p.Placement = v
	}
	for _, h := range c.Handovers {
		v := handoverView{When: formatDate(h.OccurredAt), From: h.From.Name, To: h.To.Name, Reason: strings.TrimRight(h.Reason, ".")}
		if h.Acknowledged != nil {
			v.Taken = formatDate(h.Acknowledged.OccurredAt)
		}
		p.Handovers = append(p.Handovers, v)
	}
	if c.ReopenUntil != nil {
		p.ReopenUntil = formatDate(*c.ReopenUntil)
	}
	if p.Versions == nil && p.FollowUps == nil && p.Disagreements == nil && p.Placement == nil && p.Handovers == nil && p.ReopenUntil == "" {
		return nil
	}
	return p
}

func planVersionOf(c Case, v PlanVersion) planVersionView {
	out := planVersionView{Version: v.Version, Status: labelOr(planStatusLabels, v.Status), InForce: v.Status == "established", FollowUpAt: formatDateTime(v.FollowUpAt),
		Overall: v.OverallResponsibility.Name, NoOthers: v.NoMeasuresByOthers, Participation: v.ChildParticipation}
	if v.EstablishedAt != nil {
		out.Established = formatDate(*v.EstablishedAt)
	}
	for i, iv := range v.Interventions {
		who := iv.Principal.Name
		if iv.Performer != "" {
			who += ", " + iv.Performer
		}
		if iv.UnitID != "" {
			who += " (" + c.UnitName(iv.UnitID) + ")"
		}
		out.Interventions = append(out.Interventions, interventionView{N: i + 1, Description: iv.Description, Who: who, Extent: iv.Extent,
			Goal: iv.Goal, Areas: strings.Join(iv.Areas, ", ")})
	}
	for _, a := range v.Approvals {
		who := labelOr(partyLabels, a.Party)
		if a.PartyName != "" {
			who += " (" + a.PartyName + ")"
		}
		answer := "godkände"
		if !a.Approved {
			answer = "godkände inte"
		}
		line := who + " " + answer + " " + formatDate(a.OccurredAt) + ", " + strings.ToLower(choiceLabel(approvalMethods, a.Method))
		if a.Comment != "" {
			line += ": " + a.Comment
		}
		out.Approvals = append(out.Approvals, line)
	}
	return out
}

func followUpOf(c Case, f FollowUp) followUpView {
	out := followUpView{When: formatDate(f.OccurredAt), Version: f.PlanVersion, Note: f.Note}
	switch f.Outcome {
	case "revise":
		out.Outcome = "Planen fortsätter"
	case "close":
		out.Outcome = "Ärendet avslutas: " + strings.ToLower(choiceLabel(closeReasons, f.CloseReason))
	default:
		out.Outcome = f.Outcome
	}
	if f.NextFollowUpAt != nil {
		out.Next = formatDateTime(*f.NextFollowUpAt)
	}
	plan := c.Version(f.PlanVersion)
	for _, iv := range f.Interventions {
		name := iv.InterventionID
		if plan != nil {
			for _, p := range plan.Interventions {
				if p.ID == iv.InterventionID {
					name = p.Description
				}
			}
		}
		met := "målet är inte nått"
		if iv.GoalMet {
			met = "målet är nått"
		}
		out.Interventions = append(out.Interventions, name+" – "+iv.Done+" ("+met+")")
	}
	return out
}

func disagreementRowOf(d Disagreement) disagreementRow {
	out := disagreementRow{Subject: choiceLabel(disagreementSubjects, d.Subject), Question: d.Question, Parties: strings.Join(d.Parties, ", ")}
	switch step := d.Current(); {
	case d.Resolved != nil:
		out.Where = "Avgjord " + formatDate(d.Resolved.OccurredAt)
		if step != nil && step.Decision != "" {
			out.Where += ": " + step.Decision
		}
	case step != nil:
		out.Where = "Ligger hos " + step.Level + " sedan " + formatDate(step.StartedAt)
		if step.DueAt != nil {
			out.Where += ", beslut " + deadlineText(*step.DueAt, time.Now())
		}
	}
	return out
}
