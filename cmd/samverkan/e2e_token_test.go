package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenForTheSchoolsSupervisorReadsTheSchoolsCase follows the README: `samverkan token --user
// david.chef` is a token of the school's supervisor, who reads a case of the school. david.chef
// supervises four units, and the school is not the first of them; the preschool's supervisor, which
// he also is, has no part in the case.
func TestTokenForTheSchoolsSupervisorReadsTheSchoolsCase(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna := s.token("anna.larare")
	created := s.concernCase(anna, childConcern("Tilde Påhittad", birthDateForAge(13), 412, "7", []string{"lärande"},
		"Kommer sent varje dag sedan höstlovet.", false, time.Now().Add(-time.Hour)))
	require.Equal(t, "norrkoping-skola-1", created.NamedPersonUnit.ID)

	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"token", "--user", "david.chef"}, s.getenv, &out, &errOut), errOut.String())
	david := strings.TrimSpace(out.String())
	assert.NotContains(t, david, "\n", "stdout holds the token alone")

	t.Run("the default token reads the school's case", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+created.CaseID, david, nil, nil))
	})
	t.Run("stderr says which assignment the token is for and lists the others", func(t *testing.T) {
		listed := errOut.String()
		assert.Contains(t, listed, "* supervisor@norrkoping-skola-1")
		for _, unit := range []string{"norrkoping-forskola-1", "norrkoping-gymnasium-1", "norrkoping-kaa"} {
			assert.Contains(t, listed, "  supervisor@"+unit)
		}
	})
	t.Run("another assignment is chosen by --assignment, and the preschool's supervisor does not see the case", func(t *testing.T) {
		preschool := s.command("token", "--user", "david.chef", "--assignment", "supervisor@norrkoping-forskola-1")
		assert.Equal(t, http.StatusNotFound, s.call("GET", "/api/v1/cases/"+created.CaseID, preschool, nil, nil))
	})
}
