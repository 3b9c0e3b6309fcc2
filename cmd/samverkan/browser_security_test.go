package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestWebRefusesForgedFormsAndOtherCases: a form without the session's CSRF token, or with a wrong
// one, is 403 and nothing is applied; a double-sent form (the same Idempotency-Key) is applied
// once; a case the user has no part in is the front end's 404, as the API's; the session store
// holds no token in clear; and a session survives a restart of samverkan.
func TestWebRefusesForgedFormsAndOtherCases(t *testing.T) {
	s := newSystem(t)
	s.start()
	caseID := registerMelwin(t, s)
	bertilToken := s.token("bertil.rektor")

	bertil := newBrowser(t, s)
	bertil.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	session := bertil.sessionCookie()
	post := func(path string, form url.Values) (int, string) {
		req, err := http.NewRequest(http.MethodPost, s.apiURL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.apiURL)
		req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	acknowledged := func() int {
		var tl struct{ Events []struct{ Kind string } }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID+"/timeline", bertilToken, nil, &tl))
		n := 0
		for _, e := range tl.Events {
			if e.Kind == "case_acknowledged" {
				n++
			}
		}
		return n
	}

	t.Run("a form without or with a wrong CSRF token is 403 and applies nothing", func(t *testing.T) {
		for _, token := range []string{"", "wrong", strings.Repeat("A", 43)} {
			form := url.Values{"idempotency-key": {strings.Repeat("k", 43)}}
			if token != "" {
				form.Set("csrf", token)
			}
			status, body := post("/arenden/"+caseID+"/ta-emot", form)
			require.Equal(t, http.StatusForbidden, status, "csrf %q", token)
			require.Contains(t, body, "inget har ändrats")
		}
		require.Zero(t, acknowledged())
	})
	t.Run("a form sent twice with its key is applied once", func(t *testing.T) {
		bertil.open("/arenden/" + caseID + "/ta-emot")
		csrf := value(bertil, chromedp.Evaluate[string](`document.querySelector("main input[name=csrf]").value`))
		key := value(bertil, chromedp.Evaluate[string](`document.querySelector("main input[name='idempotency-key']").value`))
		for range 2 {
			status, _ := post("/arenden/"+caseID+"/ta-emot", url.Values{"csrf": {csrf}, "idempotency-key": {key}})
			require.Equal(t, http.StatusSeeOther, status)
		}
		require.Equal(t, 1, acknowledged())
	})
	t.Run("another school's named person gets 404 for the case's address", func(t *testing.T) {
		lars := newBrowser(t, s)
		lars.login("lars.friskola", "named_person", "norrkoping-skola-2")
		for _, path := range []string{"", "/tidslinje", "/ta-emot"} {
			lars.open("/arenden/" + caseID + path)
			require.Equal(t, "Sidan finns inte", lars.heading(), path)
		}
		req, _ := http.NewRequest(http.MethodGet, s.apiURL+"/arenden/"+caseID, nil)
		c := lars.sessionCookie()
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusNotFound, res.StatusCode)
	})
	t.Run("the session store holds no token in clear", func(t *testing.T) {
		var rows []struct{ Data string }
		require.NoError(t, s.openDB().Gorm().Raw(`SELECT data FROM web_sessions`).Scan(&rows).Error)
		require.NotEmpty(t, rows)
		for _, r := range rows {
			sealed, err := base64.StdEncoding.DecodeString(r.Data)
			require.NoError(t, err)
			for _, clear := range []string{"eyJ", "bertil", "access", "named_person"} {
				require.False(t, bytes.Contains(sealed, []byte(clear)), "a session row holds %q in clear", clear)
			}
		}
	})
	t.Run("the session survives a restart", func(t *testing.T) {
		s.stop()
		s.start()
		bertil.open("/uppgifter")
		require.Equal(t, "Mina uppgifter", bertil.heading())
	})
}

// registerMelwin registers Melwin's concern through the API as anna.larare and returns the case.
func registerMelwin(t *testing.T, s *system) string {
	t.Helper()
	var created caseBody
	body := concern("20120315-9817", "2012-03-15", "norrkoping-skola-1", time.Now().Add(-time.Hour))
	created = s.concernCase(s.token("anna.larare"), body)
	return created.CaseID
}
