package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// BenchmarkFirstPageInColdChromium measures how soon the first page of `samverkan dev` – the start
// page a person opens first – is usable in a cold browser: each round starts Debian's headless
// Chromium with a new, empty profile (no cache, no cookies), opens the page, and reads the browser's
// own navigation timing (PerformanceNavigationTiming, from the start of the navigation): when the
// document was parsed and the deferred script had run (interactive-ms: domContentLoadedEventEnd)
// and when every resource had loaded (load-ms: loadEventEnd). start-ms is Chromium's own start
// before that, reported apart since it is the browser's and not the page's. Skipped without chromium.
//
//	CGO_ENABLED=0 go test ./cmd/samverkan -run '^$' -bench BenchmarkFirstPageInColdChromium -benchtime 20x
func BenchmarkFirstPageInColdChromium(b *testing.B) {
	path := chromiumPath()
	if path == "" {
		b.Skip("needs Debian's chromium (apt-get install -y chromium)")
	}
	s := newSystem(b)
	s.start()
	b.Logf("load average before measuring: %s", loadAverage())
	var starts, interactive, loaded []time.Duration
	for b.Loop() {
		start, timing := coldNavigation(b, path, s.apiURL+"/")
		starts = append(starts, start)
		interactive = append(interactive, time.Duration(timing.DOMContentLoadedEventEnd*float64(time.Millisecond)))
		loaded = append(loaded, time.Duration(timing.LoadEventEnd*float64(time.Millisecond)))
	}
	b.ReportMetric(ms(percentile(interactive, 0.50)), "interactive-p50-ms")
	b.ReportMetric(ms(percentile(interactive, 1)), "interactive-max-ms")
	b.ReportMetric(ms(percentile(loaded, 0.50)), "load-p50-ms")
	b.ReportMetric(ms(percentile(loaded, 1)), "load-max-ms")
	b.ReportMetric(ms(percentile(starts, 0.50)), "start-p50-ms")
	b.Logf("load average after measuring: %s", loadAverage())
}

// navigationTiming is what the benchmark reads of the page's PerformanceNavigationTiming.
type navigationTiming struct {
	DOMContentLoadedEventEnd float64 `json:"domContentLoadedEventEnd"`
	LoadEventEnd             float64 `json:"loadEventEnd"`
}

// coldNavigation starts a Chromium with a new profile, opens url in it and returns how long the
// browser took to start and the page's navigation timing.
func coldNavigation(b *testing.B, path, url string) (time.Duration, navigationTiming) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(b.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	began := time.Now()
	require.NoError(b, chromedp.Do(ctx), "start chromium")
	started := time.Since(began)
	run, stop := context.WithTimeout(ctx, 60*time.Second)
	defer stop()
	require.NoError(b, chromedp.Do(run, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1"))))
	var timing navigationTiming
	require.Eventually(b, func() bool {
		timing, _ = chromedp.Run(run, chromedp.Evaluate[navigationTiming](`performance.getEntriesByType("navigation")[0].toJSON()`))
		return timing.LoadEventEnd > 0
	}, 30*time.Second, 10*time.Millisecond, "the page never finished loading")
	return started, timing
}
