package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/sms"
)

// Message is one accepted message as the admin endpoint shows it, with the
// text the citizen's phone displays.
type Message struct {
	MessageID  string            `json:"messageId"`
	RequestID  string            `json:"requestId"`
	Phone      string            `json:"phone"`
	TemplateID string            `json:"templateId"`
	Params     map[string]string `json:"params"`
	Content    string            `json:"content"` // rendered, with the 【丹东人社】 sign
	OutID      string            `json:"outId,omitempty"`
	Status     sms.Status        `json:"status"`
	ErrorCode  string            `json:"errorCode,omitempty"`
	SubmitTime time.Time         `json:"submitTime"`
	ReportTime *time.Time        `json:"reportTime,omitempty"`

	fails bool // drawn at acceptance, so the outcome is repeatable for a seed
}

func (m *Message) receipt() sms.Receipt {
	return sms.Receipt{MessageID: m.MessageID, OutID: m.OutID, Phone: domain.Phone(m.Phone),
		TemplateID: m.TemplateID, Status: m.Status, ErrorCode: m.ErrorCode,
		SubmitTime: m.SubmitTime, ReportTime: m.ReportTime}
}

// accept stores a new pending message, dropping the oldest beyond MaxMessages.
func (s *Sim) accept(req sms.SendRequest, content string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Message{
		MessageID: s.newID("SM"), RequestID: s.newID("RQ"),
		Phone: req.Phone, TemplateID: req.TemplateID, Params: req.Params, Content: content,
		OutID: req.OutID, Status: sms.StatusPending, SubmitTime: time.Now().In(domain.Beijing),
		fails: s.rng.Float64() < s.cfg.FailRate,
	}
	s.messages[m.MessageID] = m
	s.order = append(s.order, m.MessageID)
	if len(s.order) > s.cfg.MaxMessages {
		delete(s.messages, s.order[0])
		s.order = s.order[1:]
	}
	return *m
}

// message returns a copy of the message with id.
func (s *Sim) message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// Messages returns the messages sent to phone (all of them if phone is
// empty), oldest first.
func (s *Sim) Messages(phone string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Message{}
	for _, id := range s.order {
		if m := s.messages[id]; phone == "" || m.Phone == phone {
			out = append(out, *m)
		}
	}
	return out
}

func (s *Sim) listMessages(w http.ResponseWriter, r *http.Request) {
	sms.WriteJSON(w, http.StatusOK, s.Messages(r.URL.Query().Get("phone")))
}

// FetchMessages reads the messages sent to phone from the simulator at
// baseURL, the way an end-to-end test reads a verification code.
func FetchMessages(ctx context.Context, baseURL, phone string) ([]Message, error) {
	u := baseURL + simulator.AdminPrefix + "messages?phone=" + url.QueryEscape(phone)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sms sim messages: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("sms sim messages: %s: %s", resp.Status, msg)
	}
	var out []Message
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("sms sim messages: %w", err)
	}
	return out, nil
}
