package casework

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Every number in these tests is synthetic: written without its last digit and completed by
// withCheckDigit, and born in 2030 or later, so that none can belong to anyone alive when the tests
// were written. The "today" of each case is chosen to suit, up to 2145 for the '+' rules.

// withCheckDigit appends the SKV 704 check digit to a number written without it, in any accepted
// form ("20350412-123", "350412+123"), over its last nine digits. It is written apart from the
// package's luhnDigit so that a mistake in one does not hide in the other.
func withCheckDigit(t testing.TB, partial string) string {
	t.Helper()
	var ds []int
	for _, r := range partial {
		if '0' <= r && r <= '9' {
			ds = append(ds, int(r-'0'))
		}
	}
	if len(ds) != 9 && len(ds) != 11 {
		t.Fatalf("withCheckDigit(%q): want 9 or 11 digits", partial)
	}
	sum := 0
	for i, d := range ds[len(ds)-9:] {
		p := d * (2 - i%2) // weights 2,1,2,1,…
		sum += p/10 + p%10
	}
	return partial + strconv.Itoa((10-sum%10)%10)
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestWithCheckDigitMatchesHandArithmetic(t *testing.T) {
	// 3 5 0 4 1 2 1 2 3 weighted 2 1 2 1 2 1 2 1 2 → 6 5 0 4 2 2 2 2 6 = 29, so the check digit is 1.
	if got := withCheckDigit(t, "350412-123"); got != "350412-1231" {
		t.Fatalf("withCheckDigit = %q, want 350412-1231", got)
	}
}

func TestParsePersonalNumberAccepts(t *testing.T) {
	today2045 := ymd(2045, time.June, 15)
	today2145 := ymd(2145, time.June, 15)
	tests := []struct {
		name         string
		input        string // without its check digit
		today        time.Time
		want         string // String() without its check digit
		birth        time.Time
		coordination bool
	}{
		{"twelve digits with a hyphen are read as written", "20350412-123", today2045, "20350412-123", ymd(2035, 4, 12), false},
		{"twelve digits without a hyphen get one in String", "20350412123", today2045, "20350412-123", ymd(2035, 4, 12), false},
		{"ten digits with a hyphen get this century", "350412-123", today2045, "20350412-123", ymd(2035, 4, 12), false},
		{"ten digits without a separator get this century", "350412123", today2045, "20350412-123", ymd(2035, 4, 12), false},
		{"ten digits born earlier this year stay in this century", "450101-123", today2045, "20450101-123", ymd(2045, 1, 1), false},
		{"ten digits born today stay in this century", "450615-123", today2045, "20450615-123", ymd(2045, 6, 15), false},
		{"ten digits whose date this year is still ahead fall to the previous century", "450701-123", today2145, "20450701-123", ymd(2045, 7, 1), false},
		{"a plus sign means a hundred years or older", "350412+123", today2145, "20350412-123", ymd(2035, 4, 12), false},
		{"a plus sign before this year's hundredth birthday still means born a century ago", "450701+123", today2145, "20450701-123", ymd(2045, 7, 1), false},
		{"a plus sign after this year's hundredth birthday means born a century ago", "450101+123", today2145, "20450101-123", ymd(2045, 1, 1), false},
		{"a samordningsnummer carries the day plus sixty", "20350472-123", today2045, "20350472-123", ymd(2035, 4, 12), true},
		{"a ten-digit samordningsnummer gets its century from the real day", "450675-123", today2045, "20450675-123", ymd(2045, 6, 15), true},
		{"29 February exists in a leap year", "20360229-123", today2045, "20360229-123", ymd(2036, 2, 29), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePersonalNumber(withCheckDigit(t, tc.input), tc.today)
			if err != nil {
				t.Fatalf("ParsePersonalNumber: %v", err)
			}
			if want := withCheckDigit(t, tc.want); p.String() != want {
				t.Errorf("String() = %q, want %q", p.String(), want)
			}
			if !p.BirthDate().Equal(tc.birth) {
				t.Errorf("BirthDate() = %v, want %v", p.BirthDate(), tc.birth)
			}
			if p.IsCoordinationNumber() != tc.coordination {
				t.Errorf("IsCoordinationNumber() = %v, want %v", p.IsCoordinationNumber(), tc.coordination)
			}
		})
	}
}

func TestParsePersonalNumberRefuses(t *testing.T) {
	today := ymd(2045, time.June, 15)
	valid := withCheckDigit(t, "20350412-123")
	wrongCheck := valid[:12] + strconv.Itoa((int(valid[12]-'0')+1)%10)
	tests := []struct {
		name  string
		input string
		today time.Time
		want  error
	}{
		{"a wrong check digit is refused", wrongCheck, today, ErrPersonalNumberChecksum},
		{"30 February does not exist", withCheckDigit(t, "20360230-123"), today, ErrPersonalNumberDate},
		{"29 February does not exist in a common year", withCheckDigit(t, "20370229-123"), today, ErrPersonalNumberDate},
		{"a two-digit 29 February is judged in the century it gets", withCheckDigit(t, "000229-123"), ymd(2145, 6, 15), ErrPersonalNumberDate},
		{"month 13 does not exist", withCheckDigit(t, "20351301-123"), today, ErrPersonalNumberDate},
		{"day 00 does not exist", withCheckDigit(t, "20350400-123"), today, ErrPersonalNumberDate},
		{"a day between 32 and 60 is neither a date nor a samordningsnummer", withCheckDigit(t, "20350445-123"), today, ErrPersonalNumberDate},
		{"a samordningsnummer day above 91 does not exist", withCheckDigit(t, "20350192-123"), today, ErrPersonalNumberDate},
		{"a birth date after today is refused", withCheckDigit(t, "20450616-123"), today, ErrPersonalNumberFuture},
		{"a samordningsnummer born after today is refused", withCheckDigit(t, "20450676-123"), today, ErrPersonalNumberFuture},
		{"letters are refused", "2035041A-1234", today, ErrPersonalNumberCharacters},
		{"spaces inside are refused", "20350412 1234", today, ErrPersonalNumberCharacters},
		{"nine digits are too few", "350412123", today, ErrPersonalNumberFormat},
		{"eleven digits are neither form", "03504121234", today, ErrPersonalNumberFormat},
		{"thirteen digits are too many", "2035041212345", today, ErrPersonalNumberFormat},
		{"a hyphen in the wrong place is refused", "2035041-21234", today, ErrPersonalNumberFormat},
		{"a plus sign in the twelve-digit form is refused", strings.Replace(valid, "-", "+", 1), today, ErrPersonalNumberFormat},
		{"an empty string is refused", "   ", today, ErrPersonalNumberFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePersonalNumber(tc.input, tc.today)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParsePersonalNumber(%q) error = %v, want %v", tc.input, err, tc.want)
			}
			if !p.IsZero() {
				t.Errorf("a refused number returned %q, want the zero value", p)
			}
		})
	}
}

func TestParsePersonalNumberDetails(t *testing.T) {
	t.Run("surrounding spaces are trimmed", func(t *testing.T) {
		n := withCheckDigit(t, "20350412-123")
		p, err := ParsePersonalNumber(" \t"+n+" \n", ymd(2045, 6, 15))
		if err != nil || p.String() != n {
			t.Fatalf("got %q, %v; want %q", p, err, n)
		}
	})
	t.Run("today is read as the date where the caller's clock is", func(t *testing.T) {
		// 00:30 on 16 June in Stockholm is still 15 June in UTC; the child born on the 16th exists.
		today := time.Date(2045, 6, 16, 0, 30, 0, 0, time.FixedZone("CEST", 2*60*60))
		if _, err := ParsePersonalNumber(withCheckDigit(t, "20450616-123"), today); err != nil {
			t.Fatalf("ParsePersonalNumber: %v", err)
		}
	})
	t.Run("Masked shows the date and hides the rest", func(t *testing.T) {
		p, err := ParsePersonalNumber(withCheckDigit(t, "20350412-123"), ymd(2045, 6, 15))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Masked(); got != "20350412-****" {
			t.Errorf("Masked() = %q", got)
		}
		if got, want := p.Digits(), strings.Replace(p.String(), "-", "", 1); got != want {
			t.Errorf("Digits() = %q, want %q", got, want)
		}
	})
	t.Run("the zero value says nothing", func(t *testing.T) {
		var p PersonalNumber
		if p.String() != "" || p.Masked() != "" || p.Digits() != "" || !p.BirthDate().IsZero() || p.IsCoordinationNumber() {
			t.Errorf("zero value = %q %q %q %v %v", p.String(), p.Masked(), p.Digits(), p.BirthDate(), p.IsCoordinationNumber())
		}
	})
	t.Run("the errors are Swedish sentences for the caseworker", func(t *testing.T) {
		if got := ErrPersonalNumberChecksum.Error(); got != "kontrollsiffran stämmer inte" {
			t.Errorf("checksum error = %q", got)
		}
		if got := ErrPersonalNumberDate.Error(); got != "datumet finns inte" {
			t.Errorf("date error = %q", got)
		}
	})
}

func TestValidReserveNumber(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  error // nil: accepted
	}{
		{"letters digits and hyphens are accepted", "RES-2035-17", nil},
		{"four letters are enough", "abcd", nil},
		{"twenty characters are accepted", "ABCDEFGHIJ0123456789", nil},
		{"a personnummer-like number with a letter is accepted", "20350412-R123", nil},
		{"three characters are too few", "AB1", ErrReserveNumberFormat},
		{"twenty-one characters are too many", "ABCDEFGHIJ01234567890", ErrReserveNumberFormat},
		{"an empty string is refused", "", ErrReserveNumberFormat},
		{"spaces are refused", "RES 17", ErrReserveNumberFormat},
		{"Swedish letters are refused", "ÅSA-17", ErrReserveNumberFormat},
		{"other punctuation is refused", "RES_17", ErrReserveNumberFormat},
		{"digits and hyphens alone are refused", "2035-0412", ErrReserveNumberNoLetter},
		{"a twelve-digit personnummer is refused", withCheckDigit(t, "20350412-123"), ErrReserveNumberIsPersonalNumber},
		{"a ten-digit personnummer is refused", withCheckDigit(t, "350412123"), ErrReserveNumberIsPersonalNumber},
		{"a plus-sign personnummer is refused", withCheckDigit(t, "350412+123"), ErrReserveNumberIsPersonalNumber},
		{"a personnummer with a wrong check digit is refused too", "20350412-0000", ErrReserveNumberIsPersonalNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidReserveNumber(tc.input); !errors.Is(err, tc.want) {
				t.Fatalf("ValidReserveNumber(%q) = %v, want %v", tc.input, err, tc.want)
			}
		})
	}
}

// FuzzParsePersonalNumber: no input panics, and every accepted number reads back to itself, is not
// born after today, and is never also a valid reserve number.
func FuzzParsePersonalNumber(f *testing.F) {
	today := ymd(2045, time.June, 15)
	for _, s := range []string{
		withCheckDigit(f, "20350412-123"), withCheckDigit(f, "20350412123"), withCheckDigit(f, "350412-123"),
		withCheckDigit(f, "350412123"), withCheckDigit(f, "350412+123"), withCheckDigit(f, "20350472-123"),
		withCheckDigit(f, "000229-123"), "", " ", "++++++++++++", "2035041A-1234", "20350230-0000", "ÅÄÖ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ValidReserveNumber(s)
		p, err := ParsePersonalNumber(s, today)
		if err != nil {
			if !p.IsZero() {
				t.Fatalf("error %v came with a value %q", err, p)
			}
			return
		}
		q, err := ParsePersonalNumber(p.String(), today)
		if err != nil || q != p {
			t.Fatalf("%q parsed to %q, which reads back as %q, %v", s, p, q, err)
		}
		if p.BirthDate().After(today) {
			t.Fatalf("%q is born %v, after today", s, p.BirthDate())
		}
		if ValidReserveNumber(p.String()) == nil {
			t.Fatalf("%q is also accepted as a reserve number", p)
		}
	})
}
