package admin

import (
	"context"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Operators opens units' accounts on the enterprise channel: the bureau
// opens a unit's first administrator (开户) when the unit registers for
// online declaration; that administrator then adds the unit's clerks
// themselves. account.Service is one.
type Operators interface {
	Seed(ctx context.Context, unit domain.CreditCode, n account.NewOperator) (bool, error)
}

var _ Operators = (*account.Service)(nil)

type openOperatorInput struct {
	Code string `path:"code" minLength:"18" maxLength:"18" doc:"单位统一社会信用代码"`
	Body struct {
		Name     string `json:"name" minLength:"2" maxLength:"30" doc:"经办人姓名"`
		Phone    string `json:"phone" doc:"经办人手机号码：新设备登录的验证码发到此号码"`
		Password string `json:"password" doc:"初始密码（至少8位，含字母和数字），由工作人员当面交给单位"`
		Role     string `json:"role,omitempty" enum:"admin,clerk" default:"admin" doc:"角色：admin 单位管理员（可管理本单位经办人），clerk 经办人"`
	}
}

type openOperatorOutput struct {
	Status int
	Body   struct {
		Created bool   `json:"created" doc:"是否新开了账号；同名经办人已有账号时为 false，不会重复开户"`
		Notice  string `json:"notice"`
	}
}

// openOperator opens an operator's account for a unit, once: asked again
// for a name the unit has, it changes nothing and says so (200), so a
// repeat after a lost answer is harmless.
func (a *Admin) openOperator(ctx context.Context, in *openOperatorInput) (*openOperatorOutput, error) {
	code, _, err := domain.ParseCreditCode(in.Code)
	if err != nil {
		return nil, err
	}
	created, err := a.operators.Seed(ctx, code, account.NewOperator{Name: in.Body.Name, Phone: in.Body.Phone,
		Role: account.Role(in.Body.Role), Password: in.Body.Password})
	a.record(ctx, staffFrom(ctx), "unit.operator.open", err, privacy.UnitIndex(a.sealer, code),
		map[string]string{"created": map[bool]string{true: "yes", false: "no"}[created]})
	if err != nil {
		return nil, err
	}
	out := &openOperatorOutput{Status: http.StatusOK}
	out.Body.Notice = "该单位已有同名经办人账号，未重复开户"
	if created {
		out.Status, out.Body.Created = http.StatusCreated, true
		out.Body.Notice = "已开户：请将初始密码交给单位，首次在新设备登录时需短信验证"
	}
	return out, nil
}
