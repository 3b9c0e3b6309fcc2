package loadgen

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A slow system must not slow the arrivals: 40 requests offered at 80/s, each answered after
// 400 ms, all leave within about half a second (a closed loop of one client would need 16 s), and
// about 30 of them are outstanding at once.
func TestArrivalsKeepTheirScheduleWhateverTheAnswersTake(t *testing.T) {
	slow := func(ctx context.Context, i int) (int, error) {
		time.Sleep(400 * time.Millisecond)
		return 201, nil
	}
	r := Run(context.Background(), Plan{Rate: 80, Duration: 500 * time.Millisecond, MaxInFlight: 1000}, slow, nil)
	if r.Arrivals() != 40 || r.Sent() != 40 || r.Succeeded() != 40 {
		t.Fatalf("arrivals %d, sent %d, 2xx %d; want 40 each", r.Arrivals(), r.Sent(), r.Succeeded())
	}
	if r.SendingTook > 700*time.Millisecond {
		t.Errorf("sending took %s: the arrivals waited for the answers", r.SendingTook)
	}
	if r.MaxInFlight() < 25 {
		t.Errorf("at most %d in flight; an open loop at 80/s with 400 ms answers has about 32", r.MaxInFlight())
	}
	if got := r.OfferedRate(); got < 60 || got > 100 {
		t.Errorf("offered rate %.1f/s, planned 80/s", got)
	}
	if got := r.CompletedRate(); got > r.OfferedRate() {
		t.Errorf("completed %.1f/s is more than offered %.1f/s", got, r.OfferedRate())
	}
}

// Past the in-flight bound an arrival is refused and counted, not queued in the generator.
func TestArrivalsPastTheInFlightBoundAreRefusedAndCounted(t *testing.T) {
	release := make(chan struct{})
	stuck := func(ctx context.Context, i int) (int, error) {
		<-release
		return 0, errors.New("connection reset")
	}
	done := make(chan *Result)
	go func() {
		done <- Run(context.Background(), Plan{Rate: 100, Duration: 300 * time.Millisecond, MaxInFlight: 5}, stuck, nil)
	}()
	time.Sleep(400 * time.Millisecond)
	close(release)
	r := <-done
	if r.Arrivals() != 30 || r.Sent() != 5 || r.Refused() != 25 {
		t.Fatalf("arrivals %d, sent %d, refused %d; want 30, 5, 25", r.Arrivals(), r.Sent(), r.Refused())
	}
	if got := r.Statuses()["none"]; got != 5 {
		t.Errorf("%d requests without an answer; want the 5 sent", got)
	}
	if r.Succeeded() != 0 {
		t.Errorf("%d succeeded; none were answered", r.Succeeded())
	}
}

func TestAContextThatEndsStopsTheArrivals(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := Run(ctx, Plan{Rate: 50, Duration: 10 * time.Second}, func(ctx context.Context, i int) (int, error) { return 200, nil }, nil)
	if r.Arrivals() < 5 || r.Arrivals() > 15 {
		t.Fatalf("%d arrivals in 200 ms at 50/s; want about 10", r.Arrivals())
	}
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{.5, 50 * time.Millisecond}, {.9, 90 * time.Millisecond}, {.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := Percentile(ds, c.p); got != c.want {
			t.Errorf("p%.0f = %s, want %s", c.p*100, got, c.want)
		}
	}
	if Percentile(nil, .99) != 0 {
		t.Error("the percentile of nothing is not 0")
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Percentile sorted its argument in place")
	}
}

// The report's windows show a backlog that grows: requests sent later wait longer.
func TestTheReportShowsEachWindowAndTheStatuses(t *testing.T) {
	r := newResult(Plan{Rate: 1, Duration: 30 * time.Second, MaxInFlight: 10})
	r.record(time.Second, 10*time.Millisecond, 201, nil)
	r.record(12*time.Second, 900*time.Millisecond, 201, nil)
	r.record(13*time.Second, time.Second, 503, nil)
	r.record(25*time.Second, 0, 0, errors.New("timeout"))
	r.Took = 30 * time.Second
	var out bytes.Buffer
	r.Report(&out)
	text := out.String()
	for _, want := range []string{"201×2 503×1 none×1", "sent    0–  10 s:     1 sent, 2xx p50 10.0 ms", "sent   10–  20 s:     2 sent, 2xx p50 900.0 ms", "others 503×1", "sent   20–  30 s:     1 sent, 2xx none; others none×1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}
