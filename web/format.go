package web

import (
	"fmt"
	"html/template"
	"time"

	"github.com/samverkan/samverkan/casework"
)

// The words and formats every page uses. The working-day count is the pure calendar's
// (casework), used here for display only: deadlines themselves are the API's.

var templateFuncs = template.FuncMap{
	"date":      formatDate,
	"dateTime":  formatDateTime,
	"field":     fieldOf,
	"deadline":  func(due time.Time) string { return deadlineText(due, time.Now()) },
	"role":      roleLabel,
	"schooling": schoolingLabel,
	"pnr":       personalNumber,
	"occurred":  func(f *form, legend, hint string) occurredView { return occurredView{f, legend, hint} },
}

// occurredView is what the "occurredFields" partial needs.
type occurredView struct {
	Form         *form
	Legend, Hint string
}

// formatDate is 2026-01-13, the date in Swedish time.
func formatDate(t time.Time) string { return t.In(casework.Stockholm).Format(time.DateOnly) }

// formatDateTime is 2026-01-13 kl. 09.30.
func formatDateTime(t time.Time) string {
	return t.In(casework.Stockholm).Format("2006-01-02") + " kl. " + t.In(casework.Stockholm).Format("15.04")
}

// deadlineText is how the pages state a deadline: "senast 2026-01-13 (3 arbetsdagar kvar)", "senast
// 2026-01-13 (i dag)", or "senast 2026-01-09 (försenad 2 arbetsdagar)". Working days with the days off
// by agreement, as every built-in policy counts them (docs/process.md §7.1).
func deadlineText(due, now time.Time) string {
	cal := casework.NewCalendar(true)
	text := "senast " + formatDate(due)
	switch {
	case now.After(due):
		n := cal.WorkingDaysBetween(due, now)
		if n == 0 {
			return text + " (försenad)"
		}
		return text + fmt.Sprintf(" (försenad %s)", workingDays(n))
	case formatDate(now) == formatDate(due):
		return text + " (i dag)"
	default:
		return text + fmt.Sprintf(" (%s kvar)", workingDays(cal.WorkingDaysBetween(now, due)))
	}
}

func workingDays(n int) string {
	if n == 1 {
		return "1 arbetsdag"
	}
	return fmt.Sprintf("%d arbetsdagar", n)
}

var roleLabels = map[string]string{
	"reporter":     "anmälare",
	"named_person": "barnets bästa-ansvarig",
	"coordinator":  "samordnare",
	"participant":  "deltagare",
	"supervisor":   "chef",
	"steering":     "styrgrupp",
	"admin":        "administratör",
}

// RoleLabel is a role's Swedish name, for the header and the dev login's picker.
func RoleLabel(role string) string { return roleLabel(role) }

func roleLabel(role string) string { return labelOr(roleLabels, role) }

var phaseLabels = map[string]string{
	"upptäcka": "Upptäcka", "kartlägga": "Kartlägga", "samarbeta": "Samarbeta", "uppföljning": "Uppföljning", "avslutat": "Avslutat",
}

func phaseLabel(p string) string { return labelOr(phaseLabels, p) }

var unitKindLabels = map[string]string{
	"preschool": "förskola", "school": "skola", "upper_secondary": "gymnasieskola", "school_health": "elevhälsa",
	"central_school_health": "central elevhälsa", "social_services": "socialtjänst", "kaa": "kommunalt aktivitetsansvar",
	"culture_leisure": "kultur och fritid", "lss": "omsorg och funktionsstöd", "bvc": "barnavårdscentral", "bup": "barn- och ungdomspsykiatri",
	"primary_care": "primärvård", "habilitation": "habilitering", "youth_clinic": "ungdomsmottagning", "paediatrics": "barnmedicin",
	"police": "polis",
}

func unitKindLabel(k string) string { return labelOr(unitKindLabels, k) }

// schoolingLabels are the schooling statuses of a concern, as the form asks for them.
var schoolingLabels = map[string]string{
	"none":                         "Går inte i förskola eller skola",
	"preschool":                    "Går i förskola",
	"school":                       "Går i förskoleklass eller grundskola (till och med årskurs 9)",
	"upper_secondary_home_county":  "Går i gymnasieskola i hemlänet",
	"upper_secondary_other_county": "Går i gymnasieskola i ett annat län",
	"not_started_upper_secondary":  "Har inte börjat gymnasieskolan",
	"left_upper_secondary":         "Har lämnat gymnasieskolan",
}

func schoolingLabel(s string) string { return labelOr(schoolingLabels, s) }

// municipalityNames are the directory's municipalities as people write them; an ID not here is
// shown as it is.
var municipalityNames = map[string]string{"norrkoping": "Norrköping", "lulea": "Luleå", "eskilstuna": "Eskilstuna"}

func municipalityName(id string) string { return labelOr(municipalityNames, id) }

func labelOr(labels map[string]string, key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}

// personalNumber writes the API's twelve digits as people read them: 20120315-9817.
func personalNumber(digits string) string {
	if len(digits) != 12 {
		return digits
	}
	return digits[:8] + "-" + digits[8:]
}
