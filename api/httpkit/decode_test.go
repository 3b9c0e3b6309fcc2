package httpkit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

type strictChild struct {
	Name   string `json:"name"`
	UnitID string `json:"unitId"`
}

type strictBody struct {
	Observation string            `json:"observation"`
	Child       strictChild       `json:"child"`
	Areas       []strictChild     `json:"areas"`
	Tags        map[string]string `json:"Tags"`
}

func decodeStrict(body string) (strictBody, error) {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	var dst strictBody
	return dst, DecodeJSON(c, &dst)
}

// The probe: a duplicated unitId routed a case to another school (the last one won), and
// "Observation" overrode "observation" past the unknown-field check; invalid UTF-8 was replaced
// silently and stored. Each is a 400 naming the field.
func TestDecodeJSONIsStrict(t *testing.T) {
	for name, tc := range map[string]struct{ body, field string }{
		"a duplicated name":             {`{"child":{"unitId":"a","unitId":"b"}}`, "child.unitId"},
		"a name differing only in case": {`{"observation":"x","Observation":"y"}`, "Observation"},
		"a case-variant name alone":     {`{"Observation":"y"}`, "Observation"},
		"a case variant inside a list":  {`{"areas":[{"name":"a"},{"NAME":"b"}]}`, "areas[1].NAME"},
		"invalid UTF-8 in a value":      {"{\"child\":{\"name\":\"Ylva\xff\"}}", "child.name"},
		"invalid UTF-8 in a name":       {"{\"observation\":\"x\",\"a\xffb\":1}", ""},
		"a duplicated name in a map":    {`{"Tags":{"k":"1","k":"2"}}`, "Tags.k"},
	} {
		t.Run(name+" is 400 naming the field", func(t *testing.T) {
			_, err := decodeStrict(tc.body)
			var v *casework.ValidationError
			require.ErrorAs(t, err, &v)
			require.Equal(t, tc.field, v.Fields[0].Field, "%+v", v.Fields)
		})
	}
	t.Run("a strict body still decodes", func(t *testing.T) {
		got, err := decodeStrict(`{"observation":"Ser trött ut – åäö ✓","child":{"name":"Ylva","unitId":"a"},"areas":[{"name":"x"}],"Tags":{"K":"1","k":"2"}}`)
		require.NoError(t, err)
		require.Equal(t, "a", got.Child.UnitID)
		require.Equal(t, "Ser trött ut – åäö ✓", got.Observation)
	})
}
