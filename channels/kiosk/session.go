package kiosk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/redis/go-redis/v9"
)

// The limits of a card session (读卡会话): it ends after IdleTimeout without
// a request, and at HardLimit after it opened whatever happens, so that a
// card left in the reader does not leave a person's data on screen for the
// next visitor.
const (
	IdleTimeout = 2 * time.Minute
	HardLimit   = 10 * time.Minute
)

// SessionKind tells a citizen's session from a unit clerk's.
type SessionKind string

// The session kinds.
const (
	PersonSession SessionKind = "person" // a citizen with their own card: their own data
	UnitSession   SessionKind = "unit"   // a unit clerk (单位经办人) with their card and the unit's credit code: the unit's data
)

// Session is an open card session: who is at the kiosk and what they may
// read. It lives in Redis, one per device, under the device's key; the
// token is handed to the kiosk when it opens and must come back in
// HeaderSession with every request of the session. Routes added to this
// channel later (prints, applications) act for the session's person or unit
// through SessionFrom, never for an ID taken from the request.
type Session struct {
	Token  string
	Device string
	Kind   SessionKind
	// Person is the card holder: the citizen, or in a unit session the
	// clerk. PersonRef is its blind index, for the audit log.
	Person    domain.IDNumber
	PersonRef string
	Name      string // masked: 张*
	Status    insured.PersonStatus
	// Unit, UnitName and UnitRef are set in a unit session only.
	Unit      domain.CreditCode
	UnitName  string
	UnitRef   string
	OpenedAt  time.Time
	HardUntil time.Time // OpenedAt + HardLimit
}

// sessionRecord is a Session as Redis keeps it: the ID number sealed, so a
// Redis dump or a MONITOR shows no ID numbers.
type sessionRecord struct {
	Kind      SessionKind          `json:"kind"`
	Person    string               `json:"person"`
	PersonRef string               `json:"personRef"`
	Name      string               `json:"name"`
	Status    insured.PersonStatus `json:"status"`
	Unit      domain.CreditCode    `json:"unit,omitempty"`
	UnitName  string               `json:"unitName,omitempty"`
	UnitRef   string               `json:"unitRef,omitempty"`
	OpenedAt  time.Time            `json:"openedAt"`
	HardUntil time.Time            `json:"hardUntil"`
}

// newToken returns a session token: the device id, a dot and 48 random hex
// characters. Carrying the device id lets a token presented by another
// kiosk be refused as such before anything is looked up.
func newToken(deviceID string) string {
	b := make([]byte, 24)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return deviceID + "." + hex.EncodeToString(b)
}

// tokenDevice returns the device a token was issued to.
func tokenDevice(token string) string {
	id, _, _ := strings.Cut(token, ".")
	return id
}

// saveSession makes s the device's one session, replacing any other: a new
// card in the reader ends the previous holder's session.
func (c *Channel) saveSession(ctx context.Context, s Session) error {
	sealed, err := privacy.SealID(c.sealer, s.Person)
	if err != nil {
		return err
	}
	body, err := json.Marshal(sessionRecord{Kind: s.Kind, Person: sealed, PersonRef: s.PersonRef, Name: s.Name,
		Status: s.Status, Unit: s.Unit, UnitName: s.UnitName, UnitRef: s.UnitRef, OpenedAt: s.OpenedAt, HardUntil: s.HardUntil})
	if err != nil {
		return err
	}
	key := c.gate.keys.session(s.Device)
	_, err = c.gate.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, key)
		p.HSet(ctx, key, "sid", s.Token, "hard", formatMillis(s.HardUntil), "body", string(body))
		p.PExpire(ctx, key, IdleTimeout)
		return nil
	})
	return redisDown(err)
}

// decodeSession rebuilds the session the check script returned.
func (c *Channel) decodeSession(dev device.Device, token, body string) (Session, error) {
	var r sessionRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return Session{}, domain.Wrap(fmt.Errorf("kiosk session: %w", err), domain.Internal, msgSessionGone)
	}
	id, err := privacy.OpenID(c.sealer, r.Person)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, Device: dev.ID, Kind: r.Kind, Person: id, PersonRef: r.PersonRef, Name: r.Name,
		Status: r.Status, Unit: r.Unit, UnitName: r.UnitName, UnitRef: r.UnitRef,
		OpenedAt: r.OpenedAt.In(domain.Beijing), HardUntil: r.HardUntil.In(domain.Beijing)}, nil
}

// endSession removes s if it is still the device's session.
func (c *Channel) endSession(ctx context.Context, s Session) error {
	return redisDown(closeScript.Run(ctx, c.gate.rdb, []string{c.gate.keys.session(s.Device)}, s.Token).Err())
}

// caller is who a request comes from, as the guard established it.
type caller struct {
	device  device.Device
	session *Session
}

type callerKey struct{}

// SessionFrom returns the card session of the request ctx belongs to; ok
// is false on routes that need no session.
func SessionFrom(ctx context.Context) (s Session, ok bool) {
	c, _ := ctx.Value(callerKey{}).(*caller)
	if c == nil || c.session == nil {
		return Session{}, false
	}
	return *c.session, true
}

// DeviceFrom returns the signed device the request ctx belongs to.
func DeviceFrom(ctx context.Context) (device.Device, bool) {
	c, _ := ctx.Value(callerKey{}).(*caller)
	if c == nil {
		return device.Device{}, false
	}
	return c.device, true
}
