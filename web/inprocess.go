package web

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
)

// InProcessTransport hands the client's requests straight to the API's handler in the same process:
// no socket, no TCP, the same code path as over the network from the handler on. `samverkan dev`
// and `serve` use it unless SAMVERKAN_WEB_API_URL points at a remote API.
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
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	t.api.ServeHTTP(rec, in)
	return &http.Response{
		Status: http.StatusText(rec.status), StatusCode: rec.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(&rec.body), ContentLength: int64(rec.body.Len()), Request: req,
	}, nil
}

// recorder is the API's side of an in-process exchange: it keeps the status, headers and body.
type recorder struct {
	header      http.Header
	body        bytes.Buffer
	status      int
	wroteHeader bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// Flush lets a handler that streams (the access-log export) flush into the buffer.
func (r *recorder) Flush() {}

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
