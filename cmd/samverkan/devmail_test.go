package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db/dbtest"
)

// TestDevMailCatcher sends through the production SMTP client to dev's catcher and reads the mail in
// its web inbox; a restarted catcher still shows it.
func TestDevMailCatcher(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	start := func() *devMail {
		m, err := startDevMail(devMailOptions{IP: devHost, SMTPPort: freeTCPPort(t), UIPort: freeTCPPort(t), Dir: dir, Logger: discardLogger()})
		require.NoError(t, err)
		t.Cleanup(m.Stop)
		return m
	}
	get := func(m *devMail, path string) (int, string) {
		res, err := http.Get(m.uiURL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b)
	}
	inbox := func(m *devMail) []devMailItem {
		status, body := get(m, "/api/messages")
		require.Equal(t, http.StatusOK, status)
		var items []devMailItem
		require.NoError(t, json.Unmarshal([]byte(body), &items))
		return items
	}

	m := start()
	require.Empty(t, inbox(m))
	status, page := get(m, "/")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, "Inga brev ännu")

	// The activity's own composition and client, as the worker sends.
	d := dbtest.Open(t)
	require.NoError(t, d.SeedDemo(context.Background()))
	acts := &activities.Activities{DB: d, Logger: discardLogger(), Mail: activities.MailSettings{
		Mailer: &activities.SMTPMailer{Addr: m.smtpAddr}, From: "Samverkan <noreply@samverkan.example>", PublicURL: "http://127.0.0.1:8080"}}
	res, err := acts.Notify(context.Background(), activities.NotifyRequest{Key: "k1", CaseID: "abc-123", Kind: activities.NotifyReminder,
		Subject: "Påminnelse: ärende abc-123 <ska> tas emot", Text: "Tidsgränsen går ut i övermorgon.",
		Recipients: []casework.Assignee{{UserID: "bertil.rektor"}}})
	require.NoError(t, err)
	require.Equal(t, 1, res.Mailed)

	items := inbox(m)
	require.Len(t, items, 1)
	require.Equal(t, "Påminnelse: ärende abc-123 <ska> tas emot", items[0].Subject)
	require.Contains(t, items[0].To, "bertil.rektor@")
	require.WithinDuration(t, time.Now(), items[0].Date, time.Minute)

	status, page = get(m, "/")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, "Påminnelse: ärende abc-123 &lt;ska&gt; tas emot", "escaped, never markup")
	status, page = get(m, "/messages/"+items[0].ID)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, "Tidsgränsen går ut i övermorgon.")
	require.Contains(t, page, "Öppna ärendet: http://127.0.0.1:8080/arenden/abc-123")
	status, raw := get(m, "/messages/"+items[0].ID+"/raw")
	require.Equal(t, http.StatusOK, status)
	require.True(t, strings.HasPrefix(raw, "Return-Path: <noreply@samverkan.example>"))
	for _, bad := range []string{"/messages/..%2Fsamverkan.db", "/messages/x.eml", "/messages/..%2F..%2Fetc%2Fpasswd/raw"} {
		status, _ = get(m, bad)
		require.Equal(t, http.StatusNotFound, status, bad)
	}

	m.Stop()
	require.Len(t, inbox(start()), 1, "kept across a restart")
}
