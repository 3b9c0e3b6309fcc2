package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// laterForms are the forms of the plan and what follows it, with what each is about in the sample
// case ("" for the case as a whole).
var laterForms = map[string]string{
	"proposePlan": "", "approvePlan": "2", "followUp": "", "reportDeviation": "", "handleDeviation": "avv-1",
	"raiseDisagreement": "", "decideDisagreement": "oen-1", "escalateDisagreement": "oen-1", "placement": "",
	"healthExamination": "", "costDistribution": "", "handover": "", "close": "", "reopen": "",
}

// sampleCase is a case with a plan in force and a revision proposed, a deviation, a disagreement and
// a placement, offering every form; its people are invented.
func sampleCase() Case {
	at := time.Date(2026, 1, 13, 9, 30, 0, 0, time.UTC)
	rec := Recorded{By: Actor{User: "cecilia.socialsekreterare", Role: "coordinator", Unit: "norrkoping-socialtjanst"}, OccurredAt: at, RecordedAt: at}
	iv := Intervention{ID: "i1", Description: "Läxhjälp.", Principal: Principal{Kind: "municipality", Name: "Norrköpings kommun"},
		Performer: "Mentor", Extent: "1 tim/vecka", Areas: []string{"lärande"}, FollowUpHow: "Vid mötet"}
	c := Case{CaseID: "ABC-1", View: "full", Phase: "uppföljning", Child: &Child{Name: "Alva Påhittad"},
		NamedPersonUnit: &UnitRef{ID: "norrkoping-skola-1", Name: "Lärkängsskolan"},
		Consent:         &Consent{Status: "given", Records: []ConsentRecord{{Party: "guardian", PartyName: "Eva Påhittad", Given: true}}},
		Participants:    []Participant{{Unit: UnitRef{ID: "norrkoping-bup", Name: "BUP Lärkängen"}, Status: "active"}},
		Coordinator:     &Coordinator{Coordinator: Person{User: "cecilia.socialsekreterare", Name: "Cecilia", UnitID: "norrkoping-socialtjanst"}},
		Deviations:      []Deviation{{ID: "avv-1", Kind: "reported", UnitID: "norrkoping-bup", Description: "Ingen tid bokades.", OccurredAt: at, ReportedBy: &rec.By}},
		Closed:          &Closed{Recorded: rec, Reason: "needs_met"},
	}
	c.Plans = []PlanVersion{
		{Recorded: rec, Version: 1, Status: "established", Interventions: []Intervention{iv}, FollowUpAt: at.AddDate(0, 1, 0), EstablishedAt: &at,
			OverallResponsibility: Principal{Kind: "municipality", Name: "Norrköpings kommun"}},
		{Recorded: rec, Version: 2, Status: "proposed", Interventions: []Intervention{iv}, FollowUpAt: at.AddDate(0, 2, 0),
			OverallResponsibility: Principal{Kind: "region", Name: "Region Östergötland"}},
	}
	c.Disagreements = []Disagreement{{Recorded: rec, ID: "oen-1", Subject: "cost", Question: "Vem betalar?", Parties: []string{"A", "B"},
		Steps: []EscalationStep{{Level: "kommun", StartedAt: at, DueAt: &at}}}}
	c.Placement = &Placement{Recorded: rec, Kind: "acute"}
	for command, target := range laterForms {
		path := casePath(c.CaseID, "x")
		if target != "" {
			path = casePath(c.CaseID, "x", url.PathEscape(target), "y")
		}
		c.Actions = append(c.Actions, Action{Command: command, Method: "POST", Path: path})
	}
	return c
}

// laterServer is a front end whose API answers the directory and the sample case.
func laterServer(t *testing.T) *Server {
	t.Helper()
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/units", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(UnitList{Items: []Unit{{ID: "norrkoping-skola-1", Name: "Lärkängsskolan", Kind: "school", Municipality: "norrkoping"},
			{ID: "lulea-skola-1", Name: "Tallmonskolan", Kind: "school", Municipality: "lulea"},
			{ID: "norrkoping-bup", Name: "BUP Lärkängen", Kind: "bup", Municipality: "norrkoping"}}})
	})
	api.HandleFunc("GET /api/v1/cases/ABC-1", func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(sampleCase()) })
	return serverOverAPI(t, api)
}

// serverOverAPI is a front end whose API is the handler api, called in process.
func serverOverAPI(t testing.TB, api http.Handler) *Server {
	t.Helper()
	s, err := New(Options{API: NewClient("http://api.test", InProcessTransport(api)), Sessions: &MemorySessions{},
		OIDC: OIDCSettings{Issuer: "https://idp.test", ClientID: "samverkan-web"}})
	require.NoError(t, err)
	return s
}

// parsedFormPost is a form posted to target, parsed as the server's middleware parses it.
func parsedFormPost(t testing.TB, target string, form url.Values) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	require.NoError(t, req.ParseForm())
	return req
}

// TestTheLaterFormsRenderInEveryState shows each form of the second half of the process empty,
// with an error at every field the API may name, and – the plan – as the plan to check.
func TestTheLaterFormsRenderInEveryState(t *testing.T) {
	s := laterServer(t)
	sess := &session{AccessToken: "t", User: "cecilia.socialsekreterare", CSRF: "c"}
	for command, target := range laterForms {
		f, ok := formFor(command)
		require.True(t, ok, command)
		t.Run(command, func(t *testing.T) {
			c := sampleCase()
			require.True(t, offers(c, f, target), "the case offers it about %q", target)
			for _, state := range []string{"empty", "errors", "check"} {
				fm := newForm(sess)
				fm.Target = target
				if f.Prefill != nil {
					f.Prefill(c, nil, fm)
				}
				switch state {
				case "errors":
					for path := range f.Fields {
						fm.Add(f.Fields[path].ID, f.Fields[path].Label, "saknas")
					}
					for _, path := range []string{"interventions[0].extent", "noMeasuresByOthers", "interventions[0].goalMet", "nextFollowUpAt"} {
						if f.FieldAt != nil {
							if ff, ok := f.FieldAt(path); ok {
								fm.Add(ff.ID, ff.Label, "saknas")
							}
						}
					}
				case "check":
					fm.Values.Set("action", planCheck)
				}
				res := httptest.NewRecorder()
				s.renderCommand(res, httptest.NewRequest(http.MethodGet, "/arenden/ABC-1/"+f.Path, nil), sess, f, c, fm, nil, http.StatusOK)
				body := res.Body.String()
				require.Equal(t, http.StatusOK, res.Code, "%s, %s: %s", command, state, body)
				require.NotContains(t, body, "kan du inte ta i ärendet just nu", "%s, %s", command, state)
				require.Contains(t, body, "<form method=\"post\"", "%s, %s", command, state)
				if state == "errors" {
					require.Contains(t, body, "error-summary", "%s", command)
				}
				if state == "check" && command == "proposePlan" {
					require.Contains(t, body, "<h1>Kontrollera planen</h1>")
				}
			}
		})
	}
}

func TestAnActionNamesWhatItIsAbout(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/cases/ABC-1/plans/2/approvals":           "2",
		"/api/v1/cases/ABC-1/deviations/avv-1/handling":   "avv-1",
		"/api/v1/cases/ABC-1/plans":                       "",
		"/api/v1/cases/ABC-1/placement/cost-distribution": "",
		"/api/v1/cases/OTHER/deviations/avv-1/handling":   "",
	} {
		require.Equal(t, want, actionTarget("ABC-1", Action{Path: path}), path)
	}
}

func TestTheAPIsProblemsWithAnInterventionAreShownAtItsRow(t *testing.T) {
	for path, want := range map[string]string{
		"interventions[1].extent":         "iv-1-extent",
		"interventions[0].principal.kind": "iv-0-principal-kind",
		"interventions[0].principal":      "iv-0-principal-kind",
		"interventions[2].areas[1]":       "iv-2-areas",
		"interventions[3].followUpAt":     "iv-3-follow-up-date",
		"interventions":                   "iv-0-description",
		"overallResponsibility.name":      "overall-name",
		"noMeasuresByOthers":              "no-measures",
	} {
		ff, ok := planField(path)
		require.True(t, ok, path)
		require.Equal(t, want, ff.ID, path)
	}
	ff, _ := planField("interventions[1].performer")
	require.Equal(t, "Insats 2, vem som utför insatsen", ff.Label, "the summary names the row as the form numbers it")
}

func TestRowsAreAddedRemovedAndNumbered(t *testing.T) {
	f := &form{Values: url.Values{}}
	f.Values.Set("iv-0-description", "Läxhjälp.")
	addRow(f)
	addRow(f)
	f.Values.Set("iv-2-description", "Samtal.")
	require.Equal(t, 3, rowCount(f))
	removeRow(f, 0)
	require.Equal(t, "Samtal.", f.Value("iv-1-description"), "the rows after the removed one move up")
	f.Values.Set("iv-0-description", "Stöd.")
	c := Case{}
	c.Plans = []PlanVersion{{Interventions: []Intervention{{ID: "i1"}, {ID: "i2"}}}}
	compactRows(f, c)
	require.Equal(t, 2, rowCount(f), "the empty row is dropped")
	require.Equal(t, "i3", f.Value("iv-0-id"), "an ID an earlier version used is not given again")
	require.Equal(t, "i4", f.Value("iv-1-id"))
	require.True(t, strings.HasPrefix(f.Value("iv-1-description"), "Samtal"))
}
