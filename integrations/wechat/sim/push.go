package sim

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// WeChat pushes what followers send and do to the account's server URL:
// an XML POST whose query carries signature = Signature(token, timestamp,
// nonce) and the follower's openid; in safe mode (安全模式) also
// encrypt_type=aes and msg_signature = Signature(token, timestamp, nonce,
// ciphertext), with the message encrypted inside <Encrypt>. The server
// answers "success" or a reply XML, encrypted the same way in safe mode.
// When the URL is configured, WeChat first checks it with a signed GET that
// must echo echostr.

// The MsgType and Event values of the pushes these helpers build.
const (
	MsgTypeText      = "text"
	MsgTypeEvent     = "event"
	EventSubscribe   = "subscribe"
	EventUnsubscribe = "unsubscribe"
	EventClick       = "CLICK"
	EventView        = "VIEW"
)

// cdata is a text element written as <![CDATA[…]]>, as WeChat writes them.
type cdata struct {
	Text string `xml:",cdata"`
}

// TextMessage is a follower's text message (文本消息).
type TextMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Content      cdata
	MsgID        int64 `xml:"MsgId"`
}

// EventMessage is an event push (事件推送): follow, unfollow, menu taps.
type EventMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Event        cdata
	EventKey     *cdata `xml:",omitempty"`
}

// Text returns the push of content typed by openID to account (the
// account's original id, like DefaultAccount).
func Text(account, openID, content string) TextMessage {
	id, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	return TextMessage{ToUserName: cdata{account}, FromUserName: cdata{openID}, CreateTime: time.Now().Unix(),
		MsgType: cdata{MsgTypeText}, Content: cdata{content}, MsgID: id.Int64()}
}

// Event returns the push of event by openID to account; key is the menu
// button's key (CLICK), the URL (VIEW) or "qrscene_…" (subscribe by QR
// code), and is left out when empty.
func Event(account, openID, event, key string) EventMessage {
	m := EventMessage{ToUserName: cdata{account}, FromUserName: cdata{openID}, CreateTime: time.Now().Unix(),
		MsgType: cdata{MsgTypeEvent}, Event: cdata{event}}
	if key != "" {
		m.EventKey = &cdata{key}
	}
	return m
}

// CallbackError is an answer of the callback other than 200.
type CallbackError struct {
	Status int
	Body   string
}

func (e *CallbackError) Error() string {
	return fmt.Sprintf("callback answered %d: %s", e.Status, e.Body)
}

// PushMessage posts msg (a TextMessage, an EventMessage, any value that
// marshals to WeChat's <xml>, or the raw XML as []byte) to callbackURL as
// WeChat does, signed with token and, when encrypted, in safe mode under
// aesKey for appID. It returns the callback's answer as is: "success", a
// reply XML, or in safe mode the encrypted reply envelope (see
// DecryptReply). A status other than 200 is a *CallbackError.
func PushMessage(ctx context.Context, callbackURL, token, aesKey, appID string, msg any, encrypted bool) (reply []byte, err error) {
	body, err := marshalPush(msg)
	if err != nil {
		return nil, err
	}
	var head struct {
		ToUserName, FromUserName string
	}
	if err := xml.Unmarshal(body, &head); err != nil {
		return nil, fmt.Errorf("wechat sim: push is not WeChat XML: %w", err)
	}
	q, ts, nonce := signedQuery(token)
	q.Set("openid", head.FromUserName)
	if encrypted {
		ciphertext, err := encrypt(aesKey, appID, body)
		if err != nil {
			return nil, err
		}
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", Signature(token, ts, nonce, ciphertext))
		body, _ = xml.Marshal(struct {
			XMLName    xml.Name `xml:"xml"`
			ToUserName cdata
			Encrypt    cdata
		}{ToUserName: cdata{head.ToUserName}, Encrypt: cdata{ciphertext}})
	}
	return callback(ctx, http.MethodPost, callbackURL, q, body)
}

func marshalPush(msg any) ([]byte, error) {
	switch m := msg.(type) {
	case []byte:
		return m, nil
	case string:
		return []byte(m), nil
	}
	return xml.Marshal(msg)
}

// VerifyURL performs WeChat's check of a server URL: a signed GET with a
// random echostr, which a server holding token must echo.
func VerifyURL(ctx context.Context, callbackURL, token string) error {
	q, _, _ := signedQuery(token)
	echo := randomDigits(19)
	q.Set("echostr", echo)
	got, err := callback(ctx, http.MethodGet, callbackURL, q, nil)
	if err != nil {
		return err
	}
	if string(got) != echo {
		return fmt.Errorf("wechat sim: callback echoed %q; want %q", got, echo)
	}
	return nil
}

// signedQuery returns a query with a fresh timestamp, nonce and signature.
func signedQuery(token string) (q url.Values, timestamp, nonce string) {
	timestamp = strconv.FormatInt(time.Now().Unix(), 10)
	nonce = randomDigits(10)
	q = url.Values{}
	q.Set("signature", Signature(token, timestamp, nonce))
	q.Set("timestamp", timestamp)
	q.Set("nonce", nonce)
	return q, timestamp, nonce
}

// callback makes one request to the bureau's server URL, keeping any query
// the URL already has.
func callback(ctx context.Context, method, callbackURL string, q url.Values, body []byte) ([]byte, error) {
	u, err := url.Parse(callbackURL)
	if err != nil {
		return nil, err
	}
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/xml")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &CallbackError{Status: resp.StatusCode, Body: string(bytes.TrimSpace(answer))}
	}
	return answer, nil
}

// DecryptReply checks the msg_signature of a safe-mode reply envelope and
// returns the reply XML inside it.
func DecryptReply(reply []byte, token, aesKey, appID string) ([]byte, error) {
	var env struct {
		Encrypt, MsgSignature, TimeStamp, Nonce string
	}
	if err := xml.Unmarshal(reply, &env); err != nil {
		return nil, fmt.Errorf("wechat sim: reply is not an encrypted envelope: %w", err)
	}
	if env.Encrypt == "" {
		return nil, errors.New("wechat sim: reply has no <Encrypt>")
	}
	if Signature(token, env.TimeStamp, env.Nonce, env.Encrypt) != env.MsgSignature {
		return nil, errors.New("wechat sim: reply's MsgSignature is wrong")
	}
	return decrypt(aesKey, appID, env.Encrypt)
}

// TextReply is a passive text reply (被动回复文本消息) as WeChat reads it.
type TextReply struct {
	ToUserName, FromUserName string
	CreateTime               int64
	MsgType, Content         string
}

// ParseTextReply reads a reply XML (plaintext, or decrypted by DecryptReply).
func ParseTextReply(b []byte) (TextReply, error) {
	var r TextReply
	if err := xml.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("wechat sim: reply is not XML: %w", err)
	}
	return r, nil
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}
