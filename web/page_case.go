package web

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// casePage is Ärendet, the case's hub at /arenden/{caseId} – the address of every notification
// mail: where the case is, its steps with their status and deadline, who takes part and why the
// user sees it, consent, deviations, and a button for each step the API offers the user now. The
// hub shows what the API answers and decides nothing: a case the user has no part in is the API's
// 404, and so the front end's.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request, sess *session) {
	c, err := s.api.Case(r.Context(), sess.AccessToken, r.PathValue("caseId"))
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	v := s.viewFor(r, sess, titled("Ärende "+c.CaseID), "")
	v.Page = s.hub(r.Context(), sess, c)
	s.render(w, r, http.StatusOK, "case.html", v)
}

type hubPage struct {
	Case     Case
	Phases   []phaseStep
	Steps    []stepRow
	Buttons  []actionButton
	Why      string
	Parties  []partyRow
	Consents []consentRow
	Scope    []string
	// Invitations are the summons' invitations and their answers (page_case_invitations.go).
	Invitations []invitationRow
	// Plan is the plan, its follow-ups, disagreements, placement and handovers (page_case_plan.go).
	Plan *planSection
	// AccessLog links the case's access log, which the API gives the supervisor of its named
	// person's unit (GET …/access-log); nobody else is shown a link that would be a 404.
	AccessLog string
}

type phaseStep struct {
	Name          string
	Current, Done bool
}

type actionButton struct{ Label, Href string }

type partyRow struct{ Who, Part string }

type consentRow struct {
	Party, Answer, When string
	Scope               []string
}

var casePhases = []string{"upptäcka", "kartlägga", "samarbeta", "uppföljning"}

func (s *Server) hub(ctx context.Context, sess *session, c Case) hubPage {
	p := hubPage{Case: c, Why: whyISee(sess, c)}
	reached := true
	for _, ph := range casePhases {
		current := c.Phase == ph
		if current {
			reached = false
		}
		p.Phases = append(p.Phases, phaseStep{Name: phaseLabel(ph), Current: current, Done: reached && c.Phase != ""})
	}
	p.Steps = caseSteps(c, s.now())
	for _, a := range c.Actions {
		if f, ok := formFor(a.Command); ok {
			p.Buttons = append(p.Buttons, button(c, f, a))
		}
	}
	p.Parties = s.parties(ctx, sess, c)
	p.Plan = planSectionOf(c)
	p.Invitations = s.invitationRows(ctx, sess, c)
	if sess.Role == "supervisor" && c.NamedPersonUnit != nil && c.NamedPersonUnit.ID == sess.Unit {
		p.AccessLog = casePage(c.CaseID, caseAccessLogPage)
	}
	if c.Consent != nil {
		for _, u := range c.Consent.Scope {
			p.Scope = append(p.Scope, s.unitName(ctx, sess, u))
		}
		for _, rec := range c.Consent.Records {
			p.Consents = append(p.Consents, s.consentRow(ctx, sess, rec))
		}
	}
	return p
}

// button is an offered action's button; one about one thing of several (a deviation) names it.
func button(c Case, f commandForm, a Action) actionButton {
	b := actionButton{Label: commandLabels[a.Command], Href: casePage(c.CaseID, f.Path)}
	if f.About != nil {
		target := actionTarget(c.CaseID, a)
		b.Label += ": " + f.About(c, target)
		b.Href = casePage(c.CaseID, f.Path, url.PathEscape(target))
	}
	return b
}

// whyISee says in words which part in the case lets the user read it. It only reads the case: the
// API decided that the user may.
func whyISee(sess *session, c Case) string {
	switch {
	case c.View == "reporter":
		return "Du ser bara det du själv har anmält."
	case c.Coordinator != nil && c.Coordinator.Coordinator.User == sess.User:
		return "Du ser ärendet eftersom du är barnets samordnare."
	case c.Assessor == sess.User && c.Delegation != nil:
		return "Du ser ärendet eftersom kartläggningen har lämnats över till dig."
	case c.NamedPersonUnit != nil && c.NamedPersonUnit.ID == sess.Unit && sess.Role == "supervisor":
		return "Du ser ärendet eftersom du är chef för enheten som är barnets bästa-ansvarig."
	case c.NamedPersonUnit != nil && c.NamedPersonUnit.ID == sess.Unit:
		return "Du ser ärendet eftersom din enhet är barnets bästa-ansvarig."
	}
	for _, part := range c.Participants {
		if part.Unit.ID == sess.Unit && part.Status == "active" {
			return "Du ser ärendet eftersom din enhet deltar i samverkan, med samtycke från barnet och vårdnadshavarna."
		}
	}
	return "Du ser ärendet eftersom du har del i det."
}

func (s *Server) parties(ctx context.Context, sess *session, c Case) []partyRow {
	var out []partyRow
	if c.NamedPersonUnit != nil {
		out = append(out, partyRow{Who: c.NamedPersonUnit.Name, Part: "Barnets bästa-ansvarig enhet"})
	}
	if c.Delegation != nil {
		name := c.Delegation.ToName
		if name == "" {
			name = c.Delegation.To
		}
		out = append(out, partyRow{Who: name, Part: "Kartlägger (utsedd av barnets bästa-ansvarig)"})
	}
	if c.Coordinator != nil {
		out = append(out, partyRow{Who: c.Coordinator.Coordinator.Name + ", " + s.unitName(ctx, sess, c.Coordinator.Coordinator.UnitID), Part: "Samordnare"})
		if o := c.Coordinator.PlanOwner; o != nil {
			out = append(out, partyRow{Who: o.Name + ", " + s.unitName(ctx, sess, o.UnitID), Part: "Planansvarig"})
		}
	}
	for _, part := range c.Participants {
		row := partyRow{Who: part.Unit.Name, Part: "Deltar i samverkan sedan " + formatDate(part.Since)}
		if part.Status == "removed" {
			row.Part = "Deltar inte längre: samtycket har återkallats"
		}
		out = append(out, row)
	}
	return out
}

var partyLabels = map[string]string{"guardian": "Vårdnadshavare", "child": "Barnet"}

func (s *Server) consentRow(ctx context.Context, sess *session, rec ConsentRecord) consentRow {
	row := consentRow{Party: labelOr(partyLabels, rec.Party), When: formatDate(rec.OccurredAt)}
	if rec.PartyName != "" {
		row.Party += " (" + rec.PartyName + ")"
	}
	switch {
	case rec.Revoked:
		row.Answer = "Återkallade samtycket"
	case rec.Given:
		row.Answer = "Gav samtycke"
	default:
		row.Answer = "Gav inte samtycke"
	}
	for _, u := range rec.Scope {
		row.Scope = append(row.Scope, s.unitName(ctx, sess, u))
	}
	return row
}

// stepRow is one step of the case in its task list, with its status in words.
type stepRow struct {
	ID, Name, Status, Class, Deadline string
}

// caseSteps lists the process's steps (docs/process.md §6) as the case records them.
func caseSteps(c Case, now time.Time) []stepRow {
	if c.View != "full" {
		return nil
	}
	assessed := c.Assessment != nil && c.Assessment.Completed != nil
	ownOrg := assessed && c.Assessment.Outcome == "own_organisation"
	established := false
	for _, pv := range c.Plans {
		established = established || pv.Status == "established"
	}
	type step struct {
		id, name      string
		done, started bool
		possible      bool
		notNeeded     bool
		deadlineKinds []string
	}
	steps := []step{
		{"acknowledge", "Ta emot ärendet", c.Acknowledged != nil, false, true, false, []string{"acknowledge"}},
		{"assess", "Kartlägg barnets situation", assessed, c.Assessment != nil, c.Acknowledged != nil, false, nil},
		{"ask_consent", "Inhämta samtycke", c.Consent != nil && c.Consent.Status == "given", c.Consent != nil, assessed, ownOrg, nil},
		{"summon", "Kalla till samverkansmöte", c.Summons != nil, false, c.Consent != nil && c.Consent.Status == "given", ownOrg, []string{"summons"}},
		{"hold_meeting", "Håll samverkansmöte", c.Meeting != nil, false, c.Summons != nil, ownOrg, []string{"meeting", "acute_meeting"}},
		{"appoint_coordinator", "Utse samordnare", c.Coordinator != nil, false, c.Meeting != nil, ownOrg, nil},
		{"propose_plan", "Upprätta plan (SIP)", established, len(c.Plans) > 0, c.Coordinator != nil, ownOrg, nil},
		{"follow_up", "Följ upp planen", c.Closed != nil && established, len(c.FollowUps) > 0, established, ownOrg, []string{"follow_up"}},
	}
	var out []stepRow
	for _, st := range steps {
		row := stepRow{ID: st.id, Name: st.name}
		var open *Deadline
		for i, d := range c.Deadlines {
			for _, k := range st.deadlineKinds {
				if d.Kind == k && d.Status == "open" {
					open = &c.Deadlines[i]
				}
			}
		}
		switch {
		case st.done:
			row.Status, row.Class = "Klart", "done"
		case st.notNeeded:
			row.Status, row.Class = "Behövs inte", "waiting"
		case open != nil && now.After(open.DueAt):
			row.Status, row.Class = "Försenat", "late"
		case st.started:
			row.Status, row.Class = "Pågår", "todo"
		case st.possible && c.Closed == nil:
			row.Status, row.Class = "Att göra", "todo"
		default:
			row.Status, row.Class = "Kan inte börja än", "waiting"
		}
		if open != nil && !st.done {
			row.Deadline = capitalise(deadlineText(open.DueAt, now))
		}
		out = append(out, row)
	}
	return out
}
