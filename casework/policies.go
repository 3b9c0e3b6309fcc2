package casework

// The three regional readings of DOMAIN.md §7.2, as version 1 of each policy. They seed the
// directory; once stored, a policy changes only by a new version in the database.

// productDefaults are the settings no source document states (DOMAIN.md §7.2, product defaults).
var productDefaults = []string{
	"reminderLeadWorkingDays", "escalateAfterWorkingDays", "childConsentFromAge",
	"childOwnConsentFromAge", "reopenWithinDays", "daysOffByAgreement",
}

// Norrbus is Norrbotten's guideline (004): the one with every deadline written down.
func Norrbus() Policy {
	return Policy{
		PolicyRef: PolicyRef{ID: "norrbus", Version: 1},
		Name:      "Norrbus (Norrbotten)",
		Source:    "Norrbus – länsgemensam riktlinje för samverkan kring barn och unga",
		UpperAge:  20,
		Deadlines: map[DeadlineKind]DeadlineRule{
			DeadlineAcknowledge:      Days(2),
			DeadlineSummons:          Days(5),
			DeadlineMeeting:          Days(10),
			DeadlineAcuteMeeting:     Days(1),
			DeadlineCostDistribution: Days(10),
		},
		DaysOffByAgreement:       true,
		ReminderLeadWorkingDays:  2,
		EscalateAfterWorkingDays: 10,
		EscalationLadder:         []string{"kommun", "delregion", "länsstyrgrupp"},
		SIPInitiators:            []UnitKind{UnitSocialServices, UnitBVC, UnitBUP, UnitPrimaryCare, UnitHabilitation, UnitYouthClinic, UnitPaediatrics, UnitSchool, UnitUpperSecondary, UnitSchoolHealth},
		ChildConsentFromAge:      12,
		ChildOwnConsentFromAge:   15,
		ReopenWithinDays:         90,
		ProductDefaults:          append([]string{"deadlines.acknowledge", "deadlines.acute_meeting"}, productDefaults...),
	}
}

// Sormland is the Sörmland county model "Tillsammans för barnens bästa" (003), which sets no
// deadlines: the product's defaults apply and are marked as such.
func Sormland() Policy {
	return Policy{
		PolicyRef: PolicyRef{ID: "sormland", Version: 1},
		Name:      "Tillsammans för barnens bästa (Sörmland)",
		Source:    "Tillsammans för barnens bästa – Sörmlands läns modell",
		UpperAge:  17,
		Deadlines: map[DeadlineKind]DeadlineRule{
			DeadlineAcknowledge:  Days(2),
			DeadlineSummons:      Days(5),
			DeadlineMeeting:      Days(10),
			DeadlineAcuteMeeting: Days(1),
		},
		DaysOffByAgreement:       true,
		ReminderLeadWorkingDays:  2,
		EscalateAfterWorkingDays: 10,
		EscalationLadder:         []string{"kommun", "länsstyrgrupp"},
		SIPInitiators:            []UnitKind{UnitSocialServices, UnitBVC, UnitBUP, UnitPrimaryCare, UnitHabilitation, UnitYouthClinic, UnitPaediatrics, UnitSchool, UnitUpperSecondary, UnitSchoolHealth, UnitPreschool},
		ChildConsentFromAge:      12,
		ChildOwnConsentFromAge:   15,
		ReopenWithinDays:         90,
		ProductDefaults: append([]string{"deadlines.acknowledge", "deadlines.summons", "deadlines.meeting",
			"deadlines.acute_meeting", "escalationLadder"}, productDefaults...),
	}
}

// Norrkoping is the Norrköping agreement of 2020 (001), where the central school health team may
// also initiate a SIP and disagreements go to Barnsamverket.
func Norrkoping() Policy {
	return Policy{
		PolicyRef: PolicyRef{ID: "norrkoping", Version: 1},
		Name:      "Barnsamverket Norrköping",
		Source:    "Överenskommelse om samverkan kring barn och unga i Norrköping 2020",
		UpperAge:  20,
		Deadlines: map[DeadlineKind]DeadlineRule{
			DeadlineAcknowledge:  Days(2),
			DeadlineSummons:      Days(5),
			DeadlineMeeting:      Days(10),
			DeadlineAcuteMeeting: Days(1),
		},
		DaysOffByAgreement:       true,
		ReminderLeadWorkingDays:  2,
		EscalateAfterWorkingDays: 10,
		EscalationLadder:         []string{"Barnsamverket"},
		SIPInitiators:            []UnitKind{UnitSocialServices, UnitBVC, UnitBUP, UnitPrimaryCare, UnitHabilitation, UnitYouthClinic, UnitPaediatrics, UnitSchool, UnitUpperSecondary, UnitSchoolHealth, UnitCentralSchoolHealth},
		ChildConsentFromAge:      12,
		ChildOwnConsentFromAge:   15,
		ReopenWithinDays:         90,
		ProductDefaults: append([]string{"deadlines.acknowledge", "deadlines.summons", "deadlines.meeting",
			"deadlines.acute_meeting"}, productDefaults...),
	}
}

// BuiltinPolicies are the policies the demo directory and new installations start from.
func BuiltinPolicies() []Policy { return []Policy{Norrbus(), Sormland(), Norrkoping()} }
