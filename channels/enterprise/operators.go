package enterprise

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// entOperatorOut is an operator account as the unit's administrator sees it.
type entOperatorOut struct {
	ID        string    `json:"id"`
	Name      string    `json:"name" doc:"经办人姓名"`
	Role      string    `json:"role" enum:"admin,clerk"`
	RoleLabel string    `json:"roleLabel"`
	Phone     string    `json:"phone" doc:"手机号码（脱敏）"`
	Disabled  bool      `json:"disabled" doc:"已停用"`
	Locked    bool      `json:"locked" doc:"因密码错误次数过多已锁定"`
	CreatedAt time.Time `json:"createdAt"`
}

func operatorOf(v account.OperatorView) entOperatorOut {
	return entOperatorOut{ID: v.ID, Name: v.Name, Role: string(v.Role), RoleLabel: v.Role.Label(), Phone: v.Phone,
		Disabled: v.Disabled, Locked: v.Locked, CreatedAt: v.CreatedAt.In(domain.Beijing)}
}

type entOperatorsOut struct {
	Body struct {
		Operators []entOperatorOut `json:"operators"`
	}
}

func (ch *Channel) listOperators(ctx context.Context, in *UnitPath) (*entOperatorsOut, error) {
	s, err := ch.unitSession(ctx, *in)
	if err != nil {
		return nil, err
	}
	views, err := ch.cfg.Accounts.Operators(ctx, s)
	if err != nil {
		return nil, err
	}
	out := &entOperatorsOut{}
	out.Body.Operators = make([]entOperatorOut, 0, len(views))
	for _, v := range views {
		out.Body.Operators = append(out.Body.Operators, operatorOf(v))
	}
	return out, nil
}

type entAddOperatorIn struct {
	UnitPath
	Body struct {
		Name     string `json:"name" minLength:"2" maxLength:"30" doc:"经办人姓名，即登录名"`
		Phone    string `json:"phone" minLength:"11" maxLength:"20" doc:"手机号码，新设备登录时接收验证码"`
		Role     string `json:"role" enum:"admin,clerk" doc:"admin 单位管理员；clerk 经办员"`
		Password string `json:"password" minLength:"8" maxLength:"64" doc:"初始密码：8至64位，同时包含字母和数字"`
	}
}

type entOperatorResp struct {
	Body entOperatorOut
}

func (ch *Channel) addOperator(ctx context.Context, in *entAddOperatorIn) (*entOperatorResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	v, err := ch.cfg.Accounts.AddOperator(ctx, s, account.NewOperator{Name: in.Body.Name, Phone: in.Body.Phone,
		Role: account.Role(in.Body.Role), Password: in.Body.Password})
	ch.record(ctx, s, "account.operator.add", s.UnitRef, err, nil)
	if err != nil {
		return nil, err
	}
	return &entOperatorResp{Body: operatorOf(v)}, nil
}

// OperatorPath is a route of one operator account of the unit.
type OperatorPath struct {
	UnitPath
	ID string `path:"id" maxLength:"32" doc:"经办人账号编号"`
}

type entOperatorChangeIn struct {
	OperatorPath
	Body struct {
		Disabled *bool  `json:"disabled,omitempty" doc:"停用（true）或启用（false）"`
		Unlock   bool   `json:"unlock,omitempty" doc:"解除密码错误锁定"`
		Password string `json:"password,omitempty" maxLength:"64" doc:"重置后的密码；重置后该账号须在每台设备上重新短信验证"`
	}
}

// changeOperator applies what the administrator asked, in a fixed order:
// enable or disable, unlock, reset the password.
func (ch *Channel) changeOperator(ctx context.Context, in *entOperatorChangeIn) (*entOperatorResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	var v account.OperatorView
	steps := 0
	if in.Body.Disabled != nil {
		steps++
		if v, err = ch.cfg.Accounts.SetDisabled(ctx, s, in.ID, *in.Body.Disabled); err != nil {
			return nil, err
		}
	}
	if in.Body.Unlock {
		steps++
		if v, err = ch.cfg.Accounts.Unlock(ctx, s, in.ID); err != nil {
			return nil, err
		}
	}
	if in.Body.Password != "" {
		steps++
		v, err = ch.cfg.Accounts.ResetPassword(ctx, s, in.ID, in.Body.Password)
		ch.record(ctx, s, "account.operator.reset", s.UnitRef, err, map[string]string{"operator": in.ID})
		if err != nil {
			return nil, err
		}
	}
	if steps == 0 {
		return nil, domain.Errorf(domain.Invalid, "请选择要进行的操作：停用、启用、解锁或重置密码")
	}
	return &entOperatorResp{Body: operatorOf(v)}, nil
}
