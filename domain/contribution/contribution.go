// Package contribution is contribution payment (社保缴费) through the
// payment channel: a person in flexible employment (灵活就业人员) chooses
// the months to pay and a pension base tier, and a unit pays a month's
// assessment (核定单). The bureau places an order, sends the payer to the
// channel's pay page, and learns the outcome from the channel's signed
// notification — or by asking, when it is late.
//
// A payment is recorded once. The order id, generated here, is the key
// the channel de-duplicates orders on; a notification is recorded by that
// id, in one transaction that moves the order out of pending only once, so
// a notification delivered twice (or a notification racing a query)
// changes nothing the second time. Every month of a payer is claimed by at
// most one open or paid order, so the same months cannot be paid twice
// through two orders either.
package contribution

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// PayerKind says who pays an order.
type PayerKind string

// The payers.
const (
	Person PayerKind = "person" // a person in flexible employment
	Unit   PayerKind = "unit"   // an employer unit
)

// Order is one payment order (缴费订单).
type Order struct {
	ID        string // "JF…", the channel's merchant order number and idempotency key
	PayerKind PayerKind
	// PayerRef is the payer's blind index, SealedPayer the sealed ID number
	// or credit code, PayerDisplay the masked name and number for receipts.
	PayerRef       string
	SealedPayer    string
	PayerDisplay   string
	ActorRef       string // who placed it: the payer, or a relative acting for them
	Channel        domain.Channel
	IdempotencyKey string
	Insurance      insured.InsuranceType
	First, Last    insured.Month // the months paid for (费款所属期)
	Tier           int           // the base tier in percent; 0 for a unit's assessment
	Base           domain.Fen    // the monthly base
	Monthly        domain.Fen    // what one month costs
	Amount         domain.Fen    // the whole order
	Description    string
	Status         payment.Status
	ChannelOrderNo string // set once the channel opened the order
	PayURL         string // the channel's pay page; "" until opened
	FailReason     string
	CreatedAt      time.Time
	SettledAt      time.Time
	Payment        *Payment // the recorded payment, once paid
}

// Months returns how many months the order pays for.
func (o Order) Months() int {
	return (o.Last.Year()-o.First.Year())*12 + int(o.Last.Month()) - int(o.First.Month()) + 1
}

// Payment is a payment as recorded: the receipt (缴费凭证) data.
type Payment struct {
	OrderID        string
	ReceiptNo      string // 缴费凭证号
	NotifyID       string // the notification that recorded it; "query:…" when learned by asking
	ChannelOrderNo string
	Amount         domain.Fen
	PaidAt         time.Time
	RecordedAt     time.Time
}

// Store keeps orders and payments. Every method may also return
// Unavailable or Internal when the database fails.
type Store interface {
	// Create stores a new order and claims its months for the payer, in
	// one transaction. When the payer used o.IdempotencyKey before it
	// writes nothing and returns that order with existing true. Conflict
	// when another open or paid order holds one of the months.
	Create(ctx context.Context, o Order) (stored Order, existing bool, err error)
	// Order returns an order with its payment. NotFound.
	Order(ctx context.Context, id string) (Order, error)
	// OrderByKey returns the order the payer placed with an idempotency
	// key. NotFound.
	OrderByKey(ctx context.Context, payerRef, key string) (Order, error)
	// Orders lists the payer's orders newest first, with ids before before
	// ("" from the newest), at most limit.
	Orders(ctx context.Context, payerRef, before string, limit int) ([]Order, error)
	// SetCheckout records where the channel opened the order.
	SetCheckout(ctx context.Context, id, channelOrderNo, payURL string) error
	// Settle moves a pending order to paid, recording p, or to failed,
	// giving its months back, in one transaction. It reports false,
	// changing nothing, when the order was settled already.
	Settle(ctx context.Context, id string, status payment.Status, p Payment, failReason string, at time.Time) (bool, error)
}

// Core is what payment needs of the business core (insured.Core
// implements it).
type Core interface {
	Person(ctx context.Context, id domain.IDNumber) (insured.Person, error)
	BaseTiers(ctx context.Context, id domain.IDNumber) (insured.BaseTierOptions, error)
	Contributions(ctx context.Context, id domain.IDNumber, year int) (insured.ContributionYear, error)
	Unit(ctx context.Context, code domain.CreditCode) (insured.Unit, error)
	UnitAssessments(ctx context.Context, code domain.CreditCode, year int) ([]insured.UnitAssessment, error)
}

// Config holds what a Service needs; all but Now and the windows are
// required.
type Config struct {
	Store   Store
	Core    Core
	Channel payment.Channel
	Sealer  privacy.Sealer
	// NotifyURL is where the channel posts outcomes: the server's public
	// URL and the route that calls HandleNotification.
	NotifyURL string
	// Arrears is how many months before this one a person may still pay
	// online (补缴); 2 if zero. Later months run to December.
	Arrears int
	// QueryAfter is how long a pending, opened order waits for its
	// notification before a read asks the channel; 1 minute if zero.
	QueryAfter time.Duration
	// Paid, if set, is told of every payment once it is recorded, with the
	// payer's ID number or credit code: the bff drops what it cached about
	// them, so their contributions show the months paid. It must not fail.
	Paid func(ctx context.Context, kind PayerKind, payer string)
	Now  func() time.Time
}

// Service places orders, records their outcome once and gives receipts.
// It is safe for concurrent use.
type Service struct {
	cfg Config
}

// NewService returns a Service over cfg.
func NewService(cfg Config) *Service {
	if cfg.Arrears <= 0 {
		cfg.Arrears = 2
	}
	if cfg.QueryAfter <= 0 {
		cfg.QueryAfter = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// now is the clock in UTC to the millisecond, the precision stored.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns an id with prefix, the UTC time to the second and 40
// random bits, the random part starting with a letter.
func newID(prefix string, now time.Time) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + now.UTC().Format("20060102150405") + string(rune('A'+b[0]%26)) + idEncoding.EncodeToString(b[1:])
}

// monthText writes a month as 2026年6月.
func monthText(m insured.Month) string { return fmt.Sprintf("%d年%d月", m.Year(), int(m.Month())) }
