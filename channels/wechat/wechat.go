// Package wechat is the WeChat official-account channel (丹东人社公众号):
// routes under /wechat/v1 for the H5 pages followers open from the
// account's menu, and the message callback through which WeChat pushes what
// followers type and tap.
//
// # Who is asking
//
// A page sends the follower through WeChat's silent web authorization
// (snsapi_base, GET /wechat/v1/oauth/authorize) and trades the code it
// gets back for a short session of the BFF's own (POST
// /wechat/v1/sessions): an opaque bearer token standing for the openid,
// kept hashed in Redis. Nothing is keyed on the WeChat profile. A follower
// binds the openid to one insured person once (domain/follower: an SMS
// code to the phone the business core has on record, or the e-card
// platform's real-name and face check); every later request is recognised
// by the openid and reads or files for that person only — or, with
// X-Act-For, for a relative they registered (亲情服务). No route takes an
// ID number to read.
//
// # Answers
//
// Answers are compact for phones: display strings (￥1,234.56,
// 2026年11月29日), masked names and ID numbers, times in RFC 3339 at
// +08:00, lists paged (a cursor for applications, pages elsewhere). Every
// read of a person's data and every change is audited. The request and
// response types carry a Wx prefix because huma names OpenAPI schemas by
// the bare Go type name across every channel on the one API, and two
// channels' Paging would make it panic at start.
//
// # What the core does not answer
//
// The business core has no operation for 待遇报销 (reimbursements), 参保人
// 封锁 (locks) or 缴费机构 (payment institutions). Reimbursements are
// answered from what it does pay out: pension payments, work-injury
// benefits (工伤医疗费 is the one true reimbursement) and unemployment
// benefit. Locks are those the bureau's own pending business puts on a
// record — a transfer, a death stop, a refund in progress — with each
// insurance's standing from the core; a freeze staff set inside the core
// is not visible here, and the page says so. The payment institutions are
// reference data no system here holds: institutions.json, embedded, kept
// by the bureau's payment office; no fake upstream is invented for it.
//
// # WeChat itself
//
// The channel speaks to the platform through integrations/wechat (the one
// channel importing an integration, for the platform's value types: the
// callback and web authorization are this channel's transport, as Fiber is
// the others'). Progress notices are sent by domain/notify, which finds a
// follower through (*follower.Service).OpenIDOf; this package only answers
// "进度" in the chat and links to the H5 progress page.
package wechat

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// Prefix is the path of every route of the channel.
const Prefix = "/wechat/v1"

// Deps is what the channel needs. All are required but Logger and Now.
type Deps struct {
	Platform     Platform // the WeChat client (*wechat.Client)
	Followers    *follower.Service
	Declarations *declaration.Service
	Progress     *progress.Service
	Catalog      Catalog      // *catalog.Service
	Core         insured.Core // the business core, cached in front
	Sealer       privacy.Sealer
	Audit        *audit.Recorder
	// PublicURL is how followers reach this server, like
	// "https://hrss.dandong.gov.cn"; the H5 pages are under PublicURL/h5.
	PublicURL string
	Logger    *slog.Logger     // nil: discard
	Now       func() time.Time // default time.Now
}

// Channel serves the official account. It keeps no state of its own:
// sessions are in Redis and bindings in the database, so any instance
// serves any follower.
type Channel struct {
	platform  Platform
	followers *follower.Service
	decl      *declaration.Service
	progress  *progress.Service
	catalog   Catalog
	core      insured.Core
	sealer    privacy.Sealer
	audit     *audit.Recorder
	public    string
	log       *slog.Logger
	now       func() time.Time
	places    institutionFile
}

// New returns the channel. It panics when a dependency is missing or the
// embedded institution list is broken, both wiring defects.
func New(d Deps) *Channel {
	if d.Platform == nil || d.Followers == nil || d.Declarations == nil || d.Progress == nil || d.Catalog == nil ||
		d.Core == nil || d.Sealer == nil || d.Audit == nil || d.PublicURL == "" {
		panic("wechat: New needs Platform, Followers, Declarations, Progress, Catalog, Core, Sealer, Audit and PublicURL")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	places, err := loadInstitutions()
	if err != nil {
		panic(err)
	}
	return &Channel{platform: d.Platform, followers: d.Followers, decl: d.Declarations, progress: d.Progress,
		catalog: d.Catalog, core: d.Core, sealer: d.Sealer, audit: d.Audit, public: strings.TrimRight(d.PublicURL, "/"),
		log: d.Logger, now: d.Now, places: places}
}

// OpenIDOf returns the openid bound to a person (by blind index), for the
// notice outbox (domain/notify): ok is false when the person has not bound
// one. It is the followers' lookup, exposed here so the wiring needs only
// the channel.
func (c *Channel) OpenIDOf(ctx context.Context, personRef string) (openID string, ok bool, err error) {
	return c.followers.OpenIDOf(ctx, personRef)
}

// page returns the address of an H5 page, path starting with "/".
func (c *Channel) page(path string) string { return c.public + "/h5" + path }

// record writes the audit entry of one read or change by a bound follower:
// the actor is the follower's person, the subject whose data it was.
func (c *Channel) record(ctx context.Context, p follower.Principal, action string, err error) {
	e := audit.Entry{ActorKind: audit.Person, ActorRef: p.PersonRef, Channel: domain.WeChat, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: p.SubjectRef, RequestID: web.RequestIDFromContext(ctx)}
	if p.Relative != nil {
		e.Detail = map[string]string{"relation": string(p.Relative.Relation)}
	}
	c.audit.Record(ctx, e)
}

// recordAttempt audits an attempt about a person typed in a request
// (binding, adding a relative) before anyone is identified: the subject is
// the typed ID number's index when it parses.
func (c *Channel) recordAttempt(ctx context.Context, actorRef, rawID, action string, err error) {
	subject := ""
	if id, perr := domain.ParseIDNumber(rawID); perr == nil {
		subject = privacy.IDIndex(c.sealer, id)
	}
	kind := audit.Person
	if actorRef == "" {
		kind, actorRef = audit.System, "wechat"
	}
	c.audit.Record(ctx, audit.Entry{ActorKind: kind, ActorRef: actorRef, Channel: domain.WeChat, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: subject, RequestID: web.RequestIDFromContext(ctx)})
}
