package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// An export streams through the in-process transport: the answer and its first rows reach the
// client while the API's handler is still writing, so a year of the access log is never held whole
// in memory; the completeness trailer arrives once the body has been read.
func TestTheInProcessTransportStreamsAndCarriesTrailers(t *testing.T) {
	release := make(chan struct{})
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", exportCompleteTrailer)
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Disposition", `attachment; filename="x.csv"`)
		_, _ = io.WriteString(w, "first row\n")
		<-release
		_, _ = io.WriteString(w, "last row\n")
		w.Header().Set(exportCompleteTrailer, "true")
	})
	cl := NewClient("http://api.test", InProcessTransport(api))
	d, err := cl.download(context.Background(), call{method: http.MethodGet, path: "/api/v1/audit/access-log"})
	require.NoError(t, err, "the answer came before the handler finished")
	defer d.Close()
	require.Equal(t, "text/csv", d.ContentType)
	first := make([]byte, len("first row\n"))
	_, err = io.ReadFull(d.Body(), first)
	require.NoError(t, err)
	require.Equal(t, "first row\n", string(first), "the first rows arrive while the handler still writes")
	close(release)
	rest, err := io.ReadAll(d.Body())
	require.NoError(t, err)
	require.Equal(t, "last row\n", string(rest))
	require.True(t, d.Complete())
}

func TestADownloadWithoutItsCompletenessTrailerIsCutOff(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", exportCompleteTrailer)
		_, _ = io.WriteString(w, `{"entries":[`) // the database failed: no end, no trailer
	})
	s, _ := testServer(t, "")
	s.api = NewClient("http://api.test", InProcessTransport(api))
	d, err := s.api.ExportAccessLog(context.Background(), "t", AccessLogExportQuery{})
	require.NoError(t, err)
	res := httptest.NewRecorder()
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		s.sendDownload(res, httptest.NewRequest(http.MethodPost, pathAccessExport, nil), d)
	}, "the browser's download fails rather than ending as if whole")
	require.False(t, d.Complete())
}

func TestAnAPIHandlerThatPanicsBreaksTheBodyOff(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "half")
		panic("boom")
	})
	res, err := InProcessTransport(api).RoundTrip(httptest.NewRequest(http.MethodGet, "http://api.test/x", nil))
	require.NoError(t, err)
	_, err = io.ReadAll(res.Body)
	require.Error(t, err)
}

func TestAnAPIErrorBeforeTheFileIsAProblem(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"status":400,"title":"Bad Request","fields":[{"field":"from","reason":"ska ligga före to"}]}`)
	})
	_, err := NewClient("http://api.test", InProcessTransport(api)).ExportAccessLog(context.Background(), "t", AccessLogExportQuery{From: "x"})
	var p *Problem
	require.ErrorAs(t, err, &p)
	require.Equal(t, http.StatusBadRequest, p.Status)
	require.Equal(t, "from", p.Fields[0].Field)
}
