package telemetry

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// ReadModel is where the business metrics are counted: the read model of the cases (db.DB).
type ReadModel interface {
	OperationalCounts(ctx context.Context) (db.OperationalCounts, error)
}

// ReadModelCacheFor is how long one count of the read model answers scrapes: several Prometheus
// servers, or several API replicas behind one, then cost the database a few grouped queries a
// quarter minute at most.
const ReadModelCacheFor = 15 * time.Second

// readModelQueryTimeout bounds one count; a scrape in the meantime gets the previous figures.
const readModelQueryTimeout = 5 * time.Second

var (
	descCases = prometheus.NewDesc("samverkan_cases",
		"Cases in the read model by phase and municipality (closed cases are phase avslutat).",
		[]string{"phase", "municipality"}, nil)
	descCasesOverdue = prometheus.NewDesc("samverkan_cases_overdue",
		"Cases with a missed deadline whose step is still not done, by phase and municipality.",
		[]string{"phase", "municipality"}, nil)
	descNextDeadline = prometheus.NewDesc("samverkan_cases_next_deadline",
		"Cases by the kind of their earliest open deadline.",
		[]string{"municipality", "deadline_kind"}, nil)
	descTasksOpen = prometheus.NewDesc("samverkan_tasks_open",
		"Steps open in cases, by task kind (handle_deviation: cases with a deviation awaiting its supervisor).",
		[]string{"municipality", "task"}, nil)
	descTasksOverdue = prometheus.NewDesc("samverkan_tasks_overdue",
		"Open steps whose deadline has passed, by task kind.",
		[]string{"municipality", "task"}, nil)
	descNotifications = prometheus.NewDesc("samverkan_notifications_total",
		"Notifications recorded since the start, by kind (reminder, deadline_missed, …) and the deadline kind they are about; each once, however many recipients.",
		[]string{"kind", "deadline_kind"}, nil)
	descMails = prometheus.NewDesc("samverkan_mail_outbox",
		"Notification mails in the outbox by status (pending, sending, sent, no_address).",
		[]string{"status"}, nil)
	descMailsWaiting = prometheus.NewDesc("samverkan_mail_outbox_waiting_over_hour",
		"Notification mails not sent an hour after they were made: the mail server is away or refuses them (README: Notifications and mail).",
		nil, nil)
	descUp = prometheus.NewDesc("samverkan_read_model_up",
		"1 if the last count of the read model succeeded, 0 if the figures are older than they should be.",
		nil, nil)
	descAge = prometheus.NewDesc("samverkan_read_model_count_age_seconds",
		"Age of the read model figures served.",
		nil, nil)
)

// phases are the case phases every municipality reports, 0 when it has none in one, so a panel or
// an alert sees a series from the first scrape.
var phases = []casework.Phase{casework.PhaseUpptacka, casework.PhaseKartlagga, casework.PhaseSamarbeta,
	casework.PhaseUppfoljning, casework.PhaseClosed}

// RegisterReadModel adds the business gauges, counted from src at scrape time and kept for
// ReadModelCacheFor.
func (r *Registry) RegisterReadModel(src ReadModel) error {
	return r.reg.Register(&readModelCollector{src: src, log: r.log, now: time.Now, cacheFor: ReadModelCacheFor})
}

type readModelCollector struct {
	src      ReadModel
	log      *slog.Logger
	now      func() time.Time
	cacheFor time.Duration

	mu      sync.Mutex
	counts  db.OperationalCounts
	triedAt time.Time // the last count, successful or not
	countAt time.Time // the last successful count; zero before the first
	ok      bool      // the last count succeeded
}

func (c *readModelCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCases, descCasesOverdue, descNextDeadline, descTasksOpen, descTasksOverdue,
		descNotifications, descMails, descMailsWaiting, descUp, descAge} {
		ch <- d
	}
}

func (c *readModelCollector) Collect(ch chan<- prometheus.Metric) {
	counts, at, ok := c.current()
	ch <- gauge(descUp, boolValue(ok))
	if at.IsZero() {
		return // never counted: no figures rather than false zeros
	}
	ch <- gauge(descAge, c.now().Sub(at).Seconds())
	type key struct{ phase, municipality string }
	byPhase := map[key]db.PhaseCount{}
	for _, p := range counts.Cases {
		byPhase[key{p.Phase, p.MunicipalityID}] = p
	}
	for _, m := range counts.Municipalities {
		for _, ph := range phases {
			p := byPhase[key{string(ph), m}]
			delete(byPhase, key{string(ph), m})
			ch <- gauge(descCases, float64(p.Cases), string(ph), m)
			ch <- gauge(descCasesOverdue, float64(p.Overdue), string(ph), m)
		}
	}
	for _, p := range counts.Cases {
		if _, left := byPhase[key{p.Phase, p.MunicipalityID}]; left { // a phase or municipality not listed above
			ch <- gauge(descCases, float64(p.Cases), p.Phase, p.MunicipalityID)
			ch <- gauge(descCasesOverdue, float64(p.Overdue), p.Phase, p.MunicipalityID)
		}
	}
	for _, d := range counts.NextDeadlines {
		ch <- gauge(descNextDeadline, float64(d.Cases), d.MunicipalityID, string(d.Kind))
	}
	for _, t := range counts.Tasks {
		ch <- gauge(descTasksOpen, float64(t.Open), t.MunicipalityID, t.Kind)
		ch <- gauge(descTasksOverdue, float64(t.Overdue), t.MunicipalityID, t.Kind)
	}
	for _, n := range counts.Notifications {
		ch <- prometheus.MustNewConstMetric(descNotifications, prometheus.CounterValue, float64(n.Notified), n.Kind, string(n.DeadlineKind))
	}
	// Every status is reported, 0 where no mail is in it, so a dashboard's series exist from the
	// first scrape and a status that empties reads 0 rather than vanishing.
	mails := map[db.MailStatus]int64{}
	for _, m := range counts.Mails {
		mails[m.Status] += m.Mails
	}
	for _, status := range db.MailStatuses {
		ch <- gauge(descMails, float64(mails[status]), string(status))
		delete(mails, status)
	}
	for _, m := range counts.Mails {
		if _, unknown := mails[m.Status]; unknown {
			ch <- gauge(descMails, float64(m.Mails), string(m.Status))
		}
	}
	ch <- gauge(descMailsWaiting, float64(counts.MailsWaitingOverHour))
}

// current returns the cached figures, counting again when the last try is older than cacheFor.
// One scrape counts while the others wait for it; a failed count keeps serving the last figures
// and is not tried again before cacheFor, so a database that is down is not asked on every scrape.
func (c *readModelCollector) current() (db.OperationalCounts, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.triedAt.IsZero() && c.now().Sub(c.triedAt) < c.cacheFor {
		return c.counts, c.countAt, c.ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), readModelQueryTimeout)
	defer cancel()
	counts, err := c.src.OperationalCounts(ctx)
	c.triedAt = c.now()
	if err != nil {
		if c.log != nil {
			c.log.Error("count the read model for metrics", "error", err)
		}
		c.ok = false
		return c.counts, c.countAt, false
	}
	c.counts, c.countAt, c.ok = counts, c.triedAt, true
	return c.counts, c.countAt, true
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
