package wechat

import (
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// Kind says what a follower did.
type Kind string

// The kinds of Incoming. Anything else (images, voice, location, template
// delivery reports…) is KindOther and gets no reply unless the handler
// gives one.
const (
	KindText        Kind = "text"        // typed a message
	KindClick       Kind = "click"       // tapped a click button of the menu; Key is the button's key
	KindView        Kind = "view"        // tapped a view button; Key is the URL (no reply is shown)
	KindSubscribe   Kind = "subscribe"   // followed (关注); Key is "qrscene_…" when by a parametric QR code
	KindUnsubscribe Kind = "unsubscribe" // unfollowed (取消关注); a reply is never shown
	KindScan        Kind = "scan"        // a follower scanned a parametric QR code; Key is its scene
	KindOther       Kind = "other"
)

// Incoming is one message or event WeChat pushes to the callback.
//
// WeChat waits five seconds for the answer and then posts the same push
// again, up to three times: a handler that changes state must recognise a
// repeat, by MsgID for messages and by OpenID with Time for events.
type Incoming struct {
	Kind    Kind
	OpenID  string    // the follower (FromUserName)
	Account string    // the account's original id, gh_… (ToUserName)
	Time    time.Time // when WeChat received it
	MsgID   int64     // messages only
	Text    string    // KindText
	Key     string    // see Kind
	MsgType string    // WeChat's MsgType, for KindOther
	Event   string    // WeChat's Event, for KindOther events
}

// Reply is the passive reply (被动回复) shown to the follower. The zero
// Reply shows nothing: the callback answers "success", as WeChat asks.
type Reply struct {
	Text string
}

// Handler answers one Incoming. It runs on the request goroutine under
// WeChat's five-second limit; ctx is the request's. Anything slow (binding
// a person, querying the business core) belongs elsewhere: reply with a
// link to an H5 page or send a template message later.
type Handler func(ctx context.Context, in Incoming) Reply

// maxPush bounds a pushed body; real ones are a few kilobytes.
const maxPush = 64 << 10

// MessageServer returns the handler for the account's server URL
// (服务器地址) in the platform's developer settings. It answers WeChat's GET
// check by echoing echostr, and each POST by calling h and writing its
// reply, in plaintext or, when WeChat uses safe mode (encrypt_type=aes),
// verifying msg_signature, decrypting with EncodingAESKey and encrypting the
// reply. Requests without a valid signature get 403 and never reach h;
// malformed ones get 400.
func (c *Client) MessageServer(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !c.signed(r) {
			http.Error(w, "signature mismatch", http.StatusForbidden)
			return
		}
		if r.Method == http.MethodGet && !r.URL.Query().Has("echostr") {
			http.Error(w, "echostr missing", http.StatusBadRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxPush)
		c.serve(&trackingWriter{ResponseWriter: w}, r, h)
	})
}

// signed checks the signature every callback carries in its query:
// sha1 of the sorted token, timestamp and nonce. The SDK checks it too, but
// with ==; this check is constant-time and decides the status.
func (c *Client) signed(r *http.Request) bool {
	q := r.URL.Query()
	want := util.Signature(c.cfg.Token, q.Get("timestamp"), q.Get("nonce"))
	got := q.Get("signature")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// serve lets the SDK parse, decrypt and answer the push.
func (c *Client) serve(w *trackingWriter, r *http.Request, h Handler) {
	srv := c.oa.GetServer(r, w)
	srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
		reply := h(r.Context(), incoming(m))
		if reply.Text == "" {
			return nil
		}
		return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(reply.Text)}
	})
	if err := srv.Serve(); err != nil {
		if !w.wrote {
			http.Error(w, "bad message", http.StatusBadRequest)
		}
		return
	}
	if srv.ResponseMsg != nil {
		if err := srv.Send(); err != nil && !w.wrote {
			http.Error(w, "reply failed", http.StatusInternalServerError)
		}
		return
	}
	if !w.wrote { // safe mode with no reply: the SDK would encrypt an empty one
		io.WriteString(w, "success")
	}
}

// incoming maps the SDK's message to the handler's view of it.
func incoming(m *message.MixMessage) Incoming {
	in := Incoming{
		Kind: KindOther, OpenID: string(m.FromUserName), Account: string(m.ToUserName),
		Time: time.Unix(m.CreateTime, 0).In(domain.Beijing), MsgID: m.MsgID,
		MsgType: string(m.MsgType), Event: string(m.Event),
	}
	switch {
	case m.MsgType == message.MsgTypeText:
		in.Kind, in.Text = KindText, m.Content
	case m.MsgType != message.MsgTypeEvent:
	case m.Event == message.EventClick:
		in.Kind, in.Key = KindClick, m.EventKey
	case m.Event == message.EventView:
		in.Kind, in.Key = KindView, m.EventKey
	case m.Event == message.EventSubscribe:
		in.Kind, in.Key = KindSubscribe, m.EventKey
	case m.Event == message.EventUnsubscribe:
		in.Kind = KindUnsubscribe
	case m.Event == message.EventScan:
		in.Kind, in.Key = KindScan, m.EventKey
	}
	return in
}

// trackingWriter remembers whether the SDK has answered already.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
