// Package notify tells applicants what became of their business (办件进度
// 通知): every status change of an application, reminders to certify or to
// rate, transfer and payment news. A notice reaches the citizen on WeChat
// (模板消息, or 订阅通知 when the adapter is set so) when they have bound an
// openid and follow 丹东人社公众号, and by SMS (短信) otherwise or when
// WeChat fails.
//
// # Outbox
//
// Enqueue stores a Notice in the notice outbox; a dispatcher (Run, or
// DeliverDue on a timer) sends it later. Enqueue is idempotent on the
// notice's dedup key (a UNIQUE column): a second Enqueue of the same key is a
// no-op reporting false.
//
// Callers enqueue after committing their own state change, not inside its
// transaction. The sources of notices already redeliver until they are
// acknowledged — the counter core re-posts an event until the webhook answers
// 2xx, polling re-reads from a cursor saved after the page is applied, and
// reminder jobs re-run — so a caller that enqueues on every delivery of an
// event, fresh or repeated, and acknowledges only after Enqueue returned, gets
// at-least-once enqueueing without sharing a transaction: a crash between its
// commit and the Enqueue is repaired by the redelivery, and the dedup key
// makes the repeats free. This keeps the store port free of anyone else's
// transaction type and lets notify live in any database. A caller without
// such a redelivering source must keep its own outbox row and call Enqueue
// from it.
//
// # Sending at most once per route
//
// A claimed notice is leased: no other dispatcher takes it until the lease
// runs out. Before each send the dispatcher records which route is in flight
// (MarkInFlight); the outcome clears it. A notice found with a route still in
// flight — its dispatcher crashed mid-send, or could not record the outcome —
// may have reached the citizen on that route, so that route is never tried
// again for it: an SMS in flight sends the notice to manual review (人工核查,
// StateReview) rather than risk a second text; a WeChat message in flight
// falls back to SMS (the citizen may then read the news on both routes,
// which beats not at all). Senders report Unavailable only when the message
// certainly was not accepted (see SMSSender); Unavailable is retried with
// backoff, and any answer that leaves the outcome open is treated as "maybe
// sent", like a crash.
//
// # Rate limit
//
// A person gets at most PerHour notices (default 10) in any hour. Enqueue
// gives each notice a slot, the earliest time the limit (and the optional
// quiet hours) allow; a notice over the limit waits for its slot. Nothing is
// dropped: an eleventh notice within the hour is sent an hour after the
// first.
//
// Personal data: the phone is stored sealed (privacy.Sealer) and opened only
// to hand it to the SMS gateway; the person is referred to by blind index.
package notify

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Kind is what a notice is about; each has one template (see Render).
type Kind string

// The kinds of notice.
const (
	KindProgress        Kind = "progress_update"  // 办件进度: a status change of an application
	KindMaterialsNeeded Kind = "materials_needed" // 补齐材料: staff ask for more materials
	KindCompleted       Kind = "completed"        // 办结: the application was granted and closed
	KindRejected        Kind = "rejected"         // 未通过: refused, with the reason in Note
	KindCertReminder    Kind = "cert_reminder"    // 待遇资格认证提醒
	KindRatingReminder  Kind = "rating_reminder"  // 好差评提醒: rate the finished service
	KindTransferStatus  Kind = "transfer_status"  // 转移接续进度
	KindPaymentReceived Kind = "payment_received" // 缴费到账
)

// Kinds lists every kind, for tables that must cover them all.
var Kinds = []Kind{KindProgress, KindMaterialsNeeded, KindCompleted, KindRejected,
	KindCertReminder, KindRatingReminder, KindTransferStatus, KindPaymentReceived}

// Route is the way a notice went or is going out.
type Route string

// The routes.
const (
	RouteWeChat Route = "wechat"
	RouteSMS    Route = "sms"
)

// State is where a notice stands in the outbox.
type State string

// The states. Pending and Sending are live; the others are final until a
// person resolves a review.
const (
	StatePending State = "pending" // waiting for its slot or its next attempt
	StateSending State = "sending" // leased by a dispatcher
	StateSent    State = "sent"    // accepted by WeChat or the SMS gateway
	StateFailed  State = "failed"  // refused for good, or out of attempts
	StateReview  State = "review"  // may have been sent, must not be resent blindly: staff check (人工核查)
)

// Recipient is who a notice is for and how to reach them.
type Recipient struct {
	// PersonRef is the person's blind index (privacy.IDIndex): the rate
	// limit counts per PersonRef.
	PersonRef string
	// PhoneSealed is the mobile number sealed by privacy.SealPhone; "" when
	// the person has none on file. A raw number is refused.
	PhoneSealed string
	// OpenID is the person's openid at 丹东人社公众号, "" when not bound.
	OpenID string
	// Channel is the channel of the application, kept for statistics.
	Channel domain.Channel
}

// Params fill a notice's template. Which are required depends on the kind
// (see Render); text is plain Chinese, no markup.
type Params struct {
	Matter        string     `json:"matter,omitempty"`        // 事项名称
	ApplicationID string     `json:"applicationId,omitempty"` // 办件编号
	Status        string     `json:"status,omitempty"`        // what happened, like acceptance.EventKind.Label()
	Link          string     `json:"link,omitempty"`          // path of the H5 page, like "/progress/A1"; joined to Config.LinkBase
	Note          string     `json:"note,omitempty"`          // staff's words: materials to supply, reason; WeChat only, masked
	At            time.Time  `json:"at,omitzero"`             // when it happened; the enqueue time if zero
	Name          string     `json:"name,omitempty"`          // masked name (domain.MaskName), for reminders
	Year          string     `json:"year,omitempty"`          // certification year, like "2026"
	Deadline      string     `json:"deadline,omitempty"`      // like "2026年12月31日"
	Insurance     string     `json:"insurance,omitempty"`     // transfers: 险种, like 企业职工基本养老保险
	From          string     `json:"from,omitempty"`          // transfers: 转出地
	To            string     `json:"to,omitempty"`            // transfers: 转入地
	Amount        domain.Fen `json:"amount,omitempty"`        // payments
}

// Notice is one thing to tell one person.
type Notice struct {
	// DedupKey identifies the notice across repeats, like "event:<event id>"
	// or "cert:2026:<person ref>"; at most 128 ASCII characters.
	DedupKey string
	To       Recipient
	Kind     Kind
	Params   Params
}

// Record is a notice as the outbox keeps it.
type Record struct {
	ID       int64
	DedupKey string
	To       Recipient
	Kind     Kind
	Params   Params
	State    State
	// Route is the route that delivered it (Sent) or was tried last.
	Route Route
	// InFlight is the route whose send began and whose outcome is not yet
	// recorded; "" when none.
	InFlight Route
	// SkipWeChat sends later attempts straight by SMS: the person does not
	// follow the account, WeChat refused, or a WeChat send may have arrived.
	SkipWeChat    bool
	Attempts      int
	Lease         string // the lease of the dispatcher holding it, while Sending
	SlotAt        time.Time
	NextAttemptAt time.Time // zero once final
	MessageID     string    // WeChat's or the SMS gateway's id of what was sent
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
}
