// Package payment is the payment of social-insurance contributions (社保缴费)
// through a bank or tax collection channel (银行/税务缴费渠道): people in
// flexible employment (灵活就业人员) pay their own contributions in the app,
// and units pay what the monthly assessment says they owe.
//
// The bureau creates an order at the channel with its own order id, sends
// the citizen to the channel's pay page, and learns the outcome from a
// signed notification (支付结果通知) the channel posts back — which may come
// late, more than once, or not at all, so the bureau also queries. A payment
// must be recorded once however many notifications arrive: record by
// Notification.OrderID, moving an order out of Pending only once. Channel is
// the port; integrations/payment implements it.
package payment

import (
	"context"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Channel is the port to the payment channel. Every method may also return
// Unavailable when the channel is down or its circuit breaker is open,
// Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood; those are not repeated below.
type Channel interface {
	// Create opens an order at the channel and returns where to pay it.
	// The channel de-duplicates on Order.ID: creating the same order again
	// returns the same checkout, so a caller that lost the answer may simply
	// repeat it. Invalid when the order is malformed (see Order.Validate);
	// Conflict when the id was used for a different order; Rejected when
	// the channel refuses it.
	Create(ctx context.Context, o Order) (Checkout, error)

	// Query returns the order with the bureau's id as the channel sees it
	// now. NotFound for an order the channel never received.
	Query(ctx context.Context, orderID string) (State, error)
}

// MaxAmount is the most one order may take: far above any real year's
// contributions, low enough to catch a yuan/fen mix-up.
const MaxAmount = domain.Fen(100_000_000) // 1,000,000.00 yuan

// Order is a payment the bureau asks the channel to collect.
type Order struct {
	ID string // the bureau's order id (商户订单号); the channel de-duplicates on it
	// Payer is the reference the channel files the payment under: the ID
	// number of a person in flexible employment or the credit code of a
	// unit. It is personal data for a person; never log it.
	Payer       string
	Amount      domain.Fen
	Description string // shown on the pay page and the bank statement: "2026年6月灵活就业养老保险费"
	NotifyURL   string // where the channel posts the signed outcome
}

// Validate reports every field the channel would refuse, as one Invalid
// error naming each field.
func (o Order) Validate() error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if o.ID == "" || len(o.ID) > 32 {
		add("orderId", "订单号缺失或超过32位")
	}
	if o.Payer == "" {
		add("payer", "缺少缴费人")
	}
	if o.Amount <= 0 || o.Amount > MaxAmount {
		add("amount", "缴费金额应大于0且不超过100万元")
	}
	if n := utf8.RuneCountInString(o.Description); n == 0 || n > 64 {
		add("description", "缴费说明应为1到64个字")
	}
	if u, err := url.ParseRequestURI(o.NotifyURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("notifyUrl", "通知地址应为http或https地址")
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// Checkout is where the citizen pays an order.
type Checkout struct {
	ChannelOrderNo string // the channel's own order number (渠道订单号)
	PayURL         string // the channel's pay page (H5 收银台), opened in the app's web view
	QRPayload      string // what a kiosk renders as a QR code for a phone to scan
}

// Status is where an order stands at the channel.
type Status string

// The statuses. Paid and Failed are final: a citizen whose payment failed
// pays a new order.
const (
	Pending Status = "pending" // 待支付
	Paid    Status = "paid"    // 已支付
	Failed  Status = "failed"  // 支付失败
)

// Label returns the Chinese term shown to citizens.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "待支付"
	case Paid:
		return "已支付"
	case Failed:
		return "支付失败"
	}
	return "未知状态"
}

// State is an order as the channel sees it.
type State struct {
	OrderID        string
	ChannelOrderNo string
	Amount         domain.Fen
	Status         Status
	At             time.Time // when it was paid or failed; zero while pending
	FailReason     string    // the channel's reason when Failed
}

// Notification is an outcome the channel posted (支付结果通知). ID is the
// same on every delivery of one outcome; record the payment by OrderID, and
// check Amount against the order before believing it.
type Notification struct {
	ID string
	State
}
