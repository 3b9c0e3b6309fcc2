package main

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

type accessEntryBody struct {
	Seq                                   int64
	At, User, Role, Unit, CaseID          string
	ChildRef, Action, Outcome, ClientAddr string
	Status                                int
	RequestID, PrevHash, Hash             string
}

type accessLogBody struct {
	CaseID  string            `json:"caseId"`
	Entries []accessEntryBody `json:"entries"`
}

// has reports whether the log holds a row of user doing action with outcome and status.
func (l accessLogBody) has(user, action, outcome string, status int) bool {
	for _, e := range l.Entries {
		if e.User == user && e.Action == action && e.Outcome == outcome && e.Status == status {
			return true
		}
	}
	return false
}

// TestAccessLogThroughHTTP follows one case's access log from its first concern to the auditor: the
// reads, the command and a stranger's refused read appear in the log the school's supervisor sees;
// nobody else sees it; the auditor exports it, verifies the chain and extracts it for the child's
// guardian; a user who opens too many cases raises an alert; and last week's log review is signed
// off.
func TestAccessLogThroughHTTP(t *testing.T) {
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_ACCESS_ALERT_PER_HOUR=2")
	s.start()
	anna, bertil, erik := s.token("anna.larare"), s.token("bertil.rektor"), s.token("erik.bvc")
	david, adam := s.tokenFor("david.chef", "norrkoping-skola-1"), s.token("adam.admin")
	birth := birthDateForAge(12)
	const serial = 471
	personal := syntheticPersonalNumber(birth, serial)

	created := s.concernCase(anna, childConcern("Liv Påhittad", birth, serial, "6",
		[]string{"trygghet", "hemmet"}, "Närvaron har ändrats den senaste månaden.", false, localDay(-1, 9, 0)))
	caseID := created.CaseID
	status, _ := s.read(bertil, caseID)
	require.Equal(t, http.StatusOK, status)
	status, _ = s.read(erik, caseID)
	require.Equal(t, http.StatusNotFound, status, "erik.bvc has no part in the case")
	s.mustAct(bertil, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-1, 10, 0))})

	t.Run("the supervisor of the named person's unit sees every access, refused ones too", func(t *testing.T) {
		var log accessLogBody
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID+"/access-log", david, nil, &log))
		assert.Equal(t, caseID, log.CaseID)
		assert.True(t, log.has("anna.larare", "register_concern", "allowed", 202), "%+v", log.Entries)
		assert.True(t, log.has("bertil.rektor", "read_case", "allowed", 200))
		assert.True(t, log.has("erik.bvc", "read_case", "denied", 404))
		assert.True(t, log.has("bertil.rektor", "command:AcknowledgeConcern", "allowed", 200))
		pseudonym, _, _ := strings.Cut(caseID, "-")
		for _, e := range log.Entries {
			assert.Equal(t, pseudonym, e.ChildRef)
			assert.Equal(t, "127.0.0.1", e.ClientAddr)
			assert.NotEmpty(t, e.RequestID)
			assert.Len(t, e.Hash, 64)
		}
	})

	t.Run("nobody else sees the case's access log, and it does not say whether the case exists", func(t *testing.T) {
		for name, token := range map[string]string{"the reporter": anna, "the named person": bertil, "a stranger": erik,
			"the auditor": adam, "another unit's supervisor": s.tokenFor("karin.verksamhetschef", "norrkoping-bvc-1")} {
			var p problemBody
			assert.Equal(t, http.StatusNotFound, s.call("GET", "/api/v1/cases/"+caseID+"/access-log", token, nil, &p), name)
		}
	})

	t.Run("the auditor's export holds the rows and no personal data", func(t *testing.T) {
		body, res := s.get("/api/v1/audit/access-log?format=json", adam)
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		assert.Equal(t, "true", res.Trailer.Get("X-Export-Complete"))
		for _, want := range []string{`"action":"read_case"`, `"user":"erik.bvc"`, `"action":"read_access_log"`, caseID} {
			assert.Contains(t, body, want)
		}
		assert.NotContains(t, body, "Liv Påhittad")
		assert.NotContains(t, body, strings.ReplaceAll(personal, "-", "")[2:])

		body, res = s.get("/api/v1/audit/access-log?format=csv&unit=lulea-bvc-1", adam)
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(records), 2)
		assert.Equal(t, "seq", records[0][0])
		for _, r := range records[1:] {
			assert.Equal(t, "erik.bvc", r[2], "only the unit asked for")
		}

		body, res = s.get("/api/v1/audit/access-log", david)
		assert.Equal(t, http.StatusForbidden, res.StatusCode, body)
		body, res = s.get("/api/v1/audit/access-log?from=yesterday", adam)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, body)
	})

	t.Run("the auditor verifies the chain", func(t *testing.T) {
		var rep struct {
			OK      bool
			Checked int64
		}
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/access-log/verification", adam, nil, &rep))
		assert.True(t, rep.OK)
		assert.GreaterOrEqual(t, rep.Checked, int64(5))
	})

	t.Run("a guardian's request: the extract of every access to the child's cases", func(t *testing.T) {
		var extract accessLogBody
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/child-extract?personalNumber="+personal, adam, nil, &extract))
		assert.True(t, extract.has("bertil.rektor", "read_case", "allowed", 200))
		assert.True(t, extract.has("erik.bvc", "read_case", "denied", 404))
		for _, e := range extract.Entries {
			if e.Action == "child_extract" {
				assert.Equal(t, "adam.admin", e.User, "the extract is itself logged, as an access to the child's data")
				continue
			}
			assert.Equal(t, caseID, e.CaseID)
		}
		var p problemBody
		assert.Equal(t, http.StatusForbidden, s.call("GET", "/api/v1/audit/child-extract?personalNumber="+personal, david, nil, &p))
		assert.Equal(t, http.StatusBadRequest, s.call("GET", "/api/v1/audit/child-extract?personalNumber=123", adam, nil, &p))
	})

	t.Run("a user who opens more cases within the hour than the limit raises an alert for their unit", func(t *testing.T) {
		for _, other := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaa-aaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbb-bbbbb"} {
			status, _ := s.read(erik, other)
			require.Equal(t, http.StatusNotFound, status)
		}
		var alerts struct{ Alerts []struct{ User, Unit string } }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/alerts", s.tokenFor("vera.verksamhetschef", "lulea-bvc-1"), nil, &alerts))
		require.Len(t, alerts.Alerts, 1, "three distinct cases in the hour, the limit is two")
		assert.Equal(t, "erik.bvc", alerts.Alerts[0].User)
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/alerts", adam, nil, &alerts))
		assert.Len(t, alerts.Alerts, 1)
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/alerts", david, nil, &alerts))
		assert.Empty(t, alerts.Alerts, "another unit's staff")
		var p problemBody
		assert.Equal(t, http.StatusForbidden, s.call("GET", "/api/v1/audit/alerts", anna, nil, &p))
	})

	t.Run("the supervisor checks last week's sample of the unit's accesses and signs it off", func(t *testing.T) {
		d := s.openDB()
		lastWeek := time.Now().In(casework.Stockholm).AddDate(0, 0, -7)
		for i, id := range []string{caseID, "cccccccccccccccccccccccccc-ccccc", "dddddddddddddddddddddddddd-ddddd"} {
			_, _, err := d.AppendAccess(context.Background(), db.AccessEntry{At: lastWeek.Add(time.Duration(i) * time.Minute),
				User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1", CaseID: id, Action: "read_case",
				Outcome: db.OutcomeAllowed, Status: 200, ClientAddr: "192.0.2.1", RequestID: "last-week"}, 0)
			require.NoError(t, err)
		}
		type review struct {
			ID, Week   string
			Population int
			SignedOff  *struct{ By, Note string }
			Entries    []accessEntryBody
		}
		var reviews struct{ Reviews []review }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/reviews", david, nil, &reviews))
		require.Len(t, reviews.Reviews, 1)
		r := reviews.Reviews[0]
		year, week := lastWeek.ISOWeek()
		assert.Equal(t, "norrkoping-skola-1", strings.SplitN(r.ID, ".", 2)[1])
		assert.Equal(t, year, atoi(t, r.Week[:4]))
		assert.Equal(t, week, atoi(t, r.Week[6:]))
		assert.Equal(t, 3, r.Population)
		assert.Len(t, r.Entries, 3, "fewer accesses than the sample size: all of them")
		assert.Nil(t, r.SignedOff)

		var again struct{ Reviews []review }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/audit/reviews", david, nil, &again))
		assert.Equal(t, reviews, again, "drawn once, the same sample")

		var p problemBody
		signOff := map[string]any{"note": "Alla slagningar hade stöd i ärendena."}
		assert.Equal(t, http.StatusNotFound, s.call("POST", "/api/v1/audit/reviews/"+r.ID+"/sign-off",
			s.tokenFor("karin.verksamhetschef", "norrkoping-bvc-1"), signOff, &p), "another unit's supervisor")
		var signed review
		require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/audit/reviews/"+r.ID+"/sign-off", david, signOff, &signed))
		require.NotNil(t, signed.SignedOff)
		assert.Equal(t, "david.chef", signed.SignedOff.By)
		assert.Equal(t, signOff["note"], signed.SignedOff.Note)
		assert.Equal(t, http.StatusConflict, s.call("POST", "/api/v1/audit/reviews/"+r.ID+"/sign-off", david, signOff, &p))
		assert.Equal(t, http.StatusForbidden, s.call("GET", "/api/v1/audit/reviews", anna, nil, &p))

		body, _ := s.get("/api/v1/audit/access-log?format=json", adam)
		assert.Contains(t, body, `"action":"sign_off_access_review"`, "the review is itself in the log")
	})
}

// get sends a GET and returns the whole body and the response, trailers read.
func (s *system) get(path, token string) (string, *http.Response) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.apiURL+path, nil)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	s.checkAnswer(req, res, raw)
	return string(raw), res
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		require.True(t, r >= '0' && r <= '9', s)
		n = n*10 + int(r-'0')
	}
	return n
}
