package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/casework"
)

// MaxBodyBytes bounds a request body: a concern is text, not attachments.
const MaxBodyBytes = 64 << 10

// DecodeJSON reads a JSON body strictly: the right content type, a bounded size, no unknown fields,
// names as written (case and all) and each once, valid UTF-8 (strict.go) – so a misspelt or
// doubled field is a 400 naming it rather than silently ignored or overriding data.
func DecodeJSON(c *gin.Context, dst any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return Status(http.StatusUnsupportedMediaType, "skicka JSON med Content-Type: application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes))
	if err != nil {
		return jsonProblem(err)
	}
	if bytes.Contains(body, []byte(`\u0000`)) {
		return FieldProblem("", ErrNUL)
	}
	if err := strictScan(body, reflect.TypeOf(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return FieldProblem("", "efter JSON-objektet får inget mer följa")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return FieldProblem("", "efter JSON-objektet får inget mer följa")
	}
	return nil
}

// ErrNUL: PostgreSQL stores no text with a NUL character (U+0000) – a query with one fails – and
// no name, identifier or text of the API needs one, so input that holds one is refused up front
// rather than ending as a 500 wherever it reaches the database.
const ErrNUL = "tecknet NUL (\\u0000, %00) kan inte sparas: ta bort det"

// RefuseNUL answers 400 to a request whose path or query holds a NUL character (%00).
func RefuseNUL(c *gin.Context) {
	u := c.Request.URL
	if strings.ContainsRune(u.Path, 0) || strings.ContainsRune(u.RawQuery, 0) || strings.Contains(u.RawQuery, "%00") {
		WriteError(c, Status(http.StatusBadRequest, "adressen innehåller "+ErrNUL))
		return
	}
	c.Next()
}

func jsonProblem(err error) error {
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
		maxErr  *http.MaxBytesError
		timeErr *time.ParseError
	)
	switch {
	case errors.As(err, &maxErr):
		return Status(http.StatusRequestEntityTooLarge, fmt.Sprintf("begäran är större än %d kB", MaxBodyBytes>>10))
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return FieldProblem("", "ogiltig JSON")
	case errors.As(err, &typeErr):
		return FieldProblem(typeErr.Field, "fel typ: ska vara "+jsonTypeName(typeErr.Type.Kind().String()))
	case errors.As(err, &timeErr):
		return FieldProblem("", "en tidpunkt ska skrivas enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return FieldProblem(name, "okänt fält")
	}
	return FieldProblem("", "ogiltig JSON")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "text"
	case "bool":
		return "true eller false"
	case "slice", "array":
		return "en lista"
	case "struct", "map":
		return "ett objekt"
	}
	return "ett tal"
}

func FieldProblem(field, reason string) error {
	return &casework.ValidationError{Fields: []casework.FieldError{{Field: field, Reason: reason}}}
}

// QueryParams reads the query string strictly, as DecodeJSON reads bodies: a parameter the endpoint
// does not know, or one given twice, is a 400 naming it rather than silently ignored.
func QueryParams(c *gin.Context, v *casework.ValidationError, known ...string) map[string]string {
	out := map[string]string{}
	query := c.Request.URL.Query()
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the problems in a stable order
	for _, k := range keys {
		switch {
		case !slices.Contains(known, k):
			v.Add(k, "okänd parameter")
		case len(query[k]) > 1:
			v.Add(k, "får anges en gång")
		default:
			out[k] = query[k][0]
		}
	}
	return out
}
