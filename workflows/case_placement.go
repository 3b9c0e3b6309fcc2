package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/samverkan/samverkan/casework"
)

// Placement outside the home (docs/process.md §11): social services decide it and hold the coordinating
// responsibility. A planned placement needs the health examination and the cost distribution first;
// after an acute decision the cost distribution is due within the policy's deadline (Norrbus: 10
// working days) – missed, it is a deviation – and the health examination is asked for until recorded.

// isSocialServices: the actor acts for social services and has a part in the case.
func (s *CaseState) isSocialServices(a Actor) bool {
	return a.UnitKind.IsSocialServices() && s.hasPart(a)
}

// validCostDistribution checks a cost distribution found at prefix in the body ("" at its top).
func validCostDistribution(prefix string, cd *CostDistribution) error {
	switch {
	case cd == nil:
		return invalid(prefix, "kostnadsfördelningen ska vara klar före en planerad placering")
	case strings.TrimSpace(cd.Agreement) == "":
		return invalid(dotted(prefix)+"agreement", "ange hur kostnaden fördelas")
	case len(cd.Parties) == 0:
		return invalid(dotted(prefix)+"parties", "ange vilka huvudmän som delar kostnaden")
	}
	return nil
}

func dotted(prefix string) string {
	if prefix == "" {
		return ""
	}
	return prefix + "."
}

// mayPlace: social services with a part in the case record the one placement.
func (s *CaseState) mayPlace(by Actor) error {
	switch {
	case !s.isSocialServices(by):
		return forbidden("placering utanför hemmet beslutas av socialtjänsten")
	case s.Placement != nil:
		return conflict("en placering är redan registrerad")
	}
	return nil
}

func (c *caseRun) validatePlacement(in RecordPlacement, _ time.Time) error {
	if err := c.state.mayPlace(in.By); err != nil {
		return err
	}
	switch {
	case in.Kind != PlacementPlanned && in.Kind != PlacementAcute:
		return invalid("kind", "planned eller acute")
	case in.HealthExaminationAt != nil && in.HealthExaminationAt.After(in.OccurredAt):
		return invalid("healthExaminationAt", "hälsoundersökningen ska göras före placeringen")
	}
	if in.Kind == PlacementPlanned {
		if in.HealthExaminationAt == nil {
			return invalid("healthExaminationAt", "en planerad placering kräver hälsoundersökning först")
		}
		return validCostDistribution("costDistribution", in.CostDistribution)
	}
	if in.CostDistribution != nil {
		return validCostDistribution("costDistribution", in.CostDistribution)
	}
	return nil
}

func (c *caseRun) applyPlacement(ctx workflow.Context, in RecordPlacement) {
	rec := c.recorded(ctx, in.Command)
	p := &PlacementRecord{Recorded: rec, Kind: in.Kind, HealthExaminationAt: in.HealthExaminationAt}
	if in.CostDistribution != nil {
		p.CostDistribution = &CostDistributionRecord{Recorded: rec, CostDistribution: *in.CostDistribution}
	}
	c.state.Placement = p
	if in.Kind != PlacementAcute {
		return
	}
	if p.CostDistribution == nil {
		c.openDeadline(ctx, casework.DeadlineCostDistribution, in.OccurredAt)
	}
	if p.HealthExaminationAt == nil {
		c.notice(ctx, NoticeHealthExamination, "Barnet är akut placerat utan registrerad hälsoundersökning. Registrera den när den är gjord.")
	}
}

// mayRecordHealthExamination: social services or the coordinator record the placed child's health
// examination, once.
func (s *CaseState) mayRecordHealthExamination(by Actor) error {
	switch {
	case s.Placement == nil:
		return conflict("ingen placering är registrerad")
	case !s.isSocialServices(by) && !s.isCoordinator(by):
		return forbidden("hälsoundersökningen registreras av socialtjänsten eller samordnaren")
	case s.Placement.HealthExaminationAt != nil:
		return conflict("hälsoundersökningen är redan registrerad")
	}
	return nil
}

func (c *caseRun) validateHealthExamination(in RecordHealthExamination, _ time.Time) error {
	return c.state.mayRecordHealthExamination(in.By)
}

func (c *caseRun) applyHealthExamination(_ workflow.Context, in RecordHealthExamination) {
	at := in.OccurredAt
	c.state.Placement.HealthExaminationAt = &at
}

// maySettleCostDistribution: social services or the coordinator record the placement's cost
// distribution, once.
func (s *CaseState) maySettleCostDistribution(by Actor) error {
	switch {
	case s.Placement == nil:
		return conflict("ingen placering är registrerad")
	case !s.isSocialServices(by) && !s.isCoordinator(by):
		return forbidden("kostnadsfördelningen registreras av socialtjänsten eller samordnaren")
	case s.Placement.CostDistribution != nil:
		return conflict("kostnadsfördelningen är redan klar")
	}
	return nil
}

func (c *caseRun) validateCostDistribution(in SettleCostDistribution, _ time.Time) error {
	if err := c.state.maySettleCostDistribution(in.By); err != nil {
		return err
	}
	return validCostDistribution("", &in.CostDistribution)
}

func (c *caseRun) applyCostDistribution(ctx workflow.Context, in SettleCostDistribution) {
	c.state.Placement.CostDistribution = &CostDistributionRecord{Recorded: c.recorded(ctx, in.Command), CostDistribution: in.CostDistribution}
	c.settleDeadline(ctx, casework.DeadlineCostDistribution, in.OccurredAt)
}
