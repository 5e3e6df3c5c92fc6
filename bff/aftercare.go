package bff

import (
	"context"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/dandong-hrss/hrss/integrations/notifysend"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
	"github.com/dandong-hrss/hrss/integrations/store/notifydb"
	"github.com/dandong-hrss/hrss/integrations/store/ratingdb"
	"github.com/prometheus/client_golang/prometheus"
)

// aftercare is what happens once an application moves: the applicant is
// told (notifications), and a finished one becomes rateable (好差评) and is
// reminded to be rated. It hangs off progress's Applied hook.
type aftercare struct {
	apps   *applicationdb.Store
	sealer privacy.Sealer
	// phoneOf is the phone the business core has on record for a person.
	phoneOf func(context.Context, domain.IDNumber) (domain.Phone, error)
	notify  *notify.Service
	ratings *rating.Service
	// cache drops what the read-through cache holds of a person or unit.
	cache *cache.CachedCore
	// openID finds the follower bound to a person; nil until the WeChat
	// channel is wired, and then every notice goes by SMS.
	openID func(ctx context.Context, personRef string) (string, bool, error)
}

// openAftercare builds notifications and ratings and starts their loops.
func (m *Main) openAftercare(st *applicationdb.Store) (*aftercare, error) {
	wx := notifysend.NewWeChat(m.clients.wechat, notifysend.WeChatConfig{Templates: notifysend.DefaultTemplates()})
	ns, err := notify.New(notify.Config{Store: notifydb.New(m.DB), WeChat: wx, Follower: wx,
		SMS: notifysend.NewSMS(m.clients.sms), Phones: m.Sealer,
		LinkBase: m.Config.publicURL(m.URL()) + "/h5", Metrics: notifyMetrics(m.Registry)})
	if err != nil {
		return nil, err
	}
	a := &aftercare{apps: st, sealer: m.Sealer, notify: ns, cache: m.cachedCore,
		phoneOf: func(ctx context.Context, id domain.IDNumber) (domain.Phone, error) {
			p, err := m.Core.Person(ctx, id)
			return p.Phone, err
		}}
	a.ratings = rating.New(ratingdb.New(m.DB), ratingFacts{st}, a, rating.Config{})
	m.Notify, m.Ratings = ns, a.ratings

	loops, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { ns.Run(loops) })
	wg.Go(func() { a.remindLoop(loops, m) })
	m.closers = append(m.closers, func() error { stop(); wg.Wait(); return nil })
	return a, nil
}

// applied hears of each case event: it tells the applicant and, once the
// case is over, makes it rateable. Both are idempotent, so a repeated event
// is harmless; an error makes the core post the event again.
func (a *aftercare) applied(ctx context.Context, ev acceptance.Event, _ bool) error {
	app, err := a.apps.Application(ctx, ev.ApplicationID)
	if err != nil {
		return err
	}
	to, err := a.recipient(ctx, app)
	if err != nil {
		return err
	}
	if n, ok := notify.ForEvent(ev, app.MatterName, to); ok {
		if _, err := a.notify.Enqueue(ctx, n); err != nil {
			return err
		}
	}
	if ev.Status == acceptance.StatusCompleted {
		// What the application changed (a base tier, a unit's staff) is in
		// the business core now: every instance forgets its copies.
		if err := a.forget(ctx, app.Applicant, ev.At.Add(clockMargin)); err != nil {
			return err
		}
	}
	if ev.Status.Final() && ev.Status != acceptance.StatusWithdrawn {
		facts, err := ratingFacts{a.apps}.Facts(ctx, app.ID)
		if err != nil {
			return err
		}
		return a.ratings.Completed(ctx, facts)
	}
	return nil
}

// clockMargin is how far the counter core's clock may be behind ours: a
// completion is taken to have happened that much after the time it bears.
const clockMargin = 10 * time.Second

// forget drops the cached business-core answers about an applicant fetched
// before at: the first word of a completion drops them, a repeat of it
// (every event is both posted and polled) drops nothing fetched since.
func (a *aftercare) forget(ctx context.Context, who declaration.Applicant, at time.Time) error {
	if a.cache == nil {
		return nil
	}
	number, err := a.sealer.Open(who.SealedID)
	if err != nil {
		return err
	}
	if who.Kind == acceptance.Unit {
		return a.cache.InvalidateUnitAsOf(ctx, domain.CreditCode(number), at)
	}
	return a.cache.InvalidateAsOf(ctx, domain.IDNumber(number), at)
}

// recipient is who hears of an application: the applicant, by the phone
// the business core has on record (never one typed into a form) and by
// WeChat when they bound the account. Units are told through their
// operators' channel, not by SMS here.
func (a *aftercare) recipient(ctx context.Context, app declaration.Application) (notify.Recipient, error) {
	to := notify.Recipient{PersonRef: app.Applicant.Ref, Channel: app.Channel}
	if app.Applicant.Kind != acceptance.Person {
		return to, nil
	}
	id, err := privacy.OpenID(a.sealer, app.Applicant.SealedID)
	if err != nil {
		return to, err
	}
	phone, err := a.phoneOf(ctx, id)
	switch {
	case domain.IsCode(err, domain.NotFound):
	case err != nil:
		return to, err
	case phone != "":
		if to.PhoneSealed, err = privacy.SealPhone(a.sealer, phone); err != nil {
			return to, err
		}
	}
	if a.openID != nil {
		if openID, ok, err := a.openID(ctx, app.Applicant.Ref); err == nil && ok {
			to.OpenID = openID
		}
	}
	return to, nil
}

// RemindToRate asks the applicant of a finished application to rate it,
// once (the notice is de-duplicated by the application id).
func (a *aftercare) RemindToRate(ctx context.Context, c rating.Candidate) error {
	app, err := a.apps.Application(ctx, c.ApplicationID)
	if err != nil {
		return err
	}
	to, err := a.recipient(ctx, app)
	if err != nil {
		return err
	}
	_, err = a.notify.Enqueue(ctx, notify.Notice{DedupKey: "rate:" + c.ApplicationID, To: to, Kind: notify.KindRatingReminder,
		Params: notify.Params{Matter: c.MatterName, ApplicationID: c.ApplicationID, Link: notify.ProgressPath + c.ApplicationID}})
	return err
}

func (a *aftercare) remindLoop(ctx context.Context, m *Main) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if _, err := a.ratings.RemindUnrated(ctx, now); err != nil {
				m.Logger.Warn("rating reminders", "err", err)
			}
		}
	}
}

// ratingFacts tells ratings what an application is: who applied, what,
// where, and who handled it last (the office and staff of its last step,
// kept in the timeline once the case is over).
type ratingFacts struct{ st *applicationdb.Store }

func (r ratingFacts) Facts(ctx context.Context, id string) (rating.Facts, error) {
	app, err := r.st.Application(ctx, id)
	if err != nil {
		return rating.Facts{}, err
	}
	f := rating.Facts{ApplicationID: app.ID, ApplicantRef: app.Applicant.Ref, MatterCode: app.MatterCode,
		MatterName: app.MatterName, Channel: app.Channel, Status: acceptance.Status(app.State.Status),
		AcceptedAt: app.State.AcceptedAt, FinishedAt: app.State.FinishedAt}
	events, err := r.st.Timeline(ctx, id)
	if err != nil {
		return rating.Facts{}, err
	}
	for _, ev := range events {
		if ev.Office != "" {
			f.Office = ev.Office
		}
		if ev.Staff != "" {
			f.Staff = ev.Staff
		}
	}
	return f, nil
}

func notifyMetrics(reg prometheus.Registerer) notify.Metrics {
	enq := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hrss_notify_enqueued_total",
		Help: "Notices enqueued, by kind and result (added, duplicate, deferred)."}, []string{"kind", "result"})
	att := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hrss_notify_attempts_total",
		Help: "Notice sends, by route and result (sent, fallback, retry, failed, review)."}, []string{"route", "result"})
	reg.MustRegister(enq, att)
	return notify.Metrics{
		Enqueued:  func(k notify.Kind, r string) { enq.WithLabelValues(string(k), r).Inc() },
		Attempted: func(rt notify.Route, r string) { att.WithLabelValues(string(rt), r).Inc() },
	}
}
