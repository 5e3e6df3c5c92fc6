package admin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/danielgtaylor/huma/v2"
)

// roster holds the staff who may sign in, each with the digest of their
// token: comparing equal-length digests keeps the comparison's time
// independent of the token's length and content.
type roster struct {
	entries []rosterEntry
}

type rosterEntry struct {
	sum   [sha256.Size]byte
	staff Staff
}

func newRoster(staff []Staff) roster {
	r := roster{entries: make([]rosterEntry, 0, len(staff))}
	for _, s := range staff {
		if s.Token == "" {
			continue // a staff member without a token cannot sign in
		}
		if s.Name == "" {
			s.Name = s.ID
		}
		r.entries = append(r.entries, rosterEntry{sum: sha256.Sum256([]byte(s.Token)), staff: s})
	}
	return r
}

// find returns the staff member whose token is token. It compares with
// every entry, in constant time, whatever matches: how long it takes says
// nothing about which token, or how much of one, was right.
func (r roster) find(token string) (Staff, bool) {
	sum := sha256.Sum256([]byte(token))
	found := -1
	for i := range r.entries {
		eq := subtle.ConstantTimeCompare(sum[:], r.entries[i].sum[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return Staff{}, false
	}
	return r.entries[found].staff, true
}

// The refusals of the guard.
var (
	errNoToken = &domain.Error{Code: domain.Unauthenticated, Message: "请使用工作人员令牌登录管理后台",
		Fields: []domain.FieldError{{Field: "Authorization", Message: "应为 Bearer 加工作人员令牌"}}}
	errBadToken = domain.Errorf(domain.Unauthenticated, "工作人员令牌无效或已停用，请联系系统管理员")
)

func errRole(s Staff, need Role) error {
	return domain.Errorf(domain.Forbidden, "您的角色（%s）无权进行此项操作，需要%s权限，请联系系统管理员", s.Role.Label(), need.Label())
}

// authenticate finds the staff member of an Authorization header and
// checks they may use a route that needs role need. A Forbidden error
// comes with the staff member, so the attempt can be audited.
func (a *Admin) authenticate(authorization string, need Role) (Staff, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Staff{}, errNoToken
	}
	s, ok := a.roster.find(token)
	if !ok {
		return Staff{}, errBadToken
	}
	if !s.Role.allows(need) {
		return s, errRole(s, need)
	}
	return s, nil
}

// staffKey carries the signed-in staff member in a handler's context.
type staffKey struct{}

// staffFrom returns the staff member the guard admitted.
func staffFrom(ctx context.Context) Staff {
	s, _ := ctx.Value(staffKey{}).(Staff)
	return s
}

// guard admits a request to a route that needs role need: it runs after
// routing and before huma reads the input, so a request without a valid
// token is answered 401 before its body is looked at. Every answer is
// marked no-store: it may hold personal data or a device's secret.
func (a *Admin) guard(api huma.API, need Role, operation string) huma.Middlewares {
	return huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		ctx.SetHeader("Cache-Control", "no-store")
		s, err := a.authenticate(ctx.Header("Authorization"), need)
		if err != nil {
			if domain.IsCode(err, domain.Unauthenticated) {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="hrss-admin"`)
			}
			if s.ID != "" {
				a.record(ctx.Context(), s, "admin.denied", err, "", map[string]string{"operation": operation})
			}
			huma.WriteErr(api, ctx, web.Status(domain.ErrorCode(err)), "", err)
			return
		}
		next(huma.WithValue(ctx, staffKey{}, s))
	}}
}
