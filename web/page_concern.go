package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// Anmäl oro: the form, then the answers to check (GOV.UK "check answers"), then the API, then a
// receipt. Every step is a POST of the same form to /oro/ny with its action; the values travel in
// the page, so nothing is stored before the user sends it.
const (
	concernActionCheck  = "granska"
	concernActionChange = "andra"
	concernActionSend   = "skicka"
)

// concernFields maps the request's JSON paths to the form's fields.
var concernFields = map[string]formField{
	"child":                  {ID: "child-pnr", Label: "Personnummer"},
	"child.name":             {ID: "child-name", Label: "Barnets namn"},
	"child.personalNumber":   {ID: "child-pnr", Label: "Personnummer"},
	"child.reserveNumber":    {ID: "child-reserve", Label: "Reservnummer"},
	"child.birthDate":        {ID: "child-birthdate", Label: "Födelsedatum"},
	"child.municipality":     {ID: "child-municipality", Label: "Hemkommun"},
	"child.schooling":        {ID: "schooling-status", Label: "Förskola eller skola"},
	"child.schooling.status": {ID: "schooling-status", Label: "Förskola eller skola"},
	"child.schooling.unitId": {ID: "schooling-unit", Label: "Förskola eller skola som barnet går i"},
	"child.schooling.grade":  {ID: "schooling-grade", Label: "Årskurs"},
	"areas":                  {ID: "areas", Label: "Områden"},
	"observation":            {ID: "observation", Label: "Det du har sett eller hört"},
	"suspectsHarm":           {ID: "suspects-harm", Label: "Misstänker du att barnet far illa?"},
	"occurredAt":             {ID: "occurred-date", Label: "När såg eller hörde du det?"},
}

type concernPage struct {
	Form      *form
	Units     []unitGroup
	Areas     []areaChoice
	Schooling []choice
	Munis     []choice
	Check     []checkRow // the answers to check; nil on the form itself
}

type unitGroup struct {
	Label string
	Units []Unit
}

type choice struct{ Value, Label string }

type areaChoice struct{ Value, Hint string }

type checkRow struct{ Label, Value string }

// wheelHints say what each area of the wellbeing wheel covers (docs/process.md §4), as the form explains it.
var wheelHints = map[string]string{
	"hälsa": "kropp och psyke, sömn, mat", "utveckling": "att utvecklas efter sin ålder", "lärande": "skola, närvaro, studier",
	"omsorg": "att få det man behöver hemma", "hemmet": "hur det är hemma och i familjen", "relationer": "kompisar, vuxna, ensamhet",
	"trygghet": "att vara skyddad från våld och kränkningar",
}

// concernForm is GET /oro/ny: the empty form, or what was typed before a new login.
func (s *Server) concernForm(w http.ResponseWriter, r *http.Request, sess *session) {
	f := newForm(sess)
	if draft, ok := sess.takeDraft(r.URL.Path); ok {
		f.Values, f.Restored = draft, true
		if k := draft.Get(fieldIdempotencyKey); validToken(k) {
			f.IdempotencyKey = k
		}
		_ = s.sessions.save(r.Context(), w, sess)
	} else {
		now := s.now().In(casework.Stockholm)
		f.Values.Set("occurred-date", now.Format(time.DateOnly))
		f.Values.Set("occurred-time", now.Format("15:04"))
	}
	s.renderConcern(w, r, sess, f, nil, http.StatusOK)
}

// concernPost is POST /oro/ny: check the answers, go back to change them, or send.
func (s *Server) concernPost(w http.ResponseWriter, r *http.Request, sess *session) {
	f := postedForm(r, sess)
	action := r.PostForm.Get("action")
	if action == concernActionChange {
		s.renderConcern(w, r, sess, f, nil, http.StatusOK)
		return
	}
	req, ok := s.concernRequest(f)
	if !ok {
		s.renderConcern(w, r, sess, f, nil, http.StatusBadRequest)
		return
	}
	if action != concernActionSend {
		s.renderConcern(w, r, sess, f, s.checkRows(r, sess, f, req), http.StatusOK)
		return
	}
	result, err := s.api.RegisterConcern(r.Context(), sess.AccessToken, f.IdempotencyKey, req)
	var p *Problem
	switch {
	case err == nil:
	case errors.As(err, &p) && (p.Status == http.StatusBadRequest || p.Status == http.StatusUnprocessableEntity ||
		p.Status == http.StatusConflict || p.Status == http.StatusForbidden):
		f.addProblem(p, concernFields)
		s.renderConcern(w, r, sess, f, nil, p.Status)
		return
	default:
		if p, later := tryAgainLater(err); later {
			// A long observation must not be lost to a busy moment: the check page again, ready to send.
			f.keepForLater(p)
			s.renderConcern(w, r, sess, f, s.checkRows(r, sess, f, req), p.Status)
			return
		}
		s.apiFailed(w, r, sess, err)
		return
	}
	sess.Receipt = &receipt{Role: result.ReceivedBy.Role, DueAt: result.AcknowledgeBy, SuspectsHarm: req.SuspectsHarm}
	if err := s.sessions.save(r.Context(), w, sess); err != nil {
		s.errorPage(w, r, sess, http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, pathConcernDone, http.StatusSeeOther)
}

func (s *Server) renderConcern(w http.ResponseWriter, r *http.Request, sess *session, f *form, check []checkRow, status int) {
	units, err := s.directory(r.Context(), sess)
	if err != nil {
		s.apiFailed(w, r, sess, err)
		return
	}
	p := concernPage{Form: f, Check: check, Units: schoolUnits(units)}
	for _, a := range casework.WheelAreas {
		p.Areas = append(p.Areas, areaChoice{Value: string(a), Hint: wheelHints[string(a)]})
	}
	for _, st := range []string{"preschool", "school", "upper_secondary_home_county", "upper_secondary_other_county",
		"not_started_upper_secondary", "left_upper_secondary", "none"} {
		p.Schooling = append(p.Schooling, choice{st, schoolingLabel(st)})
	}
	p.Munis = municipalityChoices(units)
	title := "Anmäl oro för ett barn"
	if check != nil {
		title = "Kontrollera din anmälan"
	}
	v := s.viewFor(r, sess, titled(title), "oro")
	v.Errors, v.Page = f.HasErrors(), p
	s.render(w, r, status, "concern.html", v)
}

// schoolUnits are the units a child may attend, grouped by municipality and kind for the list.
func schoolUnits(units []Unit) []unitGroup {
	return groupUnits(units, func(u Unit) bool { return u.Kind == "preschool" || u.Kind == "school" || u.Kind == "upper_secondary" })
}

// receipt is what the receipt page shows of the API's answer to a concern.
type receipt struct {
	Role         string     `json:"role"` // who takes it, by role: the API names no unit to a reporter
	DueAt        *time.Time `json:"dueAt,omitempty"`
	SuspectsHarm bool       `json:"suspectsHarm"`
}

// concernReceipt is the receipt: who takes the concern, by role, and by when – what the API answered,
// and nothing more (a reporter is told neither whether the child already had a case, nor its number,
// nor the child's school).
func (s *Server) concernReceipt(w http.ResponseWriter, r *http.Request, sess *session) {
	if sess.Receipt == nil {
		http.Redirect(w, r, pathNewConcern, http.StatusSeeOther)
		return
	}
	role := sess.Receipt.Role
	if role == "" { // the full answer to a caller who had the case already (ConcernReceipt)
		role = "named_person"
	}
	p := struct {
		Role, Deadline string
		SuspectsHarm   bool
	}{Role: capitalise(roleLabel(role)), SuspectsHarm: sess.Receipt.SuspectsHarm}
	if due := sess.Receipt.DueAt; due != nil {
		p.Deadline = deadlineText(*due, s.now())
	}
	v := s.viewFor(r, sess, titled("Din oro är mottagen"), "oro")
	v.Page = p
	s.render(w, r, http.StatusOK, "concern_receipt.html", v)
}
