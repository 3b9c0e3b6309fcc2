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
// catcher, in the case of a five-year-old at the preschool (summonedCase): the preschool's named
// person is told of the new case; the summons tells each invited agency once, in the app and by mail,
// with the meeting's time and nothing about the child – BVC's named person, and the representatives
// (participants) of social services and BUP, which have no named persons; each answers – accept,
// decline with a reason, propose another person – from the task in its inbox, and the case shows the
// answers; a meeting dated before the summoned time is refused naming occurredAt; the preschool
// itself attends and decides; the coordinator and the plan owner are told of their appointment.
// Every child here is invented.
func TestSummonedAgenciesAreToldAndAnswer(t *testing.T) {
	s := newSystem(t)
	s.start()
	gustav, johanna := s.token("gustav.forskola"), s.token("johanna.bvc")
	frida, cecilia := s.token("frida.bup"), s.tokenFor("cecilia.socialsekreterare", "norrkoping-socialtjanst")
	const childName = "Kallebarn Påhittad"
	caseID, pnr, meetingAt := s.summonedCase(childName, 975)
	secrets := []string{pnr, strings.ReplaceAll(pnr, "-", ""), childName, "Kallebarn", "Lärkängens förskola, rum 2"}

	t.Run("the named person is told of the new case, once in the app and once by mail", func(t *testing.T) {
		n := s.awaitNotifications(gustav, caseID, "new_case", 1)[0]
		require.Contains(t, n.Text, "Ta emot det senast")
		s.requireOneMailEach(caseID, "Nytt ärende "+caseID+" att ta emot", []string{"gustav.forskola@"}, secrets)
	})

	t.Run("each invited agency is told once, with the meeting's time: its named persons or its representatives", func(t *testing.T) {
		for _, token := range []string{johanna, frida, cecilia} {
			n := s.awaitNotifications(token, caseID, "summoned", 1)[0]
			require.Contains(t, n.Text, meetingAt.Format("2006-01-02 15:04"))
		}
		s.requireOneMailEach(caseID, "Kallelse till samverkansmöte i ärende "+caseID,
			[]string{"johanna.bvc@", "frida.bup@", "cecilia.socialsekreterare@"}, secrets)
	})

	answerPath := func(unit string) string { return "summons/invitations/" + unit + "/answer" }
	t.Run("each agency answers its invitation from its inbox", func(t *testing.T) {
		require.True(t, s.myTasks(frida).has(caseID, "answer_invitation"), "BUP has the invitation in its inbox")
		require.True(t, s.myTasks(johanna).has(caseID, "answer_invitation"), "and so has BVC")
		_, c := s.readInvited(frida, caseID)
		require.True(t, c.offers("answerInvitation", "/api/v1/cases/"+caseID+"/summons/invitations/norrkoping-bup/answer"))
		require.False(t, c.offers("answerInvitation", "/api/v1/cases/"+caseID+"/summons/invitations/norrkoping-socialtjanst/answer"),
			"BUP answers for BUP only")

		status, _, p := s.act(gustav, "POST", caseID, answerPath("norrkoping-bup"), map[string]any{"response": "accept"})
		require.Equal(t, http.StatusForbidden, status, "the named person does not answer for BUP: %+v", p)
		status, _, _ = s.act(frida, "POST", caseID, answerPath("norrkoping-polis"), map[string]any{"response": "accept"})
		require.Equal(t, http.StatusNotFound, status, "an invitation the case does not have")
		status, _, p = s.act(cecilia, "POST", caseID, answerPath("norrkoping-socialtjanst"), map[string]any{"response": "decline"})
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"reason"}, fieldsOf(p))

		s.mustAct(frida, "POST", caseID, answerPath("norrkoping-bup"), map[string]any{"response": "accept"})
		s.mustAct(cecilia, "POST", caseID, answerPath("norrkoping-socialtjanst"),
			map[string]any{"response": "decline", "reason": "Ingen handläggare kan den dagen; vi skickar underlag."})
		s.mustAct(johanna, "POST", caseID, answerPath("norrkoping-bvc-1"),
			map[string]any{"response": "propose_other", "proposedPerson": map[string]any{"user": "karin.verksamhetschef"}})
		require.False(t, s.myTasks(frida).has(caseID, "answer_invitation"), "answered: the task is done")

		_, c = s.readInvited(gustav, caseID)
		response, _, _ := c.answerOf("norrkoping-bup")
		require.Equal(t, "accept", response)
		response, reason, _ := c.answerOf("norrkoping-socialtjanst")
		require.Equal(t, "decline", response)
		require.Contains(t, reason, "Ingen handläggare")
		response, _, proposed := c.answerOf("norrkoping-bvc-1")
		require.Equal(t, "propose_other", response)
		require.Equal(t, "karin.verksamhetschef", proposed)
	})

	t.Run("a meeting dated before the summoned time is refused naming occurredAt", func(t *testing.T) {
		status, _, p := s.act(gustav, "POST", caseID, "meeting", meetingAtBody(meetingAt.Add(-time.Hour)))
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, []string{"occurredAt"}, fieldsOf(p))
	})

	t.Run("the preschool itself attends and decides like every agency", func(t *testing.T) {
		status, c, p := sendCommand[invitedCase](s, gustav, "POST", caseID, "meeting", "", meetingAtBody(meetingAt), http.DefaultClient)
		require.Equal(t, http.StatusOK, status, "%+v", p)
		require.Contains(t, c.Meeting.Attendance, struct {
			Participant string
			Present     bool
		}{"norrkoping-forskola-1", true})
		require.Equal(t, "norrkoping-forskola-1", c.Meeting.Decisions[0].UnitID)
		for _, inv := range c.Summons.Invitations {
			want := map[string]string{"norrkoping-bup": "attended", "norrkoping-bvc-1": "attended", "norrkoping-socialtjanst": "absent"}[inv.Participant]
			if want != "" {
				require.Equal(t, want, inv.Status, inv.Participant)
			}
		}
	})

	t.Run("the coordinator and the plan owner are told of their appointment", func(t *testing.T) {
		s.mustAct(gustav, "POST", caseID, "coordinator", map[string]any{"occurredAt": rfc3339(meetingAt.Add(time.Hour)),
			"childNotAskedWhy": "Barnet är fem år; vårdnadshavaren tillfrågades.", "coordinator": map[string]any{"user": "gustav.forskola"},
			"planOwner": map[string]any{"user": "cecilia.socialsekreterare"}})
		require.Contains(t, s.awaitNotifications(gustav, caseID, "appointed", 1)[0].Subject, "samordnare")
		require.Contains(t, s.awaitNotifications(cecilia, caseID, "appointed", 1)[0].Subject, "planansvarig")
		s.requireOneMailEach(caseID, "Du är samordnare i ärende "+caseID, []string{"gustav.forskola@"}, secrets)
		s.requireOneMailEach(caseID, "Du är planansvarig i ärende "+caseID, []string{"cecilia.socialsekreterare@"}, secrets)
	})

	t.Run("the timeline tells the answers", func(t *testing.T) {
		var tl struct{ Events []struct{ Kind, Text string } }
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+caseID+"/timeline", gustav, nil, &tl))
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

// summonedCase is a five-year-old's case at the Norrköping preschool, reported by anna.larare (who
// teaches an older sibling) two days ago: taken by the preschool's named person gustav.forskola,
// assessed, consented to by the guardian for BVC, social services and BUP, and summoned to a meeting
// yesterday at 13:00 in "Lärkängens förskola, rum 2". It returns the case ID, the child's personal
// number and the meeting's time.
func (s *system) summonedCase(childName string, serial int) (caseID, pnr string, meetingAt time.Time) {
	s.t.Helper()
	gustav := s.token("gustav.forskola")
	birth := birthDateForAge(5)
	pnr = syntheticPersonalNumber(birth, serial)
	concern := map[string]any{
		"child": map[string]any{"personalNumber": pnr, "name": childName, "birthDate": birth.Format(time.DateOnly), "municipality": "norrkoping",
			"schooling": map[string]any{"status": "preschool", "unitId": "norrkoping-forskola-1"}},
		"areas": []string{"hälsa"}, "observation": "Har slutat äta på förskolan.", "suspectsHarm": false, "occurredAt": rfc3339(localDay(-2, 9, 0)),
	}
	created := s.concernCase(s.token("anna.larare"), concern)
	require.Equal(s.t, "norrkoping-forskola-1", created.NamedPersonUnit.ID)
	caseID = created.CaseID
	scope := []string{"norrkoping-bvc-1", "norrkoping-socialtjanst", "norrkoping-bup"}
	s.mustAct(gustav, "POST", caseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-2, 10, 0))})
	s.mustAct(gustav, "PUT", caseID, "assessment", withFields(map[string]any{"occurredAt": rfc3339(localDay(-2, 11, 0))}, assessmentBody()))
	s.mustAct(gustav, "POST", caseID, "assessment/completion", map[string]any{"occurredAt": rfc3339(localDay(-2, 12, 0)),
		"outcome": "collaboration", "proposedAgencies": scope, "relevantAreas": []string{"hälsa"}})
	s.mustAct(gustav, "POST", caseID, "consents", withFields(map[string]any{"occurredAt": rfc3339(localDay(-2, 13, 0))},
		consentBody("Vårdnadshavare Ett Påhittad", scope)))
	meetingAt = localDay(-1, 13, 0)
	s.mustAct(gustav, "POST", caseID, "summons", map[string]any{"occurredAt": rfc3339(localDay(-2, 14, 0)),
		"meetingAt": rfc3339(meetingAt), "place": "Lärkängens förskola, rum 2", "agencies": scope, "inviteChild": false, "inviteGuardians": true})
	return caseID, pnr, meetingAt
}

// meetingAtBody is the meeting of TestSummonedAgenciesAreToldAndAnswer, held at: the preschool, BUP
// and BVC present, and the preschool deciding for itself.
func meetingAtBody(at time.Time) map[string]any {
	return map[string]any{"occurredAt": rfc3339(at),
		"attendance": []map[string]any{{"participant": "norrkoping-forskola-1", "present": true},
			{"participant": "norrkoping-bup", "present": true}, {"participant": "norrkoping-bvc-1", "present": true}},
		"commonPicture": "Barnet behöver stöd kring maten på förskolan.",
		"decisions": []map[string]any{{"unitId": "norrkoping-forskola-1", "decision": "Pedagogen följer upp lunchen varje dag."},
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
