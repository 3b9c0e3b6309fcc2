package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encoding/json (v1) is lenient where the API must not be (issue 17): it matches an object's names
// to a struct's fields case-insensitively ("Observation" fills observation), lets the last of two
// equal names win (a second "unitId" routed a case to another school), and replaces invalid UTF-8
// with U+FFFD, storing text the client never sent. strictScan reads the body once before it is
// decoded and refuses all three, naming the field, in the API's field notation (child.unitId,
// areas[1].level). encoding/json/v2 would do this itself, but is still an experiment in Go 1.26.

var errStrict = errors.New("strict JSON")

// strictScan checks body against the type it will be decoded into.
func strictScan(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	s := &scanner{dec: dec, body: body}
	if err := s.value(t, ""); err != nil && !errors.Is(err, errStrict) {
		return nil // not JSON: the decoder says so in its own words
	} else if err != nil {
		return s.problem
	}
	return nil
}

type scanner struct {
	dec     *json.Decoder
	body    []byte
	problem error
}

func (s *scanner) fail(field, reason string) error {
	s.problem = FieldProblem(field, reason)
	return errStrict
}

// token reads the next token and checks that its raw bytes are valid UTF-8 (the decoder would
// have replaced what is not).
func (s *scanner) token() (json.Token, bool, error) {
	from := s.dec.InputOffset()
	tok, err := s.dec.Token()
	if err != nil {
		return nil, false, err
	}
	return tok, utf8.Valid(s.body[from:s.dec.InputOffset()]), nil
}

func (s *scanner) value(t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, valid, err := s.token()
	if err != nil {
		return err
	}
	if !valid {
		return s.fail(path, "innehåller tecken som inte är giltig UTF-8")
	}
	switch tok {
	case json.Delim('{'):
		return s.object(t, path)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; s.dec.More(); i++ {
			if err := s.value(elem, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err := s.dec.Token()
		return err
	}
	return nil
}

func (s *scanner) object(t reflect.Type, path string) error {
	fields := jsonFields(t)
	var elem reflect.Type
	if t != nil && t.Kind() == reflect.Map {
		elem = t.Elem()
	}
	seen := map[string]bool{}
	for s.dec.More() {
		tok, valid, err := s.token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if !valid {
			return s.fail(path, "ett fältnamn är inte giltig UTF-8")
		}
		field := join(path, name)
		ft := elem
		if fields != nil {
			// A struct's names are matched case-insensitively by the decoder: two names that differ
			// only in case are one field given twice, and a name that matches only in case is no
			// field of it.
			key := strings.ToLower(name)
			if seen[key] {
				return s.fail(field, "anges mer än en gång")
			}
			seen[key] = true
			var exact bool
			ft, exact = fields[name]
			if !exact {
				ft, exact = fields[looseName(name)]
			}
			if !exact && fieldFold(fields, name) {
				return s.fail(field, "okänt fält (namnen skiljer på stora och små bokstäver)")
			}
		} else {
			if seen[name] {
				return s.fail(field, "anges mer än en gång")
			}
			seen[name] = true
		}
		if err := s.value(ft, field); err != nil {
			return err
		}
	}
	_, err := s.dec.Token()
	return err
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonFields are a struct type's JSON names with their types, embedded structs' included; nil for
// anything that is not a struct.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			for k, v := range jsonFields(ft) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			// A field without a JSON name keeps encoding/json's case-insensitive match: it
			// names no spelling to hold the client to.
			name = looseName(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// looseName is the key of a field without a JSON name, matched whatever the case.
func looseName(name string) string { return "\x00" + strings.ToLower(name) }

func fieldFold(fields map[string]reflect.Type, name string) bool {
	for k := range fields {
		if !strings.HasPrefix(k, "\x00") && strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}
