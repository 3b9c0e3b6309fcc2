package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
)

// concernRequest is the body of POST /api/v1/concerns (docs/process.md §6.1).
type concernRequest struct {
	Child        childJSON `json:"child"`
	Areas        []string  `json:"areas"`
	Observation  string    `json:"observation"`
	SuspectsHarm *bool     `json:"suspectsHarm"`
	OccurredAt   string    `json:"occurredAt"`
}

type childJSON struct {
	PersonalNumber string        `json:"personalNumber"`
	ReserveNumber  string        `json:"reserveNumber"`
	Name           string        `json:"name"`
	BirthDate      string        `json:"birthDate"`
	Municipality   string        `json:"municipality"`
	Schooling      schoolingJSON `json:"schooling"`
}

type schoolingJSON struct {
	Status string `json:"status"`
	UnitID string `json:"unitId"`
	Grade  string `json:"grade"`
}

// validConcern is a concern whose fields are each well formed; what needs the directory (does the
// municipality exist, is the unit a school) is checked after.
type validConcern struct {
	identity     string // what the child's pseudonym is made from
	personal     string // normalised personal number, or ""
	birth        time.Time
	occurredAt   time.Time
	areas        []casework.WheelArea
	suspectsHarm bool
}

// validate checks every field and reports all problems at once, by their JSON names.
func (r *concernRequest) validate(now time.Time) (validConcern, error) {
	v := &casework.ValidationError{}
	var out validConcern
	r.validateIdentity(v, now, &out)

	if strings.TrimSpace(r.Child.Name) == "" {
		v.Add("child.name", "saknas")
	} else if utf8.RuneCountInString(r.Child.Name) > httpkit.MaxShortRunes {
		v.Add("child.name", fmt.Sprintf("får vara högst %d tecken", httpkit.MaxShortRunes))
	}
	if r.Child.Municipality == "" {
		v.Add("child.municipality", "saknas")
	}
	status := casework.SchoolingStatus(r.Child.Schooling.Status)
	switch {
	case r.Child.Schooling.Status == "":
		v.Add("child.schooling.status", "saknas")
	case !status.Valid():
		v.Add("child.schooling.status", "ska vara en av: "+joinStatuses())
	case status.NeedsUnit() && r.Child.Schooling.UnitID == "":
		v.Add("child.schooling.unitId", "ange vilken enhet barnet går i")
	}

	if len(r.Areas) == 0 {
		v.Add("areas", "ange minst ett område i Barnets bästa-hjulet")
	}
	seen := map[casework.WheelArea]bool{}
	for i, a := range r.Areas {
		area := casework.WheelArea(a)
		switch {
		case !area.Valid():
			v.Add(fmt.Sprintf("areas[%d]", i), "ska vara ett av hjulets områden: "+joinAreas())
		case seen[area]:
			v.Add(fmt.Sprintf("areas[%d]", i), "står redan med")
		}
		seen[area] = true
		out.areas = append(out.areas, area)
	}
	if strings.TrimSpace(r.Observation) == "" {
		v.Add("observation", "beskriv vad du har sett eller hört")
	} else if utf8.RuneCountInString(r.Observation) > httpkit.MaxTextRunes {
		v.Add("observation", fmt.Sprintf("får vara högst %d tecken", httpkit.MaxTextRunes))
	}
	if r.SuspectsHarm == nil {
		v.Add("suspectsHarm", "ange true eller false: misstänker du att barnet far illa?")
	} else {
		out.suspectsHarm = *r.SuspectsHarm
	}
	r.validateOccurredAt(v, now, &out)
	return out, v.Err()
}

func (r *concernRequest) validateIdentity(v *casework.ValidationError, now time.Time, out *validConcern) {
	switch {
	case r.Child.PersonalNumber != "" && r.Child.ReserveNumber != "":
		v.Add("child.reserveNumber", "ange antingen personnummer eller reservnummer, inte båda")
	case r.Child.PersonalNumber != "":
		pn, err := casework.ParsePersonalNumber(r.Child.PersonalNumber, now.In(casework.Stockholm))
		if err != nil {
			v.Add("child.personalNumber", err.Error())
			break
		}
		out.personal = pn.Digits()
		out.identity = out.personal
	case r.Child.ReserveNumber != "":
		if err := casework.ValidReserveNumber(r.Child.ReserveNumber); err != nil {
			v.Add("child.reserveNumber", err.Error())
			break
		}
		out.identity = "reserve:" + r.Child.Municipality + ":" + strings.ToUpper(r.Child.ReserveNumber)
	default:
		v.Add("child.personalNumber", "ange personnummer (eller reservnummer om barnet saknar personnummer)")
	}

	birth, err := time.ParseInLocation(time.DateOnly, r.Child.BirthDate, casework.Stockholm)
	switch {
	case r.Child.BirthDate == "":
		v.Add("child.birthDate", "saknas")
	case err != nil:
		v.Add("child.birthDate", "ska vara ett datum, ÅÅÅÅ-MM-DD")
	case birth.After(now):
		v.Add("child.birthDate", "ligger i framtiden")
	case out.personal != "" && out.personal[:8] != birthDigits(birth, out.personal):
		v.Add("child.birthDate", "stämmer inte med personnumret")
	}
	out.birth = birth
}

// birthDigits is the birth date as a personal number writes it; a coordination number adds 60 to
// the day, which the comparison allows for.
func birthDigits(birth time.Time, personal string) string {
	day := birth.Day()
	if personal[6] >= '6' {
		day += 60
	}
	return fmt.Sprintf("%04d%02d%02d", birth.Year(), int(birth.Month()), day)
}

func (r *concernRequest) validateOccurredAt(v *casework.ValidationError, now time.Time, out *validConcern) {
	if r.OccurredAt == "" {
		v.Add("occurredAt", "saknas: när såg du det du beskriver?")
		return
	}
	t, err := time.Parse(time.RFC3339, r.OccurredAt)
	switch {
	case err != nil:
		v.Add("occurredAt", "ska vara en tidpunkt enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case t.After(now.Add(httpkit.ClockSkew)):
		v.Add("occurredAt", "ligger i framtiden")
	case !out.birth.IsZero() && t.Before(out.birth):
		v.Add("occurredAt", "ligger före barnets födelse")
	}
	out.occurredAt = t
}

func joinStatuses() string {
	parts := make([]string, len(casework.SchoolingStatuses))
	for i, s := range casework.SchoolingStatuses {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

func joinAreas() string {
	parts := make([]string, len(casework.WheelAreas))
	for i, a := range casework.WheelAreas {
		parts[i] = string(a)
	}
	return strings.Join(parts, ", ")
}
