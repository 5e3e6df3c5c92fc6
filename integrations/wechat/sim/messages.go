package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// Message is one template message (模板消息) or subscribe message (订阅通知)
// the platform accepted, as GET /_admin/messages shows it.
type Message struct {
	Kind       string            `json:"kind"` // KindTemplate or KindSubscribe
	MsgID      int64             `json:"msgid,omitempty"`
	OpenID     string            `json:"openid"`
	TemplateID string            `json:"template_id"`
	URL        string            `json:"url,omitempty"`  // template: where tapping goes
	Page       string            `json:"page,omitempty"` // subscribe: where tapping goes
	Data       map[string]string `json:"data"`           // field → value
	SentAt     time.Time         `json:"sent_at"`
}

// The kinds of Message.
const (
	KindTemplate  = "template"
	KindSubscribe = "subscribe"
)

// dataItem is one field of a message body: {"value":…,"color":…}.
type dataItem struct {
	Value string `json:"value"`
}

// sendRequest covers the bodies of template/send and subscribe/bizsend.
type sendRequest struct {
	ToUser     string              `json:"touser"`
	TemplateID string              `json:"template_id"`
	URL        string              `json:"url"`
	Page       string              `json:"page"`
	Data       map[string]dataItem `json:"data"`
}

func (s *Sim) sendTemplate(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readSend(w, r)
	if !ok {
		return
	}
	if !s.following(req.ToUser) {
		fail(w, wechat.CodeRequireSubscribe, s.errorf("require subscribe"))
		return
	}
	m := s.record(Message{Kind: KindTemplate, OpenID: req.ToUser, TemplateID: req.TemplateID, URL: req.URL, Data: values(req.Data)})
	ok200(w, map[string]any{"msgid": m.MsgID})
}

func (s *Sim) sendSubscribe(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readSend(w, r)
	if !ok {
		return
	}
	if !s.following(req.ToUser) { // only a follower can have accepted the pop-up
		fail(w, wechat.CodeUserRefused, s.errorf("user refuse to accept the msg"))
		return
	}
	s.record(Message{Kind: KindSubscribe, OpenID: req.ToUser, TemplateID: req.TemplateID, Page: req.Page, Data: values(req.Data)})
	ok200(w, nil)
}

// readSend parses and checks a send body, answering WeChat's error if bad.
func (s *Sim) readSend(w http.ResponseWriter, r *http.Request) (sendRequest, bool) {
	var req sendRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		fail(w, wechat.CodeDataFormat, s.errorf("data format error"))
		return req, false
	}
	switch {
	case !openIDRE.MatchString(req.ToUser):
		fail(w, wechat.CodeInvalidOpenID, s.errorf("invalid openid"))
	case req.TemplateID == "":
		fail(w, wechat.CodeInvalidTemplateID, s.errorf("invalid template_id"))
	default:
		return req, true
	}
	return req, false
}

func (s *Sim) following(openID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.followers[openID]
	return ok
}

func values(data map[string]dataItem) map[string]string {
	out := make(map[string]string, len(data))
	for k, v := range data {
		out[k] = v.Value
	}
	return out
}

// record stores m with a message id and time, dropping the oldest beyond
// MaxMessages.
func (s *Sim) record(m Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.Kind == KindTemplate {
		m.MsgID = s.nextMsgID()
	}
	m.SentAt = s.now()
	s.messages = append(s.messages, m)
	if len(s.messages) > s.cfg.MaxMessages {
		s.messages = s.messages[1:]
	}
	return m
}

// Messages returns the messages sent to openid (all if openid is empty),
// oldest first.
func (s *Sim) Messages(openID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Message{}
	for _, m := range s.messages {
		if openID == "" || m.OpenID == openID {
			out = append(out, m)
		}
	}
	return out
}

func (s *Sim) adminMessages(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Messages(r.URL.Query().Get("openid")))
}
