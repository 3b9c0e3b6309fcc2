package web

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAProblemsDetailIsShownAsASentence(t *testing.T) {
	p := &Problem{Status: http.StatusForbidden, Detail: "återkallelse registreras av barnets bästa-ansvarig"}
	require.Equal(t, "Återkallelse registreras av barnets bästa-ansvarig", problemText(p), "a letter outside ASCII is capitalised whole")
}

func TestTheAPIsProblemsGoToTheFieldsTheyName(t *testing.T) {
	f := &form{Errors: map[string]string{}}
	f.At("decisions[1].reason", formField{ID: "decision-bup-reason", Label: "BUP, skäl"})
	f.addProblem(&Problem{Status: http.StatusBadRequest, Fields: []FieldError{
		{Field: "decisions[1].reason", Reason: "ange varför inga fler insatser behövs från er"},
		{Field: "commonPicture", Reason: "saknas"},
		{Field: "attendance[0]", Reason: "child var inte kallad"},
		{Field: "somethingElse", Reason: "okänt fält"},
	}}, map[string]formField{
		"commonPicture": {ID: "common-picture", Label: "Gemensam bild"},
		"attendance":    {ID: "present", Label: "Deltagare"},
	})
	require.Equal(t, map[string]string{
		"decision-bup-reason": "Ange varför inga fler insatser behövs från er",
		"common-picture":      "Gemensam bild saknas",
		"present":             "Child var inte kallad",
	}, f.Errors)
	require.Equal(t, []summaryItem{
		{FieldID: "decision-bup-reason", Text: "BUP, skäl: ange varför inga fler insatser behövs från er"},
		{FieldID: "common-picture", Text: "Gemensam bild saknas"},
		{FieldID: "present", Text: "Deltagare: child var inte kallad"},
		{Text: "okänt fält"},
	}, f.Summary)
}
