package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// BenchmarkInboxPage is the web tier's own share of Mina uppgifter with 600 tasks: the API is a
// stub that answers at once, so what is measured is decoding its pages, building the rows (the
// working-day count of each deadline) and rendering the template. BenchmarkWebPages
// (cmd/samverkan) measures the whole path.
func BenchmarkInboxPage(b *testing.B) {
	due := time.Now().AddDate(0, 0, 3)
	var tasks []Task
	for i := range 600 {
		tasks = append(tasks, Task{CaseID: fmt.Sprintf("case%022d-abcdefgh", i), Kind: "acknowledge", Title: "Ta emot ärendet", DueAt: &due})
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/me/tasks", func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		page := TaskList{Items: tasks[from:min(from+200, len(tasks))]}
		if from+200 < len(tasks) {
			next := strconv.Itoa(from + 200)
			page.NextCursor = &next
		}
		_ = json.NewEncoder(w).Encode(page)
	})
	api.HandleFunc("GET /api/v1/me/notifications", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(NotificationList{Items: []Notification{}})
	})
	s := serverOverAPI(b, api)
	sess := &session{AccessToken: "t", User: "bertil.rektor", Role: "named_person", Unit: "norrkoping-skola-1", CSRF: "c"}
	for b.Loop() {
		res := httptest.NewRecorder()
		s.tasksPage(res, httptest.NewRequest(http.MethodGet, "/uppgifter", nil), sess)
		if res.Code != http.StatusOK {
			b.Fatalf("status %d: %s", res.Code, res.Body.String())
		}
	}
}
