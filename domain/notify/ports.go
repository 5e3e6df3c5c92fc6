package notify

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Store is the notice outbox. Implementations are safe for concurrent use by
// several dispatchers in several processes.
type Store interface {
	// Add stores rec (ID, state and times are the store's) unless a notice
	// with its dedup key exists, and reports whether it did. Under a lock on
	// rec.To.PersonRef, it reads the slots of that person's notices later
	// than since, oldest first, and calls slot with them; the result becomes
	// the new notice's slot and first attempt. Concurrent Adds for one
	// person therefore see each other's slots. Errors: Unavailable.
	Add(ctx context.Context, rec Record, since time.Time, slot func(recent []time.Time) time.Time) (bool, error)
	// Claim leases up to limit notices whose next attempt is due at now —
	// pending ones, and sending ones whose lease ran out — marking them
	// Sending with a fresh lease token, one more attempt, and their next
	// attempt at now+lease. Several claimers get disjoint notices. Errors:
	// Unavailable.
	Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Record, error)
	// MarkInFlight records that a send on route is about to begin. Errors:
	// Conflict when the lease is no longer held (nothing may be sent),
	// Unavailable.
	MarkInFlight(ctx context.Context, id int64, lease string, route Route, at time.Time) error
	// Settle records the outcome of an attempt, clearing the lease and the
	// route in flight. Errors: Conflict when the lease is no longer held,
	// Unavailable.
	Settle(ctx context.Context, id int64, lease string, s Settlement) error
	// Find returns the notice with dedup key. Errors: NotFound, Unavailable.
	Find(ctx context.Context, dedupKey string) (Record, error)
	// Reviews returns up to limit notices in StateReview, oldest first.
	// Errors: Unavailable.
	Reviews(ctx context.Context, limit int) ([]Record, error)
	// Resolve closes a review: delivered marks the notice sent; otherwise it
	// becomes pending again, due at at. Errors: NotFound when no notice with
	// id is in review, Unavailable.
	Resolve(ctx context.Context, id int64, delivered bool, at time.Time) error
}

// Settlement is the outcome of one attempt.
type Settlement struct {
	State         State     // Pending (try again), Sent, Failed or Review
	Route         Route     // the route that delivered, or was tried last
	MessageID     string    // for Sent
	NextAttemptAt time.Time // for Pending
	SkipWeChat    bool      // later attempts go by SMS only
	LastError     string    // why it is not sent; no personal data
	At            time.Time
}

// The senders report, by error code, what became of a message:
//
//   - nil: accepted by the platform;
//   - Unavailable: certainly not accepted (the platform said so, could not
//     be reached, or its breaker is open): try again later;
//   - Rejected, Invalid or NotFound: refused for good on this route;
//   - anything else (Timeout, Internal…): the platform may have accepted it.
//
// Adapters turn transport failures that happen after the request left into
// Timeout, so that Unavailable really means "not sent".

// WeChatSender sends template (or subscribe) messages to followers.
type WeChatSender interface {
	// SendWeChat sends m to openID and returns WeChat's message id ("" for a
	// subscribe message). Errors: Rejected when the person does not follow
	// the account or refused the notice; see above for the rest.
	SendWeChat(ctx context.Context, openID string, m WeChatMessage) (string, error)
}

// SMSSender sends texts through the SMS gateway by filed template.
type SMSSender interface {
	// SendSMS texts m to phone and returns the gateway's message id. It must
	// not retry. Errors: see above.
	SendSMS(ctx context.Context, phone domain.Phone, m SMSMessage) (string, error)
}

// Follower says whether an openid follows (关注) the account; only followers
// can receive WeChat messages.
type Follower interface {
	// Subscribed reports whether openID follows the account. Errors:
	// Unavailable, Timeout.
	Subscribed(ctx context.Context, openID string) (bool, error)
}

// PhoneOpener opens sealed phone numbers (privacy.Sealer satisfies it).
type PhoneOpener interface {
	// Open decrypts a sealed value. Error: Internal.
	Open(sealed string) (string, error)
}
