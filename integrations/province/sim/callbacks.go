package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/dandong-hrss/hrss/integrations/province"
)

// setCallback replaces the URL status changes are posted to.
func (s *Sim) setCallback(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.CallbackRequest
	if !decode(w, body, &req) {
		return
	}
	if u, err := url.ParseRequestURI(req.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fail(w, http.StatusBadRequest, province.ReasonCallbackURLInvalid, "回调地址无效")
		return
	}
	s.mu.Lock()
	s.transfers.callback = req.URL
	s.mu.Unlock()
	province.WriteJSON(w, http.StatusOK, success("成功"))
}

// tick is how often the loop looks for steps to post: often enough that a
// callback follows its step closely, never busier than every 5ms.
func (s *Sim) tick() time.Duration {
	return min(max(s.cfg.StepInterval/4, 5*time.Millisecond), time.Second)
}

// callbackLoop posts every step each transfer reaches, in order, to the
// callback URL. A post the callback does not take (no 2xx) is repeated on
// later ticks, and the transfer's later steps wait behind it, so the bureau
// sees each step once it answers, and in order.
func (s *Sim) callbackLoop() {
	defer close(s.done)
	t := time.NewTicker(s.tick())
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.postDue()
		}
	}
}

// notice is one step to post: the transfer as it stood when it reached it.
type notice struct {
	no   string
	step int // the index of the step in the transfer's steps
	body []byte
}

// postDue posts the steps reached since the last tick.
func (s *Sim) postDue() {
	callback, due := s.due()
	for _, n := range due {
		if s.ctx.Err() != nil {
			return
		}
		if s.post(callback, n.body) {
			s.posted(n)
		}
	}
}

// due lists, per transfer, the first step not yet posted, and forgets the
// transfers whose every step is posted.
func (s *Sim) due() (callback string, out []notice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.transfers
	if t.callback == "" {
		return "", nil
	}
	now, still := s.now(), t.active[:0]
	for _, no := range t.active {
		r := t.byNo[no]
		if r == nil {
			continue // dropped beyond MaxRecords
		}
		steps := r.steps(now, s.cfg.StepInterval)
		if r.notified < len(steps) {
			body, _ := json.Marshal(r.view(steps[:r.notified+1]))
			out = append(out, notice{no: no, step: r.notified, body: body})
		}
		if r.notified < len(steps) || !final(steps[len(steps)-1].Status) {
			still = append(still, no)
		}
	}
	t.active = still
	return t.callback, out
}

// posted records that the callback took notice n.
func (s *Sim) posted(n notice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.transfers.byNo[n.no]; r != nil && r.notified == n.step {
		r.notified++
	}
}

// post makes one signed attempt and reports whether the callback took it.
func (s *Sim) post(callback string, body []byte) bool {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, callback, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	province.SignHeader(req.Header, s.cfg.AppID, s.cfg.AppKey, body, time.Now())
	resp, err := s.poster.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}
