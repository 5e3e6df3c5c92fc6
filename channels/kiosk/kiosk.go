// Package kiosk is the self-service kiosk channel (自助查询一体机) of the
// bureau's service halls: routes under /kiosk/v1 for the kiosks' touch UI.
//
// Every request is signed by a registered device (HeaderDevice …
// HeaderSignature; see Signature and the README beside this file): the
// signature is checked in memory against the device's secret from the
// registry (domain/device), then one Redis script refuses a disabled device,
// a reused nonce and a dead session. A citizen opens a card session by
// putting a second-generation ID card or social-security card in the
// reader: the kiosk posts what it read, the BFF checks it against the
// business core and opens a session bound to that device and person (at most
// one per device; idle 2 minutes, at most 10). A unit clerk opens a unit
// session with the unit's credit code and their own card. Every query then
// reads the session's own person or unit — no route takes an ID number or
// credit code to read — and every read is audited.
//
// Answers are shaped for the touch screen: each screen has a title,
// labelled values (Field) and tables with their column headers (Column),
// every value already a display string — ￥1,234.56, 2026年11月29日, 张*,
// 2106**********123X — and long lists paged PageSize rows at a time. The
// channel never returns a raw ID number.
package kiosk

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/redis/go-redis/v9"
)

// Deps is what the channel needs. All are required but Now.
type Deps struct {
	Core    insured.Core    // the business core, cached in front
	Devices *device.Service // the kiosk registry
	Redis   redis.UniversalClient
	Prefix  string           // of every Redis key, as for NewStatusBoard; must not contain '{'
	Sealer  privacy.Sealer   // seals the ID number kept in a session; indexes audit subjects
	Audit   *audit.Recorder  // every read of a person's or unit's data
	Now     func() time.Time // default time.Now
}

// Channel serves the kiosks. It keeps no state of its own: sessions, nonces
// and device status are in Redis, so any instance serves any kiosk.
type Channel struct {
	core    insured.Core
	devices *device.Service
	gate    *gate
	sealer  privacy.Sealer
	audit   *audit.Recorder
	now     func() time.Time
}

// New returns the channel. It panics when a dependency is missing, a
// wiring defect.
func New(d Deps) *Channel {
	if d.Core == nil || d.Devices == nil || d.Redis == nil || d.Sealer == nil || d.Audit == nil {
		panic("kiosk: New needs Core, Devices, Redis, Sealer and Audit")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Channel{core: d.Core, devices: d.Devices, gate: &gate{rdb: d.Redis, keys: keys{d.Prefix}},
		sealer: d.Sealer, audit: d.Audit, now: d.Now}
}

// record writes the audit entry of one read or session change by the
// session's card holder: a citizen reading their own data, or a unit clerk
// reading the unit's. The kiosk is named in the detail.
func (c *Channel) record(ctx context.Context, s Session, action string, err error) {
	e := audit.Entry{ActorKind: audit.Person, ActorRef: s.PersonRef, Channel: domain.Kiosk, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: s.PersonRef, RequestID: web.RequestIDFromContext(ctx),
		Detail: map[string]string{"device": s.Device}}
	if s.Kind == UnitSession {
		e.ActorKind, e.SubjectRef = audit.UnitOperator, s.UnitRef
	}
	c.audit.Record(ctx, e)
}

// thisYear is the current year in Beijing.
func (c *Channel) thisYear() int { return c.now().In(domain.Beijing).Year() }
