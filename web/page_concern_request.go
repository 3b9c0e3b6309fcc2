package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// concernRequest reads the form into the API's request. It checks what the form can check at once –
// everything is filled in, the personal number is one (in any common spelling) – so that the user
// fixes these before the answers are shown; every rule of the case (the target group, the unit's
// kind, the routing) is the API's, and its 400 comes back at the fields.
func (s *Server) concernRequest(f *form) (ConcernRequest, bool) {
	today := s.now().In(casework.Stockholm)
	req := ConcernRequest{Observation: f.Value("observation"), Areas: f.Values["areas"]}
	c := &req.Child
	c.Name, c.Municipality, c.BirthDate = f.Value("child-name"), f.Value("child-municipality"), f.Value("child-birthdate")
	c.Schooling = Schooling{Status: f.Value("schooling-status"), Grade: f.Value("schooling-grade")}
	if c.Name == "" {
		f.Add("child-name", "Barnets namn", "skriv barnets för- och efternamn")
	}
	pnr, reserve := f.Value("child-pnr"), f.Value("child-reserve")
	switch {
	case pnr != "" && reserve != "":
		f.Add("child-pnr", "Personnummer", "ange antingen personnummer eller reservnummer, inte båda")
	case pnr != "":
		parsed, err := casework.ParsePersonalNumber(pnr, today)
		if err != nil {
			f.Add("child-pnr", "Personnummer", err.Error())
			break
		}
		c.PersonalNumber = parsed.String()
		if c.BirthDate == "" {
			c.BirthDate = parsed.BirthDate().Format(time.DateOnly)
			f.Values.Set("child-birthdate", c.BirthDate)
		}
	case reserve != "":
		c.ReserveNumber = reserve
	default:
		f.Add("child-pnr", "Personnummer", "skriv barnets personnummer, eller reservnummer om barnet saknar personnummer")
	}
	// Without any number the personal number's error says what to do; the birth date is asked for
	// only when it cannot come from the personal number.
	if _, err := time.Parse(time.DateOnly, c.BirthDate); err != nil && (c.BirthDate != "" || reserve != "") {
		f.Add("child-birthdate", "Födelsedatum", "skriv födelsedatumet som ÅÅÅÅ-MM-DD")
	}
	if c.Municipality == "" {
		f.Add("child-municipality", "Hemkommun", "välj barnets hemkommun")
	}
	switch {
	case c.Schooling.Status == "":
		f.Add("schooling-status", "Förskola eller skola", "välj var barnet går")
	case casework.SchoolingStatus(c.Schooling.Status).NeedsUnit():
		if c.Schooling.UnitID = f.Value("schooling-unit"); c.Schooling.UnitID == "" {
			f.Add("schooling-unit", "Förskola eller skola som barnet går i", "välj förskolan eller skolan")
		}
	}
	if len(req.Areas) == 0 {
		f.Add("areas", "Områden", "välj minst ett område som oron gäller")
	}
	if req.Observation == "" {
		f.Add("observation", "Det du har sett eller hört", "beskriv vad du har sett eller hört")
	}
	switch f.Value("suspects-harm") {
	case "ja":
		req.SuspectsHarm = true
	case "nej":
	default:
		f.Add("suspects-harm", "Misstänker du att barnet far illa?", "svara ja eller nej")
	}
	req.OccurredAt, _ = businessTime(f, "occurred", "När såg eller hörde du det?")
	return req, !f.HasErrors()
}

// checkRows are the answers as the check page lists them.
func (s *Server) checkRows(r *http.Request, sess *session, f *form, req ConcernRequest) []checkRow {
	c := req.Child
	identity := c.PersonalNumber
	if identity == "" {
		identity = "Reservnummer " + c.ReserveNumber
	}
	school := schoolingLabel(c.Schooling.Status)
	if c.Schooling.UnitID != "" {
		school += ": " + s.unitName(r.Context(), sess, c.Schooling.UnitID)
	}
	if c.Schooling.Grade != "" {
		school += ", årskurs " + c.Schooling.Grade
	}
	harm := "Nej"
	if req.SuspectsHarm {
		harm = "Ja"
	}
	at, _ := time.Parse(time.RFC3339, req.OccurredAt)
	return []checkRow{
		{"Barnets namn", c.Name}, {"Personnummer", identity}, {"Födelsedatum", c.BirthDate},
		{"Hemkommun", municipalityName(c.Municipality)}, {"Förskola eller skola", school},
		{"Områden", strings.Join(req.Areas, ", ")}, {"Det du har sett eller hört", req.Observation},
		{"Misstänker du att barnet far illa?", harm}, {"När", formatDateTime(at)},
	}
}
