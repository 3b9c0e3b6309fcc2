package web

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
)

// InProcessTransport hands the client's requests straight to the API's handler in the same process:
// no socket, no TCP, the same code path as over the network from the handler on. `samverkan dev`
// and `serve` use it unless SAMVERKAN_WEB_API_URL points at a remote API.
//
// The answer streams as over the network: the response is returned when the handler has sent its
// headers, and its body is read while the handler writes it, so an access-log export of a year
// passes through the front end to the browser without being held in memory. Trailers the handler
// announces (X-Export-Complete) arrive in the response's Trailer once the body has been read.
func InProcessTransport(api http.Handler) http.RoundTripper { return inProcess{api} }

type inProcess struct{ api http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	// The API sees the browser's address as its peer, as it would behind a trusted proxy, so that its
	// per-address limit and its access log name the user's machine and not this process.
	in.RemoteAddr = "127.0.0.1:0"
	if addr := in.Header.Get("X-Forwarded-For"); addr != "" {
		in.RemoteAddr = net.JoinHostPort(addr, "0")
		in.Header.Del("X-Forwarded-For")
	}
	in.RequestURI = req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	body, pipe := io.Pipe()
	w := &streamWriter{live: http.Header{}, pipe: pipe, sent: make(chan struct{})}
	go w.serve(t.api, in)
	select {
	case <-w.sent:
	case <-req.Context().Done():
		_ = body.CloseWithError(req.Context().Err())
		return nil, req.Context().Err()
	}
	return &http.Response{
		Status: http.StatusText(w.status), StatusCode: w.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.header, Trailer: w.trailer, Body: body, ContentLength: -1, Request: req,
	}, nil
}

// streamWriter is the API's side of an in-process exchange. Its headers are copied when they are
// sent, as a server sends them; the body goes through a pipe to the client.
type streamWriter struct {
	live   http.Header // what the handler sets
	pipe   *io.PipeWriter
	once   sync.Once
	sent   chan struct{} // closed when status and header are fixed
	status int
	header http.Header // as sent
	// trailer holds the announced trailers' keys from the start and their values once the handler
	// has returned (before the pipe closes, so a reader who saw the body's end sees them).
	trailer http.Header
}

func (w *streamWriter) Header() http.Header { return w.live }

func (w *streamWriter) WriteHeader(status int) {
	w.once.Do(func() {
		w.status, w.header = status, w.live.Clone()
		for _, v := range w.header.Values("Trailer") {
			for _, k := range strings.Split(v, ",") {
				if k = strings.TrimSpace(k); k != "" {
					if w.trailer == nil {
						w.trailer = http.Header{}
					}
					w.trailer[textproto.CanonicalMIMEHeaderKey(k)] = nil
				}
			}
		}
		close(w.sent)
	})
}

func (w *streamWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pipe.Write(b)
}

// Flush lets a handler that streams flush; the pipe hands every write on at once anyway.
func (w *streamWriter) Flush() {}

// serve runs the handler and ends the body: with EOF when it returned, with an error when it
// panicked (the client then sees a body that broke off, as over the network).
func (w *streamWriter) serve(api http.Handler, req *http.Request) {
	ended := errors.New("the API's handler panicked")
	defer func() {
		if p := recover(); p != nil {
			w.WriteHeader(http.StatusInternalServerError)
			_ = w.pipe.CloseWithError(ended)
			return
		}
		w.WriteHeader(http.StatusOK)
		for k := range w.trailer {
			w.trailer[k] = w.live.Values(k)
		}
		_ = w.pipe.Close()
	}()
	api.ServeHTTP(w, req)
}

type clientAddrKey struct{}

// withClientAddr remembers the browser's IP address (from the front end's peer, host:port) for the
// API calls made while serving its request.
func withClientAddr(ctx context.Context, remoteAddr string) context.Context {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		remoteAddr = host
	}
	return context.WithValue(ctx, clientAddrKey{}, remoteAddr)
}

func clientAddrFrom(ctx context.Context) string {
	addr, _ := ctx.Value(clientAddrKey{}).(string)
	return addr
}
