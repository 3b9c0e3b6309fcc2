package web

import (
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// What the pages say about a case's parts: names for the IDs the API's answers carry, in the words
// the forms and the case's page use.

// UnitName is the name the case gives a unit – the named person's unit, a participant, a proposed
// agency – or the ID itself when the case does not name it.
func (c Case) UnitName(id string) string {
	if c.NamedPersonUnit != nil && c.NamedPersonUnit.ID == id {
		return c.NamedPersonUnit.Name
	}
	for _, p := range c.Participants {
		if p.Unit.ID == id {
			return p.Unit.Name
		}
	}
	if c.Assessment != nil {
		for _, u := range c.Assessment.ProposedAgencies {
			if u.ID == id {
				return u.Name
			}
		}
	}
	return id
}

// InviteeName names one invited to the meeting: a unit, the child or the guardians.
func (c Case) InviteeName(participant string) string {
	switch participant {
	case "child":
		return "Barnet"
	case "guardians":
		return "Vårdnadshavarna"
	}
	return c.UnitName(participant)
}

// ActiveParticipants are the agencies taking part in the case now, within the consent.
func (c Case) ActiveParticipants() []UnitRef {
	var out []UnitRef
	for _, p := range c.Participants {
		if p.Status == "active" {
			out = append(out, p.Unit)
		}
	}
	return out
}

// OpenDeadline is the case's open deadline of the kind, or nil.
func (c Case) OpenDeadline(kind string) *Deadline {
	for i, d := range c.Deadlines {
		if d.Kind == kind && d.Status == "open" {
			return &c.Deadlines[i]
		}
	}
	return nil
}

// areaSlug is a wheel area in the letters an HTML ID and an address are safe with ("hälsa": halsa).
func areaSlug(area string) string {
	return strings.NewReplacer("å", "a", "ä", "a", "ö", "o").Replace(area)
}

// areaName is a wheel area as a heading writes it ("Hälsa").
func areaName(area string) string { return capitalise(area) }

// wheelAreas are the seven areas of the wheel in its order (docs/process.md §4).
func wheelAreas() []string {
	out := make([]string, len(casework.WheelAreas))
	for i, a := range casework.WheelAreas {
		out[i] = string(a)
	}
	return out
}

// levelLabels say how serious a concern in an area is, as the assessment's form asks it.
var levelLabels = map[string]string{"ingen": "Ingen oro", "låg": "Låg", "måttlig": "Måttlig", "hög": "Hög"}

var levelOptions = []option{
	{Value: "ingen", Label: levelLabels["ingen"]}, {Value: "låg", Label: levelLabels["låg"]},
	{Value: "måttlig", Label: levelLabels["måttlig"]}, {Value: "hög", Label: levelLabels["hög"]},
}

// onPage is a time to prefill a date and time of day with, in Swedish time.
func onPage(f *form, prefix string, t time.Time) {
	local := t.In(casework.Stockholm)
	f.Values.Set(prefix+"-date", local.Format(time.DateOnly))
	f.Values.Set(prefix+"-time", local.Format("15:04"))
}

// Name is the area as a heading writes it.
func (a AreaAssessment) Name() string { return areaName(a.Area) }

// LevelLabel is how serious the concern in the area is, in words.
func (a AreaAssessment) LevelLabel() string { return labelOr(levelLabels, a.Level) }
