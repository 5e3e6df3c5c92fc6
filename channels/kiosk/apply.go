package kiosk

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/danielgtaylor/huma/v2"
)

// HeaderIdempotencyKey is the header every filing carries: the kiosk makes
// one key per tap of 提交 and sends the same key when it retries, so a
// request repeated after a lost answer, or a double tap, files one
// application and answers the first filing again.
const HeaderIdempotencyKey = "Idempotency-Key"

// errNoKey refuses a filing without its key, before anything is read.
var errNoKey = &domain.Error{Code: domain.Invalid, Message: "请求缺少幂等键，请返回上一步重新提交",
	Fields: []domain.FieldError{{Field: HeaderIdempotencyKey, Message: "此项为必填项"}}}

// keyed makes op refuse, in Chinese, a request without an Idempotency-Key
// (after the guard, before the input is read: huma's own word for a
// missing header is English), and marks the header required in the
// OpenAPI document once op is registered (see requireKey).
func (r registrar) keyed(op huma.Operation) huma.Operation {
	op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
		if ctx.Header(HeaderIdempotencyKey) == "" {
			huma.WriteErr(r.api, ctx, http.StatusBadRequest, "", errNoKey)
			return
		}
		next(ctx)
	})
	return op
}

// requireKey marks the Idempotency-Key of the POST at path required in
// the OpenAPI document.
func (r registrar) requireKey(path string) {
	item := r.api.OpenAPI().Paths["/kiosk/v1"+path]
	if item == nil || item.Post == nil {
		return
	}
	for _, p := range item.Post.Parameters {
		if p.In == "header" && p.Name == HeaderIdempotencyKey {
			p.Required = true
		}
	}
}

// filing is one application the kiosk files for the session's holder.
type filing struct {
	matter  string
	form    map[string]any
	key     string
	prereqs []string // prerequisites the business core shows done
}

// file files f for the session's card holder (a person session) or unit
// (a unit session) through the shared declaration core, and answers with
// the application as its progress page shows it. The matter must be one
// the catalog offers at kiosks. Errors: Rejected for a matter not offered
// here; those of Submit.
func (c *Channel) file(ctx context.Context, s Session, f filing) (ApplicationView, error) {
	m, err := c.catalog.Matter(f.matter)
	if err != nil {
		return ApplicationView{}, err
	}
	if !m.Offers(domain.Kiosk) {
		return ApplicationView{}, domain.Errorf(domain.Rejected, "“%s”暂不能在自助终端办理，请到服务大厅窗口办理", m.Name)
	}
	form, err := json.Marshal(f.form)
	if err != nil {
		return ApplicationView{}, err
	}
	filed, err := c.filer.Submit(ctx, declaration.Request{MatterCode: f.matter, Applicant: applicantOf(s),
		Channel: domain.Kiosk, IdempotencyKey: f.key, Form: form, PrerequisitesDone: f.prereqs})
	if err != nil {
		return ApplicationView{}, err
	}
	v, err := c.progress.ByApplication(ctx, filed.Applications[0].ID, applicantRef(s))
	if err != nil {
		return ApplicationView{}, err
	}
	return applicationView(v, nil), nil
}

// fileFor makes the handler of a filing: it runs fn for the session and
// audits it with the application's id.
func fileFor[I any](c *Channel, action string, fn func(context.Context, Session, *I) (ApplicationView, error)) func(context.Context, *I) (*out[ApplicationView], error) {
	return func(ctx context.Context, in *I) (*out[ApplicationView], error) {
		s, _ := SessionFrom(ctx)
		v, err := fn(ctx, s, in)
		c.recordWith(ctx, s, action, err, map[string]string{"application": v.ID})
		if err != nil {
			return nil, err
		}
		return &out[ApplicationView]{Body: v}, nil
	}
}

// applicantOf is who the session's applications are about: the card
// holder, or in a unit session the unit. The names are masked already;
// the declaration core keeps only a masked display of them.
func applicantOf(s Session) declaration.Who {
	if s.Kind == UnitSession {
		return declaration.Who{Kind: acceptance.Unit, CreditCode: string(s.Unit), Name: s.UnitName}
	}
	return declaration.Who{Kind: acceptance.Person, IDNumber: s.Person.Raw(), Name: s.Name}
}
