package reports

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/report"
)

// The yearly follow-up (docs/process.md §12) for the steering group, and the supervisors' oversight
// (oversight.go): both read the read model's facts of each case (db.FactsInPeriod,
// db.OversightFacts), and the package report computes them; report.Yearly says which cases count
// for a year, how shares and medians are computed and which small cells are withheld.
//
// Who reads the yearly follow-up. The steering group (role steering) reads the municipalities of
// its county – the county of the unit its token names: Barnsamverket and the county steering group
// follow up across the agreements' area. A supervisor reads the municipalities of the units they
// supervise (the token's unit, and the units the directory gives them the role in). Administrators
// do not: the figures hold no case content, but the follow-up is the steering group's and the
// managers' work, not the administration of the system, and what nobody needs is not handed out.
// Everyone else gets 403. The figures hold no identities, so reading them is not written to the
// access log (which logs access to a case's data).

// Routes registers the yearly follow-up and the oversight.
func (s *Handlers) Routes(v1 *gin.RouterGroup) {
	v1.GET("/reports/yearly", s.yearlyReport)
	v1.GET("/reports/yearly/page", s.yearlyReportPage)
	v1.GET("/oversight", s.Log.Audited(accesslog.Oversight), s.oversight)
}

var errStatisticsOnly = httpkit.Status(http.StatusForbidden, "endast för styrgruppen och chefer")

// yearlyAnswer is a computed yearly follow-up and what it covers.
type yearlyAnswer struct {
	report.Yearly
	asked          string // the municipality asked for; "" for the reader's whole reach
	municipalities []db.Municipality
	computedAt     time.Time
}

// scopeName is the municipalities the figures cover, joined by "+".
func (a yearlyAnswer) scopeName() string {
	ids := make([]string, len(a.municipalities))
	for i, m := range a.municipalities {
		ids[i] = m.ID
	}
	return strings.Join(ids, "+")
}

// readYearly reads year and municipality (and the other parameters known), checks the reader's
// reach and computes the report.
func (s *Handlers) readYearly(c *gin.Context, known ...string) (yearlyAnswer, map[string]string, error) {
	ctx := c.Request.Context()
	v := &casework.ValidationError{}
	params := httpkit.QueryParams(c, v, append([]string{"year", "municipality"}, known...)...)
	now := s.Now()
	year := now.In(casework.Stockholm).Year()
	if y, ok := params["year"]; ok {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			v.Add("year", "ska vara ett årtal från 2000 till 2100")
		}
		year = n
	}
	if f, ok := params["format"]; ok && f != "json" && f != "csv" {
		v.Add("format", "ska vara json eller csv")
	}
	if err := v.Err(); err != nil {
		return yearlyAnswer{}, nil, err
	}
	reach, err := s.statisticsReach(ctx, httpkit.Caller(c))
	if err != nil {
		return yearlyAnswer{}, nil, err
	}
	answer := yearlyAnswer{asked: params["municipality"], municipalities: reach, computedAt: now}
	if answer.asked != "" {
		i := slices.IndexFunc(reach, func(m db.Municipality) bool { return m.ID == answer.asked })
		if i < 0 {
			return yearlyAnswer{}, nil, s.unreachableMunicipality(ctx, answer.asked)
		}
		answer.municipalities = reach[i : i+1]
	}
	answer.Yearly, err = s.computeYearly(ctx, year, now, answer.municipalities)
	return answer, params, err
}

// unreachableMunicipality is 400 for a municipality the directory does not know, else 403.
func (s *Handlers) unreachableMunicipality(ctx context.Context, id string) error {
	if _, err := s.DB.Municipality(ctx, id); errors.Is(err, db.ErrNotFound) {
		return httpkit.FieldProblem("municipality", "okänd kommun")
	} else if err != nil {
		return err
	}
	return httpkit.Status(http.StatusForbidden, "kommunen ingår inte i det du följer upp")
}

// statisticsReach is the municipalities whose follow-up the reader may read, by ID.
func (s *Handlers) statisticsReach(ctx context.Context, who auth.Claims) ([]db.Municipality, error) {
	switch casework.Role(who.Role) {
	case casework.RoleSteering:
		unit, err := s.DB.Unit(ctx, who.Unit)
		if errors.Is(err, db.ErrNotFound) {
			return nil, errStatisticsOnly
		} else if err != nil {
			return nil, err
		}
		m, err := s.DB.Municipality(ctx, unit.MunicipalityID)
		if err != nil {
			return nil, err
		}
		return s.DB.MunicipalitiesOfCounty(ctx, m.County)
	case casework.RoleSupervisor:
		units, err := s.supervisedUnits(ctx, who)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, u := range units {
			if !slices.Contains(ids, u.MunicipalityID) {
				ids = append(ids, u.MunicipalityID)
			}
		}
		slices.Sort(ids)
		out := make([]db.Municipality, 0, len(ids))
		for _, id := range ids {
			m, err := s.DB.Municipality(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		if len(out) == 0 {
			return nil, errStatisticsOnly
		}
		return out, nil
	}
	return nil, errStatisticsOnly
}

// supervisedUnits are the units a supervisor answers for: the unit their token acts for, and every
// unit the directory gives them the supervisor role in, by ID. Units the directory does not know are
// left out.
func (s *Handlers) supervisedUnits(ctx context.Context, who auth.Claims) ([]db.Unit, error) {
	ids := []string{who.Unit}
	user, err := s.DB.User(ctx, who.User)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	for _, r := range user.Roles {
		if r.Role == casework.RoleSupervisor && !slices.Contains(ids, r.UnitID) {
			ids = append(ids, r.UnitID)
		}
	}
	slices.Sort(ids)
	var out []db.Unit
	for _, id := range ids {
		u, err := s.DB.Unit(ctx, id)
		if errors.Is(err, db.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// computeYearly loads the cases open at some time in the year in the municipalities and computes
// their follow-up.
func (s *Handlers) computeYearly(ctx context.Context, year int, now time.Time, in []db.Municipality) (report.Yearly, error) {
	ids := make([]string, len(in))
	var ladders [][]string
	for i, m := range in {
		ids[i] = m.ID
		ladders = append(ladders, m.Policy.EscalationLadder)
	}
	from, to := report.YearBounds(year)
	rows, err := s.DB.FactsInPeriod(ctx, from, to, ids)
	if err != nil {
		return report.Yearly{}, err
	}
	cases, err := reportCases(rows)
	if err != nil {
		return report.Yearly{}, err
	}
	return report.ComputeYearly(report.YearlyInput{Year: year, AsOf: now, Cases: cases, Ladders: ladders}), nil
}

// reportCases reads the facts of the read model's rows.
func reportCases(rows []db.FactsRow) ([]report.Case, error) {
	out := make([]report.Case, len(rows))
	for i, r := range rows {
		c := report.Case{ID: r.CaseID, Child: r.WorkflowID, Municipality: r.MunicipalityID, Phase: casework.Phase(r.Phase),
			NamedPersonUnitID: r.NamedPersonUnitID, Policy: r.Policy, Visible: r.Visible, HasFacts: r.JSON != nil}
		if c.HasFacts {
			f, err := report.ParseFacts(r.JSON)
			if err != nil {
				return nil, fmt.Errorf("case %s: %w", r.CaseID, err)
			}
			c.Facts = f
		}
		if c.Facts.OpenedAt.IsZero() {
			c.Facts.OpenedAt = r.OpenedAt
		}
		out[i] = c
	}
	return out, nil
}

// yearlyJSON is the answer of GET /api/v1/reports/yearly: report.Yearly's fields, and what they
// cover.
type yearlyJSON struct {
	report.Yearly
	// Municipality is the one asked for; null for the reader's whole reach, Municipalities.
	Municipality   *string           `json:"municipality"`
	Municipalities []string          `json:"municipalities"`
	MinChildren    int               `json:"minChildren"`
	ComputedAt     httpkit.LocalTime `json:"computedAt"`
}

// yearlyReport is GET /api/v1/reports/yearly: JSON, or CSV when format=csv or when Accept names
// text/csv and not application/json.
func (s *Handlers) yearlyReport(c *gin.Context) {
	a, params, err := s.readYearly(c, "format")
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	accept := c.GetHeader("Accept")
	if params["format"] == "csv" || params["format"] == "" && strings.Contains(accept, "text/csv") && !strings.Contains(accept, "application/json") {
		writeYearlyCSV(c, a)
		return
	}
	out := yearlyJSON{Yearly: a.Yearly, Municipalities: []string{}, MinChildren: report.MinChildren, ComputedAt: httpkit.LocalTime(a.computedAt)}
	if a.asked != "" {
		out.Municipality = &a.asked
	}
	for _, m := range a.municipalities {
		out.Municipalities = append(out.Municipalities, m.ID)
	}
	c.PureJSON(http.StatusOK, out) // "<5" as it reads, not "\u003c5"
}

// writeYearlyCSV writes the report as RFC 4180 CSV, one figure a row: year, municipalities (joined
// by "+"), table, key, measure, value – a withheld value as its mark.
func writeYearlyCSV(c *gin.Context, a yearlyAnswer) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="uppfoljning-%d-%s.csv"`, a.Year, a.scopeName()))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	year, scope := strconv.Itoa(a.Year), a.scopeName()
	_ = w.Write([]string{"year", "municipality", "table", "key", "measure", "value"})
	for _, r := range yearlyRows(a.Yearly) {
		_ = w.Write([]string{year, scope, r.table, r.key, r.measure, r.value.String()})
	}
	w.Flush()
}

// figureRow is one figure of the report with where it sits.
type figureRow struct {
	table, key, measure string
	value               report.Figure
}

// yearlyRows flattens the report, in the order of its JSON.
func yearlyRows(y report.Yearly) []figureRow {
	out := []figureRow{{"cases", "active", "cases", y.Cases.Active}, {"cases", "opened", "cases", y.Cases.Opened},
		{"cases", "closed", "cases", y.Cases.Closed}}
	for _, t := range []struct {
		name string
		rows []report.Row
	}{{"byPhase", y.ByPhase}, {"byAgeBand", y.ByAgeBand}, {"byArea", y.ByArea},
		{"byNamedPersonUnitKind", y.ByNamedPersonUnitKind}, {"byAgencyKind", y.ByAgencyKind}} {
		for _, r := range t.rows {
			out = append(out, figureRow{t.name, r.Key, "cases", r.Cases})
		}
	}
	for _, d := range y.Deadlines {
		k := string(d.Kind)
		out = append(out, figureRow{"deadlines", k, "within", d.Within}, figureRow{"deadlines", k, "late", d.Late},
			figureRow{"deadlines", k, "share", d.Share}, figureRow{"deadlines", k, "medianWorkingDays", d.MedianWorkingDays})
	}
	out = append(out, figureRow{"consent", "refused", "cases", y.Consent.Refused}, figureRow{"consent", "revoked", "cases", y.Consent.Revoked},
		figureRow{"plansEstablished", "", "cases", y.PlansEstablished})
	for _, d := range y.Deviations {
		key := d.Kind
		if d.DeadlineKind != "" {
			key += ":" + string(d.DeadlineKind)
		}
		out = append(out, figureRow{"deviations", key, "count", d.Count})
	}
	for _, e := range y.Escalations {
		out = append(out, figureRow{"escalations", strconv.Itoa(e.Step) + ":" + e.Level, "count", e.Count})
	}
	return out
}
