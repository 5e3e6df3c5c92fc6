package app

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// ContributionItem is one month of one insurance in a contribution history.
type ContributionItem struct {
	Month    string `json:"month" example:"2026-05"`
	Base     int64  `json:"base" doc:"缴费基数，分"`
	UnitPart int64  `json:"unitPart" doc:"单位缴纳，分"`
	Personal int64  `json:"personal" doc:"个人缴纳，分"`
	Paid     bool   `json:"paid" doc:"false 为已核定未缴费（欠缴）"`
}

// ContributionYear is one year of contributions to one insurance; page by
// year from firstYear to lastYear.
type ContributionYear struct {
	Year      int                `json:"year"`
	FirstYear int                `json:"firstYear"`
	LastYear  int                `json:"lastYear"`
	Items     []ContributionItem `json:"items"`
}

type yearInput struct {
	Acting
	YearQuery
}

type contributionsOutput struct{ Body ContributionYear }

// contributionYear reads one year of one insurance's contributions.
func (c *Channel) contributionYear(ctx context.Context, id domain.IDNumber, year int, t insured.InsuranceType) (*contributionsOutput, error) {
	cy, err := c.cfg.Core.Contributions(ctx, id, year)
	if err != nil {
		return nil, err
	}
	out := ContributionYear{Year: cy.Year, FirstYear: cy.FirstYear, LastYear: cy.LastYear, Items: []ContributionItem{}}
	for _, r := range cy.Records {
		if r.Type == t {
			out.Items = append(out.Items, ContributionItem{Month: r.Month.String(), Base: int64(r.Base),
				UnitPart: int64(r.UnitPart), Personal: int64(r.Personal), Paid: r.Paid})
		}
	}
	return &contributionsOutput{Body: out}, nil
}

// AccountYear is one line of the pension account's yearly statement.
type AccountYear struct {
	Year     int   `json:"year"`
	Months   int   `json:"months"`
	Credited int64 `json:"credited" doc:"本年记账金额，分"`
	Interest int64 `json:"interest" doc:"本年记账利息，分"`
	PaidOut  int64 `json:"paidOut" doc:"本年支出，分"`
	Balance  int64 `json:"balance" doc:"年末累计储存额，分"`
}

// PensionAccount is the personal pension account (养老个人账户).
type PensionAccount struct {
	Balance    int64         `json:"balance" doc:"账户余额，分"`
	PaidMonths int           `json:"paidMonths" doc:"累计缴费月数"`
	Years      []AccountYear `json:"years"`
}

type accountBookOutput struct{ Body PensionAccount }

// BenefitPart is one component of a monthly pension.
type BenefitPart struct {
	Kind   string `json:"kind"`
	Text   string `json:"text" example:"基础养老金"`
	Amount int64  `json:"amount" doc:"分"`
}

// PensionBenefit is the pension as assessed (养老待遇核定).
type PensionBenefit struct {
	RetiredOn  string        `json:"retiredOn"`
	Start      string        `json:"start" doc:"待遇起始月"`
	Monthly    int64         `json:"monthly" doc:"月养老金，分"`
	Components []BenefitPart `json:"components"`
	Bank       string        `json:"bank"`
	Account    string        `json:"account" doc:"发放账号（脱敏）"`
}

type benefitOutput struct{ Body PensionBenefit }

// PaymentItem is one month of pension paid out (养老金发放).
type PaymentItem struct {
	Month   string `json:"month"`
	Amount  int64  `json:"amount" doc:"分"`
	PaidOn  string `json:"paidOn"`
	Bank    string `json:"bank"`
	Account string `json:"account" doc:"脱敏"`
}

// PensionPayments is one year of pension payments.
type PensionPayments struct {
	Year  int           `json:"year"`
	Items []PaymentItem `json:"items"`
}

type paymentsOutput struct{ Body PensionPayments }

type certifyInput struct {
	Acting
	Body struct {
		FaceToken string `json:"faceToken" minLength:"1" maxLength:"128" doc:"人脸识别结果凭证（APP刷脸组件从省电子社保卡平台获得）"`
	}
}

// CertificationView is the certification cycle (认证周期) after a face
// check.
type CertificationView struct {
	CycleID     string     `json:"cycleId"`
	Year        int        `json:"year" doc:"认证年度"`
	State       string     `json:"state" enum:"due,overdue,suspended,certified,resumed"`
	StateText   string     `json:"stateText" example:"已认证"`
	CertifiedAt *time.Time `json:"certifiedAt,omitempty"`
	NextDueOn   string     `json:"nextDueOn,omitempty" doc:"下次认证截止日期"`
	BackPay     []string   `json:"backPay,omitempty" doc:"恢复发放时补发的月份"`
}

type certificationOutput struct{ Body CertificationView }

func (c *Channel) registerPension(api huma.API) {
	huma.Register(api, op("pension-contributions", http.MethodGet, "/pension/contributions", "养老服务", "养老缴费查询（按年）", true),
		func(ctx context.Context, in *yearInput) (*contributionsOutput, error) {
			return read(c, ctx, in.Acting, "app.pension.contributions.read", func(p identity.Principal) (*contributionsOutput, error) {
				return c.contributionYear(ctx, p.Subject, c.year(in.YearQuery), insured.PensionInsurance)
			})
		})
	huma.Register(api, op("pension-account", http.MethodGet, "/pension/account", "养老服务", "养老个人账户查询", true),
		func(ctx context.Context, in *Acting) (*accountBookOutput, error) {
			return read(c, ctx, *in, "app.pension.account.read", func(p identity.Principal) (*accountBookOutput, error) {
				a, err := c.cfg.Core.PensionAccount(ctx, p.Subject)
				if err != nil {
					return nil, err
				}
				out := PensionAccount{Balance: int64(a.Balance), PaidMonths: a.PaidMonths, Years: make([]AccountYear, len(a.Years))}
				for i, y := range a.Years {
					out.Years[i] = AccountYear{Year: y.Year, Months: y.Months, Credited: int64(y.Credited),
						Interest: int64(y.Interest), PaidOut: int64(y.PaidOut), Balance: int64(y.Balance)}
				}
				return &accountBookOutput{Body: out}, nil
			})
		})
	huma.Register(api, op("pension-benefit", http.MethodGet, "/pension/benefit", "养老服务", "养老待遇查询与待遇核定信息", true),
		func(ctx context.Context, in *Acting) (*benefitOutput, error) {
			return read(c, ctx, *in, "app.pension.benefit.read", func(p identity.Principal) (*benefitOutput, error) {
				b, err := c.cfg.Core.PensionBenefit(ctx, p.Subject)
				if err != nil {
					return nil, err
				}
				out := PensionBenefit{RetiredOn: day(b.RetiredOn), Start: b.Start.String(), Monthly: int64(b.Monthly),
					Bank: b.Bank, Account: b.Account, Components: make([]BenefitPart, len(b.Components))}
				for i, part := range b.Components {
					out.Components[i] = BenefitPart{Kind: string(part.Kind), Text: part.Kind.Label(), Amount: int64(part.Amount)}
				}
				return &benefitOutput{Body: out}, nil
			})
		})
	huma.Register(api, op("pension-payments", http.MethodGet, "/pension/payments", "养老服务", "养老待遇发放与支付记录（按年）", true),
		func(ctx context.Context, in *yearInput) (*paymentsOutput, error) {
			return read(c, ctx, in.Acting, "app.pension.payments.read", func(p identity.Principal) (*paymentsOutput, error) {
				year := c.year(in.YearQuery)
				list, err := c.cfg.Core.PensionPayments(ctx, p.Subject, year)
				if err != nil {
					return nil, err
				}
				out := PensionPayments{Year: year, Items: make([]PaymentItem, len(list))}
				for i, pm := range list {
					out.Items[i] = PaymentItem{Month: pm.Month.String(), Amount: int64(pm.Amount), PaidOn: day(pm.PaidOn),
						Bank: pm.Bank, Account: pm.Account}
				}
				return &paymentsOutput{Body: out}, nil
			})
		})
	certify := op("pension-certify", http.MethodPost, "/pension/certifications", "养老服务", "养老待遇资格认证（刷脸认证）", true)
	certify.DefaultStatus = http.StatusCreated
	huma.Register(api, certify, func(ctx context.Context, in *certifyInput) (*certificationOutput, error) {
		return read(c, ctx, in.Acting, "app.pension.certify", func(p identity.Principal) (*certificationOutput, error) {
			if c.cfg.Certifier == nil {
				return nil, domain.Errorf(domain.Unavailable, "刷脸认证暂未开通，请到服务大厅或自助一体机办理")
			}
			cycle, err := c.cfg.Certifier.Certify(ctx, p.Subject, certification.AppFace, c.certifier(ctx, p), in.Body.FaceToken)
			if err != nil {
				return nil, err
			}
			return &certificationOutput{Body: certificationView(cycle)}, nil
		})
	})
}

// read runs one read (or action) about a person's records for the
// principal of h, and records it in the audit log, refused or not.
func read[T any](c *Channel, ctx context.Context, h Acting, action string, fn func(identity.Principal) (*T, error)) (*T, error) {
	p, err := c.person(ctx, h)
	if err != nil {
		if p.AccountID != "" { // signed in, but refused: on the record
			c.record(ctx, p, action, err, map[string]string{"actingFor": h.ActFor})
		}
		return nil, err
	}
	out, err := fn(p)
	c.record(ctx, p, action, err, nil)
	return out, err
}

// certifier is who certifies: the pensioner, or the holder acting for
// them, related to the pensioner the other way round from how the holder
// registered them (a registered parent is certified by their child).
func (c *Channel) certifier(ctx context.Context, p identity.Principal) certification.Actor {
	if p.Relative == nil {
		return certification.Actor{Kind: certification.Self, Channel: domain.App}
	}
	a := certification.Actor{Kind: certification.Relative, Channel: domain.App, Relative: p.Person,
		Relation: inverse[p.Relative.Relation]}
	if acct, err := c.cfg.Identity.Account(ctx, p.AccountID); err == nil {
		a.Name = acct.MaskedName
	}
	if a.Relation == "" {
		a.Relation = certification.OtherKin
	}
	return a
}

// inverse is how the holder is related to a relative they registered.
var inverse = map[identity.Relation]certification.Relation{
	identity.Spouse: certification.Spouse, identity.Parent: certification.Child,
	identity.Grandparent: certification.Grandchild, identity.Sibling: certification.Sibling,
}

func certificationView(cy certification.Cycle) CertificationView {
	v := CertificationView{CycleID: cy.ID, Year: cy.Year, State: string(cy.State), StateText: cy.State.Label(),
		NextDueOn: day(cy.NextDueOn)}
	if cy.Certification != nil {
		v.CertifiedAt = instant(cy.Certification.At)
	}
	if bp := cy.BackPay(); bp != nil {
		for _, m := range bp.Months {
			v.BackPay = append(v.BackPay, m.String())
		}
	}
	return v
}
