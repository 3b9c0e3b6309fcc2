package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/casework"
)

// decodeJSON reads a JSON body strictly: the right content type, a bounded size and no unknown
// fields, so a misspelt field is a 400 naming it rather than silently ignored data.
func decodeJSON(c *gin.Context, dst any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return errStatus(http.StatusUnsupportedMediaType, "skicka JSON med Content-Type: application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return fieldProblem("", "efter JSON-objektet får inget mer följa")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fieldProblem("", "efter JSON-objektet får inget mer följa")
	}
	return nil
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
		return errStatus(http.StatusRequestEntityTooLarge, fmt.Sprintf("begäran är större än %d kB", maxBodyBytes>>10))
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fieldProblem("", "ogiltig JSON")
	case errors.As(err, &typeErr):
		return fieldProblem(typeErr.Field, "fel typ: ska vara "+jsonTypeName(typeErr.Type.Kind().String()))
	case errors.As(err, &timeErr):
		return fieldProblem("", "en tidpunkt ska skrivas enligt RFC 3339, t.ex. 2026-11-26T09:30:00+01:00")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldProblem(name, "okänt fält")
	}
	return fieldProblem("", "ogiltig JSON")
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

func fieldProblem(field, reason string) error {
	return &casework.ValidationError{Fields: []casework.FieldError{{Field: field, Reason: reason}}}
}
