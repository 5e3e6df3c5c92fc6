// Package progress is progress tracking (进度查询): what the counter
// acceptance and dispatch core did with each application, kept as an
// append-only timeline per application and a current state — status, step,
// handling office, promised date, overdue — that every channel queries by
// application id, case number (办件编号), applicant or package (打包办).
//
// Events reach the BFF two ways, and both end in Receive: pushed by a signed
// webhook (HandleWebhook; the signature and timestamp are checked by a
// WebhookVerifier the bff adapts to counter.VerifyWebhook), and pulled by
// polling (Poll), which catches up after the webhook was down. Each event is
// applied once, in one transaction: a repeated event id changes nothing,
// and an event older than what the application shows joins the timeline in
// its place without turning the state back.
package progress

import (
	"context"
	"log/slog"
	"time"

	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// Store keeps the timelines and the current state of applications. Every
// method may return Unavailable or Internal when the database fails.
type Store interface {
	// Apply records ev in its application's timeline and, when its per-case
	// sequence is newer than the last applied, makes it the application's
	// current state, in one transaction. It reports false, changing
	// nothing, for an event id already recorded.
	Apply(ctx context.Context, ev acceptance.Event, received time.Time) (bool, error)
	// Application returns one application. Errors: NotFound.
	Application(ctx context.Context, id string) (declaration.Application, error)
	// ApplicationByCase returns the application of a case. Errors: NotFound.
	ApplicationByCase(ctx context.Context, caseNo string) (declaration.Application, error)
	// ApplicationsOf lists the applications ref filed or is the applicant
	// of, newest first, with ids before before ("" from the newest).
	ApplicationsOf(ctx context.Context, ref, before string, limit int) ([]declaration.Application, error)
	// Bundle returns a package and its applications. Errors: NotFound.
	Bundle(ctx context.Context, id string) (declaration.Filed, error)
	// Timeline returns an application's events by sequence.
	Timeline(ctx context.Context, applicationID string) ([]acceptance.Event, error)
	// Cursor returns the polling cursor saved under name; "" when none.
	Cursor(ctx context.Context, name string) (string, error)
	// SaveCursor saves the polling cursor under name.
	SaveCursor(ctx context.Context, name, cursor string) error
}

// WebhookVerifier checks one webhook post from the core — its signature,
// its timestamp (a post older than five minutes is refused) and that the
// body is an event — and returns the event. header reads a request header
// by name. Errors: Unauthenticated for a bad or stale signature; Invalid
// for a signed body that is not an event.
type WebhookVerifier interface {
	Verify(header func(name string) string, body []byte) (acceptance.Event, error)
}

// WebhookVerifierFunc adapts a function to WebhookVerifier.
type WebhookVerifierFunc func(header func(name string) string, body []byte) (acceptance.Event, error)

// Verify calls f.
func (f WebhookVerifierFunc) Verify(header func(string) string, body []byte) (acceptance.Event, error) {
	return f(header, body)
}

// Metrics receives what progress measures; the bff implements it with
// Prometheus. Nil fields are skipped.
type Metrics struct {
	// Received counts events by source ("webhook", "poll") and whether they
	// were new (false: a duplicate).
	Received func(source string, fresh bool)
	// Refused counts webhook posts refused, by reason ("signature", "invalid").
	Refused func(reason string)
}

// Config holds what a Service needs; Store, Core and Verifier are required.
type Config struct {
	Store    Store
	Core     acceptance.Core
	Verifier WebhookVerifier
	Calendar Calendar // working days for overdue counts; Weekdays if nil
	Metrics  Metrics
	Logger   *slog.Logger     // nil: discard
	Now      func() time.Time // time.Now if nil
	// PollLimit is how many events one polling request asks for: 500.
	PollLimit int
	// Applied, when set, is told of every event after it is committed —
	// fresh is false for a repeat — and before the webhook is answered, so
	// the core re-posts the event when Applied fails or the process dies
	// first: its consumers (notifications, ratings) hear of each event at
	// least once and are idempotent by event and application id. An error
	// is returned to the core as a failure to record the event.
	Applied func(ctx context.Context, ev acceptance.Event, fresh bool) error
}

// Service receives progress and answers queries about it. It is safe for
// concurrent use.
type Service struct {
	cfg Config
}

// NewService returns a Service over cfg.
func NewService(cfg Config) *Service {
	if cfg.Calendar == nil {
		cfg.Calendar = Weekdays{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollLimit <= 0 {
		cfg.PollLimit = 500
	}
	return &Service{cfg: cfg}
}
