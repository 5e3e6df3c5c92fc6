package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/payment"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// The outcomes of POST /_admin/orders/{id}/pay.
const (
	OutcomePaid   = "paid"
	OutcomeFailed = "failed"
)

// failReason is what the bank says when a simulated payment fails.
const failReason = "银行卡余额不足"

// PayRequest is the body of POST /_admin/orders/{id}/pay.
type PayRequest struct {
	Outcome string `json:"outcome"` // OutcomePaid or OutcomeFailed
}

// order is one order at the channel.
type order struct {
	req      payment.OrderRequest
	checkout payment.CheckoutResponse
	record   payment.OrderRecord
	notifyID string // set when settled
}

// Order is an order as the admin endpoint shows it.
type Order struct {
	payment.OrderRecord
	Description string `json:"description"`
	PayURL      string `json:"payUrl"`
}

func (s *Sim) create(w http.ResponseWriter, r *http.Request, body []byte) {
	var req payment.OrderRequest
	if !decode(w, body, &req) {
		return
	}
	if msg := orderFault(req); msg != "" {
		fail(w, http.StatusBadRequest, payment.ReasonInvalidParameter, msg)
		return
	}
	out, conflict := s.open(req, s.cashierBase(r))
	if conflict {
		fail(w, http.StatusConflict, payment.ReasonOrderIDConflict, "商户订单号重复")
		return
	}
	payment.WriteJSON(w, http.StatusOK, out)
}

// open records a new order, or returns the checkout of the one already
// created under the order id; conflict reports that id used for another.
func (s *Sim) open(req payment.OrderRequest, cashier string) (out payment.CheckoutResponse, conflict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[req.OrderID]; ok {
		return o.checkout, o.req != req
	}
	no := s.newID("PY")
	payURL := cashier + PathCashier + no
	o := &order{
		req:      req,
		checkout: payment.CheckoutResponse{Envelope: success("下单成功"), ChannelOrderNo: no, PayURL: payURL, QRPayload: payURL},
		record:   payment.OrderRecord{OrderID: req.OrderID, ChannelOrderNo: no, Amount: req.Amount, Status: payment.StatusPending},
	}
	s.orders[req.OrderID], s.byNo[no] = o, req.OrderID
	s.ids = append(s.ids, req.OrderID)
	if len(s.ids) > s.cfg.MaxOrders {
		old := s.orders[s.ids[0]]
		delete(s.orders, old.req.OrderID)
		delete(s.byNo, old.record.ChannelOrderNo)
		s.ids = s.ids[1:]
	}
	return o.checkout, false
}

// orderFault returns why the channel refuses req as malformed, or "".
func orderFault(req payment.OrderRequest) string {
	u, err := url.ParseRequestURI(req.NotifyURL)
	switch {
	case req.OrderID == "" || len(req.OrderID) > 32:
		return "商户订单号缺失或超长"
	case req.Payer == "":
		return "缴费人缺失"
	case req.Amount <= 0 || req.Amount > 100_000_000:
		return "金额无效"
	case req.Description == "" || utf8.RuneCountInString(req.Description) > 64:
		return "订单描述缺失或超长"
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "通知地址无效"
	}
	return ""
}

// cashierBase is where phones reach the cashier page.
func (s *Sim) cashierBase(r *http.Request) string {
	if s.cfg.CashierURL != "" {
		return s.cfg.CashierURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Sim) query(w http.ResponseWriter, r *http.Request, _ []byte) {
	o, ok := s.find(r.PathValue("id"))
	if !ok {
		fail(w, http.StatusNotFound, payment.ReasonOrderNotFound, "订单不存在")
		return
	}
	payment.WriteJSON(w, http.StatusOK, payment.OrderResponse{Envelope: success("成功"), OrderRecord: o.OrderRecord})
}

// find returns the order with this order id or channel order number.
func (s *Sim) find(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(id)
	if !ok {
		return Order{}, false
	}
	return o.view(), true
}

// lookup finds an order by order id or channel order number; called with
// s.mu held.
func (s *Sim) lookup(id string) (*order, bool) {
	if o, ok := s.orders[id]; ok {
		return o, true
	}
	o, ok := s.orders[s.byNo[id]]
	return o, ok
}

func (o *order) view() Order {
	return Order{OrderRecord: o.record, Description: o.req.Description, PayURL: o.checkout.PayURL}
}

// Orders returns every order kept, oldest first.
func (s *Sim) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.ids))
	for _, id := range s.ids {
		out = append(out, s.orders[id].view())
	}
	return out
}

func (s *Sim) listOrders(w http.ResponseWriter, _ *http.Request) {
	payment.WriteJSON(w, http.StatusOK, s.Orders())
}

// pay settles an order as the citizen's bank would, then notifies.
func (s *Sim) pay(w http.ResponseWriter, r *http.Request) {
	var req PayRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&req); err != nil ||
		(req.Outcome != OutcomePaid && req.Outcome != OutcomeFailed) {
		fail(w, http.StatusBadRequest, payment.ReasonInvalidParameter, `outcome应为"paid"或"failed"`)
		return
	}
	o, status := s.settle(r.PathValue("id"), req.Outcome == OutcomePaid)
	switch status {
	case http.StatusNotFound:
		fail(w, status, payment.ReasonOrderNotFound, "订单不存在")
	case http.StatusConflict:
		fail(w, status, payment.ReasonOrderFinished, "订单已支付或已失败")
	default:
		s.notifyLater(o)
		payment.WriteJSON(w, http.StatusOK, payment.OrderResponse{Envelope: success("成功"), OrderRecord: o.record})
	}
}

// settle moves a pending order to paid or failed and returns a copy.
func (s *Sim) settle(id string, paid bool) (order, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(id)
	if !ok {
		return order{}, http.StatusNotFound
	}
	if o.record.Status != payment.StatusPending {
		return order{}, http.StatusConflict
	}
	now := time.Now().In(domain.Beijing)
	o.record.Status, o.record.FinishedAt = payment.StatusPaid, &now
	if !paid {
		o.record.Status, o.record.FailReason = payment.StatusFailed, failReason
	}
	o.notifyID = s.newID("NT")
	return *o, http.StatusOK
}

// Pay settles the order id (the bureau's order id or the channel's order
// number) at the simulator at baseURL with outcome OutcomePaid or
// OutcomeFailed, the way an end-to-end test plays the citizen at the bank.
func Pay(ctx context.Context, baseURL, id, outcome string) error {
	body, _ := json.Marshal(PayRequest{Outcome: outcome})
	u := baseURL + simulator.AdminPrefix + "orders/" + url.PathEscape(id) + "/pay"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("payment sim pay: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("payment sim pay %s: %s: %s", id, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
