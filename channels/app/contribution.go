package app

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
)

// TierView is one pension base tier a flexible-employment person may pay at.
type TierView struct {
	Percent int   `json:"percent" doc:"档次，占全省平均工资的百分比"`
	Base    int64 `json:"base" doc:"月缴费基数，分"`
	Monthly int64 `json:"monthly" doc:"每月应缴，分"`
}

// PayOptions are the choices for paying contributions (灵活就业缴费).
type PayOptions struct {
	Year        int        `json:"year"`
	AverageWage int64      `json:"averageWage" doc:"全省月平均工资，分"`
	CurrentTier int        `json:"currentTier"`
	Tiers       []TierView `json:"tiers"`
	Earliest    string     `json:"earliest" doc:"最早可缴月份"`
	Latest      string     `json:"latest" doc:"最晚可缴月份"`
	Unpaid      []string   `json:"unpaid" doc:"可缴范围内尚未缴费的月份"`
}

type optionsOutput struct{ Body PayOptions }

type placeInput struct {
	Acting
	IdempotencyKey string `header:"Idempotency-Key" required:"true" minLength:"8" maxLength:"64" doc:"每笔下单唯一，重复提交返回同一订单"`
	Body           struct {
		From string `json:"from" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"起始月份" example:"2026-06"`
		To   string `json:"to" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"截止月份" example:"2026-08"`
		Tier int    `json:"tier" minimum:"1" maximum:"1000" doc:"缴费档次（百分比）"`
	}
}

// OrderView is a payment order, compact.
type OrderView struct {
	ID          string     `json:"id" doc:"订单号"`
	Status      string     `json:"status" enum:"pending,paid,failed"`
	StatusText  string     `json:"statusText" example:"待支付"`
	Description string     `json:"description"`
	From        string     `json:"from"`
	To          string     `json:"to"`
	Months      int        `json:"months"`
	Tier        int        `json:"tier,omitempty"`
	Base        int64      `json:"base" doc:"月缴费基数，分"`
	Amount      int64      `json:"amount" doc:"应缴金额，分"`
	PayURL      string     `json:"payUrl,omitempty" doc:"支付页面，在APP内打开；为空时请调用继续支付"`
	FailReason  string     `json:"failReason,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
	SettledAt   *time.Time `json:"settledAt,omitempty"`
	ReceiptNo   string     `json:"receiptNo,omitempty" doc:"缴费凭证号，支付成功后有"`
}

func orderView(o contribution.Order) OrderView {
	v := OrderView{ID: o.ID, Status: string(o.Status), StatusText: o.Status.Label(), Description: o.Description,
		From: o.First.String(), To: o.Last.String(), Months: o.Months(), Tier: o.Tier, Base: int64(o.Base),
		Amount: int64(o.Amount), FailReason: o.FailReason, CreatedAt: *instant(o.CreatedAt), SettledAt: instant(o.SettledAt)}
	if o.Status == payment.Pending {
		v.PayURL = o.PayURL
	}
	if o.Payment != nil {
		v.ReceiptNo = o.Payment.ReceiptNo
	}
	return v
}

type orderOutput struct{ Body OrderView }

type ordersInput struct {
	Acting
	Before string `query:"before" maxLength:"32" doc:"上一页最后一个订单号"`
	Limit  int    `query:"limit" minimum:"1" maximum:"50" default:"20"`
}

// OrderPage is one page of orders, newest first; pass next as before.
type OrderPage struct {
	Items []OrderView `json:"items"`
	Next  string      `json:"next,omitempty"`
}

type ordersOutput struct{ Body OrderPage }

type orderInput struct {
	Acting
	ID string `path:"id" maxLength:"32"`
}

// ReceiptView is a payment receipt (缴费凭证).
type ReceiptView struct {
	ReceiptNo      string    `json:"receiptNo"`
	OrderID        string    `json:"orderId"`
	Payer          string    `json:"payer" doc:"缴费人（脱敏）" example:"张* 2106**********123X"`
	Description    string    `json:"description"`
	From           string    `json:"from"`
	To             string    `json:"to"`
	Months         int       `json:"months"`
	Tier           int       `json:"tier,omitempty"`
	Base           int64     `json:"base"`
	Amount         int64     `json:"amount" doc:"实缴金额，分"`
	PaidAt         time.Time `json:"paidAt"`
	ChannelOrderNo string    `json:"channelOrderNo" doc:"支付渠道流水号"`
}

type receiptOutput struct{ Body ReceiptView }

type notifyInput struct {
	RawBody []byte `contentType:"application/json"`
}

// NotifyAck acknowledges a notification in the channel's envelope.
type NotifyAck struct {
	Code    string `json:"code" example:"OK"`
	Message string `json:"message"`
}

type notifyOutput struct{ Body NotifyAck }

func (c *Channel) registerContributions(api huma.API) {
	huma.Register(api, op("contribution-options", http.MethodGet, "/contributions/options", "社保缴费", "灵活就业缴费：可选档次与可缴月份", true),
		func(ctx context.Context, in *Acting) (*optionsOutput, error) {
			return read(c, ctx, *in, "app.contribution.options.read", func(p identity.Principal) (*optionsOutput, error) {
				o, err := c.cfg.Contributions.Options(ctx, p.Subject)
				if err != nil {
					return nil, err
				}
				return &optionsOutput{Body: payOptions(o)}, nil
			})
		})
	place := op("place-order", http.MethodPost, "/contributions/orders", "社保缴费", "选择缴费月份和档次，生成缴费订单", true)
	place.DefaultStatus = http.StatusCreated
	huma.Register(api, place, func(ctx context.Context, in *placeInput) (*orderOutput, error) {
		return read(c, ctx, in.Acting, "app.contribution.order", func(p identity.Principal) (*orderOutput, error) {
			first, last, err := months(in.Body.From, in.Body.To)
			if err != nil {
				return nil, err
			}
			o, err := c.cfg.Contributions.PlacePersonOrder(ctx, contribution.PersonOrder{Payer: p.Subject, ActorRef: p.PersonRef,
				Channel: domain.App, IdempotencyKey: in.IdempotencyKey, First: first, Last: last, Tier: in.Body.Tier})
			if err != nil {
				return nil, err
			}
			return &orderOutput{Body: orderView(o)}, nil
		})
	})
	huma.Register(api, op("orders", http.MethodGet, "/contributions/orders", "社保缴费", "我的缴费订单", true),
		func(ctx context.Context, in *ordersInput) (*ordersOutput, error) {
			p, err := c.person(ctx, in.Acting)
			if err != nil {
				return nil, err
			}
			list, err := c.cfg.Contributions.Orders(ctx, p.SubjectRef, in.Before, in.Limit)
			if err != nil {
				return nil, err
			}
			out := &ordersOutput{Body: OrderPage{Items: make([]OrderView, len(list))}}
			for i, o := range list {
				out.Body.Items[i] = orderView(o)
			}
			if len(list) == in.Limit {
				out.Body.Next = list[len(list)-1].ID
			}
			return out, nil
		})
	huma.Register(api, op("order", http.MethodGet, "/contributions/orders/{id}", "社保缴费", "缴费订单详情与支付结果", true),
		func(ctx context.Context, in *orderInput) (*orderOutput, error) {
			return c.orderAction(ctx, in, c.cfg.Contributions.Order)
		})
	huma.Register(api, op("checkout", http.MethodPost, "/contributions/orders/{id}/checkout", "社保缴费", "继续支付：重新获取支付页面", true),
		func(ctx context.Context, in *orderInput) (*orderOutput, error) {
			return c.orderAction(ctx, in, c.cfg.Contributions.Checkout)
		})
	huma.Register(api, op("receipt", http.MethodGet, "/contributions/orders/{id}/receipt", "社保缴费", "缴费凭证", true),
		func(ctx context.Context, in *orderInput) (*receiptOutput, error) {
			return read(c, ctx, in.Acting, "app.contribution.receipt.read", func(p identity.Principal) (*receiptOutput, error) {
				r, err := c.cfg.Contributions.Receipt(ctx, p.SubjectRef, in.ID)
				if err != nil {
					return nil, err
				}
				return &receiptOutput{Body: ReceiptView{ReceiptNo: r.Payment.ReceiptNo, OrderID: r.ID, Payer: r.PayerDisplay,
					Description: r.Description, From: r.First.String(), To: r.Last.String(), Months: r.Months(), Tier: r.Tier,
					Base: int64(r.Base), Amount: int64(r.Payment.Amount), PaidAt: *instant(r.Payment.PaidAt),
					ChannelOrderNo: r.Payment.ChannelOrderNo}}, nil
			})
		})
	notify := op("payment-notify", http.MethodPost, "/contributions/notify", "社保缴费", "支付结果通知（缴费渠道回调，签名校验；重复通知不重复入账）", false)
	notify.Middlewares = huma.Middlewares{withHeaders}
	notify.SkipValidateBody = true // the signature covers the raw bytes; VerifyCallback reads them
	huma.Register(api, notify, func(ctx context.Context, in *notifyInput) (*notifyOutput, error) {
		return c.notify(ctx, in.RawBody)
	})
}

// orderAction runs fn on one of the subject's orders.
func (c *Channel) orderAction(ctx context.Context, in *orderInput, fn func(context.Context, string, string) (contribution.Order, error)) (*orderOutput, error) {
	p, err := c.person(ctx, in.Acting)
	if err != nil {
		return nil, err
	}
	o, err := fn(ctx, p.SubjectRef, in.ID)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: orderView(o)}, nil
}

// notify verifies and records a payment notification.
func (c *Channel) notify(ctx context.Context, body []byte) (*notifyOutput, error) {
	h, _ := ctx.Value(headersKey{}).(http.Header)
	n, err := c.cfg.Payments.VerifyCallback(h, body)
	if err != nil {
		return nil, err
	}
	o, err := c.cfg.Contributions.HandleNotification(ctx, n)
	c.cfg.Audit.Record(ctx, audit.Entry{ActorKind: audit.System, ActorRef: "payment-channel", Channel: domain.App,
		Action: "app.contribution.notify", Outcome: audit.OutcomeOf(err), SubjectRef: o.PayerRef,
		RequestID: web.RequestIDFromContext(ctx), Detail: map[string]string{"orderId": n.OrderID, "notifyId": n.ID,
			"status": string(n.Status)}})
	if err != nil {
		c.cfg.Logger.WarnContext(ctx, "payment notification not recorded", "order", n.OrderID, "err", err)
		return nil, err
	}
	return &notifyOutput{Body: NotifyAck{Code: "OK", Message: "成功"}}, nil
}

// headersKey carries a request's headers to a handler that must verify a
// signature over them.
type headersKey struct{}

func withHeaders(ctx huma.Context, next func(huma.Context)) {
	h := http.Header{}
	ctx.EachHeader(func(name, value string) { h.Add(name, value) })
	next(huma.WithValue(ctx, headersKey{}, h))
}

func payOptions(o contribution.Options) PayOptions {
	v := PayOptions{Year: o.Tiers.Year, AverageWage: int64(o.Tiers.AverageWage), CurrentTier: o.Tiers.Current,
		Tiers: make([]TierView, len(o.Tiers.Tiers)), Earliest: o.Earliest.String(), Latest: o.Latest.String(),
		Unpaid: make([]string, len(o.Unpaid))}
	for i, t := range o.Tiers.Tiers {
		v.Tiers[i] = TierView{Percent: t.Percent, Base: int64(t.Base), Monthly: int64(t.Monthly)}
	}
	for i, m := range o.Unpaid {
		v.Unpaid[i] = m.String()
	}
	return v
}

// months reads the months of an order, "2026-06".
func months(from, to string) (first, last insured.Month, err error) {
	var fields []domain.FieldError
	if first = parseMonth(from); !first.Valid() {
		fields = append(fields, domain.FieldError{Field: "from", Message: "月份格式应为 年-月，如 2026-06"})
	}
	if last = parseMonth(to); !last.Valid() {
		fields = append(fields, domain.FieldError{Field: "to", Message: "月份格式应为 年-月，如 2026-08"})
	}
	if fields != nil {
		return 0, 0, domain.InvalidFields(fields...)
	}
	return first, last, nil
}

func parseMonth(s string) insured.Month {
	if len(s) != 7 || s[4] != '-' {
		return 0
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return 0
	}
	return insured.NewMonth(y, time.Month(m))
}
