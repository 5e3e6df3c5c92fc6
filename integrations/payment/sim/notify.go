package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/integrations/payment"
)

// notifyLater posts the outcome of settled order o to its notify URL in the
// background: until acknowledged (any 2xx), retrying with doubling waits,
// and once more afterwards if Config.DuplicateNotifications is set.
func (s *Sim) notifyLater(o order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	body, _ := json.Marshal(payment.Notification{NotifyID: o.notifyID, OrderRecord: o.record})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if s.deliver(o.req.NotifyURL, body) && s.cfg.DuplicateNotifications {
			s.deliver(o.req.NotifyURL, body)
		}
	}()
}

// deliver posts body until the notify URL acknowledges it, and reports
// whether it did within the retries.
func (s *Sim) deliver(notifyURL string, body []byte) bool {
	wait := s.cfg.NotifyBackoff
	for attempt := 0; ; attempt++ {
		if s.post(notifyURL, body) {
			return true
		}
		if attempt == s.cfg.NotifyRetries || !s.pause(wait) {
			return false
		}
		wait *= 2
	}
}

// post makes one attempt, signed afresh so that a late retry is not refused
// as stale, and reports whether it was acknowledged.
func (s *Sim) post(notifyURL string, body []byte) bool {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, notifyURL, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	payment.SignHeader(req.Header, s.cfg.AppID, s.cfg.AppKey, body, time.Now())
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
