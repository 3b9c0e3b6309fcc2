package casework

// The three regional readings of docs/process.md §7.2, as version 1 of each policy. They seed the
// directory; once stored, a policy changes only by a new version in the database.

// productDefaults are the settings no source document states (docs/process.md §7.2, product defaults).
var productDefaults = []string{
	"reminderLeadWorkingDays", "reminderHours", "escalateAfterWorkingDays", "childConsentFromAge",
	"childOwnConsentFromAge", "reopenWithinDays", "daysOffByAgreement",
}

// productPolicy holds the settings every built-in policy starts from: the product defaults of
// docs/process.md §7.2, and Norrbus' deadlines where an agreement states none.
func productPolicy(id, name, source string, upperAge int) Policy {
	return Policy{
		PolicyRef: PolicyRef{ID: id, Version: 1},
		Name:      name,
		Source:    source,
		UpperAge:  upperAge,
		Deadlines: map[DeadlineKind]DeadlineRule{
			DeadlineAcknowledge:  Days(2),
			DeadlineSummons:      Days(5),
			DeadlineMeeting:      Days(10),
			DeadlineAcuteMeeting: Days(1),
		},
		DaysOffByAgreement:       true,
		ReminderLeadWorkingDays:  2,
		ReminderHours:            &HourWindow{From: DefaultReminderHours.From, To: DefaultReminderHours.To},
		EscalateAfterWorkingDays: 10,
		SIPInitiators: []UnitKind{UnitSocialServices, UnitBVC, UnitBUP, UnitPrimaryCare, UnitHabilitation,
			UnitYouthClinic, UnitPaediatrics, UnitSchool, UnitUpperSecondary, UnitSchoolHealth},
		ChildConsentFromAge:    12,
		ChildOwnConsentFromAge: 15,
		ReopenWithinDays:       90,
	}
}

// Norrbus is Norrbotten's guideline (004): the one with every deadline written down.
func Norrbus() Policy {
	p := productPolicy("norrbus", "Norrbus (Norrbotten)", "Norrbus – länsgemensam riktlinje för samverkan kring barn och unga", 20)
	p.Deadlines[DeadlineCostDistribution] = Days(10)
	p.EscalationLadder = []string{"kommun", "delregion", "länsstyrgrupp"}
	p.ProductDefaults = append([]string{"deadlines.acknowledge", "deadlines.acute_meeting"}, productDefaults...)
	return p
}

// Sormland is the Sörmland county model "Tillsammans för barnens bästa" (003), which sets no
// deadlines: the product's defaults apply and are marked as such. All three principals may
// initiate a SIP, preschool included.
func Sormland() Policy {
	p := productPolicy("sormland", "Tillsammans för barnens bästa (Sörmland)", "Tillsammans för barnens bästa – Sörmlands läns modell", 17)
	p.EscalationLadder = []string{"kommun", "länsstyrgrupp"}
	p.SIPInitiators = append(p.SIPInitiators, UnitPreschool)
	p.ProductDefaults = append([]string{"deadlines.acknowledge", "deadlines.summons", "deadlines.meeting",
		"deadlines.acute_meeting", "escalationLadder"}, productDefaults...)
	return p
}

// Norrkoping is the Norrköping agreement of 2020 (001), where the central school health team may
// also initiate a SIP and disagreements go to Barnsamverket.
func Norrkoping() Policy {
	p := productPolicy("norrkoping", "Barnsamverket Norrköping", "Överenskommelse om samverkan kring barn och unga i Norrköping 2020", 20)
	p.EscalationLadder = []string{"Barnsamverket"}
	p.SIPInitiators = append(p.SIPInitiators, UnitCentralSchoolHealth)
	p.ProductDefaults = append([]string{"deadlines.acknowledge", "deadlines.summons", "deadlines.meeting",
		"deadlines.acute_meeting"}, productDefaults...)
	return p
}

// BuiltinPolicies are the policies the demo directory and new installations start from.
func BuiltinPolicies() []Policy { return []Policy{Norrbus(), Sormland(), Norrkoping()} }
