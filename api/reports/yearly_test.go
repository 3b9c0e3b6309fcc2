package reports_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestYearlyReportOfASyntheticYear writes a synthetic year (reports_synthetic_test.go) through the
// ProjectCase activity to a real database (SQLite, or PostgreSQL with SAMVERKAN_TEST_DATABASE_URL),
// asks GET /api/v1/reports/yearly for 2025 as JSON and as CSV, and compares every figure with the
// figures the test derived on its own from the cases' timelines and its own calendar: cases by
// phase at the year's end, age band, wheel area, organisation; deadline compliance and median
// working days over Easter and Christmas; consent; plans; deviations; escalations; and the cells
// withheld as "<5" and "x".
func TestYearlyReportOfASyntheticYear(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	cases := synthYear()
	a := &activities.Activities{DB: d, Logger: dbtest.Logger(t)}
	for _, c := range cases {
		facts := c.facts()
		require.NoError(t, a.ProjectCase(ctx, activities.CaseProjection{CaseID: c.id, WorkflowID: "case-" + c.child,
			Municipality: c.municipality, Phase: c.phaseNow(), NamedPersonUnitID: c.unitID, Policy: c.policy,
			OpenedAt: c.opened, StateSeq: 1, Facts: &facts}))
	}
	s := reportServer(t, d)
	h := s.Handler()
	doc := apitest.Document(t)

	for _, tc := range []struct {
		municipality, token string
		ladder              []string
	}{
		{"norrkoping", "stina", casework.Norrkoping().EscalationLadder},
		{"lulea", "ulf", casework.Norrbus().EscalationLadder},
		{"eskilstuna", "emma", casework.Sormland().EscalationLadder},
	} {
		var mine []synthCase
		for _, c := range cases {
			if c.municipality == tc.municipality {
				mine = append(mine, c)
			}
		}
		want := naiveYearly(mine, tc.ladder)
		t.Run(tc.municipality+" as JSON", func(t *testing.T) {
			req, rec := reportGet(h, tc.token, "/api/v1/reports/yearly?year=2025&municipality="+tc.municipality, "")
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			apitest.RequireDocumentedAnswer(t, doc, req, rec)
			got := flattenYearlyJSON(t, rec.Body.Bytes())
			assertFigures(t, want, got)
			var head struct {
				Year           int      `json:"year"`
				Municipality   string   `json:"municipality"`
				Municipalities []string `json:"municipalities"`
				MinChildren    int      `json:"minChildren"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &head))
			assert.Equal(t, 2025, head.Year)
			assert.Equal(t, tc.municipality, head.Municipality)
			assert.Equal(t, []string{tc.municipality}, head.Municipalities)
			assert.Equal(t, 5, head.MinChildren)
			assert.NotContains(t, rec.Body.String(), "case-", "no case or child reference")
			assert.NotContains(t, rec.Body.String(), "child-")
		})
		t.Run(tc.municipality+" as CSV", func(t *testing.T) {
			for _, q := range []struct{ query, accept string }{{"&format=csv", ""}, {"", "text/csv"}} {
				req, rec := reportGet(h, tc.token, "/api/v1/reports/yearly?year=2025&municipality="+tc.municipality+q.query, q.accept)
				require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				apitest.RequireDocumentedAnswer(t, doc, req, rec)
				require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
				records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
				require.NoError(t, err)
				require.Equal(t, []string{"year", "municipality", "table", "key", "measure", "value"}, records[0])
				got := naiveFigures{values: map[string]string{}}
				for _, r := range records[1:] {
					require.Equal(t, []string{"2025", tc.municipality}, r[:2])
					got.put(r[2], r[3], r[4], r[5])
				}
				assert.Equal(t, want.order, got.order, "the rows in the JSON's order")
				assertFigures(t, want, got)
			}
		})
	}

	t.Run("small cells are withheld as the year's data has them", func(t *testing.T) {
		var nk, esk []synthCase
		for _, c := range cases {
			switch c.municipality {
			case "norrkoping":
				nk = append(nk, c)
			case "eskilstuna":
				esk = append(esk, c)
			}
		}
		want := naiveYearly(nk, casework.Norrkoping().EscalationLadder)
		assert.Equal(t, "5", want.values["byAgencyKind|lss|cases"], "five cases of five children")
		assert.Equal(t, "<5", want.values["byAgencyKind|police|cases"], "six cases of three children")
		hidden := 0
		for _, k := range want.order {
			if strings.HasPrefix(k, "byAgeBand|") && want.values[k] == "x" {
				hidden++
			}
		}
		assert.Equal(t, "<5", want.values["byAgeBand|unknown|cases"])
		assert.Equal(t, 1, hidden, "one row hidden beside the one withheld age band")
		assert.Equal(t, "<5", naiveYearly(esk, nil).values["cases|active|cases"], "Eskilstuna: cases of four children")
	})
	t.Run("the test's calendar agrees with the agreements over Easter and Christmas", func(t *testing.T) {
		// Summons within 5 working days of consent on Tuesday 15 April 2025: långfredagen and annandag
		// påsk are off, so Thursday 24 April; of consent on Friday 19 December: julafton to annandag jul
		// and nyårsafton to nyårsdagen are off, so Friday 2 January 2026.
		assert.Equal(t, "2025-04-24", naiveDueDate(time.Date(2025, 4, 15, 10, 0, 0, 0, casework.Stockholm), 5).Format(time.DateOnly))
		assert.Equal(t, "2026-01-02", naiveDueDate(time.Date(2025, 12, 19, 10, 0, 0, 0, casework.Stockholm), 5).Format(time.DateOnly))
		assert.Equal(t, 4, naiveWorkingDays(time.Date(2025, 12, 23, 9, 0, 0, 0, casework.Stockholm), time.Date(2026, 1, 5, 9, 0, 0, 0, casework.Stockholm)), "29 and 30 December, 2 and 5 January")
	})
}

// reportServer serves the report to demo users: the steering group's chair, supervisors of
// Norrköping, Luleå and Eskilstuna, an administrator and a teacher.
func reportServer(t *testing.T, d *db.DB) *api.Server {
	t.Helper()
	return &api.Server{DB: d, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return synthAsOf }, Tokens: apitest.Tokens{
		"stina": {User: "stina.styrgrupp", Role: "steering", Unit: "norrkoping-socialtjanst"},
		"david": {User: "david.chef", Role: "supervisor", Unit: "norrkoping-skola-1"},
		"ulf":   {User: "ulf.chef", Role: "supervisor", Unit: "lulea-skola-1"},
		"emma":  {User: "emma.chef", Role: "supervisor", Unit: "eskilstuna-skola-1"},
		"adam":  {User: "adam.admin", Role: "admin", Unit: "norrkoping-socialtjanst"},
		"anna":  {User: "anna.larare", Role: "reporter", Unit: "norrkoping-skola-1"},
		"karin": {User: "karin.verksamhetschef", Role: "supervisor", Unit: "norrkoping-bvc-1"},
		"lars":  {User: "lars.friskola", Role: "named_person", Unit: "norrkoping-skola-2"},
	}}
}

func reportGet(h http.Handler, token, path, accept string) (*http.Request, *httptest.ResponseRecorder) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return req, rec
}

func assertFigures(t *testing.T, want, got naiveFigures) {
	t.Helper()
	for _, k := range want.order {
		assert.Equal(t, want.values[k], got.values[k], k)
	}
	assert.Len(t, got.values, len(want.values))
}

// flattenYearlyJSON reads the answer's figures as "table|key|measure" → value, a withheld figure as
// its mark.
func flattenYearlyJSON(t *testing.T, body []byte) naiveFigures {
	t.Helper()
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &raw))
	f := naiveFigures{values: map[string]string{}}
	value := func(v any) string {
		switch x := v.(type) {
		case string:
			return x
		case float64:
			return fmt.Sprint(x)
		}
		t.Fatalf("a figure that is neither a number nor a mark: %v", v)
		return ""
	}
	var obj map[string]any
	require.NoError(t, json.Unmarshal(raw["cases"], &obj))
	for _, k := range []string{"active", "opened", "closed"} {
		f.put("cases", k, "cases", value(obj[k]))
	}
	var list []map[string]any
	for _, table := range []string{"byPhase", "byAgeBand", "byArea", "byNamedPersonUnitKind", "byAgencyKind"} {
		require.NoError(t, json.Unmarshal(raw[table], &list))
		for _, r := range list {
			f.put(table, r["key"].(string), "cases", value(r["cases"]))
		}
	}
	require.NoError(t, json.Unmarshal(raw["deadlines"], &list))
	for _, r := range list {
		for _, m := range []string{"within", "late", "share", "medianWorkingDays"} {
			f.put("deadlines", r["kind"].(string), m, value(r[m]))
		}
	}
	require.NoError(t, json.Unmarshal(raw["consent"], &obj))
	f.put("consent", "refused", "cases", value(obj["refused"]))
	f.put("consent", "revoked", "cases", value(obj["revoked"]))
	var plans any
	require.NoError(t, json.Unmarshal(raw["plansEstablished"], &plans))
	f.put("plansEstablished", "", "cases", value(plans))
	require.NoError(t, json.Unmarshal(raw["deviations"], &list))
	for _, r := range list {
		key := r["kind"].(string)
		if dk, ok := r["deadlineKind"].(string); ok {
			key += ":" + dk
		}
		f.put("deviations", key, "count", value(r["count"]))
	}
	require.NoError(t, json.Unmarshal(raw["escalations"], &list))
	for _, r := range list {
		f.put("escalations", fmt.Sprintf("%v:%v", r["step"], r["level"]), "count", value(r["count"]))
	}
	return f
}

// TestYearlyReportReaders: the steering group reads its county's municipalities, a supervisor the
// municipalities of their units; anyone else gets 403, an unknown municipality 400. Every answer is
// the documented one.
func TestYearlyReportReaders(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(ctx))
	h := reportServer(t, d).Handler()
	doc := apitest.Document(t)
	for _, tc := range []struct {
		token, query string
		status       int
	}{
		{"stina", "", http.StatusOK},
		{"stina", "?year=2025&municipality=norrkoping", http.StatusOK},
		{"stina", "?municipality=lulea", http.StatusForbidden},
		{"stina", "?municipality=atlantis", http.StatusBadRequest},
		{"david", "?year=2025", http.StatusOK},
		{"david", "?municipality=eskilstuna", http.StatusForbidden},
		{"karin", "?municipality=norrkoping", http.StatusOK},
		{"ulf", "?municipality=lulea&format=csv", http.StatusOK},
		{"adam", "", http.StatusForbidden},
		{"anna", "", http.StatusForbidden},
		{"lars", "", http.StatusForbidden},
		{"stina", "?year=1999", http.StatusBadRequest},
		{"stina", "?year=nästa", http.StatusBadRequest},
		{"stina", "?format=xml", http.StatusBadRequest},
		{"stina", "?kommun=norrkoping", http.StatusBadRequest},
	} {
		for _, path := range []string{"/api/v1/reports/yearly", "/api/v1/reports/yearly/page"} {
			query := tc.query
			if strings.HasSuffix(path, "/page") && strings.Contains(query, "format=") {
				continue
			}
			t.Run(fmt.Sprintf("%s %s%s", tc.token, path, query), func(t *testing.T) {
				req, rec := reportGet(h, tc.token, path+query, "")
				require.Equal(t, tc.status, rec.Code, rec.Body.String())
				apitest.RequireDocumentedAnswer(t, doc, req, rec)
			})
		}
	}
	t.Run("the steering group's default is its county, named in the answer", func(t *testing.T) {
		_, rec := reportGet(h, "stina", "/api/v1/reports/yearly?year=2025", "")
		require.Equal(t, http.StatusOK, rec.Code)
		var got struct {
			Municipality   *string  `json:"municipality"`
			Municipalities []string `json:"municipalities"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		assert.Nil(t, got.Municipality)
		assert.Equal(t, []string{"norrkoping"}, got.Municipalities)
		assert.Contains(t, rec.Body.String(), `"active":"<5"`, "marks as they read, not \\u003c5")
	})
	t.Run("the page draws its charts on the server, withheld figures as their marks", func(t *testing.T) {
		_, rec := reportGet(h, "stina", "/api/v1/reports/yearly/page?year=2025", "")
		require.Equal(t, http.StatusOK, rec.Code)
		body := rec.Body.String()
		assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
		assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'none'")
		assert.Contains(t, body, "<svg")
		assert.Contains(t, body, "Årlig uppföljning 2025")
		assert.Contains(t, body, "&lt;5")
		assert.NotContains(t, body, "<script")
	})
}
