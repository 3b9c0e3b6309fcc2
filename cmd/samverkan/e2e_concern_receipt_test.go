package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestConcernAnswerDoesNotTellANewCaseFromAJoinedOne is the attack of issue 17: a reporter of one
// school posts a concern with the personal number of another school's child. The answer must not
// tell whether the child already has a case – same status, same keys, no case ID, phase or school –
// and the reporter must not reach the case's school through the reporter view. Only a caller who
// already had full access to the case gets the full answer.
func TestConcernAnswerDoesNotTellANewCaseFromAJoinedOne(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, lars := s.token("anna.larare"), s.token("lars.friskola")
	occurred := time.Now().Add(-time.Hour).Truncate(time.Second)
	birth := time.Date(2012, 3, 15, 0, 0, 0, 0, time.UTC)
	known := concern(syntheticPersonalNumber(birth, 971), "2012-03-15", "norrkoping-skola-2", occurred)
	// The other school's child has an open case there (whatever its own answer says).
	require.Less(t, s.call("POST", "/api/v1/concerns", lars, known, nil), 300)
	caseID := s.caseOf(known)

	joined := s.sendRaw("POST", "/api/v1/concerns", anna, nil,
		mustJSON(concern(syntheticPersonalNumber(birth, 971), "2012-03-15", "norrkoping-skola-1", occurred)))
	fresh := s.sendRaw("POST", "/api/v1/concerns", anna, nil,
		mustJSON(concern(syntheticPersonalNumber(birth, 972), "2012-03-15", "norrkoping-skola-1", occurred)))

	require.Equal(t, fresh.status, joined.status, "the status tells a joined case from a new one")
	require.Equal(t, jsonKeys(t, fresh.body), jsonKeys(t, joined.body), "the keys tell a joined case from a new one")
	require.Equal(t, http.StatusAccepted, fresh.status, "%s", fresh.body)
	require.Empty(t, fresh.header.Get("Location"))
	require.Empty(t, joined.header.Get("Location"))
	for _, secret := range []string{caseID, strings.SplitN(caseID, "-", 2)[0], "norrkoping-skola-2", "Friskola", "upptäcka", "joined"} {
		require.NotContains(t, string(joined.body), secret)
	}
	var a, b map[string]any
	require.NoError(t, json.Unmarshal(joined.body, &a))
	require.NoError(t, json.Unmarshal(fresh.body, &b))
	require.Equal(t, b["acknowledgeBy"], a["acknowledgeBy"], "the date is computed alike for both")
	require.Equal(t, map[string]any{"role": "named_person"}, a["receivedBy"])

	t.Run("the reporter view of the joined case names no school", func(t *testing.T) {
		var v map[string]any
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID, anna, nil, &v))
		require.Equal(t, "reporter", v["view"])
		require.Nil(t, v["namedPersonUnit"])
		raw, _ := json.Marshal(v)
		require.NotContains(t, string(raw), "norrkoping-skola-2")
	})
	t.Run("a reporter who suspects harm is asked to record the report, whether or not the case had one", func(t *testing.T) {
		harmed := concern(syntheticPersonalNumber(birth, 973), "2012-03-15", "norrkoping-skola-2", occurred)
		harmed["suspectsHarm"] = true
		require.Less(t, s.call("POST", "/api/v1/concerns", lars, harmed, nil), 300)
		reported := s.caseOf(harmed)
		require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/cases/"+reported+"/harm-report", lars,
			map[string]any{"reported": true, "reportedAt": occurred.Add(time.Minute).Format(time.RFC3339)}, nil))

		mine := func(serial int) map[string]any {
			c := concern(syntheticPersonalNumber(birth, serial), "2012-03-15", "norrkoping-skola-1", occurred)
			c["suspectsHarm"] = true
			return c
		}
		require.Equal(t, http.StatusAccepted, s.call("POST", "/api/v1/concerns", anna, mine(973), nil))
		freshID := s.registerConcern(anna, mine(974))
		require.Eventually(t, func() bool {
			asked := map[string]bool{}
			for _, task := range s.myTasks(anna).Items {
				if task.Kind == "record_harm_report" {
					asked[task.CaseID] = true
				}
			}
			return asked[reported] && asked[freshID]
		}, 30*time.Second, 200*time.Millisecond, "the duty to report is asked of the reporter in both cases")
		var inReported, inFresh map[string]any
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+reported, anna, nil, &inReported))
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+freshID, anna, nil, &inFresh))
		require.Nil(t, inReported["harmReport"], "an earlier report tells the reporter the case was there before")
		require.NotEmpty(t, inReported["harmReportWarning"])
		a, _ := json.Marshal(inReported)
		b, _ := json.Marshal(inFresh)
		require.Equal(t, jsonKeys(t, b), jsonKeys(t, a))
	})
	t.Run("a caller who already had full access gets the full answer", func(t *testing.T) {
		var full caseBody
		require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/concerns", lars, known, &full))
		require.True(t, full.Joined)
		require.Equal(t, caseID, full.CaseID)
		require.Equal(t, "norrkoping-skola-2", full.NamedPersonUnit.ID)
	})
}

// jsonKeys are the paths of every key in a JSON document (array elements under "[]"), sorted.
func jsonKeys(t *testing.T, body []byte) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	var keys []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				keys = append(keys, prefix+"."+k)
				walk(prefix+"."+k, child)
			}
		case []any:
			for _, child := range v {
				walk(prefix+"[]", child)
			}
		}
	}
	walk("", v)
	slices.Sort(keys)
	return slices.Compact(keys)
}
