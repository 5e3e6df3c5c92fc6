package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/identity"
)

// Signed is the header of every route that needs a signed-in citizen.
type Signed struct {
	Authorization string `header:"Authorization" doc:"Bearer 访问令牌"`
}

// Acting is the headers of every route about a person's data: the access
// token, and the relative acted for, if any.
type Acting struct {
	Signed
	ActFor string `header:"X-Act-For" maxLength:"32" doc:"亲情服务：代亲属办理时填写亲属编号（添加亲属时获得）；为本人办理时不填"`
}

// claims verifies the bearer token locally, unless RateLimit has just
// verified this very token.
func (c *Channel) claims(ctx context.Context, authorization string) (identity.Claims, error) {
	token, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || token == "" {
		return identity.Claims{}, domain.Errorf(domain.Unauthenticated, "请先登录")
	}
	if v, ok := ctx.Value(verifiedKey{}).(verified); ok && v.token == token {
		return v.claims, nil
	}
	return c.cfg.Keys.verify(token, c.cfg.Now())
}

// signedIn resolves the signed-in citizen, acting for nobody.
func (c *Channel) signedIn(ctx context.Context, h Signed) (identity.Principal, error) {
	return c.acting(ctx, Acting{Signed: h})
}

// acting resolves who asks and whom the request is about. When acting for
// the relative named is refused, it returns the refusal with the signed-in
// citizen's own principal, so that the attempt can be audited.
func (c *Channel) acting(ctx context.Context, h Acting) (identity.Principal, error) {
	cl, err := c.claims(ctx, h.Authorization)
	if err != nil {
		return identity.Principal{}, err
	}
	actFor := strings.TrimSpace(h.ActFor)
	p, err := c.cfg.Identity.Principal(ctx, cl, actFor)
	if err != nil && actFor != "" {
		if own, ownErr := c.cfg.Identity.Principal(ctx, cl, ""); ownErr == nil {
			return own, err
		}
	}
	return p, err
}

// person resolves a principal who must be real-name bound: the routes
// that reach a person's records.
func (c *Channel) person(ctx context.Context, h Acting) (identity.Principal, error) {
	p, err := c.acting(ctx, h)
	if err == nil {
		err = p.RequirePerson()
	}
	return p, err
}

// record writes the audit entry of one action by p: the actor is the
// signed-in person (their account before real-name binding), the subject
// whose data it was, and acting for a relative is marked in the detail.
func (c *Channel) record(ctx context.Context, p identity.Principal, action string, err error, detail map[string]string) {
	e := audit.Entry{ActorKind: audit.Person, ActorRef: p.PersonRef, Channel: domain.App, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: p.SubjectRef, RequestID: web.RequestIDFromContext(ctx), Detail: detail}
	if e.ActorRef == "" {
		e.ActorRef = "account:" + p.AccountID
	}
	if p.Relative != nil {
		if e.Detail == nil {
			e.Detail = map[string]string{}
		}
		e.Detail["actingFor"] = p.Relative.ID
		e.Detail["relation"] = string(p.Relative.Relation)
	}
	c.cfg.Audit.Record(ctx, e)
}

// terminal checks a counter or partner terminal's key, "<id>:<secret>",
// and returns its id. Error: Unauthenticated.
func (c *Channel) terminal(key string) (string, error) {
	id, secret, _ := strings.Cut(key, ":")
	want, ok := c.terminals[id]
	got := sha256.Sum256([]byte(secret))
	if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return "", domain.Errorf(domain.Unauthenticated, "终端未授权，请联系系统管理员")
	}
	return id, nil
}
