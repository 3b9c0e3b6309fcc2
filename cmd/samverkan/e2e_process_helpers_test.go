package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// processCase is the full view of a case with its process state, as the tests read it.
type processCase struct {
	caseBody
	Deadlines []struct {
		Kind, DueAt, Status, SettledAt, DoneAt string
	} `json:"deadlines"`
	Acknowledged *struct {
		By                     struct{ User, Role, Unit, UnitKind string }
		OccurredAt, RecordedAt string
	}
	Assessor   string
	HarmReport *struct {
		Reported   bool
		ReportedAt string
		By         struct{ User string }
	}
	HarmReportWarning string
	Assessment        *struct {
		Areas            []struct{ Area, Observation, Level string }
		ChildView        struct{ View, NotObtainedReason string }
		FiveQuestions    map[string]string
		Partners         struct{ Earlier, Today, Forward []string }
		Outcome          string
		ProposedAgencies []struct{ ID, Name, Kind string }
		RelevantAreas    []string
	}
	Consent *struct {
		Status, Custody string
		Scope           []string
		Records         []struct {
			Party, PartyName string
			Given, Revoked   bool
			Scope            []string
		}
	}
	Participants []struct {
		Unit   struct{ ID, Name, Kind string }
		Status string
	}
	Summons *struct {
		MeetingAt, OccurredAt string
		Invitations           []struct{ Participant, Status string }
	}
	Meeting *struct {
		OccurredAt, RecordedAt string
		Decisions              []struct {
			UnitID, Decision, Reason string
			NoFurtherAction          bool
		}
	}
	Coordinator *struct {
		ChildWish, PlanOwner *personBody
		Coordinator          personBody
		SpecialReason        string
	}
	Closed  *struct{ Reason string }
	Notices []struct{ Kind, Text string }
}

type personBody struct{ User, Name, UnitID, UnitKind string }

func (c processCase) deadline(kind string) (status, dueAt, doneAt string) {
	for _, d := range c.Deadlines {
		if d.Kind == kind {
			return d.Status, d.DueAt, d.DoneAt
		}
	}
	return "", "", ""
}

func (c processCase) invitation(participant string) string {
	for _, inv := range c.Summons.Invitations {
		if inv.Participant == participant {
			return inv.Status
		}
	}
	return ""
}

func (c processCase) participant(unitID string) string {
	for _, p := range c.Participants {
		if p.Unit.ID == unitID {
			return p.Status
		}
	}
	return ""
}

func (c processCase) hasNotice(kind string) bool {
	for _, n := range c.Notices {
		if n.Kind == kind {
			return true
		}
	}
	return false
}

// tokenFor is a token for one of a user's units, for a user with roles in several.
func (s *system) tokenFor(user, unit string) string {
	return s.command("token", "--user", user, "--unit", unit)
}

// act sends a command to a case and decodes the answer: the case, or the problem.
func (s *system) act(token, method, caseID, command string, body any) (int, processCase, problemBody) {
	s.t.Helper()
	return s.actWithKey(token, method, caseID, command, "", body)
}

// actWithKey is act with an Idempotency-Key.
func (s *system) actWithKey(token, method, caseID, command, key string, body any) (int, processCase, problemBody) {
	s.t.Helper()
	return sendCommand[processCase](s, token, method, caseID, command, key, body, http.DefaultClient)
}

// sendCommand sends a command to a case, checks the answer against the OpenAPI document and decodes
// it: the case as C on 200, else the problem.
func sendCommand[C any](s *system, token, method, caseID, command, key string, body any, client *http.Client) (int, C, problemBody) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.apiURL+"/api/v1/cases/"+caseID+"/"+command, rd)
	require.NoError(s.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	require.NoError(s.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	s.checkAnswer(req, res, raw)
	var (
		c C
		p problemBody
	)
	if res.StatusCode == http.StatusOK {
		require.NoError(s.t, json.Unmarshal(raw, &c), "body: %s", raw)
	} else {
		require.NoError(s.t, json.Unmarshal(raw, &p), "body: %s", raw)
	}
	return res.StatusCode, c, p
}

// mustAct sends a command that must succeed and returns the case as the caller then sees it.
func (s *system) mustAct(token, method, caseID, command string, body any) processCase {
	s.t.Helper()
	status, c, p := s.act(token, method, caseID, command, body)
	require.Equal(s.t, http.StatusOK, status, "%s %s: %+v", method, command, p)
	return c
}

// read reads a case; the status says whether the caller may.
func (s *system) read(token, caseID string) (int, processCase) {
	s.t.Helper()
	var c processCase // a problem decodes into it too, leaving it empty
	status := s.call("GET", "/api/v1/cases/"+caseID, token, nil, &c)
	return status, c
}

// fieldsOf lists the fields a problem names.
func fieldsOf(p problemBody) []string {
	out := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		out[i] = f.Field
	}
	return out
}

// birthDateForAge is a birth date that makes a child the given age today, with the birthday some
// months behind, so the age holds for every business time of a test.
func birthDateForAge(years int) time.Time {
	now := time.Now().In(casework.Stockholm)
	return time.Date(now.Year()-years, now.Month(), now.Day(), 0, 0, 0, 0, casework.Stockholm).AddDate(0, 0, -100)
}

// localDay is hh:mm local time on the day offset days from today (-1: yesterday). The tests'
// stories run over the last two days, so every business time is in the past and every deadline
// counted from them is still ahead when it is recorded.
func localDay(offset, hour, minute int) time.Time {
	now := time.Now().In(casework.Stockholm)
	return time.Date(now.Year(), now.Month(), now.Day()+offset, hour, minute, 0, 0, casework.Stockholm)
}

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }

// childConcern is a concern about a synthetic child of the demo school in Norrköping.
func childConcern(name string, birth time.Time, serial int, grade string, areas []string, observation string, suspectsHarm bool, at time.Time) map[string]any {
	return map[string]any{
		"child": map[string]any{
			"personalNumber": syntheticPersonalNumber(birth, serial),
			"name":           name,
			"birthDate":      birth.Format(time.DateOnly),
			"municipality":   "norrkoping",
			"schooling":      map[string]any{"status": "school", "unitId": "norrkoping-skola-1", "grade": grade},
		},
		"areas":        areas,
		"observation":  observation,
		"suspectsHarm": suspectsHarm,
		"occurredAt":   rfc3339(at),
	}
}
