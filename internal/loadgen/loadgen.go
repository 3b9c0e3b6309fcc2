// Package loadgen offers requests at a fixed arrival rate – an open loop – and measures what came
// back. An open loop is what a region's users are: a caseworker does not wait for another's answer
// before pressing send, so a slow system meets a growing queue, not politely slower clients. A
// closed loop (N clients each waiting for its answer) hides exactly that (issue 16: its 23.7/s hid
// a collapse at 30/s), so request i is sent at start + i/rate whether or not earlier ones were
// answered, and a system that falls behind shows it as growing latency and requests in flight.
package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Plan is what to offer: Rate requests a second for Duration. MaxInFlight bounds the requests
// outstanding at once so that the generator cannot exhaust its own machine against a system that
// stopped answering; an arrival that finds the bound reached is not sent and counts as Refused, so
// the figures still say that the system did not keep up.
type Plan struct {
	Rate        float64
	Duration    time.Duration
	MaxInFlight int
}

// Request sends request number i (from 0) and says how it was answered: the HTTP status, or an
// error when there was no answer (status 0).
type Request func(ctx context.Context, i int) (status int, err error)

// Run offers the plan's arrivals to send and waits for every answer (or ctx's end). progress, when
// not nil, is called about once a second with the figures so far.
func Run(ctx context.Context, plan Plan, send Request, progress func(Snapshot)) *Result {
	r := newResult(plan)
	interval := time.Duration(float64(time.Second) / plan.Rate)
	total := int(plan.Duration.Seconds() * plan.Rate)
	var (
		wg       sync.WaitGroup
		inFlight atomic.Int64
	)
	start := time.Now()
	r.Began = start
	nextProgress := start.Add(time.Second)
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		if !sleepUntil(ctx, due) {
			break
		}
		// Lateness of the generator itself: a generator that cannot keep its schedule would
		// measure a closed loop in disguise, so it is reported rather than hidden.
		r.noteLateness(time.Since(due))
		if progress != nil && time.Now().After(nextProgress) {
			progress(r.snapshot(inFlight.Load()))
			nextProgress = nextProgress.Add(time.Second)
		}
		if plan.MaxInFlight > 0 && inFlight.Load() >= int64(plan.MaxInFlight) {
			r.refuse()
			continue
		}
		n := inFlight.Add(1)
		r.noteInFlight(n)
		wg.Go(func() {
			defer inFlight.Add(-1)
			sent := time.Now()
			status, err := send(ctx, i)
			r.record(sent.Sub(start), time.Since(sent), status, err)
		})
	}
	r.SendingTook = time.Since(start)
	r.InFlightAtEnd = int(inFlight.Load())
	wg.Wait()
	r.Took = time.Since(start)
	return r
}

// sleepUntil waits until t, or says false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	wait := time.Until(t)
	if wait <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
