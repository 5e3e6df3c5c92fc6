package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Config is what a Service needs; zero numbers take the defaults named.
type Config struct {
	Store    Store
	WeChat   WeChatSender // nil: every notice goes by SMS
	Follower Follower     // required with WeChat
	SMS      SMSSender
	Phones   PhoneOpener

	// LinkBase is the H5 site that Params.Link paths belong to, like
	// "https://hrss.dandong.gov.cn/h5"; "" sends WeChat messages without a link.
	LinkBase string
	PerHour  int        // notices per person in any hour; 10
	Quiet    QuietHours // none by default

	Batch       int           // notices claimed at once; 50
	Workers     int           // notices sent at once; 8
	Lease       time.Duration // how long a claim lasts; 2m, longer than one follower check and two sends
	Interval    time.Duration // Run's pause when nothing is due; 1s
	BackoffBase time.Duration // first wait after Unavailable, doubling; 30s
	BackoffMax  time.Duration // longest wait; 30m
	MaxAttempts int           // attempts before a notice fails; 12 (about four hours)

	Now     func() time.Time // time.Now if nil
	Metrics Metrics
	Logger  *slog.Logger // slog.Default() if nil; never given phones
}

// Metrics are hooks the bff points at Prometheus; nil fields are skipped.
type Metrics struct {
	// Enqueued counts Enqueue calls by kind and result: "added",
	// "duplicate", "deferred" (added, but held back by the rate limit or
	// quiet hours).
	Enqueued func(kind Kind, result string)
	// Attempted counts sends by route and result: "sent", "fallback" (WeChat
	// failed or the person does not follow; SMS next), "retry", "failed",
	// "review".
	Attempted func(route Route, result string)
}

func (c Config) withDefaults() Config {
	set := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	set(&c.PerHour, 10)
	set(&c.Batch, 50)
	set(&c.Workers, 8)
	set(&c.MaxAttempts, 12)
	setD(&c.Lease, 2*time.Minute)
	setD(&c.Interval, time.Second)
	setD(&c.BackoffBase, 30*time.Second)
	setD(&c.BackoffMax, 30*time.Minute)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Service queues notices and delivers them. It is safe for concurrent use;
// run one dispatcher (Run) per process, as many processes as you like.
type Service struct {
	cfg Config
}

// New returns a Service, or an error naming what cfg lacks.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil || cfg.SMS == nil || cfg.Phones == nil:
		return nil, errors.New("notify: Store, SMS and Phones are required")
	case cfg.WeChat != nil && cfg.Follower == nil:
		return nil, errors.New("notify: a WeChat sender needs a Follower")
	case !cfg.Quiet.valid():
		return nil, errors.New("notify: quiet hours must be between 0 and 23")
	}
	return &Service{cfg: cfg.withDefaults()}, nil
}

// Enqueue queues n and reports whether it was new; a notice with the same
// dedup key already queued (or sent) makes it a no-op returning false. The
// notice goes out at the earliest slot the person's rate limit and the quiet
// hours allow. Errors: Invalid for a notice that cannot be rendered or lacks
// its key or person, Internal for a phone that is not sealed, Unavailable.
func (s *Service) Enqueue(ctx context.Context, n Notice) (bool, error) {
	now := s.cfg.Now()
	if n.Params.At.IsZero() {
		n.Params.At = now
	}
	n.Params.Note = domain.MaskText(n.Params.Note)
	if err := s.validate(n); err != nil {
		return false, err
	}
	rec := Record{DedupKey: n.DedupKey, To: n.To, Kind: n.Kind, Params: n.Params, CreatedAt: now}
	var slot time.Time
	added, err := s.cfg.Store.Add(ctx, rec, now.Add(-window), func(recent []time.Time) time.Time {
		slot = nextSlot(now, recent, s.cfg.PerHour, s.cfg.Quiet)
		return slot
	})
	if err != nil {
		return false, err
	}
	result := "duplicate"
	if added {
		result = "added"
		if slot.After(now) {
			result = "deferred"
		}
	}
	if s.cfg.Metrics.Enqueued != nil {
		s.cfg.Metrics.Enqueued(n.Kind, result)
	}
	return added, nil
}

// validate checks a notice before it is stored, so that the dispatcher
// never meets one it cannot render.
func (s *Service) validate(n Notice) error {
	var fields []domain.FieldError
	if n.DedupKey == "" || len(n.DedupKey) > 128 || !ascii(n.DedupKey) {
		fields = append(fields, domain.FieldError{Field: "dedupKey", Message: "通知去重键应为1至128个ASCII字符"})
	}
	if n.To.PersonRef == "" {
		fields = append(fields, domain.FieldError{Field: "to.personRef", Message: "通知缺少接收人"})
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	if _, err := domain.ParsePhone(n.To.PhoneSealed); err == nil {
		return domain.Errorf(domain.Internal, "手机号未加密，通知未保存")
	}
	_, err := Render(n.Kind, n.Params, s.cfg.LinkBase)
	return err
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Find returns the notice queued under dedupKey, to answer "was I told?".
// Errors: NotFound, Unavailable.
func (s *Service) Find(ctx context.Context, dedupKey string) (Record, error) {
	return s.cfg.Store.Find(ctx, dedupKey)
}

// Reviews lists up to limit notices that may have been texted when the
// dispatcher lost track (StateReview), oldest first. Staff check each at the
// SMS gateway's console and Resolve it. Errors: Unavailable.
func (s *Service) Reviews(ctx context.Context, limit int) ([]Record, error) {
	return s.cfg.Store.Reviews(ctx, limit)
}

// Resolve closes the review of notice id: delivered says the gateway shows
// the message as sent; otherwise the notice is sent again. Errors:
// NotFound when id is not in review, Unavailable.
func (s *Service) Resolve(ctx context.Context, id int64, delivered bool) error {
	return s.cfg.Store.Resolve(ctx, id, delivered, s.cfg.Now())
}
