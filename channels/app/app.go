// Package app is the Smart HRSS app channel (丹东智慧人社APP): its routes
// under /app/v1, their request and response types shaped for a phone
// screen (compact, paged, personal numbers masked), and the app's
// authentication.
//
// A citizen signs in with a phone number and an SMS code, binds the
// account to their ID number through the provincial e-card platform, and
// is then served by a short-lived access token (a JWT, 15 minutes, checked
// locally with no store call) and a rotating refresh token (30 days, kept
// hashed in Redis, a replay of a used one ending the whole sign-in). Every
// route that reads or changes a person's data takes the optional header
// X-Act-For naming a relative registered in the family service (亲情服务);
// the request then concerns the relative, and the audit log records that
// the holder acted for them.
//
// Routes: sign-in and tokens (auth), the account and real-name binding
// (me), relatives, the electronic social-security card with its one-time
// QR code and the counter's verify endpoint (ecard), job seeking (jobs,
// job-seeker), pension and work-injury queries, and contribution payment
// with the payment channel's notification. Every route is described in the
// server's OpenAPI 3.1 document and answers errors as Chinese
// problem+json (bff/web).
package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/jobs"
	"github.com/dandong-hrss/hrss/domain/payment"
)

// Prefix starts every route of the channel.
const Prefix = "/app/v1"

// NotifyPath is where the payment channel posts outcomes: the public URL
// plus this is contribution.Config.NotifyURL.
const NotifyPath = Prefix + "/contributions/notify"

// Auditor records audit entries (*audit.Recorder implements it).
type Auditor interface {
	Record(ctx context.Context, e audit.Entry)
}

// CallbackVerifier checks a payment notification's signature and reads it
// (integrations/payment's Client implements it). Errors: Unauthenticated
// for a forged or stale one, Invalid for a malformed one.
type CallbackVerifier interface {
	VerifyCallback(h http.Header, body []byte) (payment.Notification, error)
}

// Certifier is pension qualification certification (养老待遇资格认证): the
// app certifies by face check (刷脸认证), handing over the result token the
// app's face SDK got from the provincial e-card platform. It has the shape
// of certification.Service's Certify, which implements it; while it is not
// wired the route answers that the service is not open.
type Certifier interface {
	Certify(ctx context.Context, person domain.IDNumber, method certification.Method, actor certification.Actor, evidence string) (certification.Cycle, error)
}

// Config holds what the channel needs. Certifier may be nil; everything
// else is required.
type Config struct {
	Identity      *identity.Service
	Keys          Keys
	Core          insured.Core // cached in front of the business core in production
	ECard         ecard.Platform
	Jobs          *jobs.Service
	Contributions *contribution.Service
	Payments      CallbackVerifier
	Certifier     Certifier
	Audit         Auditor
	// Terminals are the counter and partner terminals allowed to verify
	// e-card QR codes: terminal id → secret, sent as
	// "X-Terminal-Key: <id>:<secret>".
	Terminals map[string]string
	Logger    *slog.Logger
	AccessTTL time.Duration // life of an access token; 15 minutes if zero
	// QRRefresh is how often the app shows a new QR code; ecard.QRValidity
	// if zero.
	QRRefresh time.Duration
	Now       func() time.Time
}

// Channel serves the app's routes. It is safe for concurrent use.
type Channel struct {
	cfg       Config
	terminals map[string][32]byte // id → SHA-256 of the secret
}

// New returns the channel over cfg. Error: a required dependency is
// missing, which is a wiring defect.
func New(cfg Config) (*Channel, error) {
	if cfg.Identity == nil || cfg.Core == nil || cfg.ECard == nil || cfg.Jobs == nil || cfg.Contributions == nil ||
		cfg.Payments == nil || cfg.Audit == nil || cfg.Keys.secrets == nil {
		return nil, errors.New("app channel: Identity, Keys, Core, ECard, Jobs, Contributions, Payments and Audit are required")
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 15 * time.Minute
	}
	if cfg.QRRefresh <= 0 {
		cfg.QRRefresh = ecard.QRValidity
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Channel{cfg: cfg, terminals: map[string][32]byte{}}
	for id, secret := range cfg.Terminals {
		c.terminals[id] = sha256.Sum256([]byte(secret))
	}
	return c, nil
}

// Register adds every route of the channel to api.
func (c *Channel) Register(api huma.API) {
	oapi := api.OpenAPI()
	if oapi.Components.SecuritySchemes == nil {
		oapi.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oapi.Components.SecuritySchemes[bearerScheme] = &huma.SecurityScheme{Type: "http", Scheme: "bearer",
		BearerFormat: "JWT", Description: "智慧人社APP访问令牌，登录或刷新时获得，15分钟有效"}
	c.registerAuth(api)
	c.registerMe(api)
	c.registerRelatives(api)
	c.registerECard(api)
	c.registerJobs(api)
	c.registerPension(api)
	c.registerWorkInjury(api)
	c.registerContributions(api)
}

// bearerScheme names the access token in the OpenAPI document.
const bearerScheme = "appBearer"

// op describes one route; secured routes require the access token.
func op(id, method, path, tag, summary string, secured bool) huma.Operation {
	o := huma.Operation{OperationID: "app-" + id, Method: method, Path: Prefix + path, Summary: summary,
		Tags: []string{"智慧人社APP · " + tag}}
	if secured {
		o.Security = []map[string][]string{{bearerScheme: {}}}
	}
	return o
}

// now is the channel's clock in Beijing.
func (c *Channel) now() time.Time { return c.cfg.Now().In(domain.Beijing) }
