package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The Swedish words of the case timeline's sentences (history.go): what a supervisor reads,
// so the workflow's enum values never show.

var roleNames = map[casework.Role]string{
	casework.RoleReporter:    "anmälare",
	casework.RoleNamedPerson: "barnets bästa-ansvarig",
	casework.RoleCoordinator: "samordnare",
	casework.RoleParticipant: "företrädare för verksamheten",
	casework.RoleSupervisor:  "chef",
	casework.RoleSteering:    "styrgruppen",
	casework.RoleAdmin:       "administratör",
}

func roleName(r casework.Role) string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

var closeReasonTexts = map[workflows.CloseReason]string{
	workflows.CloseNeedsMet:             "behoven är tillgodosedda",
	workflows.CloseOwnOrganisation:      "det hanteras inom den egna verksamheten",
	workflows.CloseConsentRefused:       "samtycke saknas eller har återkallats",
	workflows.CloseChildMoved:           "barnet har flyttat",
	workflows.CloseAgeLimit:             "barnet har nått åldersgränsen",
	workflows.CloseSocialServicesInvest: "socialtjänsten har tagit över i en utredning",
}

func closeReasonText(r workflows.CloseReason) string {
	if t, ok := closeReasonTexts[r]; ok {
		return t
	}
	return string(r)
}

var methodTexts = map[workflows.ConsentMethod]string{workflows.ConsentWritten: "skriftligt", workflows.ConsentOral: "muntligt"}

// party names who gave, refused or revoked consent or approval: "vårdnadshavaren Eva Ek", "barnet".
func party(kind workflows.PartyKind, name string) string {
	if kind == workflows.PartyChild {
		return "barnet"
	}
	if name = strings.TrimSpace(name); name == "" {
		return "en vårdnadshavare"
	}
	return "vårdnadshavaren " + name
}

// capital starts a sentence with a capital letter.
func capital(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// swedishList joins "a", "b" and "c" as "a, b och c".
func swedishList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}

func areaList(areas []casework.WheelArea) string {
	s := make([]string, len(areas))
	for i, a := range areas {
		s[i] = string(a)
	}
	return swedishList(s)
}

// clockText is a moment in Swedish time, to the minute.
func clockText(t time.Time) string { return t.In(casework.Stockholm).Format("2006-01-02 15:04") }

// dateText is the Swedish date of a moment, for a booked date (a follow-up is held in time on any
// moment of its day).
func dateText(t time.Time) string { return t.In(casework.Stockholm).Format(time.DateOnly) }

// dueText is a deadline's due moment: the date alone when it is the end of a day, as deadlines in
// working days are (docs/process.md §7.1), else the date and time.
func dueText(t time.Time) string {
	local := t.In(casework.Stockholm)
	if next := local.Add(time.Nanosecond); next.Equal(time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, casework.Stockholm)) {
		return local.Format(time.DateOnly)
	}
	return clockText(t)
}

// quoted quotes what someone wrote, trimmed, with Swedish quotation marks.
func quoted(s string) string { return "”" + strings.TrimSpace(s) + "”" }

// sentence ends s with a full stop unless it ends in one already (or in another closing mark).
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "”") {
		return s
	}
	return s + "."
}

// newDeadlinesText says which deadlines a step started: " Tidsgränsen för kallelse: senast 2026-12-01."
func newDeadlinesText(ds []workflows.Deadline) string {
	var parts []string
	for _, d := range ds {
		if d.Status == workflows.DeadlineOpen {
			parts = append(parts, fmt.Sprintf("%s senast %s (%s)", d.Kind.Purpose(), dueText(d.DueAt), d.Rule))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Tidsgräns " + swedishList(parts) + "."
}

// nameBook names units and users in sentences; an ID it cannot name stands as it is.
type nameBook struct {
	units, users map[string]string
	// lookupUnit and lookupUser ask the directory for what the case itself does not say; nil: don't.
	lookupUnit, lookupUser func(id string) (string, bool)
}

func newNameBook() *nameBook {
	return &nameBook{units: map[string]string{}, users: map[string]string{}}
}

func (b *nameBook) learnUnit(ref casework.UnitRef) {
	if ref.ID != "" && ref.Name != "" {
		b.units[ref.ID] = ref.Name
	}
}

func (b *nameBook) learnUser(user, name string) {
	if user != "" && name != "" {
		b.users[user] = name
	}
}

func (b *nameBook) unit(id string) string { return b.lookup(b.units, b.lookupUnit, id) }
func (b *nameBook) user(id string) string { return b.lookup(b.users, b.lookupUser, id) }

func (b *nameBook) lookup(known map[string]string, ask func(string) (string, bool), id string) string {
	if n, ok := known[id]; ok {
		return n
	}
	if ask != nil {
		if n, ok := ask(id); ok {
			known[id] = n
			return n
		}
	}
	known[id] = id
	return id
}

func (b *nameBook) unitList(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = b.unit(id)
	}
	return swedishList(names)
}
