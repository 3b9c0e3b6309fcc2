package main

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// invitedCase is the case as the invitation tests read it: the summons with its answers.
type invitedCase struct {
	processCase
	Summons *struct {
		MeetingAt   string
		Invitations []struct {
			Participant, Status string
			Answer              *struct {
				Response, Reason string
				ProposedPerson   *personBody
				By               struct{ User, Unit string }
			}
		}
	}
	Meeting *struct {
		Attendance []struct {
			Participant string
			Present     bool
		}
		Decisions []struct{ UnitID, Decision string }
	}
	Actions []struct{ Command, Method, Path string }
}

func (c invitedCase) answerOf(unit string) (response, reason, proposed string) {
	for _, inv := range c.Summons.Invitations {
		if inv.Participant == unit && inv.Answer != nil {
			if inv.Answer.ProposedPerson != nil {
				proposed = inv.Answer.ProposedPerson.User
			}
			return inv.Answer.Response, inv.Answer.Reason, proposed
		}
	}
	return "", "", ""
}

func (c invitedCase) offers(command, path string) bool {
	for _, a := range c.Actions {
		if a.Command == command && a.Path == path {
			return true
		}
	}
	return false
}

// TestSummonedAgenciesAreToldAndAnswer walks issue 14's newcomer path through HTTP with the dev mail
// catcher: the school's named person is told of the new case; the summons tells each invited agency's
// representatives (BUP, social services and the school health team, which have no named persons)
// once, in the app and by mail, with the meeting's time and nothing about the child; each answers –
// accept, decline with a reason, propose another person – from the task in its inbox, and the case
// shows the answers; a meeting dated before the summoned time is refused naming occurredAt; the
// school itself attends and decides; the coordinator and the plan owner are told of their
// appointment. Every child here is invented.
func TestSummonedAgenciesAreToldAndAnswer(t *testing.T) {
	s := newSystem(t)
	s.start()
	bertil := s.token("bertil.rektor")
	frida, cecilia := s.token("frida.bup"), s.tokenFor("cecilia.socialsekreterare", "norrkoping-socialtjanst")
	nora := s.tokenFor("nora.elevhalsa", "norrkoping-elevhalsa")
	const childName = "Kallebarn Påhittad"
	caseID, pnr, meetingAt := s.summonedCase(childName, 975)
	secrets := []string{pnr, strings.ReplaceAll(pnr, "-", ""), childName, "Kallebarn", "Lärkängsskolan, rum 12"}

	t.Run("the named person is told of the new case, once in the app and once by mail", func(t *testing.T) {
		n := s.awaitNotifications(bertil, caseID, "new_case", 1)[0]
		require.Contains(t, n.Text, "Ta emot det senast")
		s.requireOneMailEach(caseID, "Nytt ärende "+caseID+" att ta emot", []string{"bertil.rektor@"}, secrets)
	})

	t.Run("each invited agency's representatives are told once, with the meeting's time", func(t *testing.T) {
		for _, token := range []string{frida, cecilia, nora} {
			n := s.awaitNotifications(token, caseID, "summoned", 1)[0]
			require.Contains(t, n.Text, meetingAt.Format("2006-01-02 15:04"))
		}
		s.requireOneMailEach(caseID, "Kallelse till samverkansmöte i ärende "+caseID,
			[]string{"frida.bup@", "cecilia.socialsekreterare@", "nora.elevhalsa@"}, secrets)
	})

	answerPath := func(unit string) string { return "summons/invitations/" + unit + "/answer" }
	t.Run("each agency answers its invitation from its inbox", func(t *testing.T) {
		require.True(t, s.myTasks(frida).has(caseID, "answer_invitation"), "BUP has the invitation in its inbox")
		_, c := s.readInvited(frida, caseID)
		require.True(t, c.offers("answerInvitation", "/api/v1/cases/"+caseID+"/summons/invitations/norrkoping-bup/answer"))
		require.False(t, c.offers("answerInvitation", "/api/v1/cases/"+caseID+"/summons/invitations/norrkoping-socialtjanst/answer"),
			"BUP answers for BUP only")

		status, _, p := s.act(bertil, "POST", caseID, answerPath("norrkoping-bup"), map[string]any{"response": "accept"})
		require.Equal(t, http.StatusForbidden, status, "the named person does not answer for BUP: %+v", p)
		status, _, _ = s.act(frida, "POST", caseID, answerPath("norrkoping-polis"), map[string]any{"response": "accept"})
		require.Equal(t, http.StatusNotFound, status, "an invitation the case does not have")
		status, _, p = s.act(cecilia, "POST", caseID, answerPath("norrkoping-socialtjanst"), map[string]any{"response": "decline"})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"reason"}, fieldsOf(p))

		s.mustAct(frida, "POST", caseID, answerPath("norrkoping-bup"), map[string]any{"response": "accept"})
		s.mustAct(cecilia, "POST", caseID, answerPath("norrkoping-socialtjanst"),
			map[string]any{"response": "decline", "reason": "Ingen handläggare kan den dagen; vi skickar underlag."})
		s.mustAct(nora, "POST", caseID, answerPath("norrkoping-elevhalsa"),
			map[string]any{"response": "propose_other", "proposedPerson": map[string]any{"user": "karin.verksamhetschef"}})
		require.False(t, s.myTasks(frida).has(caseID, "answer_invitation"), "answered: the task is done")

		_, c = s.readInvited(bertil, caseID)
		response, _, _ := c.answerOf("norrkoping-bup")
		require.Equal(t, "accept", response)
		response, reason, _ := c.answerOf("norrkoping-socialtjanst")
		require.Equal(t, "decline", response)
		require.Contains(t, reason, "Ingen handläggare")
		response, _, proposed := c.answerOf("norrkoping-elevhalsa")
		require.Equal(t, "propose_other", response)
		require.Equal(t, "karin.verksamhetschef", proposed)
	})

	t.Run("a meeting dated before the summoned time is refused naming occurredAt", func(t *testing.T) {
		status, _, p := s.act(bertil, "POST", caseID, "meeting", meetingAtBody(meetingAt.Add(-time.Hour)))
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"occurredAt"}, fieldsOf(p))
	})

	t.Run("the school itself attends and decides like every agency", func(t *testing.T) {
		status, c, p := sendCommand[invitedCase](s, bertil, "POST", caseID, "meeting", "", meetingAtBody(meetingAt), http.DefaultClient)
		require.Equal(t, http.StatusOK, status, "%+v", p)
		require.Contains(t, c.Meeting.Attendance, struct {
			Participant string
			Present     bool
		}{"norrkoping-skola-1", true})
		require.Equal(t, "norrkoping-skola-1", c.Meeting.Decisions[0].UnitID)
		for _, inv := range c.Summons.Invitations {
			want := map[string]string{"norrkoping-bup": "attended", "norrkoping-elevhalsa": "attended", "norrkoping-socialtjanst": "absent"}[inv.Participant]
			if want != "" {
				require.Equal(t, want, inv.Status, inv.Participant)
			}
		}
	})

	t.Run("the coordinator and the plan owner are told of their appointment", func(t *testing.T) {
		s.mustAct(bertil, "POST", caseID, "coordinator", map[string]any{"occurredAt": rfc3339(meetingAt.Add(time.Hour)),
			"childWish": map[string]any{"user": "nora.elevhalsa"}, "coordinator": map[string]any{"user": "nora.elevhalsa"},
			"planOwner": map[string]any{"user": "cecilia.socialsekreterare"}})
		require.Contains(t, s.awaitNotifications(nora, caseID, "appointed", 1)[0].Subject, "samordnare")
		require.Contains(t, s.awaitNotifications(cecilia, caseID, "appointed", 1)[0].Subject, "planansvarig")
		s.requireOneMailEach(caseID, "Du är samordnare i ärende "+caseID, []string{"nora.elevhalsa@"}, secrets)
		s.requireOneMailEach(caseID, "Du är planansvarig i ärende "+caseID, []string{"cecilia.socialsekreterare@"}, secrets)
	})

	t.Run("the timeline tells the answers", func(t *testing.T) {
		var tl struct{ Events []struct{ Kind, Text string } }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID+"/timeline", bertil, nil, &tl))
		var answers []string
		for _, e := range tl.Events {
			if e.Kind == "invitation_answered" {
				answers = append(answers, e.Text)
			}
		}
		require.Len(t, answers, 3)
		require.Contains(t, strings.Join(answers, " "), "tackade nej")
	})
	s.recordHistory("case-"+caseID[:26], "invitations_answered")
	s.stop()
}

// summonedCase is a ten-year-old's case at the Norrköping school, reported by anna.larare two days
// ago: taken, assessed, consented to by the guardian for BUP, social services and the school health
// team, and summoned to a meeting yesterday at 13:00 in "Lärkängsskolan, rum 12". It returns the case
// ID, the child's personal number and the meeting's time.
func (s *system) summonedCase(childName string, serial int) (caseID, pnr string, meetingAt time.Time) {
	s.t.Helper()
	bertil := s.token("bertil.rektor")
	concern := childConcern(childName, birthDateForAge(10), serial, "4", []string{"hälsa"}, "Har slutat äta i skolan.", false, localDay(-2, 9, 0))
	var created caseBody
	require.Equal(s.t, http.StatusCreated, s.call("POST", "/api/v1/concerns", s.token("anna.larare"), concern, &created))
	caseID = created.CaseID
	scope := []string{"norrkoping-bup", "norrkoping-socialtjanst", "norrkoping-elevhalsa"}
	s.mustAct(bertil, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 10, 0))})
	s.mustAct(bertil, "PUT", caseID, "assessment", withFields(map[string]any{"occurredAt": rfc3339(localDay(-2, 11, 0))}, assessmentBody()))
	s.mustAct(bertil, "POST", caseID, "assessment/completion", map[string]any{"occurredAt": rfc3339(localDay(-2, 12, 0)),
		"outcome": "collaboration", "proposedAgencies": scope, "relevantAreas": []string{"hälsa"}})
	s.mustAct(bertil, "POST", caseID, "consents", withFields(map[string]any{"occurredAt": rfc3339(localDay(-2, 13, 0))},
		consentBody("Vårdnadshavare Ett Påhittad", scope)))
	meetingAt = localDay(-1, 13, 0)
	s.mustAct(bertil, "POST", caseID, "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 14, 0)),
		"meetingAt": rfc3339(meetingAt), "place": "Lärkängsskolan, rum 12", "agencies": scope, "inviteChild": true, "inviteGuardians": true})
	return caseID, concern["child"].(map[string]any)["personalNumber"].(string), meetingAt
}

// meetingAtBody is the meeting of TestSummonedAgenciesAreToldAndAnswer, held at: every agency
// present, and the school deciding for itself.
func meetingAtBody(at time.Time) map[string]any {
	return map[string]any{"occurredAt": rfc3339(at),
		"attendance": []map[string]any{{"participant": "norrkoping-skola-1", "present": true},
			{"participant": "norrkoping-bup", "present": true}, {"participant": "norrkoping-elevhalsa", "present": true}},
		"commonPicture": "Barnet behöver stöd kring maten i skolan.",
		"decisions": []map[string]any{{"unitId": "norrkoping-skola-1", "decision": "Elevhälsan och mentorn följer upp lunchen varje vecka."},
			{"unitId": "norrkoping-bup", "decision": "Bedömningssamtal."}}}
}

// withFields is body with the fields of extra added.
func withFields(extra, body map[string]any) map[string]any {
	for k, v := range extra {
		body[k] = v
	}
	return body
}

// notificationItem is one notification of notificationList.
type notificationItem = struct {
	ID, CaseID, Kind, Subject, Text string
	DeadlineKind                    *string
	ReadAt                          *string
}

func (s *system) readInvited(token, caseID string) (int, invitedCase) {
	s.t.Helper()
	var c invitedCase
	status := s.call("GET", "/api/v1/cases/"+caseID, token, nil, &c)
	return status, c
}

// awaitNotifications waits until the caller has n notifications of kind about the case, and checks
// that no more come with them.
func (s *system) awaitNotifications(token, caseID, kind string, n int) []notificationItem {
	s.t.Helper()
	var found []notificationItem
	require.Eventually(s.t, func() bool {
		var list notificationList
		require.Equal(s.t, http.StatusOK, s.call("GET", "/api/v1/me/notifications?limit=200", token, nil, &list))
		found = found[:0]
		for _, it := range list.Items {
			if it.CaseID == caseID && it.Kind == kind {
				found = append(found, it)
			}
		}
		return len(found) >= n
	}, 60*time.Second, 200*time.Millisecond, "no %s notification", kind)
	require.Len(s.t, found, n)
	return found
}

// requireOneMailEach waits for the mails with the subject and checks that each recipient got exactly
// one, holding the case's link and none of the secrets.
func (s *system) requireOneMailEach(caseID, subject string, to, secrets []string) {
	s.t.Helper()
	inbox := s.mailInbox()
	var mails []devMailItem
	require.Eventually(s.t, func() bool {
		mails = mails[:0]
		for _, m := range inbox() {
			if m.Subject == subject {
				mails = append(mails, m)
			}
		}
		return len(mails) >= len(to)
	}, 60*time.Second, 200*time.Millisecond, "the mails %q", subject)
	require.Len(s.t, mails, len(to), "one mail for each recipient, no more")
	for _, want := range to {
		got := 0
		for _, m := range mails {
			if strings.Contains(m.To, want) {
				got++
				subjectAndBody := s.mailText(m.ID)
				require.Contains(s.t, subjectAndBody, "/arenden/"+caseID)
				for _, secret := range secrets {
					require.NotContains(s.t, subjectAndBody, secret, "the mail holds nothing about the child")
				}
			}
		}
		require.Equal(s.t, 1, got, "mails %q to %s", subject, want)
	}
}

// mailText is a caught mail's decoded subject and text.
func (s *system) mailText(id string) string {
	s.t.Helper()
	res, err := http.Get(s.mailUIURL() + "/messages/" + id + "/raw")
	require.NoError(s.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(s.t, err)
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	require.NoError(s.t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(s.t, err)
	return subject + "\n" + string(raw) + "\n" + string(body)
}
