package web

import (
	"context"
	"fmt"
	"slices"
)

// assessmentForm is Kartlägg barnets situation (PUT …/assessment): per area of the wheel what is
// seen and how serious it is, the child's own view or why it could not be had, the five questions
// and the three partner questions (docs/process.md §6.2). Every save replaces the one before, so the form
// starts from what was saved. Only the areas that concern the child need filling: an area left
// empty is not sent.
var assessmentForm = commandForm{
	Command:  "assessment",
	Path:     "kartlagg",
	Template: "form_assessment.html",
	Done:     "kartlagg",
	Fields:   assessmentFields(),
	Choices:  assessmentChoicesFor,
	Prefill:  prefillAssessment,
	Send:     sendAssessment,
}

// question is one question of the assessment: its field, the JSON name the API gives it, its label
// and hint, and – for a partner question – the label of its field for names outside the directory.
type question struct{ ID, Key, Label, Hint, Other string }

// fiveQuestions are the analysis of source 003, as the form asks them.
var fiveQuestions = []question{
	{"q-information", "haveAllInformation", "1. Har jag all information jag behöver för att hjälpa barnet?", "Skriv vad du vet och vad du behöver ta reda på.", ""},
	{"q-obstacles", "obstacles", "2. Vad står i vägen för att barnet ska må bra?", "", ""},
	{"q-i-can-do", "whatICanDo", "3. Vad kan jag göra nu för att hjälpa barnet?", "", ""},
	{"q-org-can-do", "whatOrgCanDo", "4. Vad kan min verksamhet göra för att hjälpa barnet?", "", ""},
	{"q-help-needed", "helpNeeded", "5. Vilken mer hjälp behöver jag från andra?", "Till exempel socialtjänsten, BUP eller elevhälsan.", ""},
}

// partnerQuestions are the three questions of source 002 about the agencies around the child.
var partnerQuestions = []question{
	{"partners-earlier", "earlier", "Vilka verksamheter har varit inblandade tidigare?", "Till exempel BVC eller förskolan när barnet var yngre.",
		"Andra verksamheter som varit inblandade tidigare"},
	{"partners-today", "today", "Vilka verksamheter är inblandade i dag?", "", "Andra verksamheter som är inblandade i dag"},
	{"partners-forward", "forward", "Vilka verksamheter kan behöva vara med framöver?", "De du väljer här föreslås när du avslutar kartläggningen.",
		"Andra verksamheter som kan behöva vara med framöver"},
}

func assessmentFields() map[string]formField {
	fields := map[string]formField{
		"areas":                       {ID: "area-" + areaSlug(wheelAreas()[0]) + "-observation", Label: "Barnets bästa-hjulet"},
		"childView":                   {ID: "child-view", Label: "Barnets egen syn"},
		"childView.view":              {ID: "child-view", Label: "Barnets egen syn"},
		"childView.notObtainedReason": {ID: "child-not-heard", Label: "Varför barnet inte kunde höras"},
	}
	for _, q := range fiveQuestions {
		fields["fiveQuestions."+q.Key] = formField{ID: q.ID, Label: q.Label}
	}
	for _, q := range partnerQuestions {
		fields["partners."+q.Key] = formField{ID: q.ID + "-other", Label: q.Other}
	}
	return fields
}

type assessmentChoices struct {
	Areas     []areaBlock
	Levels    []option
	Questions []question
	Partners  []question
	Units     []option // the directory's units in the child's municipality
}

// areaBlock is one area of the wheel on the form.
type areaBlock struct {
	Area, Slug, Name, Hint string
	InConcern              bool // a concern of the case names it
}

func assessmentChoicesFor(ctx context.Context, s *Server, sess *session, c Case) (any, error) {
	units, err := s.municipalityUnits(ctx, sess, c)
	if err != nil {
		return nil, err
	}
	ch := assessmentChoices{Levels: levelOptions, Questions: fiveQuestions, Partners: partnerQuestions}
	for _, u := range units {
		ch.Units = append(ch.Units, unitOption(UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind}))
	}
	for _, a := range wheelAreas() {
		ch.Areas = append(ch.Areas, areaBlock{Area: a, Slug: areaSlug(a), Name: areaName(a), Hint: capitalise(wheelHints[a]),
			InConcern: slices.Contains(c.Areas, a)})
	}
	return ch, nil
}

// municipalityUnits are the directory's units in the case's municipality (all of them when the
// case does not say which).
func (s *Server) municipalityUnits(ctx context.Context, sess *session, c Case) ([]Unit, error) {
	units, err := s.directory(ctx, sess)
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range units {
		if c.Municipality == "" || u.Municipality == c.Municipality {
			out = append(out, u)
		}
	}
	return out, nil
}

func prefillAssessment(c Case, choices any, f *form) {
	a := c.Assessment
	if a == nil {
		return
	}
	for _, area := range a.Areas {
		f.Values.Set("area-"+areaSlug(area.Area)+"-observation", area.Observation)
		f.Values.Set("area-"+areaSlug(area.Area)+"-level", area.Level)
	}
	f.Values.Set("child-view", a.ChildView.View)
	f.Values.Set("child-not-heard", a.ChildView.NotObtainedReason)
	for _, q := range fiveQuestions {
		f.Values.Set(q.ID, *a.FiveQuestions.answer(q.Key))
	}
	units := map[string]bool{}
	if ch, ok := choices.(assessmentChoices); ok {
		for _, u := range ch.Units {
			units[u.Value] = true
		}
	}
	for _, q := range partnerQuestions {
		var other []string
		for _, name := range *a.Partners.list(q.Key) {
			if units[name] {
				f.Values.Add(q.ID, name)
			} else {
				other = append(other, name)
			}
		}
		f.Values.Set(q.ID+"-other", joinNames(other))
	}
}

func sendAssessment(ctx context.Context, api *Client, token, caseID string, f *form) error {
	req := AssessmentRequest{ChildView: ChildView{View: f.Value("child-view"), NotObtainedReason: f.Value("child-not-heard")}}
	for _, area := range wheelAreas() {
		id := "area-" + areaSlug(area)
		observation, level := f.Value(id+"-observation"), f.Value(id+"-level")
		if observation == "" && level == "" {
			continue // an area that does not concern the child
		}
		if level == "" {
			f.Add(id+"-level", "", "Välj hur allvarlig oron är inom "+area)
			continue
		}
		path := fmt.Sprintf("areas[%d]", len(req.Areas))
		f.At(path+".area", formField{ID: id + "-observation", Label: areaName(area)})
		f.At(path+".observation", formField{ID: id + "-observation", Label: areaName(area) + ", det du ser"})
		f.At(path+".level", formField{ID: id + "-level", Label: areaName(area) + ", hur allvarlig oron är"})
		req.Areas = append(req.Areas, AreaAssessment{Area: area, Observation: observation, Level: level})
	}
	for _, q := range fiveQuestions {
		*req.FiveQuestions.answer(q.Key) = f.Value(q.ID)
	}
	for _, q := range partnerQuestions {
		*req.Partners.list(q.Key) = append(f.All(q.ID), f.List(q.ID+"-other")...)
	}
	if f.HasErrors() {
		return errInvalid
	}
	_, err := api.RecordAssessment(ctx, token, caseID, f.IdempotencyKey, req)
	return err
}

// answer is the five questions' answer to the question with the API's name key.
func (q *FiveQuestions) answer(key string) *string {
	switch key {
	case "haveAllInformation":
		return &q.HaveAllInformation
	case "obstacles":
		return &q.Obstacles
	case "whatICanDo":
		return &q.WhatICanDo
	case "whatOrgCanDo":
		return &q.WhatOrgCanDo
	}
	return &q.HelpNeeded
}

// list is the partner question's list with the API's name key.
func (p *Partners) list(key string) *[]string {
	switch key {
	case "earlier":
		return &p.Earlier
	case "today":
		return &p.Today
	}
	return &p.Forward
}
