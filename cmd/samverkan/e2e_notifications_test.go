package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// notificationList is the answer of GET /api/v1/me/notifications.
type notificationList struct {
	Items []struct {
		ID, CaseID, Kind, Subject, Text string
		DeadlineKind                    *string
		ReadAt                          *string
	} `json:"items"`
	NextCursor *string `json:"nextCursor"`
	Unread     int     `json:"unread"`
}

// TestMissedDeadlineNotifiesTheSupervisorInTheAppAndByMail runs `samverkan dev` as a user would: a
// concern registered long after it was seen misses the named person's acknowledgement deadline at
// once; the supervisor of the unit finds the notification in the app and one mail in the dev mail
// catcher's inbox, with the link to the case and nothing about the child.
func TestMissedDeadlineNotifiesTheSupervisorInTheAppAndByMail(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, david := s.token("anna.larare"), s.tokenFor("david.chef", "norrkoping-skola-1")
	birth := time.Date(2012, 3, 15, 0, 0, 0, 0, casework.Stockholm)
	pnr := syntheticPersonalNumber(birth, 983)
	seen := time.Now().AddDate(0, 0, -21).Truncate(time.Second)
	created := s.concernCase(anna, concern(pnr, "2012-03-15", "norrkoping-skola-1", seen))

	var list notificationList
	require.Eventually(t, func() bool {
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/me/notifications", david, nil, &list))
		return len(list.Items) > 0
	}, 60*time.Second, 200*time.Millisecond, "no notification reached the supervisor")
	n := list.Items[0]
	require.Equal(t, created.CaseID, n.CaseID)
	require.Equal(t, "deadline_missed", n.Kind)
	require.Equal(t, 1, list.Unread)

	inbox := s.mailInbox()
	var mails []devMailItem
	require.Eventually(t, func() bool {
		mails = mails[:0]
		for _, m := range inbox() {
			if strings.Contains(m.To, "david.chef@") {
				mails = append(mails, m) // the named person is mailed the new case besides
			}
		}
		return len(mails) > 0
	}, 60*time.Second, 200*time.Millisecond, "no mail reached the catcher")
	require.Len(t, mails, 1)
	require.Equal(t, n.Subject, mails[0].Subject)
	res, err := http.Get(s.mailUIURL() + "/messages/" + mails[0].ID + "/raw")
	require.NoError(t, err)
	rawBytes, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	msg, err := mail.ReadMessage(bytes.NewReader(rawBytes))
	require.NoError(t, err)
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	require.NoError(t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	for _, secret := range []string{pnr, strings.ReplaceAll(pnr, "-", ""), pnr[2:], "Testbarn", "Påhittad", "närvaro", "kamraterna"} {
		require.NotContains(t, string(rawBytes), secret, "the mail holds nothing about the child")
		require.NotContains(t, subject+string(body), secret, "the mail holds nothing about the child")
		require.NotContains(t, n.Text+n.Subject, secret)
	}
	require.Contains(t, string(body), "Öppna ärendet: http://127.0.0.1:8080/arenden/"+created.CaseID)

	var read struct{ ReadAt *string }
	require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/me/notifications/"+n.ID+"/read", david, nil, &read))
	require.NotNil(t, read.ReadAt)
	require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/me/notifications?unread=true", david, nil, &list))
	require.Empty(t, list.Items)
	require.Equal(t, http.StatusNotFound, s.call("POST", "/api/v1/me/notifications/"+n.ID+"/read", anna, nil, nil),
		"another user's notification is not found")
}

func (s *system) mailUIURL() string {
	return "http://127.0.0.1:" + s.getenv("SAMVERKAN_DEV_MAIL_UI_PORT")
}

// mailInbox reads the dev mail catcher's messages.
func (s *system) mailInbox() func() []devMailItem {
	return func() []devMailItem {
		res, err := http.Get(s.mailUIURL() + "/api/messages")
		require.NoError(s.t, err)
		defer res.Body.Close()
		var items []devMailItem
		require.NoError(s.t, json.NewDecoder(res.Body).Decode(&items))
		return items
	}
}

// notificationDBs holds one database handle per system for the authorisation matrix, which records
// notifications directly: no workflow sends one to every actor at a moment the matrix could wait for.
var notificationDBs sync.Map // *system → *db.DB

// recordNotification stores a notification for user as the Notify activity would and returns its ID.
func (s *system) recordNotification(user string) string {
	d, ok := notificationDBs.Load(s)
	if !ok {
		d, _ = notificationDBs.LoadOrStore(s, s.openDB())
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	n, _, err := d.(*db.DB).RecordNotification(context.Background(), db.Notification{Key: "matrix/" + hex.EncodeToString(b),
		UserID: user, CaseID: "matrix-case", Kind: "reminder", Subject: "Påminnelse", Text: "Tidsgränsen går ut."})
	if err != nil {
		s.t.Errorf("record a notification for %s: %v", user, err)
	}
	return n.ID
}

// notificationReadRequest marks read: in the own situation a notification of the actor's (200), in
// the other unit's situation one of another user's (404), in the third one that does not exist (404).
func notificationReadRequest(m *matrix, a matrixActor, sit situation) matrixRequest {
	id := strings.Repeat("0", 32)
	switch sit {
	case own:
		id = m.s.recordNotification(a.user)
	case otherUnit:
		other := "maria.huvudman"
		if a.user == other {
			other = "anna.larare"
		}
		id = m.s.recordNotification(other)
	}
	return matrixRequest{path: "/api/v1/me/notifications/" + id + "/read", token: true}
}
