package activities

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// BenchmarkMailDuplicateWindow measures the one window in which a mail can go twice: from the
// server's 250 to the end of DATA until `sent` is committed in the outbox (activities/mail.go,
// Mailer). A worker killed inside it leaves a `sending` row that the activity's retry sends again.
// It reports the window's p50, p99 and maximum in milliseconds over b.N mails to the test SMTP
// server, on SQLite, or on PostgreSQL with SAMVERKAN_TEST_DATABASE_URL.
//
//	CGO_ENABLED=0 go test ./activities -run '^$' -bench BenchmarkMailDuplicateWindow -benchtime 500x
func BenchmarkMailDuplicateWindow(b *testing.B) {
	f := newNotifyFixture(b)
	var windows []time.Duration
	f.a.Mail.Mailer = windowMailer{inner: f.a.Mail.Mailer, record: func(d time.Duration) { windows = append(windows, d) }}
	b.ResetTimer()
	for i := range b.N {
		req := reminderTo(fmt.Sprintf("case-bench/acknowledge/%d", i), casework.Assignee{UserID: "bertil.rektor"})
		res, err := f.a.Notify(context.Background(), req)
		if err != nil || res.Mailed != 1 {
			b.Fatalf("notify %d: %+v %v", i, res, err)
		}
	}
	b.StopTimer()
	slices.Sort(windows)
	at := func(q float64) float64 { return float64(windows[int(q*float64(len(windows)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "window-p50-ms")
	b.ReportMetric(at(0.99), "window-p99-ms")
	b.ReportMetric(at(1), "window-max-ms")
	if st := f.outbox(b, "case-bench/acknowledge/0", "bertil.rektor").Status; st != db.MailSent {
		b.Fatalf("first mail %s", st)
	}
}

// windowMailer times the accepted callback: the commit of `sent` after the server's 250.
type windowMailer struct {
	inner  Mailer
	record func(time.Duration)
}

func (m windowMailer) Send(ctx context.Context, from, to string, msg []byte, accepted func()) error {
	return m.inner.Send(ctx, from, to, msg, func() {
		began := time.Now()
		accepted()
		m.record(time.Since(began))
	})
}
