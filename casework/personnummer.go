package casework

import (
	"errors"
	"strings"
	"time"
)

// PersonalNumber is a Swedish personal identity number (personnummer) or coordination number
// (samordningsnummer), as Skatteverket describes them in SKV 704: birth date, a three-digit birth
// number and a Luhn check digit. A samordningsnummer is given to people who are not, or not yet,
// registered in Sweden and carries the birth day plus 60. The zero value is "no number"; every
// other value came through ParsePersonalNumber and is therefore valid.
type PersonalNumber struct {
	digits string // normalised YYYYMMDDNNNC, day as written (plus 60 for a samordningsnummer)
}

// The errors of ParsePersonalNumber. Each text is a Swedish phrase a caseworker understands, with no
// internal detail, written to follow the field's name: the API may use it as the reason of a 400
// as it stands. Compare with errors.Is.
var (
	ErrPersonalNumberCharacters = errors.New("får bara innehålla siffror och ett bindestreck eller plustecken")
	ErrPersonalNumberFormat     = errors.New("ska ha 10 eller 12 siffror och skrivas ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN")
	ErrPersonalNumberDate       = errors.New("datumet finns inte")
	ErrPersonalNumberFuture     = errors.New("födelsedatumet ligger i framtiden")
	ErrPersonalNumberChecksum   = errors.New("kontrollsiffran stämmer inte")
)

// ParsePersonalNumber reads a personnummer or samordningsnummer in one of the forms people write:
// "YYYYMMDD-NNNC", "YYYYMMDDNNNC", "YYMMDD-NNNC", "YYMMDDNNNC" or "YYMMDD+NNNC". Surrounding spaces are
// ignored. today is read as a calendar date in its own location (pass Stockholm time); it is a
// parameter because the century of a 10-digit form depends on it and this package has no clock.
//
// A 10-digit form written with '-' or no separator gets the most recent century that does not put
// the birth date after today. SKV 704 writes '+' instead from the calendar year a person turns 100,
// so '+' means "born in the latest year ending in YY that is at least 100 years ago", whether or not
// this year's birthday has passed. A '+' in the 12-digit form is refused: the century is already
// written, so the sign could only contradict it.
//
// The checks run in the order a caseworker fixes them – characters, length, a date that exists
// (leap years included; for a samordningsnummer the day minus 60), not after today, and the Luhn
// check digit over the 10-digit form – and the first that fails is returned.
func ParsePersonalNumber(s string, today time.Time) (PersonalNumber, error) {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != '-' && c != '+' {
			return PersonalNumber{}, ErrPersonalNumberCharacters
		}
	}
	digits, plus, ok := splitPersonalNumber(s)
	if !ok {
		return PersonalNumber{}, ErrPersonalNumberFormat
	}
	ty, tm, td := today.Date()
	if len(digits) == 10 {
		year := centuryFor(atoi(digits[0:2]), time.Month(atoi(digits[2:4])), realDay(atoi(digits[4:6])), plus, ty, tm, td)
		if year < 0 || year > 9999 { // only for a today no caller passes; keeps the form 12 digits
			return PersonalNumber{}, ErrPersonalNumberDate
		}
		digits = pad4(year) + digits[2:]
	}
	year, month, day := atoi(digits[0:4]), time.Month(atoi(digits[4:6])), realDay(atoi(digits[6:8]))
	if !dateExists(year, month, day) {
		return PersonalNumber{}, ErrPersonalNumberDate
	}
	if dateAfter(year, month, day, ty, tm, td) {
		return PersonalNumber{}, ErrPersonalNumberFuture
	}
	if luhnDigit(digits[2:11]) != digits[11] {
		return PersonalNumber{}, ErrPersonalNumberChecksum
	}
	return PersonalNumber{digits: digits}, nil
}

// String is the normalised "YYYYMMDD-NNNC", the one form the system stores and compares; ""
// for the zero value. ParsePersonalNumber reads it back to the same value.
func (p PersonalNumber) String() string {
	if p.digits == "" {
		return ""
	}
	return p.digits[:8] + "-" + p.digits[8:]
}

// Digits is the bare 12 digits "YYYYMMDDNNNC", for keys such as ChildPseudonym's identity; ""
// for the zero value.
func (p PersonalNumber) Digits() string { return p.digits }

// Masked shows only the date part, "20120315-****", for screens where a hint of whom a case is
// about helps. It still identifies a child together with a name: never write it to logs.
func (p PersonalNumber) Masked() string {
	if p.digits == "" {
		return ""
	}
	return p.digits[:8] + "-****"
}

// IsZero reports whether p is the zero value, i.e. no number was given.
func (p PersonalNumber) IsZero() bool { return p.digits == "" }

// IsCoordinationNumber reports whether p is a samordningsnummer (day written as day + 60).
func (p PersonalNumber) IsCoordinationNumber() bool { return p.digits != "" && p.digits[6] >= '6' }

// BirthDate is the birth date at midnight UTC (a date, not an instant); for a samordningsnummer the
// written day minus 60. The zero value gives the zero time.
func (p PersonalNumber) BirthDate() time.Time {
	if p.digits == "" {
		return time.Time{}
	}
	return time.Date(atoi(p.digits[0:4]), time.Month(atoi(p.digits[4:6])), realDay(atoi(p.digits[6:8])), 0, 0, 0, 0, time.UTC)
}

// The errors of ValidReserveNumber, Swedish phrases like those of ParsePersonalNumber.
var (
	ErrReserveNumberFormat           = errors.New("ska ha 4–20 tecken: bokstäver A–Z, siffror och bindestreck")
	ErrReserveNumberNoLetter         = errors.New("måste innehålla minst en bokstav")
	ErrReserveNumberIsPersonalNumber = errors.New("ser ut som ett personnummer; skriv det i fältet för personnummer")
)

// ValidReserveNumber checks a reserve number (reservnummer). Regions assign these locally to people
// who have no personnummer or samordningsnummer (yet); there is no national format and no checksum,
// so this is our reading of what is safe to accept: 4–20 characters of ASCII letters, digits and
// '-', at least one letter. Letters outside A–Z (å, ä, ö) are refused so that the same number always
// compares equal whatever keyboard typed it.
//
// Anything with the shape of a personnummer (10 or 12 digits, with or without its separator, valid
// check digit or not) is refused with its own message, so nobody puts a personnummer in the reserve
// field and the case escapes the one-open-case-per-child rule. The letter rule alone would refuse
// it too; the shape check is there for the clearer message. Spaces are not trimmed: the caller
// stores exactly what was checked.
func ValidReserveNumber(s string) error {
	if _, _, ok := splitPersonalNumber(s); ok {
		return ErrReserveNumberIsPersonalNumber
	}
	if len(s) < 4 || len(s) > 20 {
		return ErrReserveNumberFormat
	}
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letter = true
		case isDigit(c), c == '-':
		default:
			return ErrReserveNumberFormat
		}
	}
	if !letter {
		return ErrReserveNumberNoLetter
	}
	return nil
}

// splitPersonalNumber recognises the five written forms and returns the bare 10 or 12 digits and
// whether the separator was '+'.
func splitPersonalNumber(s string) (digits string, plus bool, ok bool) {
	switch {
	case len(s) == 13 && s[8] == '-':
		digits = s[:8] + s[9:]
	case len(s) == 11 && (s[6] == '-' || s[6] == '+'):
		digits, plus = s[:6]+s[7:], s[6] == '+'
	case len(s) == 12 || len(s) == 10:
		digits = s
	default:
		return "", false, false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return "", false, false
		}
	}
	return digits, plus, true
}

// centuryFor gives a 10-digit form's two-digit year yy its full year (see ParsePersonalNumber).
// It compares month and day only and the caller checks the date afterwards, in the century chosen:
// a 29 February that lands in a year without one is "datumet finns inte", never moved a century.
func centuryFor(yy int, month time.Month, day int, plus bool, ty int, tm time.Month, td int) int {
	year := ty - ((ty-yy)%100+100)%100 // the latest year up to this one that ends in yy
	switch {
	case plus:
		// Not "100 years before the '-' reading": someone turning 100 later this year already
		// writes '+', and that reading would make them 200.
		year -= 100
	case dateAfter(year, month, day, ty, tm, td):
		year -= 100
	}
	return year
}

// realDay undoes the +60 of a samordningsnummer. Days 32–60 stay as they are and fail dateExists.
func realDay(day int) int {
	if day > 60 {
		return day - 60
	}
	return day
}

func dateExists(year int, month time.Month, day int) bool {
	if month < time.January || month > time.December || day < 1 {
		return false
	}
	// Day 0 of the next month is the last day of this one; time.Date knows the leap-year rules.
	return day <= time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateAfter compares two calendar dates without building instants, so no time zone can shift them.
func dateAfter(y1 int, m1 time.Month, d1 int, y2 int, m2 time.Month, d2 int) bool {
	if y1 != y2 {
		return y1 > y2
	}
	if m1 != m2 {
		return m1 > m2
	}
	return d1 > d2
}

// luhnDigit is the check digit of SKV 704 over the first nine digits of the 10-digit form
// (YYMMDDNNN): weights 2,1,2,1,…, the digits of each product summed, and the distance to the next
// multiple of ten.
func luhnDigit(nine string) byte {
	sum := 0
	for i := 0; i < len(nine); i++ {
		d := int(nine[i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// atoi reads a short run of ASCII digits the caller has already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func pad4(n int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
