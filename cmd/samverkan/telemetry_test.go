package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/config"
)

func observabilityFor(t *testing.T, env map[string]string) *observability {
	t.Helper()
	cfg, err := config.Load(newFlagSet(), nil, func(k string) string { return env[k] })
	require.NoError(t, err)
	o, err := startObservability(context.Background(), cfg, discardLogger(), "test")
	require.NoError(t, err)
	return o
}

func statusOf(t *testing.T, h http.Handler, path string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

func TestWhereMetricsAreServed(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()

	t.Run("by default beside the API, before its router", func(t *testing.T) {
		h := observabilityFor(t, nil).withMetrics(api)
		assert.Equal(t, http.StatusOK, statusOf(t, h, "/metrics"))
		assert.Equal(t, http.StatusTeapot, statusOf(t, h, "/api/v1/cases"))
	})
	t.Run("on an address of its own, and then not beside the API", func(t *testing.T) {
		o := observabilityFor(t, map[string]string{"SAMVERKAN_METRICS_ADDR": "127.0.0.1:0"})
		assert.Equal(t, http.StatusTeapot, statusOf(t, o.withMetrics(api), "/metrics"))
		stop, err := o.startMetricsListener(false)
		require.NoError(t, err)
		stop()
	})
	t.Run("off: nowhere", func(t *testing.T) {
		o := observabilityFor(t, map[string]string{"SAMVERKAN_METRICS_ADDR": "off"})
		assert.Equal(t, http.StatusTeapot, statusOf(t, o.withMetrics(api), "/metrics"))
		stop, err := o.startMetricsListener(true)
		require.NoError(t, err)
		stop()
	})
	t.Run("the worker serves them on the HTTP address", func(t *testing.T) {
		free, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := free.Addr().String()
		free.Close()
		o := observabilityFor(t, map[string]string{"SAMVERKAN_HTTP_ADDR": addr})
		stop, err := o.startMetricsListener(true)
		require.NoError(t, err)
		defer stop()
		res, err := http.Get("http://" + addr + "/metrics")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Contains(t, string(body), "go_goroutines")
	})
	t.Run("a worker whose HTTP address is taken runs without metrics", func(t *testing.T) {
		o := observabilityFor(t, map[string]string{"SAMVERKAN_HTTP_ADDR": busy.Addr().String()})
		stop, err := o.startMetricsListener(true)
		require.NoError(t, err)
		stop()
	})
	t.Run("a configured address that is taken fails the start", func(t *testing.T) {
		o := observabilityFor(t, map[string]string{"SAMVERKAN_METRICS_ADDR": busy.Addr().String()})
		_, err := o.startMetricsListener(true)
		require.Error(t, err)
	})
}

func TestPprofListensOnlyWhenAsked(t *testing.T) {
	stop, err := startPprof("", discardLogger())
	require.NoError(t, err)
	stop()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	stop, err = startPprof(addr, discardLogger())
	require.NoError(t, err)
	defer stop()
	for path, want := range map[string]int{"/debug/pprof/": http.StatusOK, "/debug/pprof/heap": http.StatusOK, "/metrics": http.StatusNotFound} {
		res, err := http.Get("http://" + addr + path)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		assert.Equal(t, want, res.StatusCode, path)
	}
}
