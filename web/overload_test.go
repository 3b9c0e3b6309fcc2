package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// The API's answer when it sheds a request beyond its bound (api/admission.go): 503 at once, with
// Retry-After, nothing applied.
const overloadedDetail = "systemet är hårt belastat just nu: inget har ändrats, försök igen om en stund"

func answerOverloaded(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Retry-After", "5")
	w.WriteHeader(http.StatusServiceUnavailable)
	_ = json.NewEncoder(w).Encode(Problem{Title: "Service Unavailable", Status: http.StatusServiceUnavailable, Detail: overloadedDetail})
}

// TestALoadedAPIKeepsWhatTheCaseworkerTyped: a command the API sheds shows the form again with what
// was typed, the API's words that the system is loaded, and the same Idempotency-Key, so that
// sending it again is one click and safe.
func TestALoadedAPIKeepsWhatTheCaseworkerTyped(t *testing.T) {
	var keys []string
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/cases/ABC-1", func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(sampleCase()) })
	api.HandleFunc("POST /api/v1/cases/ABC-1/closing", func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		answerOverloaded(w)
	})
	s := serverOverAPI(t, api)
	sess := &session{AccessToken: "t", User: "cecilia.socialsekreterare", CSRF: "c"}

	key := randomToken()
	const note = "Barnet har fått det stöd som behövdes."
	form := url.Values{"reason": {"needs_met"}, "note": {note}, fieldIdempotencyKey: {key}}
	req := parsedFormPost(t, "/arenden/ABC-1/avsluta", form)
	req.SetPathValue("caseId", "ABC-1")
	res := httptest.NewRecorder()
	s.commandPost(closeForm)(res, req, sess)

	body := html.UnescapeString(res.Body.String())
	require.Equal(t, http.StatusServiceUnavailable, res.Code, body)
	require.Equal(t, []string{key}, keys)
	require.Contains(t, body, "Systemet är hårt belastat just nu")
	require.Contains(t, body, "Det gick inte att skicka just nu", "the summary says the form was not taken")
	require.NotContains(t, body, "Det finns problem att rätta", "nothing in the form is wrong")
	require.Contains(t, body, note, "what was typed is on the form again")
	require.Contains(t, body, `value="`+key+`"`, "under the same key, so a second send is the same request")
}

// TestALoadedAPIKeepsTheReportersConcern: a concern the API sheds comes back on its check page,
// observation and all, ready to be sent again under the same key.
func TestALoadedAPIKeepsTheReportersConcern(t *testing.T) {
	var keys []string
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/units", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(UnitList{Items: []Unit{{ID: "norrkoping-skola-1", Name: "Lärkängsskolan", Kind: "school", Municipality: "norrkoping"}}})
	})
	api.HandleFunc("POST /api/v1/concerns", func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		answerOverloaded(w)
	})
	s := serverOverAPI(t, api)
	sess := &session{AccessToken: "t", User: "anna.larare", CSRF: "c"}

	key := randomToken()
	const observation = "Har inte varit i skolan på tre veckor och verkar trött."
	yesterday := time.Now().In(casework.Stockholm).AddDate(0, 0, -1).Format(time.DateOnly)
	form := url.Values{"child-name": {"Melwin Påhittad"}, "child-pnr": {"20120315-9817"}, "child-municipality": {"norrkoping"},
		"schooling-status": {"school"}, "schooling-unit": {"norrkoping-skola-1"}, "schooling-grade": {"7"}, "areas": {"lärande"},
		"observation": {observation}, "suspects-harm": {"nej"}, "occurred-date": {yesterday}, "occurred-time": {"09:30"},
		"action": {concernActionSend}, fieldIdempotencyKey: {key}}
	req := parsedFormPost(t, "/oro/ny", form)
	res := httptest.NewRecorder()
	s.concernPost(res, req, sess)

	body := html.UnescapeString(res.Body.String())
	require.Equal(t, http.StatusServiceUnavailable, res.Code, body)
	require.Equal(t, []string{key}, keys, "the concern was sent once")
	require.Contains(t, body, "Systemet är hårt belastat just nu")
	require.Contains(t, body, "Det gick inte att skicka just nu")
	require.Contains(t, body, observation)
	require.Contains(t, body, `value="`+key+`"`)
}

// TestALoadedAPIIsToldInSwedish: a page whose read the API sheds says so, and when to try again.
func TestALoadedAPIIsToldInSwedish(t *testing.T) {
	s := laterServer(t)
	sess := &session{AccessToken: "t", User: "cecilia.socialsekreterare", CSRF: "c"}
	res := httptest.NewRecorder()
	s.apiFailed(res, httptest.NewRequest(http.MethodGet, "/arenden/ABC-1", nil), sess,
		&Problem{Status: http.StatusServiceUnavailable, Detail: overloadedDetail})
	require.Equal(t, http.StatusServiceUnavailable, res.Code)
	require.Equal(t, "5", res.Header().Get("Retry-After"))
	body := html.UnescapeString(res.Body.String())
	require.Contains(t, body, "Tjänsten svarar inte just nu")
	require.Contains(t, body, "Systemet är hårt belastat just nu: inget har ändrats, försök igen om en stund.")
}
