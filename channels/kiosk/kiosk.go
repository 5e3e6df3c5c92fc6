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
//
// Beyond queries, the card holder prints (statements, slips, receipts: PDF
// through the document service, each with a serial and a QR code that
// /verify/{serial} answers, each print recorded), certifies a pension by
// face check, changes a flexible worker's base tier, files a unit's monthly
// assessment, follows and rates their applications, and anyone at the
// kiosk reads the announcements. Everything that files an application asks
// for an Idempotency-Key header, so a double tap files once.
package kiosk

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/redis/go-redis/v9"
)

// Deps is what the channel needs. All are required but Now and
// LargeAmountPremium.
type Deps struct {
	Core    insured.Core    // the business core, cached in front
	Devices *device.Service // the kiosk registry
	Redis   redis.UniversalClient
	Prefix  string           // of every Redis key, as for NewStatusBoard; must not contain '{'
	Limiter *limit.Limiter   // charges each request to its device, in the guard's round trip; nil: no limits
	Sealer  privacy.Sealer   // seals the ID number kept in a session; indexes audit subjects
	Audit   *audit.Recorder  // every read of a person's or unit's data
	Now     func() time.Time // default time.Now

	Documents     Printer   // prints and records every document
	Certification Certifier // pension certification by face check
	Declarations  Filer     // files applications: base tier, monthly assessment
	Progress      Tracker   // where the holder's applications stand
	Ratings       Rater     // 好差评 of finished applications
	Announcements Board     // the bureau's notices
	Catalog       Matters   // the matters the kiosk files, and their forms
	// LargeAmountPremium is the yearly premium per insured employee of the
	// large-amount medical insurance (大额医疗保险) that the 大额保险单
	// states, as the bureau's notice of the year sets it. Zero: the kiosk
	// does not print that slip and sends the clerk to the counter.
	LargeAmountPremium domain.Fen
}

// Channel serves the kiosks. It keeps no state of its own: sessions, nonces
// and device status are in Redis, so any instance serves any kiosk.
type Channel struct {
	core    insured.Core
	devices *device.Service
	gate    *gate
	limiter *limit.Limiter
	sealer  privacy.Sealer
	audit   *audit.Recorder
	now     func() time.Time

	docs     Printer
	certs    Certifier
	filer    Filer
	progress Tracker
	ratings  Rater
	board    Board
	catalog  Matters
	premium  domain.Fen
}

// New returns the channel. It panics when a dependency is missing, a
// wiring defect.
func New(d Deps) *Channel {
	if d.Core == nil || d.Devices == nil || d.Redis == nil || d.Sealer == nil || d.Audit == nil {
		panic("kiosk: New needs Core, Devices, Redis, Sealer and Audit")
	}
	if d.Documents == nil || d.Certification == nil || d.Declarations == nil || d.Progress == nil ||
		d.Ratings == nil || d.Announcements == nil || d.Catalog == nil {
		panic("kiosk: New needs Documents, Certification, Declarations, Progress, Ratings, Announcements and Catalog")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Channel{core: d.Core, devices: d.Devices, gate: &gate{rdb: d.Redis, keys: keys{d.Prefix}}, limiter: d.Limiter,
		sealer: d.Sealer, audit: d.Audit, now: d.Now, docs: d.Documents, certs: d.Certification,
		filer: d.Declarations, progress: d.Progress, ratings: d.Ratings, board: d.Announcements,
		catalog: d.Catalog, premium: d.LargeAmountPremium}
}

// record writes the audit entry of one read or session change by the
// session's card holder: a citizen reading their own data, or a unit clerk
// reading the unit's. The kiosk is named in the detail.
func (c *Channel) record(ctx context.Context, s Session, action string, err error) {
	c.recordWith(ctx, s, action, err, nil)
}

// recordWith is record with more detail: a serial, an application id.
func (c *Channel) recordWith(ctx context.Context, s Session, action string, err error, detail map[string]string) {
	e := audit.Entry{ActorKind: audit.Person, ActorRef: s.PersonRef, Channel: domain.Kiosk, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: s.PersonRef, RequestID: web.RequestIDFromContext(ctx),
		Detail: map[string]string{"device": s.Device}}
	for k, v := range detail {
		if v != "" {
			e.Detail[k] = v
		}
	}
	if s.Kind == UnitSession {
		e.ActorKind, e.SubjectRef = audit.UnitOperator, s.UnitRef
	}
	c.audit.Record(ctx, e)
}

// applicantRef is whose applications the session sees and rates: the
// unit's in a unit session, the card holder's otherwise.
func applicantRef(s Session) string {
	if s.Kind == UnitSession {
		return s.UnitRef
	}
	return s.PersonRef
}

// thisYear is the current year in Beijing.
func (c *Channel) thisYear() int { return c.now().In(domain.Beijing).Year() }
