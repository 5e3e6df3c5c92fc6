package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/sms"
)

// deliverLater plays the carrier: after DeliveryDelay the message is
// delivered (or fails, as drawn at acceptance) and its receipt is posted to
// the callback URL.
func (s *Sim) deliverLater(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if !s.pause(s.cfg.DeliveryDelay) {
			return
		}
		rc, callback, ok := s.report(id)
		if ok && callback != "" {
			s.postReceipt(callback, rc)
		}
	}()
}

// report records the carrier's outcome and returns the receipt and where to
// post it; ok is false if the message was dropped meanwhile.
func (s *Sim) report(id string) (rc sms.Receipt, callback string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok {
		return rc, "", false
	}
	now := time.Now().In(domain.Beijing)
	m.Status, m.ReportTime = sms.StatusDelivered, &now
	if m.fails {
		m.Status, m.ErrorCode = sms.StatusFailed, "MOBILE_NOT_REACHABLE"
	}
	return m.receipt(), s.callback, true
}

// postReceipt posts rc until the callback answers 2xx, retrying with
// doubling waits, as real platforms do for a bureau that was briefly down.
func (s *Sim) postReceipt(callback string, rc sms.Receipt) {
	body, _ := json.Marshal(rc)
	wait := s.cfg.ReceiptBackoff
	for attempt := 0; ; attempt++ {
		if s.post(callback, body) || attempt == s.cfg.ReceiptRetries || !s.pause(wait) {
			return
		}
		wait *= 2
	}
}

// post makes one signed attempt and reports whether the callback took it.
func (s *Sim) post(callback string, body []byte) bool {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, callback, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	sms.SignHeader(req.Header, s.cfg.AppID, s.cfg.AppKey, body, time.Now())
	resp, err := s.poster.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}

// pause waits d unless the simulator is closed first.
func (s *Sim) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}
