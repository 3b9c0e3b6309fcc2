package timeline

import (
	"fmt"
	"strings"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The steps of the plan and of what keeps it honest – follow-ups, deviations, disagreements,
// placements – as sentences (steps.go).

func proposePlanStep(w *timelineWalker, s *stepEvent, in workflows.ProposePlan) {
	w.plans++
	ivs := make([]string, len(in.Interventions))
	for i, iv := range in.Interventions {
		ivs[i] = fmt.Sprintf("%s (%s)", strings.TrimRight(strings.TrimSpace(iv.Description), "."), iv.Principal.Name)
	}
	w.step(s, kindPlanProposed, in.Command, fmt.Sprintf("%s tog fram planen (SIP), version %d, med insatserna %s. Övergripande ansvar: %s. Uppföljning bokad %s. Planen gäller när barnet och vårdnadshavarna godkänt den",
		who(in.By), w.plans, swedishList(ivs), in.OverallResponsibility.Name, dateText(in.FollowUpAt)), "")
}

func approvePlanStep(w *timelineWalker, s *stepEvent, in workflows.ApprovePlan) {
	who := capital(party(in.Party, in.PartyName))
	if !in.Approved {
		text := fmt.Sprintf("%s godkände inte planens version %d", who, in.Version)
		if strings.TrimSpace(in.Comment) != "" {
			text += ": " + quoted(in.Comment)
		}
		w.step(s, kindPlanDeclined, in.Command, sentence(text)+" Versionen gäller inte", "")
		return
	}
	w.step(s, kindPlanApproved, in.Command, fmt.Sprintf("%s godkände planens version %d (%s)", who, in.Version, methodTexts[in.Method]), "")
	for _, d := range s.started {
		if d.Kind == casework.DeadlineFollowUp {
			w.step(s, kindPlanEstablished, in.Command, fmt.Sprintf("Planens version %d fastställdes: alla som behöver godkänna den har gjort det", in.Version), "")
			break
		}
	}
}

func followUpStep(w *timelineWalker, s *stepEvent, in workflows.RecordFollowUp) {
	met := 0
	for _, iv := range in.Interventions {
		if iv.GoalMet {
			met++
		}
	}
	text := fmt.Sprintf("%s höll uppföljningen av planen: målet är nått för %d av %d insatser.", who(in.By), met, len(in.Interventions))
	if in.Outcome == workflows.FollowUpRevise && in.NextFollowUpAt != nil {
		text += " Planen fortsätter; nästa uppföljning " + dateText(*in.NextFollowUpAt) + "."
	}
	if strings.TrimSpace(in.Note) != "" {
		text += " " + quoted(in.Note)
	}
	w.step(s, kindFollowUpRecorded, in.Command, text, "")
	if in.Outcome == workflows.FollowUpClose {
		w.step(s, kindCaseClosed, in.Command, "Ärendet avslutades vid uppföljningen: "+closeReasonText(in.CloseReason), "")
	}
}

func reportDeviationStep(w *timelineWalker, s *stepEvent, in workflows.ReportDeviation) {
	w.deviations++
	id := fmt.Sprintf("avv-%d", w.deviations)
	if dev := w.finalDeviation(func(v workflows.Deviation) bool {
		return v.Kind == workflows.DeviationReported && v.ReportedBy != nil && v.ReportedBy.User == in.By.User &&
			v.OccurredAt.Equal(in.OccurredAt) && v.Description == in.Description
	}); dev != nil {
		id = dev.ID
	}
	w.step(s, kindDeviationReported, in.Command, fmt.Sprintf("%s skrev avvikelsen %s om %s: %s Den går till chefen för enheten",
		who(in.By), id, w.names.unit(in.UnitID), sentence(quoted(in.Description))), id)
}

func handleDeviationStep(w *timelineWalker, s *stepEvent, in workflows.HandleDeviation) {
	w.step(s, kindDeviationHandled, in.Command, fmt.Sprintf("%s registrerade hanteringen av avvikelsen %s: %s",
		who(in.By), in.DeviationID, quoted(in.Handling)), in.DeviationID)
}

var disagreementSubjects = map[workflows.DisagreementSubject]string{
	workflows.DisagreementResponsibility: "ansvar", workflows.DisagreementCost: "kostnader",
}

// level is the name of step n (from 1) of the policy's ladder.
func (w *timelineWalker) level(n int) string {
	if n >= 1 && n <= len(w.policy.EscalationLadder) {
		return w.policy.EscalationLadder[n-1]
	}
	return fmt.Sprintf("steg %d", n)
}

func raiseDisagreementStep(w *timelineWalker, s *stepEvent, in workflows.RaiseDisagreement) {
	id := fmt.Sprintf("oen-%d", len(w.disagreements)+1)
	w.disagreements[id] = 1
	parties := make([]string, len(in.Parties))
	for i, p := range in.Parties {
		parties[i] = strings.TrimSpace(p)
	}
	w.step(s, kindDisagreementRaised, in.Command, fmt.Sprintf("%s tog upp en oenighet (%s) om %s mellan %s: %s Frågan ligger hos %s",
		who(in.By), id, disagreementSubjects[in.Subject], swedishList(parties), sentence(quoted(in.Question)), w.level(1)), id)
}

func escalateDisagreementStep(w *timelineWalker, s *stepEvent, in workflows.EscalateDisagreement) {
	w.disagreements[in.DisagreementID]++
	w.step(s, kindDisagreementEscalated, in.Command, fmt.Sprintf("%s förde oenigheten %s vidare till %s: %s",
		who(in.By), in.DisagreementID, w.level(w.disagreements[in.DisagreementID]), quoted(in.Reason)), in.DisagreementID)
}

func decideDisagreementStep(w *timelineWalker, s *stepEvent, in workflows.DecideDisagreement) {
	w.step(s, kindDisagreementDecided, in.Command, fmt.Sprintf("%s registrerade beslutet i oenigheten %s (%s): %s",
		who(in.By), in.DisagreementID, w.level(w.disagreements[in.DisagreementID]), quoted(in.Decision)), in.DisagreementID)
}

func placementStep(w *timelineWalker, s *stepEvent, in workflows.RecordPlacement) {
	kind := "en planerad"
	if in.Kind == workflows.PlacementAcute {
		kind = "en akut"
	}
	text := fmt.Sprintf("%s registrerade socialtjänstens beslut om %s placering utanför hemmet.", who(in.By), kind)
	if in.HealthExaminationAt != nil {
		text += " Hälsoundersökning: " + dueText(*in.HealthExaminationAt) + "."
	} else {
		text += " Någon hälsoundersökning är inte registrerad."
	}
	if in.CostDistribution != nil {
		text += fmt.Sprintf(" Kostnadsfördelningen mellan %s är klar: %s", swedishList(in.CostDistribution.Parties), quoted(in.CostDistribution.Agreement))
	}
	w.step(s, kindPlacementRecorded, in.Command, text, "")
}

func healthExaminationStep(w *timelineWalker, s *stepEvent, in workflows.RecordHealthExamination) {
	w.step(s, kindHealthExamRecorded, in.Command, who(in.By)+" registrerade att det placerade barnets hälsoundersökning är gjord", "")
}

func costDistributionStep(w *timelineWalker, s *stepEvent, in workflows.SettleCostDistribution) {
	w.step(s, kindCostDistributionSettle, in.Command, fmt.Sprintf("%s registrerade kostnadsfördelningen mellan %s: %s",
		who(in.By), swedishList(in.Parties), quoted(in.Agreement)), "")
}
