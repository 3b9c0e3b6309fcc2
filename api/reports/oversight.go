package reports

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/cases"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/report"
	"github.com/samverkan/samverkan/workflows"
)

var errSupervisorsOnly = httpkit.Status(http.StatusForbidden, "endast för chefer")

// oversight is GET /api/v1/oversight: a supervisor's view of the units they answer for (docs/process.md
// §1) – one unit (unit=, default the token's), or all of theirs in a municipality (municipality=).
// Cases come from the read model under the lists' rule (a supervisor reads their unit's cases as the
// named person's unit or a participant), so every item links to a case its reader may open, acting
// for the unit the item names; deviations of their units are listed with the handling command even
// where the unit has no other part in the case (then without a link to the case).
func (s *Handlers) oversight(c *gin.Context) {
	ctx := c.Request.Context()
	who := httpkit.Caller(c)
	v := &casework.ValidationError{}
	params := httpkit.QueryParams(c, v, "unit", "municipality")
	if params["unit"] != "" && params["municipality"] != "" {
		v.Add("municipality", "ange enhet eller kommun, inte båda")
	}
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	if casework.Role(who.Role) != casework.RoleSupervisor {
		httpkit.WriteError(c, errSupervisorsOnly)
		return
	}
	units, err := s.oversightUnits(ctx, who, params["unit"], params["municipality"])
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	viewers, ids := make([]db.Viewer, len(units)), make([]string, len(units))
	for i, u := range units {
		viewers[i], ids[i] = db.Viewer{User: who.User, Role: casework.RoleSupervisor, Unit: u.ID}, u.ID
	}
	rows, err := s.DB.OversightFacts(ctx, viewers)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	cases, err := reportCases(rows)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	calendars, err := s.calendarsOf(ctx, cases)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	now := s.Now()
	o := report.ComputeOversight(report.OversightInput{Now: now, Units: ids, Cases: cases, Calendars: calendars})
	out := oversightOut(o, units, now)
	if out.Erasures, err = s.erasures(ctx, ids, now); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	// Mails to the units' staff that waited over an hour: the supervisor learns that people may not
	// have been told what they must not miss, and asks the operators (issue 15).
	if out.MailsWaitingOverHour, err = s.DB.MailsWaiting(ctx, now.Add(-db.MailWaitingTooLong), ids...); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// oversightUnits are the units asked for, among those the supervisor answers for: 403 for another's,
// 400 for a municipality the directory does not know.
func (s *Handlers) oversightUnits(ctx context.Context, who auth.Claims, unit, municipality string) ([]db.Unit, error) {
	mine, err := s.supervisedUnits(ctx, who)
	if err != nil {
		return nil, err
	}
	if unit == "" && municipality == "" {
		unit = who.Unit
	}
	var out []db.Unit
	for _, u := range mine {
		if u.ID == unit || municipality != "" && u.MunicipalityID == municipality {
			out = append(out, u)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if municipality != "" {
		return nil, s.unreachableMunicipality(ctx, municipality)
	}
	return nil, httpkit.Status(http.StatusForbidden, "enheten är inte din att följa")
}

// calendarsOf are the working-day calendars of the cases' policy versions.
func (s *Handlers) calendarsOf(ctx context.Context, cases []report.Case) (map[casework.PolicyRef]casework.Calendar, error) {
	out := map[casework.PolicyRef]casework.Calendar{}
	for _, c := range cases {
		if _, ok := out[c.Policy]; ok || c.Policy.ID == "" {
			continue
		}
		p, err := s.DB.Policy(ctx, c.Policy.ID, c.Policy.Version)
		if err != nil {
			return nil, err
		}
		out[c.Policy] = casework.NewCalendar(p.DaysOffByAgreement)
	}
	return out, nil
}

type oversightJSON struct {
	Units              []httpkit.UnitRef    `json:"units"`
	ComputedAt         httpkit.LocalTime    `json:"computedAt"`
	DueSoonWorkingDays int                  `json:"dueSoonWorkingDays"`
	OpenCases          report.OpenCases     `json:"openCases"`
	DueSoon            []oversightDeadline  `json:"dueSoon"`
	Overdue            []oversightDeadline  `json:"overdue"`
	NotAcknowledged    []oversightDeadline  `json:"notAcknowledged"`
	Deviations         []oversightDeviation `json:"deviations"`
	Escalations        oversightEscalations `json:"escalations"`
	// Erasures are the units' cases the retention sweep erased in the last year (erasures.go).
	Erasures []oversightErasure `json:"erasures"`
	// MailsWaitingOverHour are notification mails to the units' staff not sent an hour after they
	// were made (db.MailWaitingTooLong); the notifications themselves are in the app.
	MailsWaitingOverHour int64 `json:"mailsWaitingOverHour"`
}

type oversightDeadline struct {
	CaseID            string                `json:"caseId"`
	Case              string                `json:"case"` // the case's address
	NamedPersonUnitID string                `json:"namedPersonUnitId"`
	Kind              casework.DeadlineKind `json:"kind"`
	DueAt             *httpkit.LocalTime    `json:"dueAt"` // null for a case not projected with facts yet
	Overdue           bool                  `json:"overdue"`
}

type oversightDeviation struct {
	CaseID       string                `json:"caseId"`
	Case         *string               `json:"case"` // null when the unit has no part in the case but the deviation
	DeviationID  string                `json:"deviationId"`
	Kind         string                `json:"kind"`
	DeadlineKind casework.DeadlineKind `json:"deadlineKind,omitempty"`
	UnitID       string                `json:"unitId"`
	OccurredAt   httpkit.LocalTime     `json:"occurredAt"`
	Handling     commandLink           `json:"handling"`
}

// commandLink is the command that acts on an item.
type commandLink struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

type oversightEscalations struct {
	ByStep []report.StepCount   `json:"byStep"`
	Items  []oversightEscalated `json:"items"`
}

type oversightEscalated struct {
	CaseID         string            `json:"caseId"`
	Case           string            `json:"case"`
	DisagreementID string            `json:"disagreementId"`
	Step           int               `json:"step"`
	Level          string            `json:"level"`
	Since          httpkit.LocalTime `json:"since"`
}

func casePath(caseID string) string { return cases.Path(caseID) }

// handlingLink is where the deviation's handling is recorded: the case's own command.
func handlingLink(caseID, deviationID string) commandLink {
	method, path := cases.CommandPath(workflows.UpdateHandleDeviation, caseID, deviationID)
	return commandLink{Method: method, Path: path}
}

func oversightOut(o report.Oversight, units []db.Unit, now time.Time) oversightJSON {
	out := oversightJSON{ComputedAt: httpkit.LocalTime(now), DueSoonWorkingDays: report.DueSoonWorkingDays, OpenCases: o.OpenCases,
		DueSoon: deadlineItems(o.DueSoon), Overdue: deadlineItems(o.Overdue), NotAcknowledged: deadlineItems(o.NotAcknowledged),
		Deviations: []oversightDeviation{}, Escalations: oversightEscalations{ByStep: o.Escalations.ByStep, Items: []oversightEscalated{}}}
	for _, u := range units {
		out.Units = append(out.Units, httpkit.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind})
	}
	for _, d := range o.Deviations {
		item := oversightDeviation{CaseID: d.CaseID, DeviationID: d.DeviationID, Kind: d.Kind, DeadlineKind: d.DeadlineKind,
			UnitID: d.UnitID, OccurredAt: httpkit.LocalTime(d.OccurredAt),
			Handling: handlingLink(d.CaseID, d.DeviationID)}
		if d.Visible {
			p := casePath(d.CaseID)
			item.Case = &p
		}
		out.Deviations = append(out.Deviations, item)
	}
	for _, e := range o.Escalations.Items {
		out.Escalations.Items = append(out.Escalations.Items, oversightEscalated{CaseID: e.CaseID, Case: casePath(e.CaseID),
			DisagreementID: e.Disagreement, Step: e.Step, Level: e.Level, Since: httpkit.LocalTime(e.Since)})
	}
	return out
}

func deadlineItems(items []report.DeadlineItem) []oversightDeadline {
	out := make([]oversightDeadline, len(items))
	for i, d := range items {
		out[i] = oversightDeadline{CaseID: d.CaseID, Case: casePath(d.CaseID), NamedPersonUnitID: d.NamedPersonUnitID,
			Kind: d.Kind, Overdue: d.Overdue}
		if !d.DueAt.IsZero() {
			out[i].DueAt = httpkit.LocalTimePtr(&d.DueAt)
		}
	}
	return out
}
