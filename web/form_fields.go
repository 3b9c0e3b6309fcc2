package web

import (
	"strconv"
	"strings"
)

// The views that the field partials (templates/partials/fields.html) take: a text field, a group of
// radios or checkboxes, a date with a time of day. A template makes each with a method of its form –
// {{template "textField" ($f.Input "place" "Plats" "Till exempel skolans konferensrum.")}} – so that
// a field's label, hint, error, aria-describedby and aria-invalid are written once, the same way.

// inputView is a one-line input or, with Rows, a textarea.
type inputView struct {
	Form            *form
	ID, Label, Hint string
	Rows            int // a textarea of this many rows; 0 is a one-line input
}

// Input is a one-line text field.
func (f *form) Input(id, label, hint string) inputView {
	return inputView{Form: f, ID: id, Label: label, Hint: hint}
}

// TextArea is a field for a few sentences or more.
func (f *form) TextArea(id, label, hint string) inputView {
	return inputView{Form: f, ID: id, Label: label, Hint: hint, Rows: 4}
}

// DescribedBy is the field's aria-describedby: its hint and its error, when it has them.
func (v inputView) DescribedBy() string { return describedBy(v.Form, v.ID, v.Hint != "") }

// option is one radio or checkbox: its value, its label and a hint below the label.
type option struct{ Value, Label, Hint string }

// choicesView is a fieldset of radios or checkboxes under a legend (GOV.UK: one question, its
// answers).
type choicesView struct {
	Form                     *form
	Name, Type, Legend, Hint string
	Options                  []option
	// Layout is "inline" (a few short answers side by side), "columns" (a long list in columns
	// where there is room) or "" (one under the other).
	Layout string
}

// Radios is a question with one answer.
func (f *form) Radios(name, legend, hint string, options []option) choicesView {
	return choicesView{Form: f, Name: name, Type: "radio", Legend: legend, Hint: hint, Options: options}
}

// InlineRadios is a question with one of a few short answers, side by side.
func (f *form) InlineRadios(name, legend, hint string, options []option) choicesView {
	v := f.Radios(name, legend, hint, options)
	v.Layout = "inline"
	return v
}

// longList is how many answers fit one under the other before they go into columns.
const longList = 6

// Checkboxes is a question with any number of answers.
func (f *form) Checkboxes(name, legend, hint string, options []option) choicesView {
	v := choicesView{Form: f, Name: name, Type: "checkbox", Legend: legend, Hint: hint, Options: options}
	if len(options) > longList {
		v.Layout = "columns"
	}
	return v
}

// OptionID is the ID of the i-th answer's input. The first carries the question's own ID, so that
// the error summary's link to the question lands on it.
func (v choicesView) OptionID(i int) string {
	if i == 0 {
		return v.Name
	}
	return v.Name + "-" + strconv.Itoa(i)
}

// DescribedBy is the fieldset's aria-describedby.
func (v choicesView) DescribedBy() string { return describedBy(v.Form, v.Name, v.Hint != "") }

// dateTimeView is a date and an optional time of day, read by businessTime with the same prefix.
type dateTimeView struct {
	Form                 *form
	Prefix, Legend, Hint string
}

// DateTime is the fields <prefix>-date and <prefix>-time under one legend.
func (f *form) DateTime(prefix, legend, hint string) dateTimeView {
	return dateTimeView{Form: f, Prefix: prefix, Legend: legend, Hint: hint}
}

// DateID is the date field's ID, where its error is shown.
func (v dateTimeView) DateID() string { return v.Prefix + "-date" }

func describedBy(f *form, id string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, id+"-hint")
	}
	if f.Error(id) != "" {
		ids = append(ids, id+"-error")
	}
	return strings.Join(ids, " ")
}

// All is every non-empty value the field was sent with (checkboxes), each once.
func (f *form) All(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range f.Values[name] {
		if v = strings.TrimSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// List is a field of names separated by commas or new lines, each once.
func (f *form) List(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range strings.FieldsFunc(f.Values.Get(name), func(r rune) bool { return r == ',' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// unitOption is a unit to pick, its kind below its name.
func unitOption(u UnitRef) option {
	return option{Value: u.ID, Label: u.Name, Hint: capitalise(unitKindLabel(u.Kind))}
}

// joinNames writes names as the List fields read them.
func joinNames(names []string) string { return strings.Join(names, ", ") }

// laterView is the business time of a step asked only when it was earlier than now: a summary to
// open, and the date and time under it (open when it has an error).
type laterView struct {
	Occurred occurredView
	Summary  string
}

// OccurredLater is the "occurred" date and time, behind a question that opens it.
func (f *form) OccurredLater(summary, legend, hint string) laterView {
	return laterView{Occurred: occurredView{Form: f, Legend: legend, Hint: hint}, Summary: summary}
}

// submitView is a form's button and the way back to the case without sending.
type submitView struct{ CaseID, Label string }

// Submit is the page's button, saying what it does.
func (p commandPage) Submit(label string) submitView {
	return submitView{CaseID: p.Case.CaseID, Label: label}
}
