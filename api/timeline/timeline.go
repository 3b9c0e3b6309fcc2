package timeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/converter"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/cases"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/auth"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The case timeline (docs/process.md §1: supervisors "inspect a case's full history"): every business
// event of the case in order of business time, each with when it was recorded, who did it and a
// Swedish sentence, read from the case events the workflow recorded (events.go) or, for a case begun
// before them, from the workflow's history (history.go) – as JSON, or as a page to
// print for the case file (page.go).

// Routes registers the timeline under /api/v1.
func (s *Handlers) Routes(v1 *gin.RouterGroup) {
	v1.GET("/cases/:caseId/timeline", s.Log.Audited(accesslog.ReadTimeline), s.caseTimeline)
}

// caseTimeline answers GET /cases/{caseId}/timeline[?format=html].
func (s *Handlers) caseTimeline(c *gin.Context) {
	l, err := cases.Source{Temporal: s.Temporal, DB: s.DB, Codec: s.Codec}.Load(c)
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	state := l.State
	who := httpkit.Caller(c)
	until, ok := timelineAccess(state, who)
	if !ok {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "html" {
		httpkit.WriteError(c, httpkit.FieldProblem("format", "ska vara json eller html"))
		return
	}
	ctx := c.Request.Context()
	names := s.caseNames(ctx, state)
	var entries []timelineEntry
	if state.RecordsEvents {
		// A case begun with case events, live or archived: the events its workflow recorded
		// (events.go); the archive sweep erases them with the case.
		var events []workflows.CaseEvent
		if events, err = s.caseEvents(ctx, state); err == nil {
			entries, err = timelineOfEvents(events, names, &state)
		}
	} else {
		entries, err = s.historyTimeline(ctx, l, names)
	}
	if err != nil {
		httpkit.WriteError(c, fmt.Errorf("read the timeline of case %s: %w", state.CaseID, err))
		return
	}
	view := timelineView(state.CaseID, entries, until, names)
	if format == "html" {
		s.timelinePage(c, state, view, who)
		return
	}
	c.JSON(http.StatusOK, view)
}

// historyTimeline reads the timeline of a case begun before case events from its histories: the
// workflow's, or those its archived file keeps, read as the live ones are, so its timeline reads the
// same as before its workflow ended.
func (s *Handlers) historyTimeline(ctx context.Context, l cases.Loaded, names *nameBook) ([]timelineEntry, error) {
	var runs [][]*historypb.HistoryEvent
	var err error
	if l.File != nil {
		runs, err = l.File.Histories()
	} else {
		runs, err = caseRuns(ctx, func(ctx context.Context, runID string) ([]*historypb.HistoryEvent, error) {
			return s.runHistory(ctx, l.WorkflowID, runID)
		})
	}
	if err != nil {
		return nil, err
	}
	return timelineOfHistory(runs, s.historyConverter(), names, &l.State)
}

// timelineAccess says who reads the timeline and how far (cases.AccessTo). Those with full access read it
// all. An agency that took part until consent for it was revoked reads it up to the revocation and
// nothing after (docs/process.md §5: from that moment it loses access to the case's information): that part
// it had, and it shows the agency that and when consent was withdrawn, which the case must say
// plainly. A reporter reads what they reported (GET /cases/{caseId}), not the case's history; anyone
// else gets 404, as for the case.
func timelineAccess(state workflows.CaseState, who auth.Claims) (until *time.Time, ok bool) {
	switch cases.AccessTo(state, who) {
	case cases.FullAccess:
		return nil, true
	case cases.ReporterAccess:
		return nil, false
	}
	if casework.RelationReach(casework.AccessParticipantUnit, casework.Role(who.Role)) == casework.ReachNone {
		return nil, false // the role would not have read the case as the agency's staff
	}
	for _, p := range state.Participants {
		if p.Unit.ID == who.Unit && p.Status == workflows.ParticipantRemoved && p.Until != nil {
			return p.Until, true
		}
	}
	return nil, false
}

type timelineJSON struct {
	CaseID string `json:"caseId"`
	// View is "full", or "until_revocation" for an agency whose consent was revoked at Until.
	View   string              `json:"view"`
	Until  *httpkit.LocalTime  `json:"until,omitempty"`
	Events []timelineEventJSON `json:"events"`
}

type timelineEventJSON struct {
	Seq        int                `json:"seq"` // the order in which the workflow recorded it, from 1
	Kind       timelineKind       `json:"kind"`
	OccurredAt httpkit.LocalTime  `json:"occurredAt"`
	RecordedAt httpkit.LocalTime  `json:"recordedAt"`
	By         *timelineActorJSON `json:"by,omitempty"` // absent: the system
	Text       string             `json:"text"`
	Ref        string             `json:"ref,omitempty"`
	occurredAt time.Time
	recordedAt time.Time
}

type timelineActorJSON struct {
	User     string        `json:"user"`
	Name     string        `json:"name"`
	Role     casework.Role `json:"role"`
	Unit     string        `json:"unit"`
	UnitName string        `json:"unitName"`
}

// timelineView orders the entries a reader sees by business time – a step entered late stands where
// it happened – and, at the same business time, as the workflow recorded them. until, if set, leaves
// out everything recorded after it.
func timelineView(caseID string, entries []timelineEntry, until *time.Time, names *nameBook) timelineJSON {
	v := timelineJSON{CaseID: caseID, View: "full", Events: []timelineEventJSON{}}
	if until != nil {
		v.View, v.Until = "until_revocation", httpkit.LocalTimePtr(until)
	}
	for i, e := range entries {
		if until != nil && e.clock.After(*until) {
			continue
		}
		ev := timelineEventJSON{Seq: i + 1, Kind: e.Kind, OccurredAt: httpkit.LocalTime(e.OccurredAt), RecordedAt: httpkit.LocalTime(e.RecordedAt),
			Text: e.Text, Ref: e.Ref, occurredAt: e.OccurredAt, recordedAt: e.RecordedAt}
		if e.By != nil {
			ev.By = &timelineActorJSON{User: e.By.User, Name: who(*e.By), Role: e.By.Role, Unit: e.By.Unit, UnitName: names.unit(e.By.Unit)}
		}
		v.Events = append(v.Events, ev)
	}
	slices.SortStableFunc(v.Events, func(a, b timelineEventJSON) int { return a.occurredAt.Compare(b.occurredAt) })
	return v
}

// caseNames names the units and users of the case: first as the case names them, then from the
// directory.
func (s *Handlers) caseNames(ctx context.Context, state workflows.CaseState) *nameBook {
	b := newNameBook()
	if state.NamedPersonUnit != nil {
		b.learnUnit(*state.NamedPersonUnit)
	}
	for _, p := range state.Participants {
		b.learnUnit(p.Unit)
	}
	if a := state.Assessment; a != nil {
		for _, u := range a.ProposedAgencies {
			b.learnUnit(u)
		}
	}
	for _, h := range state.Handovers {
		b.learnUnit(h.From)
		b.learnUnit(h.To)
	}
	if s.DB == nil {
		return b
	}
	b.lookupUnit = func(id string) (string, bool) {
		u, err := s.DB.Unit(ctx, id)
		return u.Name, err == nil
	}
	b.lookupUser = func(id string) (string, bool) {
		u, err := s.DB.User(ctx, id)
		return u.DisplayName, err == nil
	}
	return b
}

// historyConverter decodes the payloads of histories as the API's Temporal client does: the client's
// data converter (cmd/samverkan: codec.DataConverter) is the default one behind the payload codec,
// and the client does not hand it out.
func (s *Handlers) historyConverter() converter.DataConverter {
	if s.Codec == nil {
		return converter.GetDefaultDataConverter()
	}
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), s.Codec)
}

// runHistory reads one run's history, every page of it; runID "" is the current run.
func (s *Handlers) runHistory(ctx context.Context, workflowID, runID string) ([]*historypb.HistoryEvent, error) {
	it := s.Temporal.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var events []*historypb.HistoryEvent
	for it.HasNext() {
		e, err := it.Next()
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return nil, httpkit.ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("read history of %s run %q: %w", workflowID, runID, err)
		}
		events = append(events, e)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("history of %s run %q is empty", workflowID, runID)
	}
	return events, nil
}

// maxRuns bounds the chain of runs read for one case; the workflow continues as new after thousands
// of events, so a case reaches a few dozen runs in its years.
const maxRuns = 1000

// caseRuns reads every run of a case, oldest first: back from the current run along the chain of
// continue-as-new (a continued run's first event names the run it continues), then on from the last
// one if it continued as new while it was read (its last event names the new run).
func caseRuns(ctx context.Context, read func(ctx context.Context, runID string) ([]*historypb.HistoryEvent, error)) ([][]*historypb.HistoryEvent, error) {
	var runs [][]*historypb.HistoryEvent
	for runID := ""; ; {
		if len(runs) == maxRuns {
			return nil, fmt.Errorf("more than %d runs", maxRuns)
		}
		events, err := read(ctx, runID)
		if err != nil {
			return nil, err
		}
		runs = append(runs, events)
		runID = events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if runID == "" {
			break
		}
	}
	slices.Reverse(runs)
	for {
		last := runs[len(runs)-1]
		next := last[len(last)-1].GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		if next == "" {
			return runs, nil
		}
		if len(runs) == maxRuns {
			return nil, fmt.Errorf("more than %d runs", maxRuns)
		}
		events, err := read(ctx, next)
		if err != nil {
			return nil, err
		}
		runs = append(runs, events)
	}
}
