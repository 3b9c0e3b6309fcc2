package casework

import (
	"fmt"
	"time"
)

// DeadlineKind names a deadline of the process. The values are the API's (snake_case English) and
// are recorded in workflow histories: never rename one, add new ones.
type DeadlineKind string

const (
	DeadlineAcknowledge DeadlineKind = "acknowledge" // the named person takes the concern
	// DeadlineSummons: kallelse after consent. The workflow opens it when consent is first complete
	// (workflows/case_consent.go, consentGiven), meets it with the summons (case_samarbeta.go,
	// applySummons), cancels it when consent is revoked wholly (case_consent.go, applyRevoke), and
	// its timer reminds and fires there as every deadline's does (case_deadlines.go,
	// case_reminders.go).
	DeadlineSummons          DeadlineKind = "summons"
	DeadlineMeeting          DeadlineKind = "meeting"           // collaboration meeting after consent
	DeadlineAcuteMeeting     DeadlineKind = "acute_meeting"     // the same, in an acute case
	DeadlineFollowUp         DeadlineKind = "follow_up"         // the booked follow-up
	DeadlineCostDistribution DeadlineKind = "cost_distribution" // after an acute placement (§11)
)

// deadlineWords are each deadline's Swedish words, for texts caseworkers read: what it is, as a
// heading, and what it is for, after "tidsgränsen".
var deadlineWords = map[DeadlineKind]struct{ title, purpose string }{
	DeadlineAcknowledge:      {"Ta emot ärendet", "för att ta emot ärendet"},
	DeadlineSummons:          {"Kallelse", "för kallelse"},
	DeadlineMeeting:          {"Samverkansmöte", "för samverkansmöte"},
	DeadlineAcuteMeeting:     {"Akut möte", "för akut samverkansmöte"},
	DeadlineFollowUp:         {"Uppföljning", "för uppföljning"},
	DeadlineCostDistribution: {"Kostnadsfördelning", "för kostnadsfördelning"},
}

// Title is the deadline as a heading ("Kallelse"); a kind without words is named by its value.
func (k DeadlineKind) Title() string {
	if w, ok := deadlineWords[k]; ok {
		return w.title
	}
	return string(k)
}

// Purpose is what the deadline is for, after "tidsgränsen" ("för kallelse").
func (k DeadlineKind) Purpose() string {
	if w, ok := deadlineWords[k]; ok {
		return w.purpose
	}
	return "för " + string(k)
}

// DeadlineRule says how long after its start a deadline falls due. Exactly one of the two is set.
type DeadlineRule struct {
	// WorkingDays: by the end of the N-th Swedish working day after the local date of the start
	// (docs/process.md §7.1). Zero means "the same working day" (or the next one when the start is not one).
	WorkingDays *int `json:"workingDays,omitempty"`
	// Within is clock time after the start, for what the agreements express in hours ("inom 24
	// timmar"). It counts every hour, holidays too.
	Within *Duration `json:"within,omitempty"`
}

// Days is a DeadlineRule of n working days.
func Days(n int) DeadlineRule { return DeadlineRule{WorkingDays: &n} }

// Hours is a DeadlineRule of clock time.
func Hours(d time.Duration) DeadlineRule { dd := Duration(d); return DeadlineRule{Within: &dd} }

// IsSet reports whether the rule says anything; a policy may leave a deadline out.
func (r DeadlineRule) IsSet() bool { return r.WorkingDays != nil || r.Within != nil }

func (r DeadlineRule) validate() error {
	switch {
	case r.WorkingDays != nil && r.Within != nil:
		return fmt.Errorf("both workingDays and within are set")
	case r.WorkingDays != nil && *r.WorkingDays < 0:
		return fmt.Errorf("workingDays is negative")
	case r.Within != nil && *r.Within <= 0:
		return fmt.Errorf("within is not positive")
	}
	return nil
}

// String reads as the agreement would say it.
func (r DeadlineRule) String() string {
	switch {
	case r.WorkingDays != nil:
		return fmt.Sprintf("%d arbetsdagar", *r.WorkingDays)
	case r.Within != nil:
		return time.Duration(*r.Within).String()
	}
	return "ingen tidsgräns"
}

// Duration is a time.Duration that reads and writes JSON as "24h" rather than nanoseconds.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("duration must be a string such as \"24h\"")
	}
	v, err := time.ParseDuration(string(b[1 : len(b)-1]))
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// PolicyRef names one version of a policy. A running case keeps the version it started with
// (docs/process.md §7.2).
type PolicyRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

func (r PolicyRef) String() string { return fmt.Sprintf("%s@v%d", r.ID, r.Version) }

// Policy is one region's reading of the agreements, as data (docs/process.md §7.2). Every setting that no
// source document states is a product default and listed in ProductDefaults, so a reader sees which
// values are agreed and which are ours.
type Policy struct {
	PolicyRef
	Name   string `json:"name"`
	Source string `json:"source"` // the agreement it follows

	// UpperAge is the oldest age in whole years that is still in the target group (Norrbus: 20,
	// "up to and including 20"; Sörmland: "under 18", so 17).
	UpperAge int `json:"upperAge"`
	// DaysOffByAgreement: midsommarafton, julafton and nyårsafton are not working days (docs/process.md §7.1).
	DaysOffByAgreement bool `json:"daysOffByAgreement"`

	Deadlines map[DeadlineKind]DeadlineRule `json:"deadlines"`

	// ReminderLeadWorkingDays: reminders go this many working days before a deadline, and on its morning.
	ReminderLeadWorkingDays int `json:"reminderLeadWorkingDays"`
	// ReminderHours are the local hours of a working day in which reminders go out; nil is the
	// product default, 08:00–17:00 (policies stored before the setting existed have none).
	ReminderHours *HourWindow `json:"reminderHours,omitempty"`
	// EscalateAfterWorkingDays: an unresolved step of a disagreement goes to the next step after this.
	EscalateAfterWorkingDays int      `json:"escalateAfterWorkingDays"`
	EscalationLadder         []string `json:"escalationLadder"`
	// SIPInitiators are the unit kinds that may initiate and call a SIP.
	SIPInitiators []UnitKind `json:"sipInitiators"`
	// ChildConsentFromAge: the child's own consent is asked from this age alongside the guardians';
	// ChildOwnConsentFromAge: from this age the youth's own consent suffices for own health and care.
	ChildConsentFromAge    int `json:"childConsentFromAge"`
	ChildOwnConsentFromAge int `json:"childOwnConsentFromAge"`
	// ReopenWithinDays: a concern this many calendar days after closing reopens the case.
	ReopenWithinDays int `json:"reopenWithinDays"`
	// ReopenWithin, when set, replaces ReopenWithinDays with clock time after the closing: what a test
	// policy uses for a reopening period of seconds. No agreement states one.
	ReopenWithin *Duration `json:"reopenWithin,omitempty"`
	// Retention is how long a closed case's file is kept after its closing before it is erased
	// (docs/process.md §7.2); nil is the product default, five years (policies stored before the setting
	// existed have none, and keep their body unchanged).
	Retention *Duration `json:"retention,omitempty"`

	// ProductDefaults names the JSON fields above whose value is the product's default, not the
	// agreement's.
	ProductDefaults []string `json:"productDefaults"`
}

// HourWindow is a span of local hours: From inclusive, To exclusive, 0 ≤ From < To ≤ 24.
type HourWindow struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// DefaultReminderHours are the product default (docs/process.md §7.2).
var DefaultReminderHours = HourWindow{From: 8, To: 17}

// Reminders is the calendar and hours reminders of the policy go out in.
func (p Policy) Reminders() ReminderCalendar {
	h := DefaultReminderHours
	if p.ReminderHours != nil {
		h = *p.ReminderHours
	}
	return ReminderCalendar{Calendar: NewCalendar(p.DaysOffByAgreement), Hours: h}
}

// Deadline returns the rule for kind, and whether the policy has one.
func (p Policy) Deadline(kind DeadlineKind) (DeadlineRule, bool) {
	r, ok := p.Deadlines[kind]
	return r, ok && r.IsSet()
}

// Validate checks that the policy can be used for cases.
func (p Policy) Validate() error {
	v := &ValidationError{}
	if p.ID == "" {
		v.Add("id", "saknas")
	}
	if p.Version < 1 {
		v.Add("version", "måste vara 1 eller större")
	}
	if p.UpperAge < 0 || p.UpperAge > 25 {
		v.Add("upperAge", "måste vara mellan 0 och 25")
	}
	for kind, rule := range p.Deadlines {
		if err := rule.validate(); err != nil {
			v.Add("deadlines."+string(kind), err.Error())
		}
	}
	if _, ok := p.Deadline(DeadlineAcknowledge); !ok {
		v.Add("deadlines.acknowledge", "saknas: varje ärende måste tas emot inom en tidsgräns")
	}
	if h := p.ReminderHours; h != nil && (h.From < 0 || h.To > 24 || h.From >= h.To) {
		v.Add("reminderHours", "from och to ska vara timmar 0–24 med from före to")
	}
	if p.ReopenWithin != nil && *p.ReopenWithin <= 0 {
		v.Add("reopenWithin", "måste vara längre än noll")
	}
	if p.Retention != nil && *p.Retention <= 0 {
		v.Add("retention", "måste vara längre än noll")
	}
	for i, k := range p.SIPInitiators {
		if !k.Valid() {
			v.Add(fmt.Sprintf("sipInitiators[%d]", i), "okänd enhetstyp")
		}
	}
	return v.Err()
}
