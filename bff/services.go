package bff

import (
	"context"
	"errors"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/pdf"
	"github.com/dandong-hrss/hrss/integrations/store/announcementdb"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
	"github.com/dandong-hrss/hrss/integrations/store/documentdb"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// openServices builds the shared domain core over the stores and the
// clients, and starts its background loops: the dispatcher that forwards
// the outbox to the counter core, and the poller that catches up on case
// events the webhook missed. Close stops the loops before the pools close.
func (m *Main) openServices(ctx context.Context) error {
	st := applicationdb.New(m.DB)
	core := m.clients.counter
	m.Dispatcher = declaration.NewDispatcher(declaration.DispatcherConfig{
		Outbox: st, Core: core, Sealer: m.Sealer, Logger: m.Logger, Metrics: dispatcherMetrics(m.Registry)})
	m.Declarations = declaration.NewService(declaration.Config{Store: st, Materials: st, Drafts: st,
		Rules: &catalogRules{cat: m.Catalog}, Sealer: m.Sealer, Core: core, Submitted: m.Dispatcher.Kick})
	after, err := m.openAftercare(st)
	if err != nil {
		return err
	}
	m.aftercare = after
	if err := m.openCertification(); err != nil {
		return err
	}
	docs, err := document.New(document.Config{Store: documentdb.New(m.DB), Renderer: pdf.New(), Sealer: m.Sealer,
		Audit: m.Audit, VerifyBaseURL: m.Config.publicURL(m.URL())})
	if err != nil {
		return err
	}
	m.Documents = docs
	seed, err := announcement.EmbeddedSeed()
	if err != nil {
		return err
	}
	// Every first screen lists the notices: kept in memory a few seconds.
	notices := cache.NewAnnouncementStore(announcementdb.New(m.DB), 0, m.Registry)
	m.closers = append(m.closers, func() error { notices.Close(); return nil })
	if m.Announcements, err = announcement.Open(ctx, announcement.Config{Store: notices, Seed: seed, Logger: m.Logger}); err != nil {
		return err
	}
	m.Progress = progress.NewService(progress.Config{Store: st, Core: core, Logger: m.Logger,
		Verifier: progress.WebhookVerifierFunc(counter.WebhookVerifier(m.Config.CounterWebhookSecret)),
		Metrics:  progressMetrics(m.Registry), Applied: after.applied})
	if m.Config.CounterURL != "" {
		// A real core learns where to post from us; the simulator was told at start.
		if err := core.RegisterWebhook(ctx, m.Config.publicURL(m.URL())+CounterWebhookPath); err != nil {
			m.Logger.Warn("could not register the webhook with the counter core; polling will catch up", "err", err)
		}
	}
	loops, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { m.Dispatcher.Run(loops) })
	wg.Go(func() { m.Progress.RunPoller(loops, m.Config.CounterPollEvery) })
	m.closers = append(m.closers, func() error { stop(); wg.Wait(); return nil })
	return nil
}

// counterWebhook receives the counter core's case events. A forged or
// stale post gets 401 and changes nothing; a replay gets 204 and changes
// nothing; anything the core should retry gets a 5xx.
func (m *Main) counterWebhook(c *fiber.Ctx) error {
	err := m.Progress.HandleWebhook(c.UserContext(), func(name string) string { return c.Get(name) }, c.Body())
	if err == nil {
		return c.SendStatus(fiber.StatusNoContent)
	}
	var de *domain.Error
	if errors.As(err, &de) && (de.Code == domain.Unauthenticated || de.Code == domain.Invalid) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, "进度暂时无法记录，请稍后重试")
}

func dispatcherMetrics(reg prometheus.Registerer) declaration.Metrics {
	lag := prometheus.NewGauge(prometheus.GaugeOpts{Name: "hrss_outbox_lag_seconds",
		Help: "How long the oldest application owed to the counter core has waited since it was acknowledged."})
	forwarded := prometheus.NewCounter(prometheus.CounterOpts{Name: "hrss_outbox_forwarded_total",
		Help: "Applications the counter core accepted."})
	retried := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hrss_outbox_retries_total",
		Help: "Forwarding attempts that failed and will be retried, by error code."}, []string{"code"})
	refused := prometheus.NewCounter(prometheus.CounterOpts{Name: "hrss_outbox_refused_total",
		Help: "Applications the counter core refused for good; staff must look at them."})
	reg.MustRegister(lag, forwarded, retried, refused)
	return declaration.Metrics{
		Lag:       func(d time.Duration) { lag.Set(d.Seconds()) },
		Forwarded: forwarded.Inc,
		Retried:   func(code domain.Code) { retried.WithLabelValues(string(code)).Inc() },
		Refused:   refused.Inc,
	}
}

func progressMetrics(reg prometheus.Registerer) progress.Metrics {
	received := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hrss_progress_events_total",
		Help: "Case events received, by source (webhook, poll) and whether they were new."}, []string{"source", "fresh"})
	refused := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hrss_progress_webhook_refused_total",
		Help: "Webhook posts refused, by reason."}, []string{"reason"})
	reg.MustRegister(received, refused)
	return progress.Metrics{
		Received: func(source string, fresh bool) {
			f := "false"
			if fresh {
				f = "true"
			}
			received.WithLabelValues(source, f).Inc()
		},
		Refused: func(reason string) { refused.WithLabelValues(reason).Inc() },
	}
}
