package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

type problemBody struct {
	Status int `json:"status"`
	Fields []struct {
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"fields"`
}

type caseBody struct {
	CaseID          string `json:"caseId"`
	Joined          bool   `json:"joined"`
	Phase           string `json:"phase"`
	View            string `json:"view"`
	Overdue         bool   `json:"overdue"`
	NamedPersonUnit struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"namedPersonUnit"`
	Deadlines []struct {
		Kind   string `json:"kind"`
		DueAt  string `json:"dueAt"`
		Status string `json:"status"`
	} `json:"deadlines"`
	Deviations []struct {
		Kind         string `json:"kind"`
		DeadlineKind string `json:"deadlineKind"`
	} `json:"deviations"`
	Concerns []struct {
		ID string `json:"id"`
	} `json:"concerns"`
}

func concern(personalNumber, birthDate, unitID string, occurredAt time.Time) map[string]any {
	return map[string]any{
		"child": map[string]any{
			"personalNumber": personalNumber,
			"name":           "Testbarn Påhittad",
			"birthDate":      birthDate,
			"municipality":   "norrkoping",
			"schooling":      map[string]any{"status": "school", "unitId": unitID, "grade": "7"},
		},
		"areas":        []string{"lärande", "relationer"},
		"observation":  "Nästan ingen närvaro sedan terminsstart; drar sig undan kamraterna.",
		"suspectsHarm": false,
		"occurredAt":   occurredAt.Format(time.RFC3339),
	}
}

// TestConcernStartsAndJoinsACaseThroughHTTP drives the spine end to end: directory, a concern that
// starts the child's case, a second concern that joins it, the case read back by its named person
// and by the reporter, and the errors a client can provoke.
func TestConcernStartsAndJoinsACaseThroughHTTP(t *testing.T) {
	s := newSystem(t)
	readyAfter := s.start()
	t.Logf("ready %.1f s after start", readyAfter.Seconds())
	anna, bertil, erik := s.token("anna.larare"), s.token("bertil.rektor"), s.token("erik.bvc")

	var units struct {
		Items []struct{ ID, Name, Kind, Municipality string } `json:"items"`
	}
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/units?municipality=norrkoping&kind=school", anna, nil, &units))
	var school struct{ ID, Name, Kind, Municipality string }
	for _, u := range units.Items {
		require.Equal(t, "school", u.Kind)
		require.Equal(t, "norrkoping", u.Municipality)
		if u.ID == "norrkoping-skola-1" { // Anna's and Bertil's school in the demo directory
			school = u
		}
	}
	require.NotEmpty(t, school.ID, "the demo school is not listed: %+v", units.Items)

	birth := time.Date(2012, 3, 15, 0, 0, 0, 0, casework.Stockholm)
	pnr := syntheticPersonalNumber(birth, 981)
	occurred := time.Now().Add(-time.Hour).Truncate(time.Second)

	first := s.concernCase(anna, concern(pnr, "2012-03-15", school.ID, occurred))
	require.False(t, first.Joined)
	require.Equal(t, "upptäcka", first.Phase)
	require.Equal(t, school.ID, first.NamedPersonUnit.ID)
	require.Len(t, first.Deadlines, 1)
	wantDue, _ := casework.Norrkoping().DueAt(casework.DeadlineAcknowledge, occurred)
	require.Equal(t, "acknowledge", first.Deadlines[0].Kind)
	require.Equal(t, wantDue.Format(time.RFC3339), first.Deadlines[0].DueAt)

	t.Run("a second concern about the same child joins the open case", func(t *testing.T) {
		var second caseBody
		require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/concerns", bertil, concern(pnr, "2012-03-15", school.ID, occurred), &second))
		require.True(t, second.Joined)
		require.Equal(t, first.CaseID, second.CaseID)
	})
	t.Run("the named person's unit reads the whole case", func(t *testing.T) {
		var c caseBody
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+first.CaseID, bertil, nil, &c))
		require.Equal(t, "full", c.View)
		require.Len(t, c.Concerns, 2)
		require.Equal(t, first.Deadlines[0].DueAt, c.Deadlines[0].DueAt)
		require.Equal(t, "open", c.Deadlines[0].Status)
	})
	t.Run("the reporter sees only what she reported", func(t *testing.T) {
		var c caseBody
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+first.CaseID, anna, nil, &c))
		require.Equal(t, "reporter", c.View)
		require.Len(t, c.Concerns, 1)
		require.Empty(t, c.Deadlines)
	})
	t.Run("someone without a part in the case gets 404", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, s.call("GET", "/api/v1/cases/"+first.CaseID, erik, nil, nil))
	})
	t.Run("no token is 401", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, s.call("GET", "/api/v1/units", "", nil, nil))
		require.Equal(t, http.StatusUnauthorized, s.call("GET", "/api/v1/units", "not-a-token", nil, nil))
	})
	t.Run("bad input is 400 naming each field", func(t *testing.T) {
		bad := concern("20120315-0000", "2012-03-16", "no-such-unit", occurred.Add(48*time.Hour))
		bad["areas"] = []string{"skola"}
		delete(bad, "suspectsHarm")
		var p problemBody
		require.Equal(t, http.StatusBadRequest, s.call("POST", "/api/v1/concerns", anna, bad, &p))
		fields := map[string]bool{}
		for _, f := range p.Fields {
			fields[f.Field] = true
		}
		for _, want := range []string{"child.personalNumber", "areas[0]", "suspectsHarm", "occurredAt"} {
			require.True(t, fields[want], "field %s not named in %+v", want, p.Fields)
		}
	})
	t.Run("an unknown field is 400 naming it", func(t *testing.T) {
		body := concern(pnr, "2012-03-15", school.ID, occurred)
		body["colour"] = "blue"
		var p problemBody
		require.Equal(t, http.StatusBadRequest, s.call("POST", "/api/v1/concerns", anna, body, &p))
		require.Equal(t, "colour", p.Fields[0].Field)
	})
	t.Run("an unknown case is 404", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, s.call("GET", "/api/v1/cases/aaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbb", bertil, nil, nil))
		require.Equal(t, http.StatusNotFound, s.call("GET", "/api/v1/cases/../../etc", bertil, nil, nil))
	})
	t.Run("the Temporal Web UI lists the case workflow", func(t *testing.T) {
		require.Eventually(t, func() bool {
			res, err := http.Get(s.uiURL + "/api/v1/namespaces/default/workflows?query=WorkflowType%3D%22Case%22")
			if err != nil {
				return false
			}
			defer res.Body.Close()
			var list struct {
				Executions []struct {
					Execution struct{ WorkflowID string } `json:"execution"`
				} `json:"executions"`
			}
			if res.StatusCode != http.StatusOK || decodeJSONBody(res, &list) != nil {
				return false
			}
			return len(list.Executions) == 1
		}, 30*time.Second, 200*time.Millisecond)
	})
	t.Run("supervisors can filter cases by the search attributes, which hold no personal data", func(t *testing.T) {
		query := url.QueryEscape(`SamverkanPhase="upptäcka" AND SamverkanMunicipality="norrkoping" AND SamverkanNamedPersonUnit="norrkoping-skola-1" AND SamverkanOverdue=false`)
		var list struct {
			Executions []struct {
				Execution        struct{ WorkflowID string } `json:"execution"`
				SearchAttributes struct {
					IndexedFields map[string]struct {
						Data string `json:"data"` // base64 of the JSON value
					} `json:"indexedFields"`
				} `json:"searchAttributes"`
			} `json:"executions"`
		}
		require.Eventually(t, func() bool {
			res, err := http.Get(s.uiURL + "/api/v1/namespaces/default/workflows?query=" + query)
			if err != nil {
				return false
			}
			defer res.Body.Close()
			return res.StatusCode == http.StatusOK && decodeJSONBody(res, &list) == nil && len(list.Executions) == 1
		}, 30*time.Second, 200*time.Millisecond)
		e := list.Executions[0]
		require.Equal(t, "case-"+first.CaseID[:26], e.Execution.WorkflowID)
		require.NotContains(t, e.Execution.WorkflowID, pnr[:8])
		require.NotEmpty(t, e.SearchAttributes.IndexedFields)
		for name, f := range e.SearchAttributes.IndexedFields {
			value, err := base64.StdEncoding.DecodeString(f.Data)
			require.NoError(t, err)
			var at time.Time
			if json.Unmarshal(value, &at) == nil {
				// A time is only digits of a clock: its nanoseconds may hold the personal number's
				// last four by chance (1 in about 500 runs did), and a time carries nothing of a child.
				continue
			}
			for _, personal := range []string{pnr[:8], pnr[9:], "Testbarn", "Påhittad"} {
				require.NotContains(t, string(value), personal, "search attribute %s carries personal data", name)
			}
		}
	})
	s.recordHistory("case-"+first.CaseID[:26], "concern_joined")
	s.stop()
}
